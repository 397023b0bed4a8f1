// One notification (already valid against the schema) → one typed event: an operation (any
// commsOperation subtype), a call state change, a DTMF tone, a roster change, or other. The ids a
// bot needs are read here, once: the call id, the operation id, clientContext, status, resultInfo.
import { isObject } from "../internal/is-object.js";
import { lowerFirst, operationStatus, type NormalizedOperationStatus } from "./operation-status.js";
import { callIdOf, operationIdOf } from "./resource-ids.js";
import { numericResultInfo } from "./result-info.js";
import type {
  AddLargeGalleryViewOperation,
  Call,
  CallDirection,
  CallState,
  CancelMediaProcessingOperation,
  CommsNotification,
  CommsOperation,
  DeltaParticipants,
  InviteParticipantsOperation,
  MuteParticipantOperation,
  NumericResultInfo,
  Participant,
  PlayPromptOperation,
  RecordOperation,
  SendDtmfTonesOperation,
  StartHoldMusicOperation,
  StopHoldMusicOperation,
  SubscribeToToneOperation,
  Tone,
  ToneInfo,
  UnmuteParticipantOperation,
  UpdateRecordingStatusOperation,
} from "../schema-types.js";

/** changeType in lowercase, whatever casing arrived (`unknownFutureValue` is Graph's evolvable-enum sentinel). */
export type NormalizedChangeType = "created" | "updated" | "deleted" | "unknownFutureValue";

/** What every event carries: what changed, the call it belongs to, and where. */
export interface EventBase {
  /** What happened to the resource, in lowercase whatever casing Graph sent (`deleted` for a final operation, a call that ended, participants that left). */
  changeType: NormalizedChangeType;
  /** The call id the notification names (resourceUrl, else resource), as sent: compare with `sameGraphId`. */
  callId: string | null;
  /** The notification's resourceUrl as sent: the resource it is about, e.g. `/communications/calls/{id}/operations/{id}`. */
  resourceUrl: string;
}

/**
 * The commsOperation subtypes this package types (v1.0 CSDL), by their short name (`@odata.type`
 * without `#microsoft.graph.` and `Operation`), and `other` for any other `...Operation` type.
 */
export interface OperationTypes {
  /** `#microsoft.graph.inviteParticipantsOperation`: the invite's, the only one the trackers settle with. */
  inviteParticipants: InviteParticipantsOperation;
  /** `#microsoft.graph.playPromptOperation` (call-playprompt.md). */
  playPrompt: PlayPromptOperation;
  /** `#microsoft.graph.recordOperation` (call-record.md); its `completionReason` fills the event's. */
  record: RecordOperation;
  /** `#microsoft.graph.subscribeToToneOperation`: after it, DTMF tones arrive as `tone` events. */
  subscribeToTone: SubscribeToToneOperation;
  /** `#microsoft.graph.cancelMediaProcessingOperation`. */
  cancelMediaProcessing: CancelMediaProcessingOperation;
  /** `#microsoft.graph.addLargeGalleryViewOperation`. */
  addLargeGalleryView: AddLargeGalleryViewOperation;
  /** `#microsoft.graph.startHoldMusicOperation`. */
  startHoldMusic: StartHoldMusicOperation;
  /** `#microsoft.graph.stopHoldMusicOperation`. */
  stopHoldMusic: StopHoldMusicOperation;
  /** `#microsoft.graph.muteParticipantOperation`. */
  muteParticipant: MuteParticipantOperation;
  /** `#microsoft.graph.unmuteParticipantOperation`. */
  unmuteParticipant: UnmuteParticipantOperation;
  /** `#microsoft.graph.updateRecordingStatusOperation`. */
  updateRecordingStatus: UpdateRecordingStatusOperation;
  /** `#microsoft.graph.sendDtmfTonesOperation`; its `completionReason` fills the event's. */
  sendDtmfTones: SendDtmfTonesOperation;
  /** Any other `#microsoft.graph.<name>Operation`, typed as the commsOperation base. */
  other: CommsOperation;
}

/** An operation's short name: `inviteParticipants`, `playPrompt`, ..., or `other`. */
export type OperationType = keyof OperationTypes;

