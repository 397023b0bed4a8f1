// The callback token's RS256 signature on Node, checked synchronously with node:crypto: WebCrypto's
// verify (jose's) hands each check to a worker thread, which costs more CPU than the RSA math itself.
// Keys come from the same jose resolver (so the same key is chosen, and remote keys are fetched and
// cached as before), each turned into a KeyObject once. Only the common case is taken here: canonical
// base64url segments, a header without `crit`, a resolver that gives an RS256 CryptoKey. Every
// other token goes to jose's check, so the two paths cannot differ on a rare form.
import { KeyObject, verify } from "node:crypto";
import type { JWTVerifyGetKey } from "jose";
import { CallbackAuthError } from "../errors.js";
import { isObject } from "../internal/is-object.js";
import { joseSignature, refusal, verifyTokenWith, type SignatureCheck } from "../auth/verify.js";
import type { CallbackTokenClaims, VerifyCallbackTokenOptions } from "../auth/verify.js";

const keyObjects = new WeakMap<object, KeyObject>();
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** A segment's bytes, or null when it is not canonical base64url (jose then decides). */
function canonical(segment: string): Buffer | null {
  const bytes = Buffer.from(segment, "base64url");
  return bytes.toString("base64url") === segment ? bytes : null;
}

/**
 * The resolver's key as a KeyObject when it is a public RS256 CryptoKey (what jose's key sets give);
 * null for any other key, which jose then judges with its own rules.
 */
function keyObjectOf(key: unknown): KeyObject | null {
  if (!(key instanceof CryptoKey) || key.type !== "public" || !key.usages.includes("verify")) return null;
  const algorithm = key.algorithm as RsaHashedKeyAlgorithm;
  if (algorithm.name !== "RSASSA-PKCS1-v1_5" || algorithm.hash?.name !== "SHA-256") return null;
  let object = keyObjects.get(key);
  if (!object) keyObjects.set(key, (object = KeyObject.from(key)));
  return object;
}

/** node:crypto's signature check, jose's for what it does not take. */
export const nodeSignature: SignatureCheck = async (token, keys: JWTVerifyGetKey) => {
  const [head = "", body = "", sig = ""] = token.split(".");
  const headerBytes = canonical(head);
  const payload = canonical(body);
  const signature = canonical(sig);
  if (!headerBytes || !payload || !signature) return joseSignature(token, keys);
  let header: unknown;
  try {
    header = JSON.parse(utf8.decode(headerBytes));
  } catch {
    throw new CallbackAuthError("malformed", "JWS Protected Header is invalid");
  }
  if (!isObject(header) || header.crit !== undefined) return joseSignature(token, keys);
  const { alg } = header;
  if (typeof alg !== "string" || !alg)
    throw new CallbackAuthError("malformed", 'JWS "alg" (Algorithm) Header Parameter missing or invalid');
  if (alg !== "RS256") throw new CallbackAuthError("algorithm", '"alg" (Algorithm) Header Parameter value not allowed');
  let resolved: unknown;
  try {
    resolved = await keys({ ...header, alg }, { payload: body, protected: head, signature: sig });
  } catch (error) {
    throw refusal(error);
  }
  const key = keyObjectOf(resolved);
  if (!key) return joseSignature(token, keys);
  if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048)
    throw new CallbackAuthError("malformed", "RS256 requires key modulusLength to be 2048 bits or larger");
  let valid = false;
  try {
    valid = verify("sha256", Buffer.from(`${head}.${body}`, "latin1"), key, signature);
  } catch {
    valid = false; // OpenSSL refuses a signature of the wrong length; WebCrypto answers false
  }
  if (!valid) throw new CallbackAuthError("signature", "signature verification failed");
  return payload;
};

/**
 * verifyCallbackToken with the signature checked by node:crypto: the same checks, claims and
 * refusals, at a fraction of the CPU. The Node endpoints use it by default.
 *
 * @example
 * ```ts
 * import { verifyCallbackTokenOnNode } from "graph-invite-contract/node";
 * const claims = await verifyCallbackTokenOnNode(req.headers.authorization, { appId, keys });
 * ```
 */
export function verifyCallbackTokenOnNode(
  authorizationHeader: string | null | undefined,
  options: VerifyCallbackTokenOptions,
): Promise<CallbackTokenClaims> {
  return verifyTokenWith(nodeSignature, authorizationHeader, options);
}
