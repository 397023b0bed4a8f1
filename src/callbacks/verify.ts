// verifyCallbackToken: the Bearer JWT Microsoft attaches to callbacks, checked with jose.
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from "jose";
import { CallbackAuthError } from "../errors.js";

export const CALLBACK_TOKEN_ISSUER = "https://api.botframework.com";
/** Where Microsoft publishes the callback tokens' signing keys (its `jwks_uri`). */
export const CALLBACK_OPENID_CONFIGURATION = "https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration";

export interface VerifyCallbackTokenOptions {
  /** The bot's application id: the token's `aud`. */
  appId: string;
  /** A JWKS, or a key resolver such as `remoteCallbackKeys()` or jose's `createRemoteJWKSet`. */
  keys: JSONWebKeySet | JWTVerifyGetKey;
  /** Default `https://api.botframework.com`. */
  issuer?: string;
  /** When set, the token's `tid` must be this tenant. */
  tenantId?: string;
  /** Leeway for `exp`/`nbf`, in seconds. Default 300 (Bot Framework's own). */
  clockToleranceSec?: number;
}

const localSets = new WeakMap<JSONWebKeySet, JWTVerifyGetKey>();

function resolverFor(keys: JSONWebKeySet | JWTVerifyGetKey): JWTVerifyGetKey {
  if (typeof keys === "function") return keys;
  let resolver = localSets.get(keys);
  if (!resolver) localSets.set(keys, (resolver = createLocalJWKSet(keys)));
  return resolver;
}

function refusal(error: unknown): CallbackAuthError {
  if (error instanceof CallbackAuthError) return error;
  if (error instanceof errors.JWTExpired) return new CallbackAuthError("expired", error.message);
  if (error instanceof errors.JWTClaimValidationFailed) return new CallbackAuthError("claim", `${error.claim}: ${error.message}`);
  if (error instanceof errors.JOSEAlgNotAllowed) return new CallbackAuthError("algorithm", error.message);
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return new CallbackAuthError("unknown_key", error.message);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return new CallbackAuthError("signature", error.message);
  return new CallbackAuthError("malformed", error instanceof Error ? error.message : String(error));
}

/**
 * Verifies `Authorization: Bearer <JWT>` of a callback: RS256 only, signature by one of `keys`,
 * `iss`, `aud` = appId, `exp` (required) and `nbf`, and `tid` when tenantId is set. Returns the verified claims;
 * throws CallbackAuthError (never echoing the token).
 */
export async function verifyCallbackToken(
  authorizationHeader: string | null | undefined,
  options: VerifyCallbackTokenOptions,
): Promise<JWTPayload> {
  if (!authorizationHeader) throw new CallbackAuthError("missing", "no Authorization header");
  const match = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/.exec(authorizationHeader.trim());
  if (!match) throw new CallbackAuthError("malformed", "Authorization is not `Bearer <JWT>`");
  try {
    const { payload } = await jwtVerify(match[1]!, resolverFor(options.keys), {
      algorithms: ["RS256"],
      issuer: options.issuer ?? CALLBACK_TOKEN_ISSUER,
      audience: options.appId,
      clockTolerance: options.clockToleranceSec ?? 300,
      requiredClaims: ["exp"], // a token without exp would be good forever
    });
    if (options.tenantId !== undefined && payload.tid !== options.tenantId) {
      throw new CallbackAuthError("tenant", `token is for tenant ${String(payload.tid)}, expected ${options.tenantId}`);
    }
    return payload;
  } catch (error) {
    throw refusal(error);
  }
}

/**
 * Microsoft's callback signing keys, from its OpenID configuration (fetched once, on first use;
 * the JWKS is cached and refreshed by jose). Pass as `keys` to verifyCallbackToken.
 */
export function remoteCallbackKeys(openIdConfigurationUrl: string = CALLBACK_OPENID_CONFIGURATION): JWTVerifyGetKey {
  let jwks: Promise<JWTVerifyGetKey> | null = null;
  const load = async () => {
    const response = await fetch(openIdConfigurationUrl);
    if (!response.ok) throw new CallbackAuthError("unknown_key", `OpenID configuration answered ${response.status}`);
    const config = (await response.json()) as { jwks_uri?: unknown };
    if (typeof config.jwks_uri !== "string") throw new CallbackAuthError("unknown_key", "OpenID configuration has no jwks_uri");
    return createRemoteJWKSet(new URL(config.jwks_uri));
  };
  return async (header, token) => {
    jwks ??= load().catch((error: unknown) => {
      jwks = null; // retry on the next callback
      throw error;
    });
    return (await jwks)(header, token);
  };
}
