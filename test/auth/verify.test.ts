// verifyCallbackToken: accepts Microsoft-shaped tokens signed by a key in the JWKS and refuses each
// forged variant with the right reason, never echoing the token.
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet, type JWTPayload } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import {
  CallbackAuthError,
  createCallbackHandler,
  createFetchHandler,
  createVerifiedTokenCache,
  InvalidOptionError,
  verifyCallbackToken,
  type CallbackAuthReason,
  type CallbackJsonWebKeySet,
  type VerifiedTokenCache,
} from "../../src/index.js";
import { recordFigure } from "../support/figures.js";

const APP_ID = "b6ba4e3c-1a9a-4c9e-8b8b-6b9a0c2f4d11";
const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const ISSUER = "https://api.botframework.com";
const now = () => Math.floor(Date.now() / 1000);

let jwks: JSONWebKeySet;
let sign: (claims?: JWTPayload, header?: Record<string, unknown>) => Promise<string>;
let signWithOtherKey: (kid: string) => Promise<string>;
let signWith: (alg: string, header?: Record<string, unknown>, stranger?: boolean) => Promise<string>;
let strangerKey: Record<string, unknown>;

beforeAll(async () => {
  const ours = await generateKeyPair("RS256");
  const stranger = await generateKeyPair("RS256");
  jwks = { keys: [{ ...(await exportJWK(ours.publicKey)), kid: "key-1", alg: "RS256", use: "sig" }] };
  const claims = (extra: JWTPayload = {}) => ({
    iss: ISSUER,
    aud: APP_ID,
    tid: TENANT,
    iat: now(),
    nbf: now() - 10,
    exp: now() + 600,
    ...extra,
  });
  sign = (extra = {}, header = {}) =>
    new SignJWT(claims(extra))
      .setProtectedHeader({ alg: "RS256", kid: "key-1", typ: "JWT", ...header })
      .sign(ours.privateKey);
  signWithOtherKey = (kid) => new SignJWT(claims()).setProtectedHeader({ alg: "RS256", kid }).sign(stranger.privateKey);
  const strangerJwk = await exportJWK(stranger.publicKey);
  strangerKey = { ...strangerJwk, alg: "RS256", use: "sig" };
  signWith = async (alg, header = {}, byStranger = false) => {
    const key = byStranger ? stranger.privateKey : (await generateKeyPair(alg, { extractable: true })).privateKey;
    return new SignJWT(claims())
      .setProtectedHeader({ alg, kid: "key-1", ...header, ...(header.jwk ? { jwk: strangerJwk } : {}) })
      .sign(key);
  };
});

