// What the package's components call at their decision points, and the one function each uses to
// take the `telemetry` option. This file imports nothing from @opentelemetry/api: a program that
// never calls createTelemetry() (an invite-only bundle) carries none of it, only these few lines.
import type { CallbackEvent, OperationEvent } from "../notifications/parse.js";
import type { TrackTarget } from "../tracking/pending-tracks.js";

declare const telemetryBrand: unique symbol;

/**
 * What `createTelemetry()` returns: pass it as the `telemetry` option of `createInviteClient`, the
 * callback endpoints (`createFetchHandler`, `createNodeMiddleware`),
 * `remoteCallbackKeys`, `createOperationTracker` and `createRedisOperationTracker`. Without it, a
 * component emits nothing.
 */
export interface Telemetry {
  /** Only createTelemetry() makes one. */
  readonly [telemetryBrand]: true;
}

/** One invite() in flight: each answer Graph sent, each wait before a retry. */
export interface InviteSpan {
  answered(attempt: number, response: Response): void;
  retrying(delayMs: number): void;
}

/** One callback request through an endpoint, from arrival to its answer. */
export interface Intake {
  /** The token was refused: `error` is what the verification threw (null: it returned a falsy value). */
  refused(error: unknown): void;
  /** The body parsed into `events`, or (null) it was refused with `issueCount` issues. */
  parsed(events: readonly CallbackEvent[] | null, issueCount?: number): void;
  /** `record` threw or rejected: nothing was acknowledged. */
  recordFailed(error: unknown): void;
  /** Why the answer comes, where its status does not say: `replayed`, `in_flight`, `timed_out`, `read_timeout`. */
  because(reason: string): void;
  /** The status answered; ends the span. Later calls do nothing. */
  answered(status: number): void;
}

/** The trackers' shape, as instrumentTracker wraps it. */
export interface TrackerLike {
  track(target: TrackTarget): Promise<unknown>;
  observe(events: readonly CallbackEvent[]): unknown;
  readonly size: { pending: number; buffered: number };
  close(): unknown;
}

type Send<I, O, R> = (callId: string, input: I, options?: O, span?: InviteSpan) => Promise<R>;

/** @internal What a Telemetry is underneath (src/telemetry/create.ts). */
export interface TelemetryHooks {
  traceInvites<I, O, R>(
    send: Send<I, O, R>,
    baseUrl: string | undefined,
    path: string,
  ): (callId: string, input: I, options?: O) => Promise<R>;
  intakeStarted(method: string | undefined, path: string, verifies: boolean): Intake;
  instrumentTracker<T extends TrackerLike>(kind: "memory" | "redis", tracker: T): T;
  unmatched(reason: string, event: OperationEvent): void;
  keysFetched(error: unknown): void;
}

/** The `telemetry` option, checked: undefined (off) or what createTelemetry() returned; a TypeError for anything else. */
export function telemetryOption(value: unknown): TelemetryHooks | undefined {
  // Few bytes on purpose: this runs in the invite-only bundle, which has a size budget.
  if (value !== undefined && typeof (value as Partial<TelemetryHooks> | null)?.intakeStarted !== "function")
    throw new TypeError("telemetry must come from createTelemetry()");
  return value as TelemetryHooks | undefined;
}

/** invite() as the client sends it, traced when the client's options ask for it. */
export function traceInvites<I, O, R>(
  options: { telemetry?: unknown; baseUrl?: string },
  send: Send<I, O, R>,
  path: string,
) {
  const telemetry = telemetryOption(options.telemetry);
  return telemetry ? telemetry.traceInvites(send, options.baseUrl, path) : send;
}

/** The tracker's onUnmatched, counted and logged too when the option asks for it. */
export function reportUnmatched<E extends OperationEvent, R extends string>(
  value: unknown,
  onUnmatched: (event: E, reason: R) => void,
): (event: E, reason: R) => void {
  const telemetry = telemetryOption(value);
  if (!telemetry) return onUnmatched;
  return (event, reason) => {
    telemetry.unmatched(reason, event);
    onUnmatched(event, reason);
  };
}

/** The tracker, with settle spans, its gauges and (Redis) record failures when the option asks for them. */
export function instrumentTracker<T extends TrackerLike>(value: unknown, kind: "memory" | "redis", tracker: T): T {
  const telemetry = telemetryOption(value);
  return telemetry ? telemetry.instrumentTracker(kind, tracker) : tracker;
}
