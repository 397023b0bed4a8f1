// createOperationTracker: a promise per invite that settles when Graph's final operation callback
// arrives. Correlates by operation id; by clientContext only when the callback or the track() has
// no id (the docs' Example 2 callback has `id: null`), so a retried invite's first operation cannot
// settle the second. Callbacks that arrive before track() wait in a bounded buffer.
import { InviteOperationFailedError, InviteOperationTimeoutError, OperationTrackerError } from "../errors.js";
import type { InviteParticipantsOperation } from "../schema-types.js";
import { operationStatus, type CallbackEvent, type OperationEvent } from "./parse.js";

/** Why an operation callback was surfaced through `onUnmatched` instead of settling a track(). */
export type UnmatchedReason = "expired" | "overflow" | "late" | "closed";

export interface OperationTrackerOptions {
  /** How long track() waits for the final callback. Default 90 s (Graph can take ~60 s to report an unanswered invite). */
  timeoutMs?: number;
  /** How long an early callback waits for its track(). Default: timeoutMs. */
  bufferMs?: number;
  /** How many early callbacks wait at most; the oldest leaves first. Default 1,000. */
  maxBuffered?: number;
  /** Called with each final operation callback that settled nothing, and why. */
  onUnmatched?: (event: OperationEvent, reason: UnmatchedReason) => void;
  /** How many track() calls may wait at once; past it track() rejects with OperationTrackerError `full`. Default: no limit. */
  maxPending?: number;
}

/** What track() needs: the clientContext the invite was sent with, the operation id if known. */
export interface TrackTarget {
  clientContext: string;
  operationId?: string | null;
  /** The operation from the invite's HTTP response: a final status settles at once. */
  operation?: InviteParticipantsOperation;
}

