// remoteCallbackKeys: Microsoft's callback signing keys, fetched from its OpenID configuration and
// kept through the key endpoint's outages. Each load (configuration, key set, redirects, bodies) has
// one deadline and a size cap, stays on https and on one origin; an outage or a flood of unknown
// key ids costs at most one fetch per cooldown, and a first fetch that failed is retried soon.
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";
import { CallbackAuthError, InvalidOptionError } from "../errors.js";
import { readLimited } from "../internal/read-limited.js";
import { telemetryOption, type Telemetry } from "../telemetry/hooks.js";
import { functionOption, numberOption, optionsObject, stringOption } from "./options.js";
import type { CallbackKeyResolver } from "./verify.js";

/** Where Microsoft publishes the callback tokens' signing keys (its `jwks_uri`). */
export const CALLBACK_OPENID_CONFIGURATION = "https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration";

/**
 * Options of remoteCallbackKeys. An option that is written is checked: undefined, null, the wrong
 * type or out of range is an InvalidOptionError; leave it out for its default.
 */
export interface RemoteCallbackKeysOptions {
  /**
   * One key load (the configuration, the key set, any redirects and both bodies) ends after this
   * long, whatever the fetch does. From 1 to 600,000 ms. Default 5 s.
   */
  timeoutMs?: number;
  /** The fetch to use (a proxy agent, a test double). Default the global fetch. */
  fetch?: typeof fetch;
  /** A larger document is refused without being read whole. From 1 to 16 MiB. Default 256 KiB. */
  maxBytes?: number;
  /** Keys older than this are refreshed on the next callback. Default 2 h (Microsoft's calling samples). */
  cacheMaxAgeMs?: number;
  /**
   * While refreshes fail, the last keys fetched keep verifying until they are this old; after that
   * every token is refused as `keys_unavailable`. Default 24 h (the Bot Framework's key cache).
   */
  maxStaleMs?: number;
  /**
   * While there are keys to verify with, the next fetch (a refresh, or a token naming an unknown key)
   * waits at least this long after the last one. Default 5 min. While there are none (the first fetch
   * failed, or the keys are past `maxStaleMs`), the wait is 1 s, doubling per failure up to 30 s
   * (never above this cooldown), so a retry after the 503's `Retry-After` finds a fresh attempt.
   */
  cooldownMs?: number;
  /** `createTelemetry()`: key fetches and their failures counted and logged. Default: none. */
  telemetry?: Telemetry;
}

const FN = "remoteCallbackKeys";
const MAX_REDIRECTS = 3;
const DAY_MS = 24 * 60 * 60_000;
/** Without usable keys: the first retry may start 1 s after a failure, doubling to at most 30 s. */
const UNAVAILABLE_FIRST_WAIT_MS = 1_000;
/** The most a token waits for a fresh fetch while no keys can be had; the endpoint's 503 says `Retry-After: 30`. */
const UNAVAILABLE_MAX_WAIT_MS = 30_000;

interface Cached {
  resolve: JWTVerifyGetKey;
  fetchedAt: number;
}

/** A failed key load, its message naming the document and what went wrong, never a body or a URL's path. */
class KeyLoadFailure extends Error {}

