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