export interface OperationTracker {
  /**
   * Resolves with the final operation on `completed`; rejects with InviteOperationFailedError or
   * InviteOperationTimeoutError, or at once with OperationTrackerError (`duplicate`, `full`, `closed`).
   */
  track(target: TrackTarget): Promise<InviteParticipantsOperation>;
  /** Feeds callback events (what parseCommsNotifications returns); only final operation events matter. */
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

interface Pending {
  target: TrackTarget;
  operationId: string | null;
  resolve: (op: InviteParticipantsOperation) => void;
  reject: (error: Error) => void;
  timer: Timer;
}

interface Buffered {
  event: OperationEvent;
  timer: Timer;
}

// A null or absent status is not final (Learn's commsOperation: notifications follow it).
const isFinal = (status: string | null | undefined) => {
  const normalized = operationStatus(status);
  return normalized === "completed" || normalized === "failed";
};

export function createOperationTracker(options: OperationTrackerOptions = {}): OperationTracker {
  const timeoutMs = options.timeoutMs ?? 90_000;
  const bufferMs = options.bufferMs ?? timeoutMs;
  const maxBuffered = options.maxBuffered ?? 1_000;
  const onUnmatched = options.onUnmatched ?? (() => {});
  const maxPending = options.maxPending ?? Number.POSITIVE_INFINITY;
  let closed = false;

  const byOperationId = new Map<string, Pending>();
  const byClientContext = new Map<string, Pending>();
  // Insertion-ordered, so the first entry is the oldest. Keyed by operation id when the callback
  // has one, else by clientContext; bufferedByContext finds either by clientContext.
  const buffer = new Map<string, Buffered>();
  const bufferedByContext = new Map<string, string>();
  // Keys of operations that timed out, so a late callback is reported as such (bounded like the buffer).
  const timedOut = new Set<string>();

  const opKey = (id: string) => `op:${id}`;
  const ctxKey = (ctx: string) => `ctx:${ctx}`;
  const eventKey = (e: OperationEvent) =>
    e.operationId !== null ? opKey(e.operationId) : e.clientContext !== null ? ctxKey(e.clientContext) : null;

  function forget(p: Pending) {
    clearTimeout(p.timer);
    byClientContext.delete(p.target.clientContext);
    if (p.operationId !== null) byOperationId.delete(p.operationId);
  }

  function settle(p: Pending, operation: InviteParticipantsOperation) {
    forget(p);
    if (operationStatus(operation.status) === "completed") p.resolve(operation);
    else p.reject(new InviteOperationFailedError(operation));
  }

  function unbuffer(key: string, reason: UnmatchedReason | null): OperationEvent | null {
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

  function bufferEvent(key: string, event: OperationEvent) {
    unbuffer(key, "overflow"); // a newer final callback for the same key replaces the older one
    if (buffer.size >= maxBuffered) unbuffer(buffer.keys().next().value as string, "overflow");
    const timer = setTimeout(() => unbuffer(key, "expired"), bufferMs);
    unref(timer);
    buffer.set(key, { event, timer });
    if (event.clientContext !== null) bufferedByContext.set(event.clientContext, key);
  }

  /** The pending track() a final callback settles: by operation id; by clientContext only where one side has no id. */
  function pendingFor(event: OperationEvent): Pending | undefined {
    const byId = event.operationId !== null ? byOperationId.get(event.operationId) : undefined;
    if (byId || event.clientContext === null) return byId;
    const byContext = byClientContext.get(event.clientContext);
    return byContext && (event.operationId === null || byContext.operationId === null) ? byContext : undefined;
  }

  function observeOne(event: OperationEvent) {
    if (!isFinal(event.status)) return;
    if (closed) return onUnmatched(event, "closed");
    const pending = pendingFor(event);
    if (pending) return settle(pending, event.operation);
    const key = eventKey(event);
    if (key === null) return onUnmatched(event, "expired"); // nothing to correlate it by, ever
    const lateKeys = [key, ...(event.clientContext !== null ? [ctxKey(event.clientContext)] : [])];
    if (lateKeys.some((k) => timedOut.has(k))) return onUnmatched(event, "late");
    bufferEvent(key, event);
  }

  return {
    track(target) {
      return new Promise<InviteParticipantsOperation>((resolve, reject) => {
        const operationId = target.operationId ?? target.operation?.id ?? null;
        if (closed) return reject(new OperationTrackerError("closed", "The operation tracker is closed"));
        if (byClientContext.has(target.clientContext) || (operationId !== null && byOperationId.has(operationId))) {
          return reject(
            new OperationTrackerError(
              "duplicate",
              `Already tracking an invite operation with clientContext ${target.clientContext}`,
            ),
          );
        }
        if (byClientContext.size >= maxPending) {
          return reject(
            new OperationTrackerError("full", `Already tracking ${maxPending} invite operations (maxPending)`),
          );
        }
        const timer = setTimeout(() => {
          forget(pending);
          remember(timedOut, ctxKey(target.clientContext));
          if (operationId !== null) remember(timedOut, opKey(operationId));
          reject(new InviteOperationTimeoutError(target.clientContext, operationId, timeoutMs));
        }, timeoutMs);
        const pending: Pending = { target, operationId, resolve, reject, timer };
        byClientContext.set(target.clientContext, pending);
        if (operationId !== null) byOperationId.set(operationId, pending);

        // The HTTP response already final: no callback follows for it.
        if (target.operation && isFinal(target.operation.status)) return settle(pending, target.operation);
        // A final callback that arrived first: by id, or by clientContext where one side has no id.
        const byContext = bufferedByContext.get(target.clientContext) ?? ctxKey(target.clientContext);
        const claimable = operationId === null || buffer.get(byContext)?.event.operationId === null;
        const early =
          (operationId !== null ? unbuffer(opKey(operationId), null) : null) ??
          (claimable ? unbuffer(byContext, null) : null);
        if (early) settle(pending, early.operation);
      });
    },

    observe(events) {
      for (const event of events) if (event.kind === "operation") observeOne(event);
    },

    get size() {
      return { pending: byClientContext.size, buffered: buffer.size };
    },

    close() {
      closed = true;
      for (const pending of [...byClientContext.values()]) {
        forget(pending);
        pending.reject(new InviteOperationTimeoutError(pending.target.clientContext, pending.operationId, 0));
      }
      for (const key of [...buffer.keys()]) unbuffer(key, "closed");
      timedOut.clear();
    },
  };
}
