// The callback token's RS256 signature on Node, checked synchronously with node:crypto: WebCrypto's
// verify (jose's) hands each check to a worker thread, which costs more CPU than the RSA math itself.
// Keys come from the same jose resolver (so the same key is chosen, and remote keys are fetched and
// cached as before), each turned into a KeyObject once. Only the common case is taken here: canonical
// base64url segments, a header without `crit`, a resolver that gives an RS256 CryptoKey. Every
// other token goes to jose's check, so the two paths cannot differ on a rare form.
import { KeyObject, verify } from "node:crypto";
import { CallbackAuthError } from "../errors.js";
import { isObject } from "../internal/is-object.js";
import { checkToken, joseSignature, refusal, verifyTokenWith, type KeySource } from "../auth/verify.js";
import type { CallbackTokenClaims, VerifyCallbackTokenOptions } from "../auth/verify.js";

const keyObjects = new WeakMap<object, KeyObject>();
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Per JWKS given as an object (a fixed key source): the protected headers of tokens whose signature
 * was verified, each with its key. The same header always resolves to the same key there, so a token
 * with one of them is checked at once, without jose's (asynchronous) resolution. Only genuinely
 * signed headers get in, and few: Microsoft signs with a handful of keys.
 */
const verifiedHeaders = new WeakMap<KeySource, Map<string, KeyObject>>();
const MAX_HEADERS = 16;

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const ALPHABET = /^[A-Za-z0-9_-]*$/;

/**
 * A segment's bytes, or null when it is not canonical base64url (jose then decides): only the
 * alphabet, no length that leaves a lone character, no bits set past the last byte.
 */
function canonical(segment: string): Buffer | null {
  const rest = segment.length % 4;
  if (rest === 1 || !ALPHABET.test(segment)) return null;
  if (rest !== 0 && BASE64URL.indexOf(segment[segment.length - 1]!) & (rest === 2 ? 0x0f : 0x03)) return null;
  return Buffer.from(segment, "base64url");
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

/** The RS256 verdict on `token`'s first two segments: the payload's bytes, or a refusal. */
function checked(token: string, key: KeyObject, payload: Buffer, signature: Buffer): Buffer {
  let valid = false;
  try {
    valid = verify("sha256", Buffer.from(token.slice(0, token.lastIndexOf(".")), "latin1"), key, signature);
  } catch {
    valid = false; // OpenSSL refuses a signature of the wrong length; WebCrypto answers false
  }
  if (!valid) throw new CallbackAuthError("signature", "signature verification failed");
  return payload;
}

function remember(keys: KeySource, head: string, key: KeyObject) {
  let headers = verifiedHeaders.get(keys);
  if (!headers) verifiedHeaders.set(keys, (headers = new Map()));
  if (headers.size >= MAX_HEADERS) headers.clear();
  headers.set(head, key);
}

/** The header's checks, the key's resolution, then the signature: a token whose header is not known yet. */
async function resolved(token: string, parts: string[], keys: KeySource): Promise<Uint8Array> {
  const [head = "", body = "", sig = ""] = parts;
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
  let found: unknown;
  try {
    found = await keys.resolve({ ...header, alg }, { payload: body, protected: head, signature: sig });
  } catch (error) {
    throw refusal(error);
  }
  const key = keyObjectOf(found);
  if (!key) return joseSignature(token, keys);
  if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048)
    throw new CallbackAuthError("malformed", "RS256 requires key modulusLength to be 2048 bits or larger");
  checked(token, key, payload, signature);
  if (keys.fixed) remember(keys, head, key);
  return payload;
}

/**
 * node:crypto's signature check, jose's for what it does not take; at once for a header verified
 * before with the same fixed key set.
 */
export function nodeSignature(token: string, keys: KeySource): Uint8Array | Promise<Uint8Array> {
  const parts = token.split(".");
  const key = keys.fixed ? verifiedHeaders.get(keys)?.get(parts[0]!) : undefined;
  if (!key || parts.length !== 3) return resolved(token, parts, keys);
  const payload = canonical(parts[1]!);
  const signature = canonical(parts[2]!);
  if (!payload || !signature) return joseSignature(token, keys);
  return checked(token, key, payload, signature);
}

/** verifyCallbackTokenOnNode as the Node endpoints call it: the claims at once when the check answers at once. */
export const checkTokenOnNode = (
  authorizationHeader: string | null | undefined,
  options: VerifyCallbackTokenOptions,
): CallbackTokenClaims | Promise<CallbackTokenClaims> => checkToken(nodeSignature, authorizationHeader, options);

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
