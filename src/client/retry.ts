// When to retry an invite and how long to wait. A POST invite is not idempotent: only answers that
// say "not processed, try later" (429, 503, 504) are retried.
import { parseHttpDate } from "./http-date.js";

/**
 * The statuses the invite client retries: 429, 503 and 504, the answers that say the invite was not
 * processed. Any other error status is not retried, since a POST invite is not idempotent.
 */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503, 504]);

/** The longest wait (and timeout) a timer can hold: setTimeout fires at once past 2^31 - 1 ms. */
export const MAX_TIMER_MS = 2_147_483_647;

/** Delta-seconds past 2^31 are read as 2^31 (RFC 9111 §1.2.2), so a huge Retry-After stays a number. */
const MAX_DELTA_SECONDS = 2_147_483_648;

/** The retry policy of `createInviteClient`. */
export interface RetryOptions {
  /** Attempts in all, the first included: an integer from 1 to 10. Default 3. */
  maxAttempts?: number;
  /**
   * The longest wait before a retry, in ms (0 to 2^31 - 1): a Retry-After beyond it ends the
   * retries at once, with Graph's error. Default 30,000.
   */
  maxDelayMs?: number;
  /** First backoff delay without Retry-After, in ms (0 to 2^31 - 1); doubles per attempt, with jitter. Default 500. */
  baseDelayMs?: number;
}

/** Optional whitespace around a field value (RFC 9110 §5.6.3): spaces and tabs only. */
const OWS = /^[\t ]+|[\t ]+$/g;
const DELTA_SECONDS = /^[0-9]+$/;

/**
 * Retry-After (RFC 9110 §10.2.3) as milliseconds to wait: delta-seconds (`1*DIGIT`) or an
 * HTTP-date (the time left, never negative). null when absent or invalid (`-1`, `1.5`, `soon`, a
 * date in any other form): the caller then backs off as if there were none.
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (value === null) return null;
  const text = value.replace(OWS, "");
  if (DELTA_SECONDS.test(text)) return Math.min(Number(text), MAX_DELTA_SECONDS) * 1000;
  const date = parseHttpDate(text, now);
  return date === null ? null : Math.max(0, date - now);
}

/** Exponential backoff with full jitter: a random delay in [base·2^(n-1)/2, base·2^(n-1)]. */
export function backoffMs(attempt: number, baseDelayMs: number, random: () => number = Math.random): number {
  const ceiling = baseDelayMs * 2 ** (attempt - 1);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. The timer never outlives the wait. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort); // a signal aborts once: no `once` needed
  });
}