/** The URL, or null when `text` is not one (URL.parse is newer than Node 20.18). */
function parseUrl(text: string, base?: URL): URL | null {
  try {
    return new URL(text, base);
  } catch {
    return null;
  }
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/**
 * Whether keys may be fetched from `url`: https, or http to a loopback host (a local test server),
 * and never http once https (`floor`): a plaintext hop would let anyone on the path swap the keys.
 */
const secure = (url: URL, floor: string) =>
  url.protocol === "https:" || (url.protocol === "http:" && floor === "http:" && LOOPBACK.test(url.hostname));

/** The configuration's URL, checked: a parseable https URL (http only to a loopback host), without credentials. */
function configurationUrl(value: unknown): URL {
  const name = "openIdConfigurationUrl";
  const expected = "an https URL (http only to localhost or 127.0.0.1), without credentials";
  stringOption(FN, { [name]: value }, name, expected); // written, so required: undefined and null are refused
  const url = parseUrl(value as string);
  if (url === null)
    throw new InvalidOptionError(FN, name, "type", `must be ${expected}, got a string that is not a URL.`);
  if (!secure(url, "http:") || url.username !== "" || url.password !== "")
    throw new InvalidOptionError(FN, name, "insecure", `must be ${expected}.`);
  return url;
}

/**
 * Microsoft's callback signing keys, from its OpenID configuration (fetched on first use, refreshed
 * after `cacheMaxAgeMs`, or early for an unknown key id). Pass as `keys` to verifyCallbackToken.
 * Throws InvalidOptionError at once for a URL or an option it cannot work with safely.
 *
 * @example
 * ```ts
 * const keys = remoteCallbackKeys(); // Microsoft's configuration, the defaults
 * await verifyCallbackToken(header, { appId: process.env.BOT_APP_ID, keys });
 * ```
 */
export function remoteCallbackKeys(
  openIdConfigurationUrl: string = CALLBACK_OPENID_CONFIGURATION,
  options: RemoteCallbackKeysOptions = {},
): CallbackKeyResolver {
  const configuration = configurationUrl(openIdConfigurationUrl);
  const o = optionsObject(FN, "options", options);
  const timeoutMs = numberOption(FN, o, "timeoutMs", 1, 600_000) ?? 5_000;
  const maxBytes = numberOption(FN, o, "maxBytes", 1, 16 * 1024 * 1024, true) ?? 256 * 1024;
  const cacheMaxAgeMs = numberOption(FN, o, "cacheMaxAgeMs", 0, 30 * DAY_MS) ?? 2 * 60 * 60_000;
  const maxStaleMs = Math.max(numberOption(FN, o, "maxStaleMs", 0, 30 * DAY_MS) ?? DAY_MS, cacheMaxAgeMs);
  const cooldownMs = numberOption(FN, o, "cooldownMs", 0, DAY_MS) ?? 5 * 60_000;
  const doFetch =
    (functionOption(FN, o, "fetch", "a fetch function") as typeof fetch | undefined) ??
    ((input, init) => fetch(input, init));
  const telemetry = telemetryOption(o.telemetry);

  let cached: Cached | null = null;
  let lastAttempt = Number.NEGATIVE_INFINITY;
  let failures = 0; // consecutive failed loads
  let lastFailure: string; // set by each failed load, before any refusal reads it
  let inflight: Promise<void> | null = null;

  /** A JSON document, following redirects within its origin only, stopped by `signal` and `maxBytes`. */
  async function fetchJson(start: URL, what: string, signal: AbortSignal): Promise<unknown> {
    let at = start;
    for (let hop = 0; ; hop++) {
      let response: Response;
      try {
        response = await doFetch(at.href, { redirect: "manual", signal, headers: { accept: "application/json" } });
      } catch (error) {
        throw new KeyLoadFailure(`${what} could not be fetched (${(error as Error)?.name})`);
      }
      const status = response.status;
      if (status >= 300 && status < 400) {
        await response.body?.cancel().catch(() => {});
        const location = response.headers.get("location");
        const next = location === null ? null : parseUrl(location, at);
        // Same origin: the same scheme (never https to http), host and port, as the one TLS vouched for.
        if (next === null || next.origin !== at.origin || hop >= MAX_REDIRECTS) {
          const why =
            next === null
              ? "without a usable Location"
              : hop >= MAX_REDIRECTS
                ? "too often"
                : `to another origin (${next.origin})`;
          throw new KeyLoadFailure(`${what} redirected ${why}`);
        }
        at = next;
        continue;
      }
      if (status !== 200) {
        await response.body?.cancel().catch(() => {});
        throw new KeyLoadFailure(`${what} answered ${status}`);
      }
      let bytes: Uint8Array | null;
      try {
        bytes = await readLimited(response.body, maxBytes);
      } catch (error) {
        throw new KeyLoadFailure(`${what} could not be read (${(error as Error)?.name})`); // reset, aborted
      }
      if (bytes === null) throw new KeyLoadFailure(`${what} is larger than ${maxBytes} bytes`);
      try {
        return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
      } catch {
        throw new KeyLoadFailure(`${what} is not JSON`); // the parser's message would quote the body
      }
    }
  }

  /** Fetches the configuration, then its key set, within one deadline. */
  async function fetchKeys(signal: AbortSignal): Promise<JWTVerifyGetKey> {
    const config = (await fetchJson(configuration, "the OpenID configuration", signal)) as {
      jwks_uri?: unknown;
    } | null;
    if (typeof config?.jwks_uri !== "string") throw new KeyLoadFailure("the OpenID configuration has no jwks_uri");
    const jwksUri = parseUrl(config.jwks_uri);
    if (jwksUri === null) throw new KeyLoadFailure("the OpenID configuration's jwks_uri is not a URL");
    if (!secure(jwksUri, configuration.protocol))
      throw new KeyLoadFailure("the OpenID configuration's jwks_uri is not https");
    const set = (await fetchJson(jwksUri, "the key set", signal)) as { keys?: unknown } | null;
    if (!Array.isArray(set?.keys) || set.keys.length === 0) throw new KeyLoadFailure("the key set has no keys");
    try {
      return createLocalJWKSet(set as JSONWebKeySet);
    } catch {
      throw new KeyLoadFailure("the key set is malformed");
    }
  }

  async function load(): Promise<void> {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The deadline ends the load even when a fetch or a body ignores the abort signal.
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new KeyLoadFailure(`the key fetch took longer than ${timeoutMs} ms`));
        controller.abort();
      }, timeoutMs);
    });
    try {
      const resolve = await Promise.race([fetchKeys(controller.signal), expired]);
      cached = { resolve, fetchedAt: Date.now() };
      failures = 0;
      telemetry?.keysFetched(null);
    } catch (error) {
      failures++;
      lastFailure = (error as KeyLoadFailure).message; // what fetchKeys and the deadline throw
      telemetry?.keysFetched(error);
    } finally {
      clearTimeout(timer);
    }
  }

  const usable = (now: number) => cached !== null && now - cached.fetchedAt < maxStaleMs;

  /** How long after the last attempt the next may start: the cooldown, or the short backoff without usable keys. */
  function wait(now: number): number {
    if (usable(now)) return cooldownMs;
    const backoff = UNAVAILABLE_FIRST_WAIT_MS * 2 ** Math.max(failures - 1, 0);
    return Math.min(cooldownMs, UNAVAILABLE_MAX_WAIT_MS, backoff);
  }

  /** One fetch at a time, and none within the wait after the last one. */
  function refresh(): Promise<void> {
    if (inflight) return inflight;
    const now = Date.now();
    if (now - lastAttempt < wait(now)) return Promise.resolve();
    lastAttempt = now;
    inflight = load().finally(() => (inflight = null));
    return inflight;
  }

  return async (header, token) => {
    if (cached === null || Date.now() - cached.fetchedAt >= cacheMaxAgeMs) await refresh();
    const now = Date.now();
    const keys = usable(now) ? (cached as Cached) : null;
    if (keys === null) {
      const retryAfterSec = Math.ceil(Math.max(lastAttempt + wait(now) - now, 0) / 1000);
      throw new CallbackAuthError(
        "keys_unavailable",
        `Microsoft's signing keys could not be fetched: ${lastFailure}`,
        retryAfterSec,
      );
    }
    try {
      return await keys.resolve(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      await refresh(); // a key rotated in since the last fetch; at most once per cooldown
      // Stryker disable next-line ConditionalExpression: the same keys again throw the same JWKSNoMatchingKey; this only saves the lookup
      if (cached === keys) throw error;
      return (cached as Cached).resolve(header, token);
    }
  };
}
