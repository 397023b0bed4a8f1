// createOperationTracker: a promise per invite that settles when Graph's final operation callback
// arrives. Correlates by operation id; by clientContext only when the callback or the track() has
// no id (the docs' Example 2 callback has `id: null`), so a retried invite's first operation cannot
// settle the second. Operation ids are compared as GUIDs (case- and dash-insensitive). Callbacks that
// arrive before track() wait in a bounded buffer. A call that terminates rejects its pending invites.
import type { InviteParticipantsOperation } from "../schema-types.js";
import type { CallbackEvent, InviteOperationEvent } from "../notifications/classify.js";
import { graphIdKey } from "../notifications/graph-id.js";
import { instrumentTracker, reportUnmatched, type Telemetry } from "../telemetry/hooks.js";
import { createPendingTracks, isFinal, isInviteOperationEvent, type TrackTarget } from "./pending-tracks.js";

export type { TrackTarget } from "./pending-tracks.js";

/** Why an operation callback was surfaced through `onUnmatched` instead of settling a track(). */
export type UnmatchedReason = "expired" | "overflow" | "late" | "closed";

/** The options of createOperationTracker; all optional. Times are in milliseconds. */
export interface OperationTrackerOptions {
  /** How long track() waits for the final callback. Default 90 s (Graph can take ~60 s to report an unanswered invite). */
  timeoutMs?: number;
  /** How long an early callback waits for its track(). Default: timeoutMs. */
  bufferMs?: number;
  /** How many early callbacks wait at most; the oldest leaves first. Default 1,000. */
  maxBuffered?: number;
  /** Called with each final operation callback that settled nothing, and why. */
  onUnmatched?: (event: InviteOperationEvent, reason: UnmatchedReason) => void;
  /** How many track() calls may wait at once; past it track() rejects with OperationTrackerError `full`. Default: no limit. */
  maxPending?: number;
  /** `createTelemetry()`: a `settle` span per track(), the pending/early gauges, unmatched callbacks. Default: none. */
  telemetry?: Telemetry;
}

/**
 * Invites waiting for their outcome, in this process's memory: what `createOperationTracker()`
 * returns. Feed it every callback event with `observe()`; `track()` each invite you sent. For bot
 * replicas that share the callbacks, use `createRedisOperationTracker` from `graph-invite-contract/redis`.
 */
export interface OperationTracker {
  /**
   * Resolves with the final operation on `completed`; rejects with InviteOperationFailedError,
   * CallTerminatedError (the call the invite was sent on ended first: `target.callId`, else the call
   * id in `target.location`) or InviteOperationTimeoutError, or at once with OperationTrackerError
   * (`duplicate`, `full`, `closed`).
   */
  track(target: TrackTarget): Promise<InviteParticipantsOperation>;
  /**
   * Feeds callback events (what parseCommsNotifications returns). What matters: final invite
   * operation events (`operationType: "inviteParticipants"`; other operations never settle an
   * invite), and call events with state `terminated`, which reject the call's pending invites.
   */
  observe(events: readonly CallbackEvent[]): void;
  /** How many track() calls are waiting, and how many early callbacks are buffered. */
  readonly size: { pending: number; buffered: number };
  /**
   * Ends the tracker for good: clears every timer; pending track() calls reject with a timeout error,
   * buffered callbacks go to onUnmatched. Later track() calls reject (`closed`); later final
   * callbacks go to onUnmatched as `closed`.
   */
  close(): void;
}

// Runtime-neutral: Node's Timeout and the web's number alike.
type Timer = ReturnType<typeof setTimeout>;
/** Lets the process exit while only this timer is pending, where the runtime can (Node, Bun, Deno). */
const unref = (timer: Timer) => (timer as { unref?: () => void }).unref?.();

interface Buffered {
  event: InviteOperationEvent;
  timer: Timer;
}

/**
 * A tracker that turns an invite's final operation callback into a promise: `track(result)` settles
 * when `observe()` is given the invite's `completed` or `failed` operation (or its call's
 * termination), or times out after `timeoutMs` (default 90 s). Correlates by operation id, compared
 * as a GUID, and by `clientContext` only when the callback or the track() has no id. A final
 * callback that arrives before its track() waits up to `bufferMs`. In memory, one process: for
 * replicas, use `createRedisOperationTracker` (`graph-invite-contract/redis`).
 * @example
 * ```ts
 * const tracker = createOperationTracker({ onUnmatched: (event, why) => console.warn("unmatched", why) });
 * const handler = createCallbackHandler().on("*", (event) => tracker.observe([event]));
 * const result = await client.invite(callId, invitePhone("+12345678901"));
 * try {
 *   const operation = await tracker.track(result); // the final operation, `completed`
 *   console.log("joined", operation.id);
 * } catch (error) {
 *   if (error instanceof InviteOperationFailedError) console.log("declined", error.resultInfo?.code);
 *   else throw error; // CallTerminatedError, InviteOperationTimeoutError, OperationTrackerError
 * }
 * ```
 */
