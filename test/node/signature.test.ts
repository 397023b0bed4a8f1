// verifyCallbackTokenOnNode (node:crypto's signature check) against verifyCallbackToken (jose's):
// the same verdict, reason and claims on valid tokens, on every forged or broken form, on keys of
// every kind, and on fuzzed tokens; and the signature really checked without WebCrypto.
import fc from "fast-check";
import { errors, exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet, type JWTPayload } from "jose";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  CallbackAuthError,
  InvalidOptionError,
  verifyCallbackToken,
  type CallbackJsonWebKeySet,
  type VerifyCallbackTokenOptions,
} from "../../src/index.js";
import { verifyCallbackTokenOnNode } from "../../src/node/index.js";
import { checkTokenOnNode } from "../../src/node/signature.js";
import { SEED, runs } from "../support/fuzz.js";

const APP_ID = "b6ba4e3c-1a9a-4c9e-8b8b-6b9a0c2f4d11";
const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const ISSUER = "https://api.botframework.com";
const now = () => Math.floor(Date.now() / 1000);
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");

let jwks: JSONWebKeySet;
let privateKey: CryptoKey;
let tokens: string[];

const claims = (extra: JWTPayload = {}): JWTPayload => ({
  iss: ISSUER,
  aud: APP_ID,
  tid: TENANT,
  iat: now(),
  nbf: now() - 10,
  exp: now() + 600,
  ...extra,
});
/** A token signed as given, header and all, even where jose would refuse to sign it. */
async function signRaw(header: object | string, payload: string, key = privateKey) {
  const input = `${typeof header === "string" ? header : b64(header)}.${payload}`;
  const signature = await crypto.subtle.sign("RSASSA-PKCS1-v1_5", key, new TextEncoder().encode(input));
  return `${input}.${Buffer.from(signature).toString("base64url")}`;
}
/** `segment` made a length no base64url has (one character past a whole group of four). */
const loneChar = (segment: string) => segment + "A".repeat((5 - (segment.length % 4)) % 4);
const sign = (extra: JWTPayload = {}, header: Record<string, unknown> = {}, key = privateKey) =>
  new SignJWT(claims(extra)).setProtectedHeader({ alg: "RS256", kid: "key-1", typ: "JWT", ...header }).sign(key);

/** Both verifiers' outcome: the reason of a refusal, or the claims. */
async function outcomes(authorization: string | undefined, options: Partial<VerifyCallbackTokenOptions> = {}) {
  const settle = async (verify: typeof verifyCallbackToken) => {
    try {
      return { claims: await verify(authorization, { appId: APP_ID, keys: jwks, ...options }) };
    } catch (error) {
      expect(error).toBeInstanceOf(CallbackAuthError);
      // the same reason and the same words: an operator reads either path's refusal alike
      return { reason: (error as CallbackAuthError).reason, message: (error as CallbackAuthError).message };
    }
  };
  return { jose: await settle(verifyCallbackToken), node: await settle(verifyCallbackTokenOnNode) };
}
async function agree(authorization: string | undefined, options: Partial<VerifyCallbackTokenOptions> = {}) {
  const { jose, node } = await outcomes(authorization, options);
  expect(node, authorization?.slice(0, 120)).toEqual(jose);
  return jose;
}

beforeAll(async () => {
  const ours = await generateKeyPair("RS256");
  privateKey = ours.privateKey;
  const small = await generateKeyPair("RS256", { modulusLength: 1024 }).catch(() => null);
  jwks = {
    keys: [
      { ...(await exportJWK(ours.publicKey)), kid: "key-1", alg: "RS256", use: "sig" },
      // a second key under another kid, one declared for encryption, one too small for RS256
      { ...(await exportJWK((await generateKeyPair("RS256")).publicKey)), kid: "key-2" },
      { ...(await exportJWK((await generateKeyPair("RS256")).publicKey)), kid: "key-enc", use: "enc" },
      ...(small ? [{ ...(await exportJWK(small.publicKey)), kid: "key-small" }] : []),
    ],
  };
  tokens = [await sign(), await sign({ aud: [APP_ID, "x"] }), await sign({ tid: TENANT, sub: "s", jti: "j" })];
});

afterEach(() => vi.restoreAllMocks());

