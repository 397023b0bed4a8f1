// The claims of a callback token whose signature is already verified: one module for both ways of
// verifying it (jose's, everywhere; node:crypto's, on Node), so the two cannot disagree on a claim.
// The checks and their order are jose's jwtVerify with the options verifyCallbackToken passes
// (issuer list, audience, required exp, clock tolerance), then the tenant.
import { CallbackAuthError } from "../errors.js";
import { isObject, type JsonObject } from "../internal/is-object.js";

/** A verified callback token's claims; `tid` is the verified tenant (present unless `requireTenant: false`). */
export interface CallbackTokenClaims {
  /** The issuer: one of the accepted issuers (`issuer`, default CALLBACK_TOKEN_ISSUERS). Always present once verified. */
  iss?: string;
  /** The subject, as Microsoft sent it; not checked. */
  sub?: string;
  /** The audience: the bot's `appId`, or a list that holds it. Always present once verified. */
  aud?: string | string[];
  /** Expiry, in seconds since the epoch; in the future (within `clockToleranceSec`). Always present once verified. */
  exp?: number;
  /** Not before, in seconds since the epoch; when present, not in the future (within `clockToleranceSec`). */
  nbf?: number;
  /** Issued at, in seconds since the epoch; when present, a number (not compared with the clock). */
  iat?: number;
  /** The token's id, as sent; not checked (the token does not cover the body: see `createReplayGuard`). */
  jti?: string;
  /** The tenant the token was issued for, equal to `tenantId` when that option is set. Absent only with `requireTenant: false`. */
  tid?: string;
  /** Any other claim Microsoft sent, unchecked, as parsed from the token's JSON. */
  [claim: string]: unknown;
}

/** What the claims are checked against: the verifier's settled options. */
export interface ClaimsPolicy {
  appId: string;
  issuers: readonly string[];
  tenantId: string | undefined;
  requireTenant: boolean;
  clockToleranceSec: number;
}

const utf8 = /* @__PURE__ */ new TextDecoder("utf-8", { fatal: true });

/** The claims set of a verified token, from its payload's bytes; a refusal when it is not a JSON object. */
export function claimsSetOf(payload: Uint8Array): JsonObject {
  let claims: unknown;
  try {
    claims = JSON.parse(utf8.decode(payload));
  } catch {
    throw new CallbackAuthError("malformed", "the token's claims are not JSON");
  }
  if (!isObject(claims)) throw new CallbackAuthError("malformed", "the token's claims are not a JSON object");
  return claims;
}

const claimFailed = (claim: string, why: string) => new CallbackAuthError("claim", `${claim}: ${why}`);

/** A NumericDate claim: absent, or a number. */
function numericDate(claims: JsonObject, claim: string): number | undefined {
  const value = claims[claim];
  if (value === undefined) return undefined;
  if (typeof value !== "number") throw claimFailed(claim, `"${claim}" claim must be a number`);
  return value;
}

/**
 * Checks a verified token's claims against `policy` at `nowSec` (seconds since the epoch) and
 * returns them; throws CallbackAuthError: `claim` (iss, aud, nbf, a malformed date), `expired`, `tenant`.
 */
export function checkClaims(claims: JsonObject, policy: ClaimsPolicy, nowSec: number): CallbackTokenClaims {
  for (const claim of ["iss", "aud", "exp"]) {
    if (!Object.hasOwn(claims, claim)) throw claimFailed(claim, `missing required "${claim}" claim`);
  }
  if (!policy.issuers.includes(claims.iss as string)) throw claimFailed("iss", 'unexpected "iss" claim value');
  const { aud } = claims;
  const audienceMatches =
    typeof aud === "string" ? aud === policy.appId : Array.isArray(aud) && aud.includes(policy.appId);
  if (!audienceMatches) throw claimFailed("aud", 'unexpected "aud" claim value');
  const tolerance = policy.clockToleranceSec;
  numericDate(claims, "iat");
  const nbf = numericDate(claims, "nbf");
  if (nbf !== undefined && nbf > nowSec + tolerance) throw claimFailed("nbf", '"nbf" claim timestamp check failed');
  const exp = numericDate(claims, "exp");
  if (exp !== undefined && exp <= nowSec - tolerance)
    throw new CallbackAuthError("expired", '"exp" claim timestamp check failed');
  const { tid } = claims;
  if (tid !== undefined && typeof tid !== "string")
    throw new CallbackAuthError("tenant", "the tid claim is not a string");
  if (policy.requireTenant && !tid) throw new CallbackAuthError("tenant", "the token names no tenant (tid)");
  if (policy.tenantId !== undefined && tid !== policy.tenantId) {
    throw new CallbackAuthError("tenant", `token is for tenant ${String(tid)}, expected ${policy.tenantId}`);
  }
  return claims as CallbackTokenClaims;
}
