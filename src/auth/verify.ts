// verifyCallbackToken: the Bearer JWT Microsoft attaches to callbacks. The signature is checked by a
// SignatureCheck (jose's compactVerify here; node:crypto's on Node, src/node/signature.ts), the claims
// by one module for both (./claims.ts).
import { compactVerify, createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";
import { CallbackAuthError, InvalidOptionError } from "../errors.js";
import { booleanOption, describe, numberOption, optionsObject, stringOption } from "./options.js";
import { checkClaims, claimsSetOf, type CallbackTokenClaims, type ClaimsPolicy } from "./claims.js";
import { isThenable } from "../internal/thenable.js";
import type { VerifiedTokenCache } from "./token-cache.js";

export type { CallbackTokenClaims } from "./claims.js";

// The public types below are declared here, structurally compatible with jose's: jose ships ESM-only
// types, which a CommonJS consumer's TypeScript cannot import.

/** One public key of a JSON Web Key Set (RFC 7517); jose's `JWK` fits. */
export interface CallbackJsonWebKey {
  /** The key type: `RSA` for Microsoft's callback keys (only RS256 tokens are accepted). */
  kty?: string;
  /** The key id, which a token's `kid` header names to pick its key. */
  kid?: string;
  /** The algorithm the key is for, when the set says (`RS256`). */
  alg?: string;
  /** What the key is for, when the set says: `sig` (signatures). */
  use?: string;
  /** An RSA key's modulus, base64url. */
  n?: string;
  /** An RSA key's public exponent, base64url (usually `AQAB`). */
  e?: string;
  /** The key's X.509 certificate chain, base64 DER, as Microsoft's key sets carry it. */
  x5c?: string[];
  /** The SHA-1 thumbprint of the key's certificate, base64url. */
  x5t?: string;
}

/** A JSON Web Key Set, `{ keys: [...] }`; jose's `JSONWebKeySet` fits. */
export interface CallbackJsonWebKeySet {
  /** The keys; at least one (an empty list is refused as an option: InvalidOptionError, EndpointOptionsError at an endpoint). */
  keys: CallbackJsonWebKey[];
}

/** A key resolver of jose's `JWTVerifyGetKey` shape: `remoteCallbackKeys()`, or jose's `createRemoteJWKSet(url)`. */
// `any`: jose's own resolvers stay assignable without this package importing jose's types
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CallbackKeyResolver = (protectedHeader: any, token: any) => unknown;

/**
 * The issuers of Graph's callback tokens. Microsoft's calling samples accept both
 * (microsoft-graph-comms-samples, Sample.Common `AuthenticationProvider.cs`).
 */
export const CALLBACK_TOKEN_ISSUERS: readonly string[] = /* @__PURE__ */ Object.freeze([
  "https://graph.microsoft.com",
  "https://api.botframework.com",
]);

/**
 * The options of verifyCallbackToken. Every option that is written is checked: one that is
 * undefined (an unset environment variable), null, empty or of the wrong type rejects with
 * InvalidOptionError, so no check is ever skipped; leave an option out for its default. With
 * `exactOptionalPropertyTypes`, an optional option that may be undefined does not compile: write it
 * only when set, `...(tenantId ? { tenantId } : {})`. Each call reads the options as they are then
 * (nothing is snapshotted).
 */
export interface VerifyCallbackTokenOptions {
  /** Required: the bot's application id, the token's `aud`. A non-empty string. */
  appId: string;
  /**
   * Required: a JWKS (`{ keys: [...] }`, at least one key), or a key resolver such as
   * `remoteCallbackKeys()` or jose's `createRemoteJWKSet`. A JWKS is read as it is at each call: a key
   * removed from it (or added to it) in place counts from the next call on.
   */
  keys: CallbackJsonWebKeySet | CallbackKeyResolver;
  /** The accepted `iss` values, a non-empty string or list of them. Default CALLBACK_TOKEN_ISSUERS (`https://graph.microsoft.com` and `https://api.botframework.com`). */
  issuer?: string | readonly string[];
  /** When written, the token's `tid` must be this tenant (a non-empty string). */
  tenantId?: string;
  /**
   * Refuse a token without a `tid` (tenant) claim, as Microsoft's calling samples do. Default true;
   * false only for a token source you trust that issues none.
   */
  requireTenant?: boolean;
  /** Leeway for `exp`/`nbf`, in seconds, from 0 to 86,400. Default 300 (Bot Framework's own). */
  clockToleranceSec?: number;
  /**
   * Opt-in: remember verified tokens (`createVerifiedTokenCache()`), so a token sent again is accepted
   * without another signature check, until its own `exp` and never beyond. Trade-off: a cached token
   * stays accepted until then even if its key is rotated out of a remote key set. Entries are kept
   * apart by the whole setup (app, tenant, issuers, requireTenant, tolerance, keys), and `nbf`/`exp`
   * are checked again on each use.
   */
  cache?: VerifiedTokenCache;
}

const FN = "verifyCallbackToken";
/** A Bearer token longer than this is refused unread (Microsoft's are about 1.5 KB). */
const MAX_TOKEN_CHARS = 16 * 1024;

/**
 * Where a token's key comes from: one per key resolver, so a cache can tell setups apart by it. A
 * JWKS changed in place gets a new jose set, and so a new source.
 */
export interface KeySource {
  /** The resolver, with what it throws that is not jose's or ours typed as keys_unavailable. */
  readonly resolve: JWTVerifyGetKey;
  /** A JWKS given as an object: the same protected header always resolves to the same key. */
  readonly fixed: boolean;
}

/** What the verdict depends on, read from the options and checked. */
interface Setup {
  appId: string;
  keys: KeySource;
  issuers: string[];
  tenantId: string | undefined;
  requireTenant: boolean;
  toleranceSec: number;
  cache: VerifiedTokenCache | undefined;
  /** The claims' checks, built once per setup. */
  policy: ClaimsPolicy;
}

const sources = new WeakMap<JWTVerifyGetKey, KeySource>();

function sourceOf(resolve: JWTVerifyGetKey, fixed: boolean): KeySource {
  let source = sources.get(resolve);
  if (!source) sources.set(resolve, (source = { resolve: resolverFailuresTyped(resolve), fixed }));
  return source;
}

/**
 * One jose key set per JWKS content: jose copies the set it is given, so a changed set needs a new
 * one (and so a new key source: what a token cache and the Node check remember goes with it).
 * `copy` is the content as JSON last read, compared in place on each call (no serialising).
 */
const localSets = new WeakMap<object, { copy: unknown; source: KeySource }>();

/**
 * Whether `live` holds what `copy` (a JSON round trip) holds; false for what JSON would not keep as
 * is, but a property written as undefined, which JSON leaves out too.
 */
function sameJson(copy: unknown, live: unknown): boolean {
  if (copy === null || typeof copy !== "object") return copy === live;
  if (live === null || typeof live !== "object" || Array.isArray(copy) !== Array.isArray(live)) return false;
  const names = Object.keys(copy);
  const written = Object.keys(live).filter((name) => (live as Record<string, unknown>)[name] !== undefined);
  if (written.length !== names.length) return false;
  for (const name of names) {
    if (!sameJson((copy as Record<string, unknown>)[name], (live as Record<string, unknown>)[name])) return false;
  }
  return true;
}

/** The key source for `keys`: a resolver as it is, a key set as jose's local set (one per content). */
function resolverFor(value: unknown): KeySource {
  if (typeof value === "function") return sourceOf(value as JWTVerifyGetKey, false);
  const expected = "a JWKS ({ keys: [...] }) or a key resolver such as remoteCallbackKeys()";
  const set = optionsObject(FN, "keys", value, expected);
  const list = set.keys;
  const known = localSets.get(set);
  // unchanged since it was last checked: the same keys, so the same checks would pass
  if (known && sameJson(known.copy, list)) return known.source;
  if (!Array.isArray(list))
    throw new InvalidOptionError(FN, "keys.keys", "type", `must be an array of keys, got ${describe(list)}.`);
  if (list.length === 0)
    throw new InvalidOptionError(FN, "keys.keys", "empty", `must hold at least one key (${expected}).`);
  list.forEach((key: unknown, i) => optionsObject(FN, `keys.keys[${i}]`, key));
  const copy: unknown = JSON.parse(JSON.stringify(list));
  const source = sourceOf(createLocalJWKSet({ keys: list } as JSONWebKeySet), true);
  localSets.set(set, { copy, source });
  return source;
}

function issuersFrom(options: Record<string, unknown>): string[] {
  if (!("issuer" in options)) return [...CALLBACK_TOKEN_ISSUERS];
  const expected = "an issuer or a non-empty list of issuers (non-empty strings)";
  const { issuer } = options;
  if (!Array.isArray(issuer)) return [stringOption(FN, options, "issuer", expected)!];
  if (issuer.length === 0)
    throw new InvalidOptionError(FN, "issuer", "empty", `must be ${expected}, got an empty list.`);
  return issuer.map((item: unknown, i) => stringOption(FN, { [`issuer[${i}]`]: item }, `issuer[${i}]`, expected)!);
}

/** The options a setup is read from; one not written reads as ABSENT (it takes its default). */
const OPTION_NAMES = ["appId", "issuer", "tenantId", "requireTenant", "clockToleranceSec", "cache"] as const;
const ABSENT = Symbol("absent");

/** A setup with the option values it was read from (and the issuer list's items, as it may change in place). */
interface Settled {
  read: unknown[];
  issuers: unknown[] | undefined;
  setup: Setup;
}

/** The last setup read from each options object: options read each call as they are then, but checked once. */
const settled = new WeakMap<object, Settled>();

const readOf = (options: Record<string, unknown>) =>
  OPTION_NAMES.map((name) => (name in options ? options[name] : ABSENT));

function unchanged(known: Settled, options: Record<string, unknown>, keys: KeySource): boolean {
  if (keys !== known.setup.keys) return false;
  for (let i = 0; i < OPTION_NAMES.length; i++) {
    const name = OPTION_NAMES[i]!;
    if ((name in options ? options[name] : ABSENT) !== known.read[i]) return false;
  }
  const { issuer } = options;
  const items = known.issuers;
  if (!items) return true;
  const list = issuer as unknown[];
  return list.length === items.length && items.every((item, i) => list[i] === item);
}

/**
 * The checked setup; an InvalidOptionError for an option that is missing, empty or of the wrong type.
 * The options are read on every call; an options object whose values did not change since they were
 * checked gives its checked setup again.
 */
function setupFrom(value: unknown): Setup {
  const options = optionsObject(FN, "options", value);
  const known = settled.get(options);
  if (known && unchanged(known, options, resolverFor(options.keys))) return known.setup;
  const setup = checkedSetup(options);
  const { issuer } = options;
  settled.set(options, { read: readOf(options), issuers: Array.isArray(issuer) ? [...issuer] : undefined, setup });
  return setup;
}

function checkedSetup(options: Record<string, unknown>): Setup {
  const appId = stringOption(
    FN,
    options,
    "appId",
    "the bot's application id (a non-empty string; is its variable set?)",
    true,
  )!;
  const keys = resolverFor(options.keys);
  const issuers = issuersFrom(options);
  const tenantId = stringOption(FN, options, "tenantId", "the tenant id (a non-empty string)");
  const requireTenant = booleanOption(FN, options, "requireTenant") ?? true;
  const toleranceSec = numberOption(FN, options, "clockToleranceSec", 0, 86_400) ?? 300;
  const cache = cacheFrom(options);
  const policy = { appId, issuers, tenantId, requireTenant, clockToleranceSec: toleranceSec };
  return { appId, keys, issuers, tenantId, requireTenant, toleranceSec, cache, policy };
}

function cacheFrom(options: Record<string, unknown>): VerifiedTokenCache | undefined {
  if (!("cache" in options)) return undefined;
  const expected = "a cache from createVerifiedTokenCache()";
  const cache = optionsObject(FN, "cache", options.cache, expected);
  if (typeof cache.get !== "function" || typeof cache.set !== "function")
    throw new InvalidOptionError(FN, "cache", "type", `must be ${expected}, got an object without get and set.`);
  return cache as unknown as VerifiedTokenCache;
}

/** Whether cached claims still hold now for this setup's tolerance: `exp` strictly (no leeway), `nbf` with it. */
function stillValid(claims: CallbackTokenClaims, toleranceSec: number): boolean {
  const now = Date.now() / 1000;
  if (typeof claims.exp !== "number" || claims.exp <= now) return false;
  return typeof claims.nbf !== "number" || claims.nbf <= now + toleranceSec;
}

/** A refusal with its reason, from jose's error (or a resolver's own CallbackAuthError). */
export function refusal(error: unknown): CallbackAuthError {
  if (error instanceof CallbackAuthError) return error; // a key resolver's own refusal (keys_unavailable)
  if (error instanceof errors.JOSEAlgNotAllowed) return new CallbackAuthError("algorithm", error.message);
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return new CallbackAuthError("unknown_key", error.message);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return new CallbackAuthError("signature", error.message);
  // jose's createRemoteJWKSet could not get its keys (a timeout, a non-200, a bad document): not the
  // sender's fault, so 503 and a retry, not 401.
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || isGenericJoseError(error))
    return new CallbackAuthError("keys_unavailable", error.message);
  if (error instanceof errors.JOSEError) return new CallbackAuthError("malformed", error.message);
  // Anything else is jose's own check of the key or token (a TypeError, e.g. an RSA key under 2048
  // bits): the resolver's failures were turned into keys_unavailable where it was called.
  return new CallbackAuthError("malformed", error instanceof Error ? error.message : String(error));
}