async function reason(header: string | undefined, options: Partial<Parameters<typeof verifyCallbackToken>[1]> = {}) {
  try {
    await verifyCallbackToken(header, { appId: APP_ID, keys: jwks, ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(CallbackAuthError);
    if (header) {
      const token = header.replace(/^Bearer /, "");
      expect((error as Error).message).not.toContain(token);
      if (token.includes(".")) expect((error as Error).message).not.toContain(token.split(".")[2] || "\u0000");
    }
    return (error as CallbackAuthError).reason;
  }
  return "accepted";
}

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");

describe("verifyCallbackToken", () => {
  it("accepts a valid token and returns its claims", async () => {
    const claims = await verifyCallbackToken(`Bearer ${await sign()}`, { appId: APP_ID, keys: jwks, tenantId: TENANT });
    expect(claims).toMatchObject({ iss: ISSUER, aud: APP_ID, tid: TENANT });
  });

  it("refuses each forged or broken variant with its reason", async () => {
    const cases: Array<[string, string | undefined, CallbackAuthReason]> = [
      ["no header", undefined, "missing"],
      ["an empty header", "", "missing"],
      ["not Bearer", `Basic ${Buffer.from("a:b").toString("base64")}`, "malformed"],
      ["Bearer after another word", `Basic x Bearer ${await sign()}`, "malformed"],
      ["not a JWT", "Bearer not-a-jwt", "malformed"],
      ["wrong audience", `Bearer ${await sign({ aud: "another-app" })}`, "claim"],
      ["wrong issuer", `Bearer ${await sign({ iss: "https://evil.example" })}`, "claim"],
      ["expired", `Bearer ${await sign({ exp: now() - 3600, nbf: now() - 7200 })}`, "expired"],
      ["not yet valid", `Bearer ${await sign({ nbf: now() + 3600 })}`, "claim"],
      [
        "alg none",
        `Bearer ${b64({ alg: "none", typ: "JWT" })}.${b64({ iss: ISSUER, aud: APP_ID, exp: now() + 600 })}.`,
        "algorithm",
      ],
      [
        "HS256",
        `Bearer ${b64({ alg: "HS256", kid: "key-1" })}.${b64({ iss: ISSUER, aud: APP_ID })}.c2lnbmF0dXJl`,
        "algorithm",
      ],
      ["unknown kid", `Bearer ${await signWithOtherKey("key-9")}`, "unknown_key"],
      ["a key outside the JWKS under a known kid", `Bearer ${await signWithOtherKey("key-1")}`, "signature"],
      ["no exp claim (a token that never expires)", `Bearer ${await sign({ exp: undefined })}`, "claim"],
      ["RS512 instead of RS256", `Bearer ${await signWith("RS512")}`, "algorithm"],
      ["PS256 instead of RS256", `Bearer ${await signWith("PS256")}`, "algorithm"],
      ["ES256 instead of RS256", `Bearer ${await signWith("ES256")}`, "algorithm"],
      [
        "its own key embedded in the header (jwk injection)",
        `Bearer ${await signWith("RS256", { jwk: true }, true)}`,
        "signature",
      ],
      [
        "a key outside the JWKS, without kid",
        `Bearer ${await signWith("RS256", { kid: undefined }, true)}`,
        "signature",
      ],
      ["an empty signature", `Bearer ${(await sign()).replace(/\.[^.]+$/, ".")}`, "signature"],
      [
        "another token's signature",
        `Bearer ${(await sign({ sub: "a" })).replace(/\.[^.]+$/, `.${(await sign({ sub: "b" })).split(".")[2]}`)}`,
        "signature",
      ],
      ["an audience list without this app", `Bearer ${await sign({ aud: ["another-app", "a-third-app"] })}`, "claim"],
      [
        "a tampered payload",
        `Bearer ${(await sign()).replace(/\.([^.]+)\./, `.${b64({ iss: ISSUER, aud: APP_ID, exp: now() + 600, admin: true })}.`)}`,
        "signature",
      ],
    ];
    for (const [name, header, expected] of cases) {
      expect(await reason(header), name).toBe(expected);
      recordFigure("auth", { name, refusedAs: expected });
    }
  }, 60_000); // it generates RSA, PS and EC keys: slow on a loaded machine

  it("accepts both issuers Microsoft's calling samples accept, and only those by default", async () => {
    expect(await reason(`Bearer ${await sign({ iss: "https://graph.microsoft.com" })}`)).toBe("accepted");
    expect(await reason(`Bearer ${await sign({ iss: "https://api.botframework.com" })}`)).toBe("accepted");
    expect(await reason(`Bearer ${await sign({ iss: "https://graph.microsoft.com/" })}`)).toBe("claim");
    expect(
      await reason(`Bearer ${await sign({ iss: "https://graph.microsoft.com" })}`, {
        issuer: "https://api.botframework.com",
      }),
    ).toBe("claim");
    expect(
      await reason(`Bearer ${await sign({ iss: "https://issuer.test" })}`, { issuer: ["https://issuer.test"] }),
    ).toBe("accepted");
  });

  it("requires a tid claim by default, as Microsoft's samples do, and returns the verified tenant", async () => {
    expect(await reason(`Bearer ${await sign({ tid: undefined })}`)).toBe("tenant");
    expect(await reason(`Bearer ${await sign({ tid: "" })}`)).toBe("tenant");
    expect(await reason(`Bearer ${await sign({ tid: 42 })}`)).toBe("tenant");
    expect(await reason(`Bearer ${await sign({ tid: undefined })}`, { requireTenant: false })).toBe("accepted");
    const claims = await verifyCallbackToken(`Bearer ${await sign()}`, { appId: APP_ID, keys: jwks });
    expect(claims.tid).toBe(TENANT);
    recordFigure("auth", { name: "a token without tid (the default requires one)", refusedAs: "tenant" });
  });

  it("refuses a token for another tenant, or for none, when a tenant is configured", async () => {
    const header = `Bearer ${await sign({ tid: "00000000-0000-0000-0000-000000000000" })}`;
    expect(await reason(header, { tenantId: TENANT })).toBe("tenant");
    expect(await reason(header)).toBe("accepted");
    expect(await reason(`Bearer ${await sign({ tid: undefined })}`, { tenantId: TENANT })).toBe("tenant");
    recordFigure("auth", { name: "another tenant's token, a tenant configured", refusedAs: "tenant" });
    recordFigure("auth", { name: "a token without tid, a tenant configured", refusedAs: "tenant" });
  });

  it("says why in its message, without the token", async () => {
    const refused = (header: string | undefined, options = {}) =>
      verifyCallbackToken(header, { appId: APP_ID, keys: jwks, ...options }).then(
        () => "accepted",
        (e: Error) => e.message,
      );
    expect(await refused(undefined)).toBe("Callback token refused (missing): no Authorization header");
    expect(await refused("Bearer a.b.c d")).toBe(
      "Callback token refused (malformed): Authorization is not `Bearer <JWT>`",
    );
    expect(await refused("Token a.b.c")).toBe(
      "Callback token refused (malformed): Authorization is not `Bearer <JWT>`",
    );
    expect(await refused(`Bearer ${await sign({ tid: "t-2" })}`, { tenantId: TENANT })).toBe(
      `Callback token refused (tenant): token is for tenant t-2, expected ${TENANT}`,
    );
    expect(await refused(`Bearer ${await sign({ aud: "x" })}`)).toMatch(/^Callback token refused \(claim\): aud: /);
  });

  it("accepts the header with surrounding whitespace, several spaces after Bearer, and the scheme in any case", async () => {
    const token = await sign();
    expect(await reason(`  Bearer ${token}  `)).toBe("accepted");
    expect(await reason(`Bearer   ${token}`)).toBe("accepted");
    expect(await reason(`bearer ${token}`)).toBe("accepted"); // RFC 9110: the scheme is case-insensitive
    expect(await reason(`BEARER ${token}`)).toBe("accepted");
  });

  it("honours clockToleranceSec (default 5 minutes)", async () => {
    const header = `Bearer ${await sign({ exp: now() - 60 })}`;
    expect(await reason(header)).toBe("accepted");
    expect(await reason(header, { clockToleranceSec: 0 })).toBe("expired");
  });
});

describe("verifyCallbackToken with a cache of verified tokens (opt-in)", () => {
  /** The JWKS as a resolver that counts its calls: each call is a signature check about to happen. */
  const counting = () => {
    const set = createLocalJWKSet(jwks);
    const resolver = Object.assign((header: any, token: any) => (resolver.calls++, set(header, token)), { calls: 0 });
    return resolver;
  };

  it("accepts a token sent again without checking its signature again, and refuses what it refused", async () => {
    const keys = counting();
    const cache = createVerifiedTokenCache();
    const header = `Bearer ${await sign()}`;
    for (let i = 0; i < 3; i++)
      expect(await verifyCallbackToken(header, { appId: APP_ID, keys, cache })).toMatchObject({ tid: TENANT });
    expect(keys.calls).toBe(1);
    const forged = `Bearer ${await signWithOtherKey("key-1")}`;
    expect(await reason(forged, { keys, cache })).toBe("signature");
    expect(await reason(forged, { keys, cache })).toBe("signature"); // refusals are never cached
    expect(cache.size).toBe(1);
  });

  it("never serves a token past its exp, and keeps setups apart (app, tenant, keys)", async () => {
    const keys = counting();
    const cache = createVerifiedTokenCache();
    const soon = `Bearer ${await sign({ exp: now() + 1 })}`;
    await verifyCallbackToken(soon, { appId: APP_ID, keys, cache });
    await new Promise((r) => setTimeout(r, 1_100));
    await verifyCallbackToken(soon, { appId: APP_ID, keys, cache }); // within the clock leeway, checked again
    expect(keys.calls).toBe(2);
    const header = `Bearer ${await sign()}`;
    await verifyCallbackToken(header, { appId: APP_ID, keys, cache });
    expect(await reason(header, { appId: "another-app", keys, cache })).toBe("claim");
    expect(await reason(header, { tenantId: "another-tenant", keys, cache })).toBe("tenant");
    const otherKeys = counting();
    await verifyCallbackToken(header, { appId: APP_ID, keys: otherKeys, cache });
    expect(otherKeys.calls).toBe(1);
  });

  it("stays bounded by maxEntries", async () => {
    const cache = createVerifiedTokenCache({ maxEntries: 2 });
    for (const sub of ["a", "b", "c"])
      await verifyCallbackToken(`Bearer ${await sign({ sub })}`, { appId: APP_ID, keys: jwks, cache });
    expect(cache.size).toBe(2);
  });
});

describe("verifyCallbackToken's options", () => {
  /** The option and rule an InvalidOptionError names, or the verdict when the options were taken. */
  async function refusedOption(options: unknown, header?: string) {
    try {
      await verifyCallbackToken(header ?? `Bearer ${await sign({ aud: "another-bot" })}`, options as never);
    } catch (error) {
      if (!(error instanceof InvalidOptionError)) return (error as CallbackAuthError).reason;
      expect(error).toBeInstanceOf(TypeError);
      expect(error).toMatchObject({ code: "OPTION_INVALID", functionName: "verifyCallbackToken" });
      return `${error.option} ${error.rule}`;
    }
    return "accepted";
  }

  it("refuses a missing, empty or mistyped app id instead of skipping the audience check", async () => {
    // a token Microsoft issued to another bot: jose skips `aud` when the audience is undefined
    expect(await refusedOption({ appId: undefined, keys: jwks })).toBe("appId required");
    expect(await refusedOption({ keys: jwks })).toBe("appId required");
    expect(await refusedOption({ appId: null, keys: jwks })).toBe("appId required");
    expect(await refusedOption({ appId: "", keys: jwks })).toBe("appId empty");
    expect(await refusedOption({ appId: "  ", keys: jwks })).toBe("appId empty");
    expect(await refusedOption({ appId: 42, keys: jwks })).toBe("appId type");
    expect(await refusedOption({ appId: [APP_ID], keys: jwks })).toBe("appId type");
    expect(await refusedOption({ appId: APP_ID, keys: jwks })).toBe("claim"); // the check that was skipped
    const error = await verifyCallbackToken(undefined, { appId: undefined as never, keys: jwks }).catch((e) => e);
    expect((error as Error).message).toBe(
      "verifyCallbackToken: `appId` must be the bot's application id (a non-empty string; is its variable set?), got undefined.",
    );
  });

  it("refuses each other option that is written but unusable, before looking at the header", async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ keys: undefined }, "keys required"],
      [{ keys: null }, "keys required"],
      [{ keys: "https://keys.example" }, "keys type"],
      [{ keys: [] }, "keys type"],
      [{ keys: {} }, "keys.keys type"],
      [{ keys: { keys: [] } }, "keys.keys empty"],
      [{ keys: { keys: [null] } }, "keys.keys[0] required"],
      [{ keys: { keys: [jwks.keys[0], "key"] } }, "keys.keys[1] type"],
      [{ tenantId: undefined }, "tenantId required"], // `tenantId: process.env.TENANT_ID`, unset
      [{ tenantId: "" }, "tenantId empty"],
      [{ tenantId: 7 }, "tenantId type"],
      [{ issuer: undefined }, "issuer required"],
      [{ issuer: "" }, "issuer empty"],
      [{ issuer: [] }, "issuer empty"],
      [{ issuer: [ISSUER, ""] }, "issuer[1] empty"],
      [{ issuer: [null] }, "issuer[0] required"],
      [{ issuer: { iss: ISSUER } }, "issuer type"],
      [{ requireTenant: undefined }, "requireTenant required"],
      [{ requireTenant: "false" }, "requireTenant type"],
      [{ requireTenant: 0 }, "requireTenant type"],
      [{ clockToleranceSec: undefined }, "clockToleranceSec required"],
      [{ clockToleranceSec: Number.NaN }, "clockToleranceSec range"],
      [{ clockToleranceSec: Number.POSITIVE_INFINITY }, "clockToleranceSec range"], // exp would never end
      [{ clockToleranceSec: -1 }, "clockToleranceSec range"],
      [{ clockToleranceSec: 86_401 }, "clockToleranceSec range"],
      [{ clockToleranceSec: "300" }, "clockToleranceSec type"],
      [{ cache: undefined }, "cache required"],
      [{ cache: null }, "cache required"],
      [{ cache: { get: () => undefined } }, "cache type"],
      [{ cache: { set: () => {} } }, "cache type"],
      [{ cache: "yes" }, "cache type"],
    ];
    for (const [patch, expected] of cases) {
      const options = { appId: APP_ID, keys: jwks, ...patch };
      expect(await refusedOption(options, undefined), JSON.stringify(patch)).toBe(expected);
      expect(await refusedOption(options, `Bearer ${await sign()}`), JSON.stringify(patch)).toBe(expected);
    }
    expect(await refusedOption(null)).toBe("options required");
    expect(await refusedOption("appId")).toBe("options type");
    // within range, every option is taken
    const fine = {
      appId: APP_ID,
      keys: jwks,
      issuer: [ISSUER],
      tenantId: TENANT,
      requireTenant: false,
      clockToleranceSec: 0,
      cache: createVerifiedTokenCache(),
    };
    expect(await refusedOption(fine, `Bearer ${await sign()}`)).toBe("accepted");
    expect(await refusedOption({ ...fine, clockToleranceSec: 86_400 }, `Bearer ${await sign()}`)).toBe("accepted");
  });

  it("describes the value it refused by its type, never by its content", async () => {
    const message = (options: Record<string, unknown>) =>
      verifyCallbackToken(undefined, { appId: APP_ID, keys: jwks, ...options } as never).catch((e: Error) => e.message);
    expect(await message({ tenantId: 12 })).toBe(
      "verifyCallbackToken: `tenantId` must be the tenant id (a non-empty string), got 12.",
    );
    expect(await message({ tenantId: ["secret-tenant"] })).toMatch(/, got an array of 1\.$/);
    expect(await message({ issuer: { secret: 1 } })).toMatch(/, got an object\.$/);
    expect(await message({ requireTenant: "secret" })).toBe(
      "verifyCallbackToken: `requireTenant` must be true or false, got a string.",
    );
    expect(await message({ appId: () => "x" })).toMatch(/, got function\.$/);
    expect(await message({ appId: "" })).toMatch(/, got an empty string\.$/);
    expect(await message({ appId: null })).toMatch(/, got null\.$/);
    expect(await message({ keys: { keys: "k" } })).toBe(
      "verifyCallbackToken: `keys.keys` must be an array of keys, got a string.",
    );
    expect(await message({ keys: { keys: [] } })).toBe(
      "verifyCallbackToken: `keys.keys` must hold at least one key (a JWKS ({ keys: [...] }) or a key resolver such as remoteCallbackKeys()).",
    );
    expect(await message({ clockToleranceSec: -1 })).toBe(
      "verifyCallbackToken: `clockToleranceSec` must be a number from 0 to 86400, got -1.",
    );
    expect(await message({ issuer: [] })).toBe(
      "verifyCallbackToken: `issuer` must be an issuer or a non-empty list of issuers (non-empty strings), got an empty list.",
    );
    expect(await message({ cache: {} })).toBe(
      "verifyCallbackToken: `cache` must be a cache from createVerifiedTokenCache(), got an object without get and set.",
    );
  });

  it("fails closed behind an endpoint: `appId: process.env.BOT_APP_ID` unset answers 401, not 202", async () => {
    const env: Record<string, string | undefined> = {}; // BOT_APP_ID is not set
    const endpoint = createFetchHandler(createCallbackHandler(), {
      path: null,
      verify: (h) => verifyCallbackToken(h, { appId: env.BOT_APP_ID as string, keys: jwks }),
    });
    const body = JSON.stringify({ value: [] });
    const response = await endpoint(
      new Request("http://127.0.0.1/api/calls", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${await sign({ aud: "another-bot" })}` },
        body,
      }),
    );
    expect(response.status).toBe(401);
  });

  it("refuses a header that is not a string as malformed", async () => {
    const error = await verifyCallbackToken(["Bearer a.b.c"] as never, { appId: APP_ID, keys: jwks }).catch((e) => e);
    expect(error).toBeInstanceOf(CallbackAuthError);
    expect(error).toMatchObject({ reason: "malformed", message: expect.stringContaining("Bearer <JWT>") });
  });

  it("refuses a null header as missing, like an absent one", async () => {
    expect(await reason(null as never)).toBe("missing");
  });
});

describe("verifyCallbackToken with a JWKS changed in place", () => {
  it("trusts what the set holds now: a key removed is refused, a key added is accepted", async () => {
    const set: CallbackJsonWebKeySet = { keys: [...jwks.keys] as CallbackJsonWebKeySet["keys"] };
    const ours = `Bearer ${await sign()}`;
    const theirs = `Bearer ${await signWith("RS256", { kid: "key-2" }, true)}`;
    expect(await reason(ours, { keys: set })).toBe("accepted");
    expect(await reason(theirs, { keys: set })).toBe("unknown_key");
    set.keys.splice(0, 1, { ...strangerKey, kid: "key-2" }); // key-1 revoked, key-2 rotated in
    expect(await reason(ours, { keys: set })).toBe("unknown_key");
    expect(await reason(theirs, { keys: set })).toBe("accepted");
    set.keys[0]!.kid = "key-1"; // a key edited in place
    expect(await reason(theirs, { keys: set })).toBe("unknown_key");
    set.keys = [...jwks.keys] as CallbackJsonWebKeySet["keys"]; // the list replaced
    expect(await reason(ours, { keys: set })).toBe("accepted");
  });

  it("trusts a key added in place, and refuses one whose use changed in place", async () => {
    const set: CallbackJsonWebKeySet = { keys: [...jwks.keys] as CallbackJsonWebKeySet["keys"] };
    const options = { appId: APP_ID, keys: set };
    const theirs = `Bearer ${await signWith("RS256", { kid: "key-2" }, true)}`;
    const verdict = (header: string) =>
      verifyCallbackToken(header, options).then(
        () => "accepted",
        (error: CallbackAuthError) => error.reason,
      );
    expect(await verdict(theirs)).toBe("unknown_key");
    set.keys.push({ ...strangerKey, kid: "key-2" }); // appended: the list is longer than it was
    expect(await verdict(theirs)).toBe("accepted");
    set.keys[1]!.use = "enc"; // a property changed in place
    expect(await verdict(theirs)).toBe("unknown_key");
    delete set.keys[1]!.use;
    (set.keys[1] as Record<string, unknown>).key_ops = ["encrypt"]; // a property added in place: the key has more than it had
    expect(await verdict(theirs)).toBe("unknown_key");
  });

  it("reads an issuer list changed in place at any position", async () => {
    const issuer = ["https://graph.microsoft.com", ISSUER];
    const options = { appId: APP_ID, keys: jwks, issuer };
    const header = `Bearer ${await sign()}`;
    await expect(verifyCallbackToken(header, options)).resolves.toMatchObject({ iss: ISSUER });
    issuer[1] = "https://elsewhere.example"; // the first item unchanged, the second not
    await expect(verifyCallbackToken(header, options)).rejects.toMatchObject({ reason: "claim" });
  });

  it("types a key resolver's own failure as keys_unavailable, naming only the error's kind", async () => {
    const keys = async () => {
      throw new TypeError(`fetch failed: https://login.example/keys?secret=${TENANT}`);
    };
    const error = await verifyCallbackToken(`Bearer ${await sign()}`, { appId: APP_ID, keys }).catch((e) => e);
    expect(error).toMatchObject({ reason: "keys_unavailable" });
    expect(error.message).toContain("the key resolver failed (TypeError)");
    expect(error.message).not.toContain(TENANT);
  });

  it("does not serve a cached token once its key was removed from the set", async () => {
    const set: CallbackJsonWebKeySet = { keys: [...jwks.keys] as CallbackJsonWebKeySet["keys"] };
    const cache = createVerifiedTokenCache();
    const ours = `Bearer ${await sign()}`;
    expect(await reason(ours, { keys: set, cache })).toBe("accepted");
    expect(await reason(ours, { keys: set, cache })).toBe("accepted");
    set.keys.splice(0, 1, { ...strangerKey, kid: "key-2" });
    expect(await reason(ours, { keys: set, cache })).toBe("unknown_key");
  });
});

