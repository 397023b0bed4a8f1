// verifyCallbackToken: the Bearer JWT Microsoft attaches to callbacks. The signature is checked by a
// SignatureCheck (jose's compactVerify here; node:crypto's on Node, src/node/signature.ts), the claims
// by one module for both (./claims.ts).
import { compactVerify, createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";
import { CallbackAuthError } from "../errors.js";
import { checkClaims, claimsSetOf, type CallbackTokenClaims, type ClaimsPolicy } from "./claims.js";
import type { VerifiedTokenCache } from "./token-cache.js";

export type { CallbackTokenClaims } from "./claims.js";

// The public types below are declared here, structurally compatible with jose's: jose ships ESM-only
// types, which a CommonJS consumer's TypeScript cannot import.

/** One public key of a JSON Web Key Set (RFC 7517); jose's `JWK` fits. */
export interface CallbackJsonWebKey {
  kty?: string;
  kid?: string;
  alg?: string;
  use?: string;
  n?: string;
  e?: string;
  x5c?: string[];
  x5t?: string;
}

/** A JSON Web Key Set, `{ keys: [...] }`; jose's `JSONWebKeySet` fits. */
export interface CallbackJsonWebKeySet {
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

export interface VerifyCallbackTokenOptions {
  /** The bot's application id: the token's `aud`. */
  appId: string;
  /** A JWKS, or a key resolver such as `remoteCallbackKeys()` or jose's `createRemoteJWKSet`. */
  keys: CallbackJsonWebKeySet | CallbackKeyResolver;
  /** The accepted `iss` values. Default CALLBACK_TOKEN_ISSUERS (`https://graph.microsoft.com` and `https://api.botframework.com`). */
  issuer?: string | readonly string[];
  /** When set, the token's `tid` must be this tenant. */
  tenantId?: string;
  /**
   * Refuse a token without a `tid` (tenant) claim, as Microsoft's calling samples do. Default true;
   * false only for a token source you trust that issues none.
   */
  requireTenant?: boolean;
  /** Leeway for `exp`/`nbf`, in seconds. Default 300 (Bot Framework's own). */
  clockToleranceSec?: number;
  /**
   * Opt-in: remember verified tokens (`createVerifiedTokenCache()`), so a token sent again is accepted
   * without another signature check, until its own `exp` and never beyond. Trade-off: a cached token
   * stays accepted until then even if its key is rotated out.
   */
  cache?: VerifiedTokenCache;
}

const localSets = new WeakMap<CallbackJsonWebKeySet, JWTVerifyGetKey>();

/** The jose key resolver for `keys`: a resolver as it is, a key set as jose's local set (made once per set). */
export function resolverFor(keys: CallbackJsonWebKeySet | CallbackKeyResolver): JWTVerifyGetKey {
  if (typeof keys === "function") return keys as JWTVerifyGetKey;
  let resolver = localSets.get(keys);
  if (!resolver) localSets.set(keys, (resolver = createLocalJWKSet(keys as JSONWebKeySet)));
  return resolver;
}

/** A refusal with its reason, from jose's error (or a resolver's own CallbackAuthError). */
export function refusal(error: unknown): CallbackAuthError {
  if (error instanceof CallbackAuthError) return error; // a key resolver's own refusal (keys_unavailable)
  if (error instanceof errors.JWTExpired) return new CallbackAuthError("expired", error.message);
  if (error instanceof errors.JWTClaimValidationFailed)
    return new CallbackAuthError("claim", `${error.claim}: ${error.message}`);
  if (error instanceof errors.JOSEAlgNotAllowed) return new CallbackAuthError("algorithm", error.message);
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return new CallbackAuthError("unknown_key", error.message);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return new CallbackAuthError("signature", error.message);
  return new CallbackAuthError("malformed", error instanceof Error ? error.message : String(error));
}

/**
 * Checks a compact JWS's signature (RS256 only) with a key from `keys` and returns its payload's
 * bytes; throws CallbackAuthError with the reason (never echoing the token).
 */
export type SignatureCheck = (token: string, keys: JWTVerifyGetKey) => Promise<Uint8Array>;

/** jose's: WebCrypto, so it runs on every runtime. */
export const joseSignature: SignatureCheck = async (token, keys) => {
  let verified;
  try {
    verified = await compactVerify(token, keys, { algorithms: ["RS256"] });
  } catch (error) {
    throw refusal(error);
  }
  const { crit, b64 } = verified.protectedHeader;
  // jwtVerify's rule, which compactVerify leaves to its caller: a JWT's payload is base64url encoded
  if (Array.isArray(crit) && crit.includes("b64") && b64 === false)
    throw new CallbackAuthError("malformed", "JWTs MUST NOT use unencoded payload");
  return verified.payload;
};

/** verifyCallbackToken with a given signature check (the Node entry passes node:crypto's). */
export async function verifyTokenWith(
  check: SignatureCheck,
  authorizationHeader: string | null | undefined,
  options: VerifyCallbackTokenOptions,
): Promise<CallbackTokenClaims> {
  if (!authorizationHeader) throw new CallbackAuthError("missing", "no Authorization header");
  // The auth scheme is case-insensitive (RFC 9110 §11.1): `bearer` and `BEARER` are Bearer too.
  const match = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/i.exec(authorizationHeader.trim());
  if (!match) throw new CallbackAuthError("malformed", "Authorization is not `Bearer <JWT>`");
  const { cache } = options;
  // Everything the verdict depends on, so a cache shared by two setups never mixes them.
  const cacheKey = cache
    ? JSON.stringify([options.appId, options.tenantId, options.issuer, options.requireTenant, match[1]])
    : "";
  const cached = cache?.get(cacheKey, options.keys);
  if (cached) return cached as CallbackTokenClaims;
  const policy: ClaimsPolicy = {
    appId: options.appId,
    issuers:
      options.issuer === undefined
        ? CALLBACK_TOKEN_ISSUERS
        : typeof options.issuer === "string"
          ? [options.issuer]
          : options.issuer,
    tenantId: options.tenantId,
    requireTenant: options.requireTenant ?? true,
    clockToleranceSec: options.clockToleranceSec ?? 300,
  };
  const payload = await check(match[1]!, resolverFor(options.keys));
  const claims = checkClaims(claimsSetOf(payload), policy, Math.floor(Date.now() / 1000));
  if (cache && typeof claims.exp === "number") cache.set(cacheKey, options.keys, claims, claims.exp);
  return claims;
}

/**
 * Verifies `Authorization: Bearer <JWT>` of a callback: RS256 only, signature by one of `keys`,
 * `iss` (either of Microsoft's two by default), `aud` = appId, `exp` (required) and `nbf`, a `tid`
 * (required by default), equal to tenantId when set. Returns the verified claims, `tid` the verified
 * tenant; throws CallbackAuthError (never echoing the token).
 */
export function verifyCallbackToken(
  authorizationHeader: string | null | undefined,
  options: VerifyCallbackTokenOptions,
): Promise<CallbackTokenClaims> {
  return verifyTokenWith(joseSignature, authorizationHeader, options);
}