/**
 * `keys`, with what it throws that is not jose's or ours (a network failure) turned into
 * keys_unavailable: not the sender's fault, so 503 and a retry. Its message may hold anything (a URL,
 * a body), so only its name.
 */
function resolverFailuresTyped(keys: JWTVerifyGetKey): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await keys(header, token);
    } catch (error) {
      if (error instanceof errors.JOSEError || error instanceof CallbackAuthError) throw error;
      throw new CallbackAuthError(
        "keys_unavailable",
        `the key resolver failed (${error instanceof Error ? error.name : typeof error})`,
      );
    }
  };
}

/** jose's plain JOSEError, which only its remote key set throws (a non-200 or non-JSON answer). */
const isGenericJoseError = (error: unknown): error is Error =>
  error instanceof errors.JOSEError && error.code === "ERR_JOSE_GENERIC";

/**
 * Checks a compact JWS's signature (RS256 only) with a key from `keys` and returns its payload's
 * bytes, synchronously when it can; throws CallbackAuthError with the reason (never echoing the token).
 */
export type SignatureCheck = (token: string, keys: KeySource) => Uint8Array | Promise<Uint8Array>;

/** jose's: WebCrypto, so it runs on every runtime. */
export const joseSignature = async (token: string, keys: KeySource): Promise<Uint8Array> => {
  let verified;
  try {
    verified = await compactVerify(token, keys.resolve, { algorithms: ["RS256"] });
  } catch (error) {
    throw refusal(error);
  }
  const { crit, b64 } = verified.protectedHeader;
  // jwtVerify's rule, which compactVerify leaves to its caller: a JWT's payload is base64url encoded
  if (Array.isArray(crit) && crit.includes("b64") && b64 === false)
    throw new CallbackAuthError("malformed", "JWTs MUST NOT use unencoded payload");
  return verified.payload;
};