describe("verifyCallbackToken's cache and the clock", () => {
  it("never serves a token to a caller whose clock tolerance refuses it", async () => {
    const cache = createVerifiedTokenCache();
    const early = `Bearer ${await sign({ nbf: now() + 120 })}`; // valid in 2 minutes
    expect(await reason(early, { cache })).toBe("accepted"); // within the default 5 min leeway
    expect(await reason(early, { cache, clockToleranceSec: 0 })).toBe("claim");
    expect(await reason(early, { cache, clockToleranceSec: 60 })).toBe("claim");
    expect(await reason(early, { cache, clockToleranceSec: 120 })).toBe("accepted");
  });

  /** A cache that ignores what it is told (keys and setup) and forgets nothing: a buggy one of the user's own. */
  const careless = (): VerifiedTokenCache & { hits: number } => {
    const entries = new Map<string, Record<string, unknown>>();
    const tokenOf = (key: string) => (JSON.parse(key) as string[]).at(-1)!;
    return {
      hits: 0,
      get(key) {
        const claims = entries.get(tokenOf(key));
        if (claims) this.hits++;
        return claims;
      },
      set: (key, _keys, claims) => void entries.set(tokenOf(key), claims),
      get size() {
        return entries.size;
      },
    };
  };

  it("serves tokens verified with a JWKS from the cache while the set is unchanged", async () => {
    const inner = createVerifiedTokenCache();
    let served = 0;
    const cache: VerifiedTokenCache = {
      get: (key, keys) => {
        const claims = inner.get(key, keys);
        if (claims) served++;
        return claims;
      },
      set: (...args) => inner.set(...args),
      size: 0,
    };
    const header = `Bearer ${await sign()}`;
    for (let i = 0; i < 3; i++) expect(await reason(header, { cache })).toBe("accepted");
    expect(served).toBe(2);
  });

  it("never serves claims without a future exp, whatever the cache returns", async () => {
    const hostile: VerifiedTokenCache = { get: () => ({ tid: TENANT, aud: APP_ID }), set: () => {}, size: 0 };
    expect(await reason(`Bearer ${await signWithOtherKey("key-1")}`, { cache: hostile })).toBe("signature");
  });

  it("checks nbf and exp again on each use, whatever the cache returns", async () => {
    const cache = careless();
    const early = `Bearer ${await sign({ nbf: now() + 120 })}`;
    expect(await reason(early, { cache })).toBe("accepted");
    expect(await reason(early, { cache, clockToleranceSec: 0 })).toBe("claim");
    const soon = `Bearer ${await sign({ exp: now() + 1 })}`;
    expect(await reason(soon, { cache, clockToleranceSec: 0 })).toBe("accepted");
    expect(await reason(soon, { cache, clockToleranceSec: 0 })).toBe("accepted");
    expect(cache.hits).toBeGreaterThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 1_100));
    expect(await reason(soon, { cache, clockToleranceSec: 0 })).toBe("expired");
  });
});

describe("createVerifiedTokenCache's options", () => {
  it("refuses maxEntries that is missing, of the wrong type or out of range", () => {
    const refused = (options: unknown) => {
      try {
        createVerifiedTokenCache(options as never);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidOptionError);
        expect(error).toMatchObject({ functionName: "createVerifiedTokenCache" });
        return `${(error as InvalidOptionError).option} ${(error as InvalidOptionError).rule}`;
      }
      return "created";
    };
    expect(refused({ maxEntries: undefined })).toBe("maxEntries required");
    expect(refused({ maxEntries: Number.NaN })).toBe("maxEntries range"); // NaN: no bound at all
    expect(refused({ maxEntries: 0 })).toBe("maxEntries range");
    expect(refused({ maxEntries: 2.5 })).toBe("maxEntries range");
    expect(refused({ maxEntries: 1_000_001 })).toBe("maxEntries range");
    expect(refused({ maxEntries: "10" })).toBe("maxEntries type");
    expect(refused(null)).toBe("options required");
    expect(refused(10)).toBe("options type");
    expect(refused({ maxEntries: 1 })).toBe("created");
    expect(refused({ maxEntries: 1_000_000 })).toBe("created");
    expect(refused(undefined)).toBe("created");
  });
});