/** An operation notification of one type: `operation` narrows with `operationType`. */
export interface OperationEventOf<T extends OperationType> extends EventBase {
  /** Tells the event kinds apart: `"operation"`. */
  kind: "operation";
  /** The short name of its type; `other` for a commsOperation subtype this package does not type. */
  operationType: T;
  /** Its `@odata.type` as sent, e.g. `#microsoft.graph.playPromptOperation`. */
  odataType: string;
  /** `operation.id`, else the id in resourceUrl/resource; as sent: compare with `sameGraphId`. */
  operationId: string | null;
  /** The operation's clientContext, echoing what the request was sent with: what correlates it when the id is null. */
  clientContext: string | null;
  /**
   * The status in lowercase camelCase; `running` when Graph sent `null` or none (Learn's
   * commsOperation: such an operation is followed by notifications). `operation.status` keeps what arrived.
   */
  status: NormalizedOperationStatus;
  /** The outcome once `completed` or `failed`, code and subcode as numbers; null while running. */
  resultInfo: NumericResultInfo | null;
  /** `operation.completionReason` when it is a string (recordOperation, sendDtmfTonesOperation), else null. */
  completionReason: string | null;
  /** The operation as Graph sent it. */
  operation: OperationTypes[T];
}

/** Any operation notification. Narrow with `operationType` (`inviteParticipants` is the invite's). */
export type OperationEvent = { [T in OperationType]: OperationEventOf<T> }[OperationType];

/** The invite's operation notification (what `kind: "operation"` meant before 0.2). */
export type InviteOperationEvent = OperationEventOf<"inviteParticipants">;

/**
 * A call's state changed (call-answer.md: `establishing`, `established`; call-delete.md:
 * `terminating`, then `terminated` with `changeType: deleted` and the termination reason).
 */
export interface CallEvent extends EventBase {
  /** Tells the event kinds apart: `"call"`. */
  kind: "call";
  /** The call state; null when the notification carries none. */
  state: CallState | null;
  /** `incoming` or `outgoing`, as the call says; null when the notification carries none. */
  direction: CallDirection | null;
  /** The call's resultInfo, code and subcode as numbers; once terminated, why it ended. */
  resultInfo: NumericResultInfo | null;
  /** Once `terminated`: resultInfo's message (call.md: "the result can hold termination reason"); else null. */
  terminationReason: string | null;
  /** The call as Graph sent it (resourceData). */
  call: Call;
}

/** A participant pressed a DTMF key (a call notification with toneInfo, after subscribeToTone). */
export interface ToneEvent extends EventBase {
  /** Tells the event kinds apart: `"tone"`. */
  kind: "tone";
  /** The key pressed; null when toneInfo carries none. */
  tone: Tone | null;
  /** Orders the tones of a call (toneInfo.sequenceId); null when absent. */
  sequenceId: number | null;
  /** The call's toneInfo as Graph sent it. */
  toneInfo: ToneInfo;
  /** The call as Graph sent it (resourceData), toneInfo included. */
  call: Call;
}

/**
 * A roster notification: participants that changed. What they mean depends on `changeType`:
 * `created` or `updated` lists participants that joined or changed (not the whole roster);
 * `deleted` lists the participants that LEFT. A bot that replaces its list with `participants`
 * on every event keeps only the leavers after a `deleted`: keep a roster with `createRosterState()`.
 */
export interface RosterEvent extends EventBase {
  /** Tells the event kinds apart: `"roster"`. */
  kind: "roster";
  /** The participants the notification lists (from a participant array, or deltaParticipants). */
  participants: Participant[];
  /** Whether these participants left the call (`changeType: deleted`). */
  participantsLeft: boolean;
  /** deltaParticipants' sequenceNumber, which orders roster updates; null for a participant array. */
  sequenceNumber: number | null;
}

/** A notification about a resource nothing here models (contentSharingSession, a type added later, ...). */
export interface OtherEvent extends EventBase {
  /** Tells the event kinds apart: `"other"`. */
  kind: "other";
  /** The id after `/operations/` in resourceUrl or resource, if any. */
  operationId: string | null;
  /** resourceData's `@odata.type`; null for an array or when absent. */
  odataType: string | null;
  /** The whole notification as Graph sent it (valid against the commsNotifications schema). */
  notification: CommsNotification;
}

/**
 * One callback notification, typed by `kind`: `operation`, `call`, `tone`, `roster` or `other`.
 * What parseCommsNotifications returns, one per notification, and what the handlers receive.
 */
export type CallbackEvent = OperationEvent | CallEvent | ToneEvent | RosterEvent | OtherEvent;

const GRAPH = "#microsoft.graph.";
const OPERATION = "Operation";
const INVITE_OPERATION = "#microsoft.graph.inviteParticipantsOperation";
const PARTICIPANT = "#microsoft.graph.participant";
const CALL = "#microsoft.graph.call";
const DELTA_PARTICIPANTS = "#microsoft.graph.deltaParticipants";
const TYPED_OPERATIONS = new Set<string>([
  "playPrompt",
  "record",
  "subscribeToTone",
  "cancelMediaProcessing",
  "addLargeGalleryView",
  "startHoldMusic",
  "stopHoldMusic",
  "muteParticipant",
  "unmuteParticipant",
  "updateRecordingStatus",
  "sendDtmfTones",
]);