/**
 * verifyCallbackToken with a given signature check (the Node entry passes node:crypto's): the claims
 * at once when the check answers at once (the endpoints go on without a turn of the event loop), else
 * a promise. Throws, or rejects, CallbackAuthError or InvalidOptionError.
 */
export function checkToken(
  check: SignatureCheck,
  authorizationHeader: string | null | undefined,
  options: VerifyCallbackTokenOptions,
): CallbackTokenClaims | Promise<CallbackTokenClaims> {
  const setup = setupFrom(options);
  if (authorizationHeader === undefined || authorizationHeader === null || authorizationHeader === "")
    throw new CallbackAuthError("missing", "no Authorization header");
  if (typeof authorizationHeader !== "string" || authorizationHeader.length > MAX_TOKEN_CHARS)
    throw new CallbackAuthError("malformed", "Authorization is not `Bearer <JWT>`");
  // The auth scheme is case-insensitive (RFC 9110 §11.1): `bearer` and `BEARER` are Bearer too.
  const match = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/i.exec(authorizationHeader.trim());
  if (!match) throw new CallbackAuthError("malformed", "Authorization is not `Bearer <JWT>`");
  const token = match[1]!;
  const { cache } = setup;
  // Everything the verdict depends on, so a cache shared by two setups never mixes them; the keys
  // are the key source, which is new whenever a JWKS's content changed.
  const cacheKey = cache
    ? JSON.stringify([
        setup.appId,
        setup.tenantId ?? null,
        setup.issuers,
        setup.requireTenant,
        setup.toleranceSec,
        token,
      ])
    : "";
  const cached = cache?.get(cacheKey, setup.keys) as CallbackTokenClaims | undefined;
  if (cached && stillValid(cached, setup.toleranceSec)) return cached;
  const settle = (payload: Uint8Array) => {
    const claims = checkClaims(claimsSetOf(payload), setup.policy, Math.floor(Date.now() / 1000));
    if (cache) cache.set(cacheKey, setup.keys, claims, claims.exp as number); // exp: required by checkClaims
    return claims;
  };
  const payload = check(token, setup.keys);
  return isThenable(payload) ? Promise.resolve(payload).then(settle) : settle(payload);
}