export function createOperationTracker(options: OperationTrackerOptions = {}): OperationTracker {
  const timeoutMs = options.timeoutMs ?? 90_000;
  const bufferMs = options.bufferMs ?? timeoutMs;
  const maxBuffered = options.maxBuffered ?? 1_000;
  const onUnmatched = reportUnmatched(options.telemetry, options.onUnmatched ?? (() => {}));
  const pending = createPendingTracks(timeoutMs, options.maxPending ?? Number.POSITIVE_INFINITY);
  // Insertion-ordered, so the first entry is the oldest. Keyed by operation id when the callback
  // has one, else by clientContext; bufferedByContext finds either by clientContext.
  const buffer = new Map<string, Buffered>();
  const bufferedByContext = new Map<string, string>();
  // Keys of operations that timed out, so a late callback is reported as such (bounded like the buffer).
  const timedOut = new Set<string>();

  const opKey = (id: string) => `op:${graphIdKey(id)}`;
  const ctxKey = (ctx: string) => `ctx:${ctx}`;
  const eventKey = (e: InviteOperationEvent) =>
    e.operationId !== null ? opKey(e.operationId) : e.clientContext !== null ? ctxKey(e.clientContext) : null;

  function unbuffer(key: string, reason: UnmatchedReason | null): InviteOperationEvent | null {
    const entry = buffer.get(key);
    if (!entry) return null;
    clearTimeout(entry.timer);
    buffer.delete(key);
    const ctx = entry.event.clientContext;
    if (ctx !== null && bufferedByContext.get(ctx) === key) bufferedByContext.delete(ctx);
    if (reason) onUnmatched(entry.event, reason);
    return entry.event;
  }

  function remember(set: Set<string>, key: string) {
    set.add(key);
    if (set.size > maxBuffered) set.delete(set.values().next().value as string);
  }

  function bufferEvent(key: string, event: InviteOperationEvent) {
    unbuffer(key, "overflow"); // a newer final callback for the same key replaces the older one
    if (buffer.size >= maxBuffered) unbuffer(buffer.keys().next().value as string, "overflow");
    const timer = setTimeout(() => unbuffer(key, "expired"), bufferMs);
    unref(timer);
    buffer.set(key, { event, timer });
    if (event.clientContext !== null) bufferedByContext.set(event.clientContext, key);
  }

  function observeOne(event: InviteOperationEvent) {
    if (!isFinal(event.status)) return;
    if (pending.closed) return onUnmatched(event, "closed");
    const waiting = pending.find(event.operationId, event.clientContext);
    if (waiting) return pending.settle(waiting, event.operation);
    const key = eventKey(event);
    if (key === null) return onUnmatched(event, "expired"); // nothing to correlate it by, ever
    const lateKeys = [key, ...(event.clientContext !== null ? [ctxKey(event.clientContext)] : [])];
    if (lateKeys.some((k) => timedOut.has(k))) return onUnmatched(event, "late");
    bufferEvent(key, event);
  }

  return instrumentTracker(options.telemetry, "memory", {
    track(target) {
      const { promise, pending: added } = pending.add(target, (timedOutTrack) => {
        // Remembered, so a callback that comes after the timeout is reported as late.
        remember(timedOut, ctxKey(target.clientContext));
        if (timedOutTrack.operationId !== null) remember(timedOut, opKey(timedOutTrack.operationId));
      });
      if (!added) return promise;
      // The HTTP response already final: no callback follows for it.
      if (target.operation && isFinal(target.operation.status)) {
        pending.settle(added, target.operation);
        return promise;
      }
      // A final callback that arrived first: by id, or by clientContext where one side has no id.
      const { operationId } = added;
      const byContext = bufferedByContext.get(target.clientContext) ?? ctxKey(target.clientContext);
      const claimable = operationId === null || buffer.get(byContext)?.event.operationId === null;
      const early =
        (operationId !== null ? unbuffer(opKey(operationId), null) : null) ??
        (claimable ? unbuffer(byContext, null) : null);
      if (early) pending.settle(added, early.operation);
      return promise;
    },

    observe(events) {
      for (const event of events) {
        if (isInviteOperationEvent(event)) observeOne(event);
        else if (event.kind === "call" && event.state === "terminated" && event.callId !== null && !pending.closed) {
          pending.terminateCall(event.callId, event.resultInfo);
        }
      }
    },

    get size() {
      return { pending: pending.size, buffered: buffer.size };
    },

    close() {
      pending.close();
      for (const key of [...buffer.keys()]) unbuffer(key, "closed");
      timedOut.clear();
    },
  });
}
