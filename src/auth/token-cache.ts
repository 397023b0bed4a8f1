// createVerifiedTokenCache: an opt-in, bounded memory of callback tokens already verified, so a
// token Graph sends again is not checked again (RS256 verification dominates a callback's CPU).
// Trade-off, documented: a cached token stays accepted until its own `exp` (never beyond it), even
// if its signing key is rotated out in the meantime.
import { numberOption, optionsObject } from "./options.js";

/** A verified token's claims, as verifyCallbackToken returns them. */
type Claims = Record<string, unknown>;

/** Options of createVerifiedTokenCache; one written as undefined, null or out of range is an InvalidOptionError. */
export interface VerifiedTokenCacheOptions {
  /** How many tokens are remembered at most (an integer from 1 to 1,000,000); the oldest is forgotten first. Default 10,000. */
  maxEntries?: number;
}

interface Entry {
  keys: unknown;
  claims: Claims;
  expiresAt: number;
}

/**
 * Pass as `cache` to verifyCallbackToken. One cache may serve several setups: verifyCallbackToken
 * keys each entry by the whole setup and checks `nbf`/`exp` again on each use.
 */
export interface VerifiedTokenCache {
  /** The claims of a token verified before with the same options and keys, while its `exp` is not past. */
  get(key: string, keys: unknown): Claims | undefined;
  /** Remembers a verified token until its `exp` (seconds since the epoch). */
  set(key: string, keys: unknown, claims: Claims, exp: number): void;
  /** How many tokens it holds now, expired ones not yet dropped included; at most `maxEntries`. */
  readonly size: number;
}

/**
 * A bounded memory of verified callback tokens, for verifyCallbackToken's `cache` option.
 *
 * @example
 * ```ts
 * const cache = createVerifiedTokenCache({ maxEntries: 10_000 });
 * await verifyCallbackToken(header, { appId, keys: remoteCallbackKeys(), cache });
 * ```
 */
export function createVerifiedTokenCache(options: VerifiedTokenCacheOptions = {}): VerifiedTokenCache {
  const FN = "createVerifiedTokenCache";
  const maxEntries =
    numberOption(FN, optionsObject(FN, "options", options), "maxEntries", 1, 1_000_000, true) ?? 10_000;
  const entries = new Map<string, Entry>();
  return {
    get(key, keys) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= Date.now() || entry.keys !== keys) {
        entries.delete(key);
        return undefined;
      }
      return { ...entry.claims };
    },
    set(key, keys, claims, exp) {
      entries.delete(key);
      entries.set(key, { keys, claims: { ...claims }, expiresAt: exp * 1000 });
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
    get size() {
      return entries.size;
    },
  };
}
