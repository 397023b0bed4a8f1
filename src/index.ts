// graph-invite-contract: the runtime-neutral entry (Node, Deno, Bun, Workers, browsers). Re-exports
// only; nothing here or below it imports a Node built-in. Node-only code is in ./node/index.ts.
export type {
  ChangeType,
  CommsNotification,
  CommsNotifications,
  CommsOperation,
  CommunicationsIdentitySet,
  EndpointType,
  Identity,
  IdentitySet,
  InvitationIdentity,
  InvitationIdentitySet,
  InvitationParticipantInfo,
  InvitedParticipantInfo,
  InviteParticipantsOperation,
  InvitePostRequestBody,
  MediaStream,
  ODataError,
  OperationStatus,
  Participant,
  ParticipantInfo,
  ResultInfo,
} from "./schema-types.js";
export type { components, operations, paths, webhooks } from "../generated/schema.js";

export {
  INVITE_RULES,
  NOTIFICATION_RULES,
  type InviteIssue,
  type InviteRule,
  type NotificationIssue,
  type NotificationRule,
  type ValidationIssue,
} from "./issues.js";
export { CLIENT_CONTEXT_MAX_LENGTH } from "./request/rules.js";
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

export {
  PayloadValidationError,
  InviteValidationError,
  NotificationValidationError,
  InviteOperationFailedError,
  InviteOperationTimeoutError,
  CallbackAuthError,
  InvalidOptionError,
  type InvalidOptionRule,
  OperationTrackerError,
  type OperationTrackerErrorReason,
  type CallbackAuthReason,
  GraphRequestError,
  GraphTokenError,
  type GraphTokenErrorReason,
} from "./errors.js";
export {
  parseCommsNotifications,
  type CallbackEvent,
  type OperationEvent,
  type RosterEvent,
  type OtherEvent,
  type NormalizedChangeType,
} from "./notifications/parse.js";
export type { NormalizedOperationStatus } from "./notifications/operation-status.js";
export {
  createCallbackHandler,
  type CallbackHandler,
  type CallbackEventName,
  type CallbackEventFor,
  type CallbackEventHandler,
} from "./notifications/handler.js";
export {
  createOperationTracker,
  type OperationTracker,
  type OperationTrackerOptions,
  type TrackTarget,
  type UnmatchedReason,
} from "./tracking/tracker.js";
export { remoteCallbackKeys, CALLBACK_OPENID_CONFIGURATION, type RemoteCallbackKeysOptions } from "./auth/keys.js";
export {
  createVerifiedTokenCache,
  type VerifiedTokenCache,
  type VerifiedTokenCacheOptions,
} from "./auth/token-cache.js";
export {
  verifyCallbackToken,
  CALLBACK_TOKEN_ISSUERS,
  type CallbackTokenClaims,
  type CallbackJsonWebKey,
  type CallbackJsonWebKeySet,
  type CallbackKeyResolver,
  type VerifyCallbackTokenOptions,
} from "./auth/verify.js";
export {
  createFetchHandler,
  type FetchHandler,
  type FetchHandlerOptions,
  type WaitUntilContext,
} from "./endpoint/fetch-adapter.js";
export type { CallbackEndpointOptions } from "./endpoint/core.js";
export { createReplayGuard, type ReplayGuard, type ReplayGuardOptions } from "./endpoint/replay.js";
export {
  createGraphClient,
  createInviteClient,
  GRAPH_V1,
  GRAPH_BETA,
  type GraphClientOptions,
  type InviteClientOptions,
  type InviteClient,
  type InviteResult,
} from "./client/client.js";
export { RETRYABLE_STATUSES, type RetryOptions } from "./client/retry.js";
