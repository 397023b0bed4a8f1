// The callback token's RS256 signature on Node, checked synchronously with node:crypto: WebCrypto's
// verify (jose's) hands each check to a worker thread, which costs more CPU than the RSA math itself.
// Keys come from the same jose resolver (so the same key is chosen, and remote keys are fetched and
// cached as before), each turned into a KeyObject once. Only the common case is taken here: segments
// that decode (checkToken let only base64url's alphabet through), a JSON header without `crit`, a
// resolver that gives an RS256 CryptoKey. Every other token goes to jose's check, so the two paths
// cannot differ on a rare form.
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

/**
 * A segment's bytes, or null for a length that leaves a lone character: Buffer would drop it, jose's
 * decoder refuses it (jose then decides). The segment holds only base64url's alphabet (checkToken's
 * pattern), and bits set past the last byte are ignored by both decoders alike (Buffer's, and
 * jose's atob or Uint8Array.fromBase64 in its default "loose" mode): the same bytes either way.
 */
function decoded(segment: string): Buffer | null {
  return segment.length % 4 === 1 ? null : Buffer.from(segment, "base64url");
}

/**
 * The resolver's key as a KeyObject when it is a public RS256 CryptoKey (what jose's key sets give);
 * null for any other key, which jose then judges with its own rules.
 */
function keyObjectOf(key: unknown): KeyObject | null {
  // (an RSASSA-PKCS1-v1_5 CryptoKey with the verify usage is a public one: WebCrypto gives a private
  // one only "sign"; and its algorithm always names its hash)
  if (!(key instanceof CryptoKey) || !key.usages.includes("verify")) return null;
  const algorithm = key.algorithm as RsaHashedKeyAlgorithm;
  if (algorithm.name !== "RSASSA-PKCS1-v1_5" || algorithm.hash.name !== "SHA-256") return null;
  let object = keyObjects.get(key);
  // Stryker disable next-line ConditionalExpression: a cache; KeyObject.from(key) anew is the same key, at more CPU
  if (!object) keyObjects.set(key, (object = KeyObject.from(key)));
  return object;
}

/** The RS256 verdict on `token`'s first two segments: the payload's bytes, or a refusal. */
function checked(token: string, key: KeyObject, payload: Buffer, signature: Buffer): Buffer {
  // (a signature of the wrong length is false too, as in WebCrypto: node:crypto throws only for a
  // digest or key it does not know)
  const signed = token.slice(0, token.lastIndexOf("."));
  // Stryker disable next-line StringLiteral: the token is ASCII (checkToken's pattern): latin1 and the default utf8 give the same bytes
  const input = Buffer.from(signed, "latin1");
  if (!verify("sha256", input, key, signature))
    throw new CallbackAuthError("signature", "signature verification failed");
  return payload;
}

function remember(keys: KeySource, head: string, key: KeyObject) {
  let headers = verifiedHeaders.get(keys);
  if (!headers) verifiedHeaders.set(keys, (headers = new Map()));
  if (headers.size >= MAX_HEADERS) headers.clear();
  headers.set(head, key);
}

/** A token's three segments: checkToken lets no other form through. */
type Segments = [head: string, body: string, sig: string];

/** The header's JSON, or undefined when it is not UTF-8 JSON (jose refuses it, in its own words). */
function headerOf(bytes: Buffer): unknown {
  try {
    return JSON.parse(utf8.decode(bytes));
  } catch {
    // undefined: jose's check phrases the refusal
  }
}

/** The header's checks, the key's resolution, then the signature: a token whose header is not known yet. */
async function resolved(token: string, [head, body, sig]: Segments, keys: KeySource): Promise<Uint8Array> {
  const headerBytes = decoded(head);
  const payload = decoded(body);
  const signature = decoded(sig);
  if (!headerBytes || !payload || !signature) return joseSignature(token, keys);
  const header = headerOf(headerBytes);
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
  // (an RSA KeyObject always has both)
  if (key.asymmetricKeyDetails!.modulusLength! < 2048)
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
  const parts = token.split(".") as Segments;
  const key = verifiedHeaders.get(keys)?.get(parts[0]); // only a fixed key set's headers are remembered
  if (!key) return resolved(token, parts, keys);
  const payload = decoded(parts[1]);
  const signature = decoded(parts[2]);
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
