// graph-invite-contract/types: the contract's types and nothing else, for repos that consume the
// contract as types. Type-only re-exports: no runtime code, and no Node or DOM type in its graph.
export type * from "./schema-types.js";
export type { components, operations, paths, webhooks } from "../generated/schema.js";
export type { InviteIssue, InviteRule, NotificationIssue, NotificationRule, ValidationIssue } from "./issues.js";
export type {
  CallbackAuthReason,
  GraphInviteErrorCode,
  GraphTokenErrorReason,
  OperationTrackerErrorReason,
} from "./errors.js";
export type {
  CallbackEvent,
  CallEvent,
  EventBase,
  InviteOperationEvent,
  NormalizedChangeType,
  OperationEvent,
  OperationEventOf,
  OperationType,
  OperationTypes,
  OtherEvent,
  RosterEvent,
  ToneEvent,
} from "./notifications/parse.js";
export type { RosterChange, RosterState, RosterStateOptions } from "./notifications/roster-state.js";
export type { NormalizedOperationStatus } from "./notifications/operation-status.js";
export type { CallbackEventFor, CallbackEventName } from "./notifications/handler.js";