/** checkToken as a promise: what it throws, rejected. */
export async function verifyTokenWith(
  check: SignatureCheck,
  authorizationHeader: string | null | undefined,
  options: VerifyCallbackTokenOptions,
): Promise<CallbackTokenClaims> {
  return checkToken(check, authorizationHeader, options);
}

/**
 * Verifies `Authorization: Bearer <JWT>` of a callback: RS256 only, signature by one of `keys`,
 * `iss` (either of Microsoft's two by default), `aud` = appId, `exp` (required) and `nbf`, a `tid`
 * (required by default), equal to tenantId when set. Returns the verified claims, `tid` the verified
 * tenant; rejects with CallbackAuthError (never echoing the token), or with InvalidOptionError when
 * an option is missing, empty or of the wrong type (checked before the header, on every call).
 *
 * @example
 * ```ts
 * const keys = remoteCallbackKeys();
 * const appId = process.env.BOT_APP_ID ?? ""; // unset: every call rejects with InvalidOptionError (empty)
 * const tenantId = process.env.BOT_TENANT_ID; // optional: written only when set
 * const options = { appId, keys, ...(tenantId ? { tenantId } : {}) };
 * const claims = await verifyCallbackToken(request.headers.authorization, options);
 * ```
 */
export function verifyCallbackToken(
  authorizationHeader: string | null | undefined,
  options: VerifyCallbackTokenOptions,
): Promise<CallbackTokenClaims> {
  return verifyTokenWith(joseSignature, authorizationHeader, options);
}
