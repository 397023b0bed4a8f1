// createReplayGuard: an opt-in, bounded memory of callback bodies already received. Microsoft's
// callback token does not cover the body, so one captured token can carry other bodies while it
// lives; the guard at least refuses an exact body sent again (a replayed callback).

export interface ReplayGuardOptions {
  /** How long a body is remembered. Set it to the tokens' lifetime plus clock leeway. Default 1 h 5 min. */
  ttlMs?: number;
  /** How many bodies are remembered at most; the oldest is forgotten first. Default 10,000. */
  maxEntries?: number;
}

export interface ReplayGuard {
  /** Whether this exact body was seen within `ttlMs`; remembers it either way. */
  seen(body: unknown): Promise<boolean>;
  /** How many bodies are remembered now. */
  readonly size: number;
}

const encoder = /* @__PURE__ */ new TextEncoder();

function bytesOf(body: unknown): Uint8Array {
  if (body instanceof Uint8Array) return body;
  return encoder.encode(typeof body === "string" ? body : JSON.stringify(body));
}

/** Remembers bodies by their SHA-256 (WebCrypto), so memory stays bounded whatever their size. */
export function createReplayGuard(options: ReplayGuardOptions = {}): ReplayGuard {
  const ttlMs = options.ttlMs ?? 65 * 60_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const expiries = new Map<string, number>(); // insertion order is expiry order: one ttl for all

  return {
    async seen(body) {
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytesOf(body) as Uint8Array<ArrayBuffer>));
      const key = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
      const now = Date.now();
      for (const [oldest, expiry] of expiries) {
        if (expiry > now) break;
        expiries.delete(oldest);
      }
      if (expiries.has(key)) return true;
      expiries.set(key, now + ttlMs);
      if (expiries.size > maxEntries) expiries.delete(expiries.keys().next().value as string);
      return false;
    },
    get size() {
      return expiries.size;
    },
  };
}
