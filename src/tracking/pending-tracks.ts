// The track() calls waiting for their final callback, shared by the in-memory and the Redis
// trackers: admitted within bounds (closed, duplicate, maxPending), indexed by operation id and
// clientContext, correlated id-first, settled once, timed out.
import { InviteOperationFailedError, InviteOperationTimeoutError, OperationTrackerError } from "../errors.js";
import type { InviteParticipantsOperation } from "../schema-types.js";
import { operationStatus } from "../notifications/operation-status.js";

/** What track() needs: the clientContext the invite was sent with, the operation id if known. */
export interface TrackTarget {
  clientContext: string;
  operationId?: string | null;
  /** The operation from the invite's HTTP response: a final status settles at once. */
  operation?: InviteParticipantsOperation;
}

/** One waiting track(). */
export interface PendingTrack {
  target: TrackTarget;
  operationId: string | null;
  resolve: (operation: InviteParticipantsOperation) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

// A null or absent status is not final (Learn's commsOperation: notifications follow it).
export const isFinal = (status: string | null | undefined) => {
  const normalized = operationStatus(status);
  return normalized === "completed" || normalized === "failed";
};

export function createPendingTracks(timeoutMs: number, maxPending: number) {
  const byOperationId = new Map<string, PendingTrack>();
  const byClientContext = new Map<string, PendingTrack>();
  let closed = false;

  function forget(p: PendingTrack) {
    clearTimeout(p.timer);
    byClientContext.delete(p.target.clientContext);
    if (p.operationId !== null) byOperationId.delete(p.operationId);
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
        if (closed) return reject(new OperationTrackerError("closed", "The operation tracker is closed"));
        if (byClientContext.has(target.clientContext) || (operationId !== null && byOperationId.has(operationId))) {
          const message = `Already tracking an invite operation with clientContext ${target.clientContext}`;
          return reject(new OperationTrackerError("duplicate", message));
        }
        if (byClientContext.size >= maxPending) {
          return reject(
            new OperationTrackerError("full", `Already tracking ${maxPending} invite operations (maxPending)`),
          );
        }
        const timer = setTimeout(() => {
          forget(entry);
          onTimeout(entry);
          reject(new InviteOperationTimeoutError(target.clientContext, operationId, timeoutMs));
        }, timeoutMs);
        const entry: PendingTrack = { target, operationId, resolve, reject, timer };
        byClientContext.set(target.clientContext, entry);
        if (operationId !== null) byOperationId.set(operationId, entry);
        pending = entry;
      });
      return { promise, pending: pending as PendingTrack | null };
    },

    /** The waiting track() a final callback settles: by operation id; by clientContext only where one side has no id. */
    find(operationId: string | null, clientContext: string | null): PendingTrack | undefined {
      const byId = operationId !== null ? byOperationId.get(operationId) : undefined;
      if (byId || clientContext === null) return byId;
      const byContext = byClientContext.get(clientContext);
      return byContext && (operationId === null || byContext.operationId === null) ? byContext : undefined;
    },

    /** Whether `p` still waits (not settled, timed out, or replaced). */
    waiting: (p: PendingTrack) => byClientContext.get(p.target.clientContext) === p,

    all: () => [...byClientContext.values()],

    /** Settles once: resolves on completed, rejects with InviteOperationFailedError on failed. */
    settle(p: PendingTrack, operation: InviteParticipantsOperation) {
      forget(p);
      if (operationStatus(operation.status) === "completed") p.resolve(operation);
      else p.reject(new InviteOperationFailedError(operation));
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
