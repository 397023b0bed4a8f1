// graph-invite-contract: the runtime-neutral entry (Node, Deno, Bun, Workers, browsers). Re-exports
// only; nothing here or below it imports a Node built-in. Node-only code is in ./node/index.ts.
export type {
  AddLargeGalleryViewOperation,
  Call,
  CallDirection,
  CallState,
  CancelMediaProcessingOperation,
  ChangeType,
  CommsNotification,
  CommsNotifications,
  CommsOperation,
  CommunicationsIdentitySet,
  DeltaParticipants,
  EndpointType,
  Identity,
  IdentitySet,
  InvitationIdentity,
  InvitationIdentitySet,
  InvitationParticipantInfo,
  InvitedParticipantInfo,
  InviteParticipantsOperation,
  InvitePostRequestBody,
  Int32String,
  MediaStream,
  MuteParticipantOperation,
  NumericResultInfo,
  ODataError,
  OperationStatus,
  Participant,
  ParticipantInfo,
  PlayPromptOperation,
  RecordOperation,
  ResultInfo,
  SendDtmfCompletionReason,
  SendDtmfTonesOperation,
  StartHoldMusicOperation,
  StopHoldMusicOperation,
  SubscribeToToneOperation,
  Tone,
  ToneInfo,
  UnmuteParticipantOperation,
  UpdateRecordingStatusOperation,
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
export {
  validateInviteRequest,
  assertInviteRequest,
  type InviteValidationOptions,
  type InviteValidationResult,
} from "./request/validate.js";
export {
  findUnknownProperties,
  UNKNOWN_PROPERTY_RULE,
  type UnknownPropertiesMode,
  type UnknownPropertyIssue,
  type UnknownPropertyRule,
} from "./request/unknown-properties.js";
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
  ERROR_CODES,
  type GraphInviteErrorCode,
  PayloadValidationError,
  InviteValidationError,
  NotificationValidationError,
  InviteOperationFailedError,
  InviteOperationTimeoutError,
  CallTerminatedError,
  CallbackAuthError,
  InvalidOptionError,
  type InvalidOptionRule,
  OperationTrackerError,
  type OperationTrackerErrorReason,
  type CallbackAuthReason,
  GraphRequestError,
  type GraphRequestErrorReason,
  GraphTokenError,
  type GraphTokenErrorReason,
  EndpointOptionsError,
  type EndpointOptionsErrorRule,
  IntakeTimeoutError,
} from "./errors.js";
export {
  parseCommsNotifications,
  type CallbackEvent,
  type CallEvent,
  type EventBase,
  type InviteOperationEvent,
  type OperationEvent,
  type OperationEventOf,
  type OperationType,
  type OperationTypes,
  type RosterEvent,
  type ToneEvent,
  type OtherEvent,
  type NormalizedChangeType,
} from "./notifications/parse.js";
export { callIdOf, operationIdOf } from "./notifications/resource-ids.js";
export { sameGraphId, graphIdKey } from "./notifications/graph-id.js";
export {
  createRosterState,
  type RosterChange,
  type RosterState,
  type RosterStateOptions,
} from "./notifications/roster-state.js";
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
export type {
  CallbackEndpointOptions,
  CallbackEndpointCommonOptions,
  CallbackEndpointAuth,
  MicrosoftTokenAuth,
  CustomVerifyAuth,
  UnverifiedAuth,
} from "./endpoint/options.js";
export { createReplayGuard, type ReplayGuard, type ReplayClaim, type ReplayGuardOptions } from "./endpoint/replay.js";
export {
  createInviteClient,
  type InviteAttempt,
  type InviteAttemptOutcome,
  type InviteCallOptions,
  type InviteClientOptions,
  type InviteClient,
} from "./client/client.js";
export type { InviteResult, InviteOperationResult, InviteAcceptedResult } from "./client/invite-answer.js";
export { GRAPH_V1, GRAPH_BETA, DEFAULT_TIMEOUT_MS, type GraphConnectionOptions } from "./client/options.js";
export { RETRYABLE_STATUSES, type RetryOptions } from "./client/retry.js";
export { createTelemetry, type TelemetryOptions } from "./telemetry/create.js";
export type { Telemetry } from "./telemetry/hooks.js";
export type { TelemetryLogger } from "./telemetry/logger.js";
