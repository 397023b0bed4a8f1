// The track() calls waiting for their final callback, shared by the in-memory and the Redis
// trackers: admitted within bounds (closed, duplicate, maxPending), indexed by operation id (as a
// GUID: case- and dash-insensitive) and clientContext, correlated id-first, settled once, timed
// out, and rejected at once when their call terminates.
import {
  CallTerminatedError,
  InviteOperationFailedError,
  InviteOperationTimeoutError,
  OperationTrackerError,
} from "../errors.js";
import type { InviteParticipantsOperation, NumericResultInfo } from "../schema-types.js";
import type { CallbackEvent, CallEvent, InviteOperationEvent } from "../notifications/classify.js";
import { graphIdKey } from "../notifications/graph-id.js";
import { operationStatus } from "../notifications/operation-status.js";
import { callIdOf } from "../notifications/resource-ids.js";
import { numericResultInfo } from "../notifications/result-info.js";

/** What track() needs: the clientContext the invite was sent with, the operation id if known. */
export interface TrackTarget {
  /** The clientContext the invite was sent with: correlates when the callback or this target has no operation id. */
  clientContext: string;
  /** The operation id, when known (the invite's response carries it); compared as a GUID, case- and dash-insensitive. */
  operationId?: string | null;
  /** The operation from the invite's HTTP response: a final status settles at once. */
  operation?: InviteParticipantsOperation;
  /**
   * The call the invite was sent on: when a call notification says it `terminated`, the track()
   * rejects at once with CallTerminatedError. Default: the call id in `location`.
   */
  callId?: string | null;
  /** The operation's URI (the invite's `Location` header, as InviteResult carries it). */
  location?: string | null;
}

