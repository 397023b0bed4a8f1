// The `logger` option: a pino- or console-shaped object that receives the same events as the spans
// and metrics, as structured records `(fields, message)`. Off unless given.

/** A logger with pino's and console's shape: `info(fields, message)`. `console` itself fits. */
export interface TelemetryLogger {
  /** Routine events: a callback accepted. */
  debug(fields: object, message: string): unknown;
  /** An invite sent, settled; the signing keys fetched. */
  info(fields: object, message: string): unknown;
  /** A retry, a refusal, a timeout, an unmatched callback, a failed key fetch. */
  warn(fields: object, message: string): unknown;
  /** A callback not recorded (503), an endpoint fault (5xx). */
  error(fields: object, message: string): unknown;
}

export type LogLevel = keyof TelemetryLogger;

const LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error"];

/** The logger option, checked at construction: an object with debug/info/warn/error functions. */
export function loggerOption(value: unknown): TelemetryLogger | null {
  if (value === undefined) return null;
  const missing =
    typeof value === "object" && value !== null
      ? LEVELS.filter((level) => typeof (value as Record<string, unknown>)[level] !== "function")
      : LEVELS;
  if (missing.length > 0) {
    throw new TypeError(
      `createTelemetry: \`logger\` must be an object with debug, info, warn and error functions (pino, console); ${
        typeof value !== "object" || value === null
          ? `got ${value === null ? "null" : typeof value}`
          : `missing ${missing.join(", ")}`
      }`,
    );
  }
  return value as TelemetryLogger;
}
