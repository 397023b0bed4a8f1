// The package's one public entry point: re-exports only.
export type {
  ChangeType,
  CommsNotification,
  CommsNotifications,
  CommsOperation,
  CommunicationsIdentitySet,
  EndpointType,
  Identity,
  IdentitySet,
  InvitationParticipantInfo,
  InviteParticipantsOperation,
  InvitePostRequestBody,
  MediaStream,
  ODataError,
  OperationStatus,
  Participant,
  ParticipantInfo,
  ResultInfo,
} from "./types.js";
export type { components, operations, paths, webhooks } from "../generated/schema.js";

export { InviteValidationError, type ValidationIssue } from "./errors.js";
export {
  INVITE_RULES,
  CLIENT_CONTEXT_MAX_LENGTH,
  type InviteIssue,
  type InviteRule,
} from "./request/rules.js";
export { validateInviteRequest, assertInviteRequest, type InviteValidationResult } from "./request/validate.js";
export {
  identity,
  userIdentity,
  applicationIdentity,
  phoneIdentity,
  type IdentityKind,
  type IdentityDetails,
} from "./request/identities.js";
export {
  inviteParticipants,
  replacePeerToPeerCall,
  moveParticipant,
  invitePhone,
  type InviteOptions,
} from "./request/builders.js";