/** One waiting track(). */
export interface PendingTrack {
  target: TrackTarget;
  /** The operation id as sent (target.operationId, else operation.id). */
  operationId: string | null;
  /** The operation id as a GUID key (graphIdKey): what correlation compares. */
  operationKey: string | null;
  /** The call id (target.callId, else from location); null when unknown. */
  callId: string | null;
  resolve: (operation: InviteParticipantsOperation) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

// A null or absent status is not final (Learn's commsOperation: notifications follow it).
export const isFinal = (status: string | null | undefined) => {
  const normalized = operationStatus(status);
  return normalized === "completed" || normalized === "failed";
};

/** Whether an event is the invite's operation (the only operation a tracker settles with). */
export const isInviteOperationEvent = (event: CallbackEvent): event is InviteOperationEvent =>
  // Stryker disable next-line ConditionalExpression: only operation events have an operationType; the kind test narrows the type
  event.kind === "operation" && event.operationType === "inviteParticipants";

/** The final invite operation events of a batch, in order: what a tracker correlates. */
export const finalInviteEvents = (events: readonly CallbackEvent[]): InviteOperationEvent[] =>
  events.filter((e): e is InviteOperationEvent => isInviteOperationEvent(e) && isFinal(e.status));

/** The call events of a batch that say a call ended (state `terminated`, with a call id). */
export const terminatedCalls = (events: readonly CallbackEvent[]): Array<CallEvent & { callId: string }> =>
  events.filter(
    (e): e is CallEvent & { callId: string } => e.kind === "call" && e.state === "terminated" && e.callId !== null,
  );

// Stryker disable next-line ConditionalExpression: graphIdKey returns a non-string as it is (its regex test fails), so null stays null
const keyOf = (id: string | null | undefined) => (typeof id === "string" ? graphIdKey(id) : null);

/**
 * A last chance before a track() times out: `look(p)` runs `aheadMs` before the timeout (the Redis
 * tracker looks its outcome up once more), on the track's own timer.
 */
export interface BeforeTimeout {
  aheadMs: number;
  look(p: PendingTrack): void;
}

export function createPendingTracks(timeoutMs: number, maxPending: number, beforeTimeout?: BeforeTimeout) {
  // Never holds null (add() keys only a known id), so null, an unknown id, finds nothing in it.
  const byOperationId = new Map<string | null, PendingTrack>();
  const byClientContext = new Map<string, PendingTrack>();
  let closed = false;

  function forget(p: PendingTrack) {
    clearTimeout(p.timer);
    byClientContext.delete(p.target.clientContext);
    byOperationId.delete(p.operationKey);
  }

  return {
    get closed() {
      return closed;
    },
    get size() {
      return byClientContext.size;
    },

    /**
     * Registers a track(): its promise, and the pending entry (null when refused at once with
     * OperationTrackerError). After timeoutMs it rejects with InviteOperationTimeoutError, after
     * `onTimeout` has run.
     */
    add(target: TrackTarget, onTimeout: (p: PendingTrack) => void = () => {}) {
      let pending: PendingTrack | null = null;
      const promise = new Promise<InviteParticipantsOperation>((resolve, reject) => {
        const operationId = target.operationId ?? target.operation?.id ?? null;
        const operationKey = keyOf(operationId);
        if (closed) return reject(new OperationTrackerError("closed", "The operation tracker is closed"));
        if (byClientContext.has(target.clientContext) || byOperationId.has(operationKey)) {
          const message = `Already tracking an invite operation with clientContext ${target.clientContext}`;
          return reject(new OperationTrackerError("duplicate", message));
        }
        if (byClientContext.size >= maxPending) {
          return reject(
            new OperationTrackerError("full", `Already tracking ${maxPending} invite operations (maxPending)`),
          );
        }
        const expire = () => {
          forget(entry);
          onTimeout(entry);
          reject(new InviteOperationTimeoutError(target.clientContext, operationId, timeoutMs));
        };
        const ahead = beforeTimeout ? Math.min(beforeTimeout.aheadMs, timeoutMs) : 0;
        // One timer per track: first the last look (when asked for), then, re-armed, the timeout.
        const timer =
          ahead > 0
            ? setTimeout(() => {
                entry.timer = setTimeout(expire, ahead);
                beforeTimeout!.look(entry);
              }, timeoutMs - ahead)
            : setTimeout(expire, timeoutMs);
        const callId = target.callId ?? callIdOf(target.location);
        const entry: PendingTrack = { target, operationId, operationKey, callId, resolve, reject, timer };
        byClientContext.set(target.clientContext, entry);
        if (operationKey !== null) byOperationId.set(operationKey, entry);
        pending = entry;
      });
      return { promise, pending: pending as PendingTrack | null };
    },

    /**
     * The waiting track() a final callback settles: by operation id (compared as a GUID); by
     * clientContext only where one side has no id.
     */
    find(operationId: string | null, clientContext: string | null): PendingTrack | undefined {
      const key = keyOf(operationId);
      const byId = byOperationId.get(key);
      if (byId || clientContext === null) return byId;
      const byContext = byClientContext.get(clientContext);
      return byContext && (key === null || byContext.operationKey === null) ? byContext : undefined;
    },

    /** Whether `p` still waits (not settled, timed out, or replaced). */
    waiting: (p: PendingTrack) => byClientContext.get(p.target.clientContext) === p,

    all: () => [...byClientContext.values()],

    /**
     * Settles once: resolves on completed, rejects with InviteOperationFailedError on failed (its
     * resultInfo with numeric code and subcode, whichever way Graph wrote them).
     */
    settle(p: PendingTrack, operation: InviteParticipantsOperation) {
      forget(p);
      if (operationStatus(operation.status) === "completed") return p.resolve(operation);
      const resultInfo = numericResultInfo(operation.resultInfo);
      p.reject(
        // Stryker disable next-line ConditionalExpression: the copy is equal to the operation when resultInfo needed no change; only identity differs
        new InviteOperationFailedError(resultInfo === operation.resultInfo ? operation : { ...operation, resultInfo }),
      );
    },

    /**
     * A call ended: every waiting track() on it (call ids compared as GUIDs) rejects at once with
     * CallTerminatedError naming the call's resultInfo. Returns how many it settled.
     */
    terminateCall(callId: string, resultInfo: NumericResultInfo | null): number {
      const key = graphIdKey(callId);
      let settled = 0;
      for (const p of [...byClientContext.values()]) {
        if (keyOf(p.callId) !== key) continue; // an unknown call (null) matches no call
        forget(p);
        p.reject(new CallTerminatedError(p.callId!, p.target.clientContext, p.operationId, resultInfo));
        settled++;
      }
      return settled;
    },

    /** Ends for good: every waiting track() rejects with a timeout error; later ones are refused. */
    close() {
      closed = true;
      for (const p of [...byClientContext.values()]) {
        forget(p);
        p.reject(new InviteOperationTimeoutError(p.target.clientContext, p.operationId, 0));
      }
    },
  };
}
