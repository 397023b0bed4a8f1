// createTelemetry: the one object that makes the package's components emit OpenTelemetry spans and
// metrics (through @opentelemetry/api: a no-op until the application registers an SDK) and
// structured log records. Pass it as each component's `telemetry` option.
import { metrics, trace, type MeterProvider, type TracerProvider } from "@opentelemetry/api";
import type { Telemetry, TelemetryHooks } from "./hooks.js";
import { intakes } from "./intake.js";
import { traceInvites } from "./invite.js";
import { loggerOption, type TelemetryLogger } from "./logger.js";
import { LOG, SCOPE, SEMCONV, ATTR } from "./names.js";
import { createSignals, errorType } from "./signals.js";
import { trackers } from "./tracker.js";

/** createTelemetry's options: where spans, metrics and log records go, and whether clientContext may. */
export interface TelemetryOptions {
  /** Where spans go. Default: the global one (`trace.getTracerProvider()`), a no-op until an SDK registers. */
  tracerProvider?: TracerProvider;
  /**
   * Where metrics go. Default: the global one at the time of this call (`metrics.getMeterProvider()`):
   * start your SDK before calling createTelemetry(), OpenTelemetry's metrics API has no proxy for a provider set later.
   */
  meterProvider?: MeterProvider;
  /** Receives the same events as structured records, `logger.info(fields, message)` (pino, console). Default: none. */
  logger?: TelemetryLogger;
  /**
   * Put clientContext values on spans and log records. Default false: clientContext is chosen by
   * the caller and may hold personal data; turn it on only when yours are opaque ids (the client's
   * generated ones are random UUIDs). Call ids and operation ids (Graph's) are always recorded.
   */
  recordClientContext?: boolean;
}

function provider<T>(value: T | undefined, method: string, name: string, fallback: () => T): T {
  if (value === undefined) return fallback();
  if (typeof (value as Record<string, unknown> | null)?.[method] !== "function")
    throw new TypeError(
      `createTelemetry: \`${name}\` must be an OpenTelemetry ${name} (with ${method}()), or left out`,
    );
  return value;
}

/**
 * The package's telemetry: spans (`invite`, `callback`, `settle`), metrics (`graph_invite.*`) and log
 * records, for every component it is passed to. Nothing secret or personal is recorded: no token,
 * body, phone number, display name or email; clientContext only with `recordClientContext`.
 * See docs/observability.md for every signal.
 *
 * @example
 * ```ts
 * const telemetry = createTelemetry({ logger: pino() });
 * const client = createInviteClient({ getToken, telemetry });
 * const tracker = createOperationTracker({ telemetry });
 * const endpoint = createFetchHandler(handler, { appId, record: (e) => tracker.observe(e), telemetry });
 * ```
 */
export function createTelemetry(options: TelemetryOptions = {}): Telemetry {
  if (typeof options !== "object" || options === null)
    throw new TypeError("createTelemetry: options must be an object");
  const tracerProvider = provider(options.tracerProvider, "getTracer", "tracerProvider", () =>
    trace.getTracerProvider(),
  );
  const meterProvider = provider(options.meterProvider, "getMeter", "meterProvider", () => metrics.getMeterProvider());
  const logger = loggerOption(options.logger);
  const { recordClientContext = false } = options;
  if (typeof recordClientContext !== "boolean")
    throw new TypeError("createTelemetry: `recordClientContext` must be true or false, or left out");

  const signals = createSignals(
    tracerProvider.getTracer(SCOPE),
    meterProvider.getMeter(SCOPE),
    logger,
    recordClientContext,
  );
  const hooks: TelemetryHooks = {
    traceInvites: traceInvites(signals),
    intakeStarted: intakes(signals),
    ...trackers(signals),
    keysFetched(error) {
      const outcome = error === null ? "success" : "failure";
      const fields = { [ATTR.outcome]: outcome, [SEMCONV.errorType]: error === null ? undefined : errorType(error) };
      signals.keyFetches.add(1, fields);
      if (error === null) signals.log("info", LOG.keysFetched, fields, "callback signing keys fetched");
      else
        signals.log(
          "warn",
          LOG.keysFetchFailed,
          fields,
          `callback signing keys could not be fetched (${fields[SEMCONV.errorType]})`,
        );
    },
  };
  return hooks as unknown as Telemetry;
}
