// The clients' options, checked at construction: a missing getToken, a base URL that would leak the
// token or echo credentials, or a retry or timeout setting that cannot bound a wait is a TypeError
// (wrong type) or RangeError (wrong value) naming the option, before anything is sent. Messages never
// repeat the base URL (it may carry credentials) or a token.
import { MAX_TIMER_MS, type RetryOptions } from "./retry.js";

/** Graph's v1.0 base URL: the clients' default `baseUrl`. */
export const GRAPH_V1 = "https://graph.microsoft.com/v1.0";
/** Graph's beta base URL, for `baseUrl`; the contract is written against v1.0. */
export const GRAPH_BETA = "https://graph.microsoft.com/beta";

/** The default of `timeoutMs`: one invite, retries and body reads included. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/** What every Graph client needs: the token, where Graph is, and how to reach it. */
export interface GraphConnectionOptions {
  /**
   * Called for every attempt; returns a Graph application token (Calls.InitiateGroupCall.All), or a
   * promise of one. Required.
   */
  getToken: () => string | Promise<string>;
  /**
   * Graph's base URL. Default {@link GRAPH_V1} ({@link GRAPH_BETA} for beta). Must be `https:`, or
   * `http:` to 127.0.0.1, localhost or [::1] (tests, the simulator); no credentials (user or password), query or fragment.
   */
  baseUrl?: string;
  /** The fetch to send with. Default the global `fetch`. Redirects are never followed, whatever it does. */
  fetch?: typeof fetch;
  /** A User-Agent to send. Default the runtime's own. */
  userAgent?: string;
}

/** The connection options, checked, with their defaults applied. */
export interface Connection {
  getToken: () => string | Promise<string>;
  baseUrl: string;
  fetch: typeof fetch;
  userAgent: string | null;
}

/** The retry and timeout settings of an invite client, checked. */
export interface InvitePolicy {
  maxAttempts: number;
  maxDelayMs: number;
  baseDelayMs: number;
  timeoutMs: number;
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);
// A header value without control characters (RFC 9110 §5.5): undici would otherwise throw, quoting it.
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]+$/;

const typeOf = (value: unknown) => (value === null ? "null" : Array.isArray(value) ? "array" : typeof value);

function checkBaseUrl(value: unknown, where: string): string {
  if (value === undefined) return GRAPH_V1;
  if (typeof value !== "string" || value === "") {
    throw new TypeError(`${where}: options.baseUrl must be a non-empty string (got ${typeOf(value)})`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${where}: options.baseUrl is not an absolute URL`);
  }
  if (url.username !== "" || url.password !== "") {
    throw new TypeError(`${where}: options.baseUrl must not carry credentials`);
  }
  if (url.search !== "" || url.hash !== "" || value.includes("?") || value.includes("#")) {
    throw new TypeError(`${where}: options.baseUrl must not have a query or fragment`);
  }
  if (url.protocol === "https:") return value;
  if (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname)) return value;
  throw new TypeError(
    url.protocol === "http:"
      ? `${where}: options.baseUrl must be https: (http: only to loopback)`
      : `${where}: options.baseUrl must be an https: URL (got ${url.protocol})`,
  );
}

export function checkConnection(options: unknown, where: string): Connection {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`${where}: options must be an object (got ${typeOf(options)})`);
  }
  const o = options as Partial<Record<keyof GraphConnectionOptions, unknown>>;
  if (typeof o.getToken !== "function") {
    throw new TypeError(`${where}: options.getToken must be a function returning a token (got ${typeOf(o.getToken)})`);
  }
  const fetchImpl = o.fetch === undefined ? globalThis.fetch : o.fetch;
  if (typeof fetchImpl !== "function") {
    throw new TypeError(
      o.fetch === undefined
        ? `${where}: this runtime has no global fetch; pass options.fetch`
        : `${where}: options.fetch must be a function (got ${typeOf(o.fetch)})`,
    );
  }
  if (o.userAgent !== undefined && (typeof o.userAgent !== "string" || !HEADER_VALUE.test(o.userAgent))) {
    throw new TypeError(`${where}: options.userAgent must be a header value`);
  }
  return {
    getToken: o.getToken as Connection["getToken"],
    baseUrl: checkBaseUrl(o.baseUrl, where),
    fetch: fetchImpl as typeof fetch,
    userAgent: (o.userAgent as string | undefined) ?? null,
  };
}

function checkNumber(value: unknown, name: string, min: number, max: number, integer: boolean, fallback: number) {
  if (value === undefined) return fallback;
  if (typeof value !== "number") throw new TypeError(`${name} must be a number (got ${typeOf(value)})`);
  if (Number.isNaN(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new RangeError(`${name} must be ${integer ? "an integer" : "a number"} from ${min} to ${max} (got ${value})`);
  }
  return value;
}

export function checkInvitePolicy(options: { retry?: unknown; timeoutMs?: unknown }, where: string): InvitePolicy {
  const retry = options.retry ?? {};
  if (typeof retry !== "object" || retry === null || options.retry === null) {
    throw new TypeError(`${where}: options.retry must be an object (got ${typeOf(options.retry)})`);
  }
  const r = retry as Partial<Record<keyof RetryOptions, unknown>>;
  return {
    maxAttempts: checkNumber(r.maxAttempts, `${where}: options.retry.maxAttempts`, 1, 10, true, 3),
    maxDelayMs: checkNumber(r.maxDelayMs, `${where}: options.retry.maxDelayMs`, 0, MAX_TIMER_MS, false, 30_000),
    baseDelayMs: checkNumber(r.baseDelayMs, `${where}: options.retry.baseDelayMs`, 0, MAX_TIMER_MS, false, 500),
    timeoutMs: checkTimeoutMs(options.timeoutMs, where),
  };
}

/** `timeoutMs`: 1 ms to 2^31 - 1 ms (a timer cannot hold more), default DEFAULT_TIMEOUT_MS. */
export function checkTimeoutMs(value: unknown, where: string): number {
  return checkNumber(value, `${where}: options.timeoutMs`, 1, MAX_TIMER_MS, false, DEFAULT_TIMEOUT_MS);
}

/** An optional boolean option: undefined is false; anything but a boolean is a TypeError. */
export function checkFlag(value: unknown, name: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== "boolean") throw new TypeError(`${name} must be a boolean (got ${typeOf(value)})`);
  return value;
}

/** An optional callback option: undefined is none; anything but a function is a TypeError. */
export function checkHook<F extends (...args: never[]) => unknown>(value: unknown, name: string): F | null {
  if (value === undefined) return null;
  if (typeof value !== "function") throw new TypeError(`${name} must be a function (got ${typeOf(value)})`);
  return value as F;
}