describe("verifyCallbackTokenOnNode", () => {
  it("accepts what verifyCallbackToken accepts, with the same claims", async () => {
    for (const token of tokens)
      expect((await agree(`Bearer ${token}`)).claims).toMatchObject({ aud: expect.anything() });
  });

  it("checks the signature with node:crypto, not WebCrypto", async () => {
    const webCrypto = vi.spyOn(crypto.subtle, "verify").mockRejectedValue(new Error("WebCrypto is not used"));
    await expect(
      verifyCallbackTokenOnNode(`Bearer ${tokens[0]}`, { appId: APP_ID, keys: jwks }),
    ).resolves.toMatchObject({
      tid: TENANT,
    });
    expect(webCrypto).not.toHaveBeenCalled();
    await expect(verifyCallbackToken(`Bearer ${tokens[0]}`, { appId: APP_ID, keys: jwks })).rejects.toMatchObject({
      reason: "signature",
    });
  });

  it("refuses every forged or broken form with jose's reason", async () => {
    const [token] = tokens as [string];
    const [head, body, sig] = token.split(".") as [string, string, string];
    const stranger = (await generateKeyPair("RS256")).privateKey;
    const rs512 = (await generateKeyPair("RS512")).privateKey;
    const forms: Array<string | undefined> = [
      undefined,
      "Basic YTpi",
      "Bearer not-a-jwt",
      `Bearer ${await sign({ aud: "another-app" })}`,
      `Bearer ${await sign({ iss: "https://evil.example" })}`,
      `Bearer ${await sign({ exp: now() - 3600, nbf: now() - 7200 })}`,
      `Bearer ${await sign({ nbf: now() + 3600 })}`,
      `Bearer ${await sign({ exp: undefined })}`,
      `Bearer ${await sign({ iss: undefined })}`,
      `Bearer ${await sign({ aud: undefined })}`,
      `Bearer ${await sign({ tid: undefined })}`,
      `Bearer ${await sign({ tid: 7 as never })}`,
      `Bearer ${await sign({ exp: "soon" as never })}`,
      `Bearer ${await sign({ nbf: "now" as never })}`,
      `Bearer ${await sign({ iat: "then" as never })}`,
      `Bearer ${await sign({}, { kid: "key-9" })}`,
      `Bearer ${await sign({}, { kid: "key-2" })}`, // a known kid, another key's signature
      `Bearer ${await sign({}, { kid: "key-enc" })}`,
      `Bearer ${await sign({}, { kid: "key-small" })}`,
      `Bearer ${await sign({}, {}, stranger)}`,
      `Bearer ${await sign({}, { kid: undefined }, stranger)}`,
      `Bearer ${await sign({}, { crit: ["b64"], b64: true })}`,
      `Bearer ${await signRaw({ alg: "RS256", kid: "key-1", crit: ["exp"], exp: 1 }, body)}`,
      `Bearer ${await signRaw({ alg: "RS256", kid: "key-1", crit: ["b64"], b64: false }, body)}`,
      `Bearer ${await signRaw({ alg: "RS256", kid: "key-1", crit: [] }, body)}`,
      `Bearer ${await signRaw({ alg: "RS256", kid: "key-1", b64: false }, body)}`,
      `Bearer ${await signRaw({ alg: "RS256", kid: "key-1", typ: 7 }, body)}`,
      `Bearer ${await sign({}, { kid: undefined })}`, // several keys match
      `Bearer ${await new SignJWT(claims()).setProtectedHeader({ alg: "RS512", kid: "key-1" }).sign(rs512)}`,
      `Bearer ${b64({ alg: "none" })}.${body}.`,
      `Bearer ${b64({ alg: "HS256", kid: "key-1" })}.${body}.${sig}`,
      `Bearer ${b64({ kid: "key-1" })}.${body}.${sig}`,
      `Bearer ${b64({ alg: 256, kid: "key-1" })}.${body}.${sig}`,
      `Bearer ${b64([1])}.${body}.${sig}`,
      `Bearer ${Buffer.from("{").toString("base64url")}.${body}.${sig}`,
      `Bearer ${Buffer.from([0xff, 0xfe]).toString("base64url")}.${body}.${sig}`,
      // JSON whose string holds a byte that is not UTF-8: jose's header decoder is fatal
      `Bearer ${Buffer.concat([Buffer.from('{"alg":"RS256","kid":"key-1","x":"'), Buffer.from([0xff]), Buffer.from('"}')]).toString("base64url")}.${body}.${sig}`,
      `Bearer ${head}.${b64([1, 2])}.${sig}`,
      `Bearer ${head}..${sig}`,
      `Bearer ${head}.${body}.`,
      `Bearer ${head}.${body}.${sig.slice(0, -4)}`,
      `Bearer ${head}.${body}.${sig}A`, // a length no base64url has
      `Bearer ${head}.${body}.${sig.slice(0, -1)}${sig.at(-1) === "A" ? "B" : "A"}`,
      `Bearer ${head}.${body}x.${sig}`,
      // a length no base64url has: Buffer would drop the lone character, jose's decoder refuses it
      `Bearer ${head}.${body}.${loneChar(sig)}`,
      `Bearer ${await signRaw({ alg: "RS256", kid: "key-1" }, loneChar(body))}`, // signed as it is
      `Bearer ${await signRaw(loneChar(b64({ alg: "RS256", kid: "key-1" })), body)}`,
      `bearer ${token}`,
      `Bearer  ${token}`,
    ];
    for (const form of forms) await agree(form);
    for (const options of [
      { tenantId: TENANT },
      { tenantId: "another" },
      { requireTenant: false },
      { issuer: "https://graph.microsoft.com" },
      { issuer: [ISSUER] },
      { clockToleranceSec: 0 },
    ])
      for (const form of forms.slice(3, 14)) await agree(form, options);
  });

  it("agrees with jose at the clock tolerance's edges", async () => {
    for (const tolerance of [0, 5, 300]) {
      for (const offset of [-1, 0, 1]) {
        await agree(`Bearer ${await sign({ exp: now() - tolerance + offset })}`, { clockToleranceSec: tolerance });
        await agree(`Bearer ${await sign({ nbf: now() + tolerance + offset })}`, { clockToleranceSec: tolerance });
      }
    }
  });

  it("agrees with jose on fuzzed tokens: any segment flipped, cut or replaced", async () => {
    const [token] = tokens as [string];
    const segments = token.split(".");
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const mutated = fc.oneof(
      fc
        .tuple(fc.nat(token.length - 1), fc.constantFrom(...alphabet))
        .map(([at, c]) => token.slice(0, at) + c + token.slice(at + 1)),
      fc.nat(token.length).map((at) => token.slice(0, at)),
      fc
        .tuple(fc.nat(2), fc.jsonValue())
        .map(([i, value]) => segments.map((s, j) => (j === i && i < 2 ? b64(value) : s)).join(".")),
      fc
        .dictionary(fc.constantFrom("alg", "kid", "typ", "crit", "b64", "jwk", "x5t"), fc.jsonValue(), { maxKeys: 4 })
        .map((extra) => [b64({ alg: "RS256", kid: "key-1", ...extra }), segments[1], segments[2]].join(".")),
    );
    await fc.assert(
      fc.asyncProperty(mutated, async (candidate) => {
        await agree(`Bearer ${candidate}`);
      }),
      { seed: SEED, numRuns: runs(300) },
    );
  });

  it("leaves every key that is not a public RS256 CryptoKey to jose, with jose's verdict", async () => {
    const [token] = tokens as [string];
    const publicJwk = jwks.keys[0]!;
    const spki = (await crypto.subtle.exportKey(
      "spki",
      await crypto.subtle.importKey("jwk", publicJwk, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, true, ["verify"]),
    )) as ArrayBuffer;
    const imported = (algorithm: RsaHashedImportParams, usages: KeyUsage[]) =>
      crypto.subtle.importKey("spki", spki, algorithm, true, usages);
    const small = await crypto.subtle.generateKey(
      { name: "RSASSA-PKCS1-v1_5", modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
      true,
      ["sign", "verify"],
    );
    const smallToken = await signRaw({ alg: "RS256", kid: "key-1" }, token.split(".")[1]!, small.privateKey);
    const keysGiven: Array<[string, unknown, string?]> = [
      ["an RS256 CryptoKey", await imported({ name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, ["verify"])],
      ["a CryptoKey for SHA-384", await imported({ name: "RSASSA-PKCS1-v1_5", hash: "SHA-384" }, ["verify"])],
      ["an RSA-PSS CryptoKey", await imported({ name: "RSA-PSS", hash: "SHA-256" }, ["verify"])],
      ["a CryptoKey without the verify usage", await imported({ name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, [])],
      ["a private CryptoKey", privateKey],
      ["a JWK object", publicJwk],
      ["a KeyObject", (await import("node:crypto")).createPublicKey({ key: publicJwk as never, format: "jwk" })],
      ["a 1024-bit key", small.publicKey, smallToken],
      ["nothing", undefined],
    ];
    for (const [label, key, signed = token] of keysGiven) {
      const { jose, node } = await outcomes(`Bearer ${signed}`, { keys: async () => key });
      expect(node, label).toEqual(jose);
    }
    // the one the fast path takes is accepted, the others as jose judges them
    const rs256 = await outcomes(`Bearer ${token}`, { keys: async () => keysGiven[0]![1] });
    expect(rs256.node).toHaveProperty("claims");
  });

  it("gives a key resolver the header and token jose gives it, once per token", async () => {
    const [token] = tokens as [string];
    const [head, body, sig] = token.split(".") as [string, string, string];
    const key = await crypto.subtle.importKey(
      "jwk",
      jwks.keys[0]!,
      { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
      false,
      ["verify"],
    );
    for (const verify of [verifyCallbackToken, verifyCallbackTokenOnNode]) {
      const calls: unknown[][] = [];
      const keys = async (...args: unknown[]) => (calls.push(args), key);
      await expect(verify(`Bearer ${token}`, { appId: APP_ID, keys })).resolves.toMatchObject({ tid: TENANT });
      expect(calls, verify.name).toEqual([
        [
          { alg: "RS256", kid: "key-1", typ: "JWT" },
          { payload: body, protected: head, signature: sig },
        ],
      ]);
    }
  });

  it("asks a key resolver that fails once, as jose does, and refuses with jose's reason", async () => {
    const [token] = tokens as [string];
    for (const failure of [() => new errors.JWKSNoMatchingKey(), () => new Error("the network is down")]) {
      const asked = { jose: 0, node: 0 };
      const refusals = {} as Record<keyof typeof asked, unknown>;
      for (const [name, verify] of [
        ["jose", verifyCallbackToken],
        ["node", verifyCallbackTokenOnNode],
      ] as const) {
        const keys = async () => {
          asked[name]++;
          throw failure();
        };
        refusals[name] = await verify(`Bearer ${token}`, { appId: APP_ID, keys }).catch((e: CallbackAuthError) => ({
          reason: e.reason,
          message: e.message,
        }));
      }
      expect(asked).toEqual({ jose: 1, node: 1 });
      expect(refusals.node).toEqual(refusals.jose);
    }
  });

  it("takes a token whose segments are not canonical base64url as jose does", async () => {
    const [token] = tokens as [string];
    const [head, body, sig] = token.split(".") as [string, string, string];
    // 256 signature bytes leave 4 unused bits in the last character: set them, the bytes stay the same
    const last = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const loose = last[last.indexOf(sig.at(-1)!) ^ 0b1]!; // always another character, the same bytes
    const { jose, node } = await outcomes(`Bearer ${head}.${body}.${sig.slice(0, -1)}${loose}`);
    expect(node).toEqual(jose);
  });
});

describe("both verifiers, called again and again with one options object", () => {
  const verifiers = { jose: verifyCallbackToken, node: verifyCallbackTokenOnNode };
  const verdict = async (verify: typeof verifyCallbackToken, token: string, options: VerifyCallbackTokenOptions) => {
    try {
      await verify(`Bearer ${token}`, options);
      return "accepted";
    } catch (error) {
      if (error instanceof InvalidOptionError) return `option ${error.option}`;
      return (error as CallbackAuthError).reason;
    }
  };

  it.each(Object.entries(verifiers))(
    "%s: reads each option as it is at each call, changed in place",
    async (_, verify) => {
      const [token] = tokens as [string];
      const options: VerifyCallbackTokenOptions = { appId: APP_ID, keys: jwks };
      const steps: Array<[string, () => void, string]> = [
        ["as given", () => {}, "accepted"],
        ["another app", () => (options.appId = "another-app"), "claim"],
        ["the app again", () => (options.appId = APP_ID), "accepted"],
        ["another tenant", () => (options.tenantId = "another"), "tenant"],
        ["no tenant option", () => delete options.tenantId, "accepted"],
        ["an issuer list", () => (options.issuer = [ISSUER]), "accepted"],
        ["the list changed in place", () => ((options.issuer as string[])[0] = "https://graph.microsoft.com"), "claim"],
        ["the list grown in place", () => (options.issuer as string[]).push(ISSUER), "accepted"],
        ["a tolerance out of range", () => (options.clockToleranceSec = -1), "option clockToleranceSec"],
        ["no tolerance option", () => delete options.clockToleranceSec, "accepted"],
        ["the app id unset", () => (options.appId = undefined as never), "option appId"],
        ["the app id set again", () => (options.appId = APP_ID), "accepted"],
        ["keys unset", () => (options.keys = undefined as never), "option keys"],
        ["keys again", () => (options.keys = jwks), "accepted"],
      ];
      for (const [step, change, expected] of steps) {
        change();
        expect([step, await verdict(verify, token, options)]).toEqual([step, expected]);
      }
    },
  );

  it.each(Object.entries(verifiers))(
    "%s: checks each signature, and the set as it is now, for a header it has verified before",
    async (_, verify) => {
      const [token] = tokens as [string];
      const [head, body] = token.split(".") as [string, string];
      const set: CallbackJsonWebKeySet = { keys: [...jwks.keys] as CallbackJsonWebKeySet["keys"] };
      const options = { appId: APP_ID, keys: set };
      expect(await verdict(verify, token, options)).toBe("accepted");
      expect(await verdict(verify, token, options)).toBe("accepted");
      // the same header, another token's signature: the header is known, the signature still checked
      const other = (await sign({ jti: "other" })).split(".")[2]!;
      expect(await verdict(verify, `${head}.${body}.${other}`, options)).toBe("signature");
      // the same header, the payload's last character changed: its bits past the last byte
      const last = body.at(-1)!;
      if (body.length % 4 !== 0) {
        const flipped = `${head}.${body.slice(0, -1)}${last === "A" ? "B" : "A"}.${token.split(".")[2]}`;
        expect(await verdict(verify, flipped, options)).toBe("signature");
      }
      set.keys.shift(); // key-1 revoked in place
      expect(await verdict(verify, token, options)).toBe("unknown_key");
      set.keys.unshift(jwks.keys[0] as CallbackJsonWebKeySet["keys"][number]);
      expect(await verdict(verify, token, options)).toBe("accepted");
      set.keys[0] = { ...set.keys[0]!, n: (jwks.keys[1] as { n: string }).n }; // key-1's modulus replaced in place
      expect(await verdict(verify, token, options)).toBe("signature");
    },
  );
});

describe("the Node endpoints' check (checkTokenOnNode)", () => {
  const options = () => ({ appId: APP_ID, keys: { keys: [...jwks.keys] } as CallbackJsonWebKeySet });

  it("answers at once, not with a promise, for a header verified before with the same key set", async () => {
    const opts = options();
    const first = checkTokenOnNode(`Bearer ${tokens[0]}`, opts);
    expect(first).toBeInstanceOf(Promise); // the key is resolved by jose's set the first time
    await first;
    const again = checkTokenOnNode(`Bearer ${await sign({ jti: "again" })}`, opts);
    expect(again).not.toBeInstanceOf(Promise);
    expect(again).toMatchObject({ jti: "again", tid: TENANT });
  });

  it("answers at once with a key set whose key has a property written as undefined (JSON leaves it out too)", async () => {
    const opts = { appId: APP_ID, keys: { keys: [{ ...jwks.keys[0]!, x5t: undefined }] } as CallbackJsonWebKeySet };
    await checkTokenOnNode(`Bearer ${tokens[0]}`, opts);
    expect(checkTokenOnNode(`Bearer ${tokens[0]}`, opts)).not.toBeInstanceOf(Promise);
  });

  it("keeps each header it verified: two headers in turn both answer at once", async () => {
    const opts = options();
    const one = await sign({}, { typ: "JWT" });
    const two = await sign({}, { typ: "at+jwt" });
    await checkTokenOnNode(`Bearer ${one}`, opts);
    await checkTokenOnNode(`Bearer ${two}`, opts);
    expect(checkTokenOnNode(`Bearer ${one}`, opts)).not.toBeInstanceOf(Promise);
    expect(checkTokenOnNode(`Bearer ${two}`, opts)).not.toBeInstanceOf(Promise);
  });

  it("refuses at once, for a known header, a forged or short signature", async () => {
    const opts = options();
    const [token] = tokens as [string];
    const [head, body, sig] = token.split(".") as [string, string, string];
    await checkTokenOnNode(`Bearer ${token}`, opts);
    const short = Buffer.from(sig, "base64url").subarray(0, 255).toString("base64url"); // canonical, one byte short
    const forged = Buffer.from(sig, "base64url").map((b, i) => (i === 9 ? b ^ 1 : b));
    for (const signature of [short, Buffer.from(forged).toString("base64url")]) {
      expect(() => checkTokenOnNode(`Bearer ${head}.${body}.${signature}`, opts)).toThrow(
        expect.objectContaining({ reason: "signature" }),
      );
    }
  });

  it("remembers at most 16 verified headers per key set, then starts afresh: its memory is bounded", async () => {
    const opts = options();
    const signed = await Promise.all(Array.from({ length: 17 }, (_, i) => sign({}, { typ: `JWT-${i}` })));
    for (const token of signed.slice(0, 16)) await checkTokenOnNode(`Bearer ${token}`, opts);
    for (const token of signed.slice(0, 16))
      expect(checkTokenOnNode(`Bearer ${token}`, opts)).not.toBeInstanceOf(Promise);
    await checkTokenOnNode(`Bearer ${signed[16]}`, opts); // a 17th header
    const first = checkTokenOnNode(`Bearer ${signed[0]}`, opts);
    expect(first).toBeInstanceOf(Promise); // forgotten: resolved by jose's set again
    await expect(first).resolves.toMatchObject({ tid: TENANT });
    expect(checkTokenOnNode(`Bearer ${signed[16]}`, opts)).not.toBeInstanceOf(Promise);
  });

  it("refuses, for a header verified before, a segment of a length no base64url has in jose's words", async () => {
    const [token] = tokens as [string];
    const [head, body, sig] = token.split(".") as [string, string, string];
    await agree(`Bearer ${token}`);
    expect(checkTokenOnNode(`Bearer ${token}`, { appId: APP_ID, keys: jwks })).not.toBeInstanceOf(Promise); // known
    for (const form of [`${head}.${body}.${loneChar(sig)}`, await signRaw(head, loneChar(body))])
      expect(await agree(`Bearer ${form}`)).toMatchObject({ reason: "malformed" });
  });

  it("accepts crit b64 with b64 true (an encoded payload), as jose's jwtVerify does", async () => {
    const header = `Bearer ${await sign({}, { crit: ["b64"], b64: true })}`;
    expect((await agree(header)).claims).toMatchObject({ tid: TENANT });
  });

  it("asks a key resolver every time: only a fixed key set's headers are remembered", async () => {
    const publicKey = await crypto.subtle.importKey(
      "jwk",
      jwks.keys[0]!,
      { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
      false,
      ["verify"],
    );
    let rotated = false;
    const keys = async () => {
      if (rotated) throw new errors.JWKSNoMatchingKey(); // the key left the remote set
      return publicKey;
    };
    const opts = { appId: APP_ID, keys };
    await expect(checkTokenOnNode(`Bearer ${tokens[0]}`, opts)).resolves.toMatchObject({ tid: TENANT });
    rotated = true;
    await expect(Promise.resolve().then(() => checkTokenOnNode(`Bearer ${tokens[0]}`, opts))).rejects.toMatchObject({
      reason: "unknown_key",
    });
  });

  it("refuses an unencoded payload (crit b64, b64 false) as jose's jwtVerify does", async () => {
    const [, body] = (tokens[0] as string).split(".") as [string, string];
    const header = `Bearer ${await signRaw({ alg: "RS256", kid: "key-1", crit: ["b64"], b64: false }, body)}`;
    expect(await agree(header)).toMatchObject({ reason: "malformed", message: expect.stringContaining("unencoded") });
  });
});
