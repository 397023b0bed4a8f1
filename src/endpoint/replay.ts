// createReplayGuard: an opt-in, bounded memory of callback bodies already acknowledged. Microsoft's
// callback token does not cover the body, so one captured token can carry other bodies while it
// lives; the guard at least recognises an exact body sent again (a replayed or resent callback).
// A body is remembered only once the endpoint acknowledged it (202): one answered 503 (record
// failed) must be taken when Graph sends it again, or it is lost.
import { EndpointOptionsError } from "../errors.js";

/** The options of createReplayGuard; each, when written, a positive integer (else EndpointOptionsError). */
export interface ReplayGuardOptions {
  /** How long an acknowledged body is remembered. Set it to the tokens' lifetime plus clock leeway. Default 1 h 5 min. */
  ttlMs?: number;
  /** How many bodies are remembered at most; the oldest is forgotten first. Default 10,000. */
  maxEntries?: number;
}

/**
 * What the guard knows of a body: `new` (held as in flight until the endpoint calls `acknowledge`
 * after its 202, or `release` when it answered anything else), `acknowledged` (within `ttlMs`), or
 * `in-flight` (the same body is being taken by another request right now).
 */
export type ReplayClaim =
  | { readonly state: "new"; acknowledge(): void; release(): void }
  | { readonly state: "acknowledged" }
  | { readonly state: "in-flight" };

/**
 * A memory of callback bodies already acknowledged, for an endpoint's `replayGuard` option: what
 * `createReplayGuard()` returns. A guard of your own (one shared by replicas, on Redis) has this shape.
 */
export interface ReplayGuard {
  /** Claims this exact body; see ReplayClaim. */
  claim(body: unknown): Promise<ReplayClaim>;
  /** How many acknowledged bodies are remembered now. */
  readonly size: number;
}

const encoder = /* @__PURE__ */ new TextEncoder();

function bytesOf(body: unknown): Uint8Array {
  if (body instanceof Uint8Array) return body;
  return encoder.encode(typeof body === "string" ? body : JSON.stringify(body));
}

function positiveInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) < 1)
    throw new EndpointOptionsError(name, "range", "createReplayGuard needs a positive integer here");
  return value as number;
}

const ACKNOWLEDGED = /* @__PURE__ */ Object.freeze({ state: "acknowledged" as const });
const IN_FLIGHT = /* @__PURE__ */ Object.freeze({ state: "in-flight" as const });

/**
 * A replay guard for an endpoint's `replayGuard` option: an exact body acknowledged (202) within
 * `ttlMs` (default 65 min) is answered 202 again and not dispatched twice. Remembers bodies by their
 * SHA-256 (WebCrypto), at most `maxEntries` (default 10,000), so memory stays bounded whatever their
 * size. Options that are not positive integers are an EndpointOptionsError.
 * @example
 * ```ts
 * const endpoint = createFetchHandler(handler, { appId, replayGuard: createReplayGuard({ ttlMs: 65 * 60_000 }) });
 * ```
 */
export function createReplayGuard(options: ReplayGuardOptions = {}): ReplayGuard {
  const ttlMs = positiveInteger("ttlMs", options.ttlMs, 65 * 60_000);
  const maxEntries = positiveInteger("maxEntries", options.maxEntries, 10_000);
  const expiries = new Map<string, number>(); // acknowledged; insertion order is expiry order: one ttl for all
  const inFlight = new Set<string>(); // bounded by the requests being taken at once

  return {
    async claim(body) {
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytesOf(body) as Uint8Array<ArrayBuffer>));
      const key = String.fromCharCode(...digest); // 32 UTF-16 code units, one per byte: a Map key, never shown
      const now = Date.now();
      for (const [oldest, expiry] of expiries) {
        if (expiry > now) break;
        expiries.delete(oldest);
      }
      if (expiries.has(key)) return ACKNOWLEDGED;
      if (inFlight.has(key)) return IN_FLIGHT;
      inFlight.add(key);
      let settled = false;
      return {
        state: "new",
        acknowledge() {
          if (settled) return;
          settled = true;
          inFlight.delete(key);
          expiries.set(key, Date.now() + ttlMs);
          if (expiries.size > maxEntries) expiries.delete(expiries.keys().next().value as string);
        },
        release() {
          if (settled) return;
          settled = true;
          inFlight.delete(key);
        },
      };
    },
    get size() {
      return expiries.size;
    },
  };
}
