// remoteCallbackKeys: Microsoft's callback signing keys, fetched from its OpenID configuration and
// kept through the key endpoint's outages. Every fetch is bounded (time, size, same-host redirects);
// an outage or a flood of unknown key ids costs at most one fetch per cooldown.
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";
import { CallbackAuthError } from "../errors.js";
import { readLimited } from "../internal/read-limited.js";
import type { CallbackKeyResolver } from "./verify.js";
import { telemetryOption, type Telemetry } from "../telemetry/hooks.js";

/** Where Microsoft publishes the callback tokens' signing keys (its `jwks_uri`). */
export const CALLBACK_OPENID_CONFIGURATION = "https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration";

export interface RemoteCallbackKeysOptions {
  /** Each fetch (the configuration, the key set), headers and body, ends after this long. Default 5 s. */
  timeoutMs?: number;
  /** The fetch to use (a proxy agent, a test double). Default the global fetch. */
  fetch?: typeof fetch;
  /** A larger document is refused without being read whole. Default 256 KiB. */
  maxBytes?: number;
  /** Keys older than this are refreshed on the next callback. Default 2 h (Microsoft's calling samples). */
  cacheMaxAgeMs?: number;
  /**
   * While refreshes fail, the last keys fetched keep verifying until they are this old; after that
   * every token is refused as `keys_unavailable`. Default 24 h (the Bot Framework's key cache).
   */
  maxStaleMs?: number;
  /** After a fetch, the next one waits at least this long, whether it failed or a token named an unknown key. Default 5 min. */
  cooldownMs?: number;
  /** `createTelemetry()`: counts and logs each fetch of the keys and its failure. Default: none. */
  telemetry?: Telemetry;
}

const MAX_REDIRECTS = 3;

interface Cached {
  resolve: JWTVerifyGetKey;
  fetchedAt: number;
}

/**
 * Microsoft's callback signing keys, from its OpenID configuration (fetched on first use, refreshed
 * after `cacheMaxAgeMs`, or early for an unknown key id). Pass as `keys` to verifyCallbackToken.
 */
export function remoteCallbackKeys(
  openIdConfigurationUrl: string = CALLBACK_OPENID_CONFIGURATION,
  options: RemoteCallbackKeysOptions = {},
): CallbackKeyResolver {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const maxBytes = options.maxBytes ?? 256 * 1024;
  const cacheMaxAgeMs = options.cacheMaxAgeMs ?? 2 * 60 * 60_000;
  const maxStaleMs = Math.max(options.maxStaleMs ?? 24 * 60 * 60_000, cacheMaxAgeMs);
  const cooldownMs = options.cooldownMs ?? 5 * 60_000;
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const telemetry = telemetryOption(options.telemetry);

  let cached: Cached | null = null;
  let lastAttempt = Number.NEGATIVE_INFINITY;
  let lastFailure = "no keys fetched yet";
  let inflight: Promise<void> | null = null;

  /** A JSON document, following redirects on the same host only, within the time and size bounds. */
  async function fetchJson(url: URL): Promise<unknown> {
    let at = url;
    for (let hop = 0; ; hop++) {
      const response = await doFetch(at.href, {
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
        headers: { accept: "application/json" },
      });
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel().catch(() => {});
        const location = response.headers.get("location");
        const next = location === null ? null : new URL(location, at);
        if (next === null || next.host !== url.host || hop >= MAX_REDIRECTS) {
          throw new Error(
            `${url.host} redirected ${next === null ? "without a Location" : next.host !== url.host ? `to another host (${next.host})` : "too often"}`,
          );
        }
        at = next;
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => {});
        throw new Error(`${at.host}${at.pathname} answered ${response.status}`);
      }
      const bytes = await readLimited(response.body, maxBytes);
      if (bytes === null) throw new Error(`${at.host}${at.pathname} sent more than ${maxBytes} bytes`);
      return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    }
  }

  async function load(): Promise<void> {
    lastAttempt = Date.now();
    try {
      const config = (await fetchJson(new URL(openIdConfigurationUrl))) as { jwks_uri?: unknown } | null;
      if (typeof config?.jwks_uri !== "string") throw new Error("the OpenID configuration has no jwks_uri");
      const set = (await fetchJson(new URL(config.jwks_uri))) as { keys?: unknown } | null;
      if (!Array.isArray(set?.keys)) throw new Error("the key set has no keys");
      cached = { resolve: createLocalJWKSet(set as JSONWebKeySet), fetchedAt: Date.now() };
      telemetry?.keysFetched(null);
    } catch (error) {
      telemetry?.keysFetched(error);
      lastFailure = error instanceof Error ? error.message : String(error);
    }
  }

  /** One fetch at a time, and none within the cooldown of the last one. */
  function refresh(): Promise<void> {
    if (inflight) return inflight;
    if (Date.now() - lastAttempt < cooldownMs) return Promise.resolve();
    inflight = load().finally(() => (inflight = null));
    return inflight;
  }

  return async (header, token) => {
    if (cached === null || Date.now() - cached.fetchedAt >= cacheMaxAgeMs) await refresh();
    const keys = cached as Cached | null;
    if (keys === null || Date.now() - keys.fetchedAt >= maxStaleMs) {
      throw new CallbackAuthError("keys_unavailable", `Microsoft's signing keys could not be fetched: ${lastFailure}`);
    }
    try {
      return await keys.resolve(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      await refresh(); // a key rotated in since the last fetch; at most once per cooldown
      if (cached === keys) throw error;
      return (cached as Cached).resolve(header, token);
    }
  };
}
