// The trackers' signals: a settle span from track() to the invite's outcome (linked to the invite
// span of the result passed), the pending and early gauges, unmatched callbacks, and the Redis
// tracker's record failures.
import { SpanKind, SpanStatusCode, type Attributes, type ObservableCallback } from "@opentelemetry/api";
import { InviteOperationFailedError, InviteOperationTimeoutError, OperationTrackerError } from "../errors.js";
import { isThenable } from "../internal/thenable.js";
import type { OperationEvent } from "../notifications/parse.js";
import type { TrackTarget } from "../tracking/pending-tracks.js";
import type { TrackerLike } from "./hooks.js";
import { ATTR, LOG, SEMCONV, SPAN } from "./names.js";
import { errorType, secondsSince, type Signals } from "./signals.js";

/** The outcome of a track() that rejected, and what the span says about it. */
function rejection(error: unknown): { outcome: string; extra: Attributes } {
  if (error instanceof InviteOperationFailedError) {
    return {
      outcome: "failed",
      extra: {
        [ATTR.resultCode]: error.resultInfo?.code ?? undefined,
        [ATTR.resultSubcode]: error.resultInfo?.subcode ?? undefined,
      },
    };
  }
  if (error instanceof InviteOperationTimeoutError) return { outcome: "timeout", extra: {} };
  if (error instanceof OperationTrackerError) return { outcome: error.reason, extra: {} };
  return { outcome: "error", extra: {} };
}

export function trackers(signals: Signals) {
  function settle(kind: string, target: TrackTarget, promise: Promise<unknown>): Promise<unknown> {
    const start = performance.now();
    const operationId = target?.operationId ?? target?.operation?.id ?? undefined;
    // A key never set (a primitive, no id) finds nothing: WeakMap and Map get() return undefined.
    const invite = signals.inviteSpans.get(target) ?? signals.inviteSpansById.get(operationId as string);
    const attributes: Attributes = { [ATTR.trackerKind]: kind, [ATTR.operationId]: operationId };
    if (signals.recordClientContext && typeof target?.clientContext === "string")
      attributes[ATTR.clientContext] = target.clientContext;
    const span = signals.tracer.startSpan(SPAN.settle, {
      kind: SpanKind.INTERNAL,
      attributes,
      links: invite ? [{ context: invite }] : [],
    });
    const end = (outcome: string, extra: Attributes, error?: unknown) => {
      const fields: Attributes = { ...attributes, [ATTR.outcome]: outcome, ...extra };
      if (error !== undefined) {
        fields[SEMCONV.errorType] = errorType(error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
      }
      span.setAttributes(fields);
      span.end();
      const dimensions = { [ATTR.trackerKind]: kind, [ATTR.outcome]: outcome };
      signals.settleDuration.record(secondsSince(start), dimensions);
      if (error === undefined) signals.log("info", LOG.settled, fields, "invite settled: completed", span);
      else signals.log("warn", LOG.settleFailed, fields, `invite settled: ${outcome}`, span);
    };
    // The caller gets the chained promise: an unhandled rejection stays as unhandled as without telemetry.
    return promise.then(
      (operation) => {
        end("completed", {});
        return operation;
      },
      (error: unknown) => {
        const { outcome, extra } = rejection(error);
        end(outcome, extra, error);
        throw error;
      },
    );
  }

  // The trackers open now, by kind: one gauge callback sums them (two trackers of a kind would
  // otherwise overwrite each other's point), and a kind seen once is reported, as 0 after close().
  const open = new Map<string, Set<TrackerLike>>();
  const observeAll =
    (read: (size: TrackerLike["size"]) => number, kinds?: string): ObservableCallback =>
    (result) => {
      for (const [kind, trackers] of open) {
        if (kinds !== undefined && kind !== kinds) continue;
        let total = 0;
        for (const t of trackers) total += read(t.size);
        result.observe(total, { [ATTR.trackerKind]: kind });
      }
    };

  function instrumentTracker<T extends TrackerLike>(kind: "memory" | "redis", tracker: T): T {
    // Stryker disable next-line ConditionalExpression: a callback per tracker reports the same sums; the SDK keeps one point per attribute set
    if (open.size === 0) {
      signals.pending.addCallback(observeAll((size) => size.pending));
      signals.early.addCallback(observeAll((size) => size.buffered, "memory")); // Redis keeps early callbacks in Redis
    }
    const ofKind = open.get(kind) ?? new Set<TrackerLike>();
    open.set(kind, ofKind.add(tracker));
    const recordFailed = (error: unknown) => {
      const fields = { [ATTR.trackerKind]: kind, [SEMCONV.errorType]: errorType(error) };
      signals.recordFailures.add(1, fields);
      signals.log("error", LOG.recordFailed, fields, "the Redis tracker could not record a callback");
      throw error;
    };
    const instrumented: TrackerLike = {
      track: (target) => settle(kind, target, tracker.track(target)),
      observe(events) {
        const recorded = tracker.observe(events);
        // The Redis tracker's promise (the in-memory tracker's observe() returns nothing).
        return isThenable(recorded) ? Promise.resolve(recorded).catch(recordFailed) : recorded;
      },
      get size() {
        return tracker.size;
      },
      close() {
        ofKind.delete(tracker);
        return tracker.close();
      },
    };
    return instrumented as T;
  }

  function unmatched(reason: string, event: OperationEvent) {
    const fields: Attributes = { [ATTR.unmatchedReason]: reason, [ATTR.operationId]: event.operationId ?? undefined };
    signals.unmatched.add(1, { [ATTR.unmatchedReason]: reason });
    signals.log("warn", LOG.unmatched, fields, `a final operation callback settled nothing (${reason})`);
  }

  return { instrumentTracker, unmatched };
}