/** `#microsoft.graph.playPromptOperation` → `playPrompt`; an untyped subtype → `other`. */
function operationTypeOf(odataType: string): OperationType {
  const name = odataType.slice(GRAPH.length, -OPERATION.length);
  return TYPED_OPERATIONS.has(name) ? (name as OperationType) : "other";
}

// The schema has already required each resource's `@odata.type` to start `#microsoft.graph.`, and an
// operation's to be `#microsoft.graph.<letters>Operation`: the ending tells an operation apart.
const isOperationType = (t: string) => t.endsWith(OPERATION);

// Each event is built as one object literal (no spread of a shared base): a parse builds one per
// notification, and the literal is what the parse bench measured before these kinds existed.
function operationEvent(
  changeType: NormalizedChangeType,
  callId: string | null,
  notification: CommsNotification,
  operation: CommsOperation & { completionReason?: unknown },
  odataType: string,
  operationType: OperationType,
): OperationEvent {
  const { resourceUrl } = notification;
  return {
    kind: "operation",
    changeType,
    callId,
    operationType,
    odataType,
    operationId: operation.id ?? operationIdOf(resourceUrl, notification.resource),
    clientContext: operation.clientContext ?? null,
    status: operationStatus(operation.status),
    resultInfo: numericResultInfo(operation.resultInfo),
    completionReason: typeof operation.completionReason === "string" ? operation.completionReason : null,
    operation,
    resourceUrl,
  } as OperationEvent;
}

function callEvent(
  changeType: NormalizedChangeType,
  callId: string | null,
  resourceUrl: string,
  call: Call,
): CallEvent | ToneEvent {
  if (isObject(call.toneInfo)) {
    const toneInfo = call.toneInfo as ToneInfo;
    const sequenceId = typeof toneInfo.sequenceId === "number" ? toneInfo.sequenceId : null;
    return { kind: "tone", changeType, callId, tone: toneInfo.tone ?? null, sequenceId, toneInfo, call, resourceUrl };
  }
  const state = call.state ?? null;
  const resultInfo = numericResultInfo(call.resultInfo);
  const terminationReason = state === "terminated" ? (resultInfo?.message ?? null) : null;
  const direction = call.direction ?? null;
  return { kind: "call", changeType, callId, state, direction, resultInfo, terminationReason, call, resourceUrl };
}

const rosterEvent = (
  changeType: NormalizedChangeType,
  callId: string | null,
  resourceUrl: string,
  participants: Participant[],
  sequenceNumber: number | null,
): RosterEvent => ({
  kind: "roster",
  changeType,
  callId,
  participants,
  participantsLeft: changeType === "deleted",
  sequenceNumber,
  resourceUrl,
});

/** The event of one notification the schema accepted. */
export function classify(notification: CommsNotification): CallbackEvent {
  const { resourceData, resourceUrl, resource } = notification;
  const changeType = lowerFirst<NormalizedChangeType>(notification.changeType);
  const callId = callIdOf(resourceUrl, resource);
  if (isObject(resourceData)) {
    const type = resourceData["@odata.type"] as string; // the schema requires it, a string
    // The invite's first: the most frequent, one comparison.
    if (type === INVITE_OPERATION) {
      return operationEvent(changeType, callId, notification, resourceData, type, "inviteParticipants");
    }
    if (type === CALL) return callEvent(changeType, callId, resourceUrl, resourceData as Call);
    if (isOperationType(type)) {
      return operationEvent(changeType, callId, notification, resourceData, type, operationTypeOf(type));
    }
    if (type === DELTA_PARTICIPANTS) {
      const delta = resourceData as DeltaParticipants;
      return rosterEvent(changeType, callId, resourceUrl, delta.participants ?? [], delta.sequenceNumber ?? null);
    }
  }
  // An array of participants (possibly empty) is a roster update, whatever resourceUrl says.
  if (Array.isArray(resourceData) && resourceData.every((p) => p["@odata.type"] === PARTICIPANT)) {
    return rosterEvent(changeType, callId, resourceUrl, resourceData as Participant[], null);
  }
  const odataType = isObject(resourceData) ? (resourceData["@odata.type"] as string) : null;
  const operationId = operationIdOf(resourceUrl, resource);
  return { kind: "other", changeType, callId, operationId, odataType, notification, resourceUrl };
}
