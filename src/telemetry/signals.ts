// The instruments one Telemetry records with: its tracer, its metric instruments, its logger, and
// what it may say about a value the caller chose (clientContext). Built once, by createTelemetry().
import {
  createNoopMeter,
  isSpanContextValid,
  ValueType,
  type Attributes,
  type Meter,
  type Span,
  type SpanContext,
  type Tracer,
} from "@opentelemetry/api";
import { DURATION_BUCKETS, METRIC } from "./names.js";
import type { LogLevel, TelemetryLogger } from "./logger.js";

export type Signals = ReturnType<typeof createSignals>;

/** A low-cardinality name for an error (its class name), never its message: messages may quote input. */
export function errorType(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === "string" && /^[A-Za-z][\w.]{0,63}$/.test(name) ? name : "_OTHER";
}

/** Seconds since `start` (a performance.now() reading). */
export const secondsSince = (start: number) => (performance.now() - start) / 1000;

export function createSignals(
  tracer: Tracer,
  meter: Meter,
  logger: TelemetryLogger | null,
  recordClientContext: boolean,
) {
  const counter = (m: { name: string; unit: string; description: string }) =>
    meter.createCounter(m.name, { unit: m.unit, description: m.description, valueType: ValueType.INT });
  const histogram = (m: { name: string; unit: string; description: string }, buckets: readonly number[]) =>
    meter.createHistogram(m.name, {
      unit: m.unit,
      description: m.description,
      advice: { explicitBucketBoundaries: [...buckets] },
    });
  const gauge = (m: { name: string; unit: string; description: string }) =>
    meter.createObservableUpDownCounter(m.name, { unit: m.unit, description: m.description, valueType: ValueType.INT });

  return {
    tracer,
    recordClientContext,
    /** Whether a metric is recorded anywhere: not with the API's no-op meter (no SDK), so the hot path can skip them. */
    // Stryker disable next-line ConditionalExpression: true only spends work: the no-op meter's instruments drop every point
    metered: meter !== createNoopMeter(),
    // Stryker disable next-line ConditionalExpression: true only spends work: log() itself drops every record without a logger
    logging: logger !== null,
    /** The invite span of each InviteResult, so that track(result) links its settle span to it. */
    inviteSpans: new WeakMap<object, SpanContext>(),
    /** The same by operation id, for a track() given a target built by hand; the newest 1,000. */
    inviteSpansById: new Map<string, SpanContext>(),
    invites: counter(METRIC.invites),
    inviteDuration: histogram(METRIC.inviteDuration, DURATION_BUCKETS.invite),
    retries: counter(METRIC.retries),
    callbackDuration: histogram(METRIC.callbackDuration, DURATION_BUCKETS.callback),
    callbackEvents: counter(METRIC.callbackEvents),
    settleDuration: histogram(METRIC.settleDuration, DURATION_BUCKETS.settle),
    pending: gauge(METRIC.pending),
    early: gauge(METRIC.early),
    unmatched: counter(METRIC.unmatched),
    keyFetches: counter(METRIC.keyFetches),
    recordFailures: counter(METRIC.recordFailures),

    /**
     * One structured record to the logger, if any: `event`, the same attributes as the span, and the
     * span's trace and span ids (pino's names) so a record leads to its trace. A throwing logger is ignored.
     */
    log(level: LogLevel, event: string, fields: Attributes, message: string, span?: Span) {
      // Stryker disable next-line ConditionalExpression: without it, logger[level] throws a TypeError on null, which the catch below drops
      if (!logger) return;
      const ids = span?.spanContext();
      const record: Record<string, unknown> = { event, ...fields };
      if (ids && isSpanContextValid(ids)) Object.assign(record, { trace_id: ids.traceId, span_id: ids.spanId });
      try {
        logger[level](record, message);
      } catch {
        // Telemetry never changes what the package does.
      }
    },
  };
}
