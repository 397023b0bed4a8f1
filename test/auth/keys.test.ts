// remoteCallbackKeys against a real key server on 127.0.0.1 that can stall, fail, redirect, bloat
// and rotate: bounded fetches, last-known-good keys, one fetch per cooldown, a distinct refusal.
// The https cases go through a TLS-terminating fetch: it sends https://127.0.0.1 requests to the
// same plain server, and records every URL the code asked for.
import { createServer, type Server, type ServerResponse } from "node:http";
import { createRemoteJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  CallbackAuthError,
  InvalidOptionError,
  remoteCallbackKeys,
  verifyCallbackToken,
  type RemoteCallbackKeysOptions,
} from "../../src/index.js";
import { listen } from "../support/listen.js";

const APP_ID = "b6ba4e3c-1a9a-4c9e-8b8b-6b9a0c2f4d11";
const now = () => Math.floor(Date.now() / 1000);

type Behaviour =
  | "ok"
  | "fail"
  | "stall"
  | "huge"
  | "redirect-same"
  | "redirect-away"
  | "redirect-plain"
  | "plain-jwks"
  | "slow-redirects"
  | "not-json"
  | "empty-keys"
  | "redirect-loop"
  | "redirect-no-location"
  | "redirect-bad-location"
  | "bad-jwks-uri"
  | "malformed-keys"
  | "keys-404"
  | "keys-cut"
  | "null-config"
  | "null-keys"
  | "no-jwks-uri";
let behaviour: Behaviour = "ok";
let published: JWK[] = [];
const hits: string[] = [];
const accepts: Array<string | undefined> = [];
let server: Server;
let base = "";
let sign: (kid: string) => Promise<string>;
const keyFor: Record<string, JWK> = {};

beforeAll(async () => {
  const pairs: Record<string, Awaited<ReturnType<typeof generateKeyPair>>> = {};
  for (const kid of ["k1", "k2"]) {
    pairs[kid] = await generateKeyPair("RS256");
    keyFor[kid] = { ...(await exportJWK(pairs[kid]!.publicKey)), kid, alg: "RS256" };
  }
  sign = (kid) =>
    new SignJWT({ tid: "t" })
      .setProtectedHeader({ alg: "RS256", kid })
      .setIssuer("https://api.botframework.com")
      .setAudience(APP_ID)
      .setExpirationTime(now() + 600)
      .sign(pairs[kid]!.privateKey);
  server = createServer((req, res: ServerResponse) => {
    hits.push(req.url ?? "");
    accepts.push(req.headers.accept);
    const json = (body: unknown) =>
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    // the origin the request was made to: https when it came through the TLS-terminating fetch
    const origin = req.headers["x-tls"] ? base.replace("http:", "https:") : base;
    if (behaviour === "stall") return; // never answers
    if (behaviour === "fail") return void res.writeHead(500).end("down");
    if (behaviour === "not-json") return void res.writeHead(200).end("secret-body-text");
    if (behaviour === "slow-redirects" && /^\/hop[0-2]$/.test(req.url ?? "")) {
      const next = `/hop${Number(req.url!.slice(4)) + 1}`;
      return void setTimeout(() => res.writeHead(302, { location: next }).end(), 250);
    }
    if (behaviour === "slow-redirects" && req.url === "/hop3")
      return void setTimeout(() => json({ jwks_uri: `${base}/keys` }), 250);
    if (behaviour === "redirect-loop" && req.url === "/openid")
      return void res.writeHead(307, { location: "/openid" }).end();
    if (behaviour === "redirect-no-location" && req.url === "/openid") return void res.writeHead(301).end();
    if (behaviour === "redirect-bad-location" && req.url === "/openid")
      return void res.writeHead(302, { location: "http://[" }).end();
    if (behaviour === "bad-jwks-uri" && req.url === "/openid") return json({ jwks_uri: "keys.json" });
    if (behaviour === "malformed-keys" && req.url === "/keys") return json({ keys: [1] });
    if (behaviour === "null-config" && req.url === "/openid") return json(null);
    if (behaviour === "null-keys" && req.url === "/keys") return json(null);
    if (behaviour === "keys-cut" && req.url === "/keys") {
      res.writeHead(200, { "content-type": "application/json", "content-length": "1000" }).write('{"keys":[');
      return void setTimeout(() => res.destroy(), 20); // the connection drops mid-body
    }
    if (behaviour === "keys-404" && req.url === "/keys") return void res.writeHead(404).end("no keys here");
    if (req.url === "/openid") {
      // same host and port, plain http: to the code under test, a downgrade from https
      if (behaviour === "redirect-plain") return void res.writeHead(302, { location: `${base}/openid-moved` }).end();
      if (behaviour === "plain-jwks") return json({ jwks_uri: `${base}/keys` });
      if (behaviour === "redirect-same") return void res.writeHead(302, { location: "/openid-moved" }).end();
      if (behaviour === "redirect-away")
        return void res.writeHead(302, { location: "http://localhost:1/openid" }).end();
      if (behaviour === "no-jwks-uri") return json({ issuer: "x" });
      return json({ jwks_uri: `${origin}/keys` });
    }
    if (req.url === "/openid-moved") return json({ jwks_uri: `${origin}/keys` });
    if (req.url === "/keys" && behaviour === "empty-keys") return json({ keys: [] });
    if (req.url === "/keys") {
      if (behaviour === "huge") {
        res.writeHead(200, { "content-type": "application/json" });
        res.write('{"keys":[');
        const chunk = `${JSON.stringify(keyFor.k1)},`.repeat(1000);
        const pump = () => (res.write(chunk) ? setImmediate(pump) : res.once("drain", pump));
        res.on("close", () => hits.push("huge-closed"));
        return pump();
      }
      return json({ keys: published });
    }
    res.writeHead(404).end();
  });
  base = await listen(server);
});
afterAll(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));
beforeEach(() => {
  behaviour = "ok";
  published = [keyFor.k1!];
  hits.length = 0;
  accepts.length = 0;
});

const keys = (options: RemoteCallbackKeysOptions = {}) =>
  remoteCallbackKeys(`${base}/openid`, { timeoutMs: 2_000, cooldownMs: 200, ...options });

/** A TLS-terminating fetch: https://127.0.0.1 goes to the plain server (marked `x-tls`); `asked` holds every URL. */
function tlsTerminating() {
  const asked: string[] = [];
  const terminate: typeof fetch = (input, init) => {
    asked.push(String(input));
    const url = String(input);
    if (!url.startsWith("https://")) return fetch(url, init);
    return fetch(url.replace("https:", "http:"), { ...init, headers: { ...init?.headers, "x-tls": "1" } });
  };
  return { asked, fetch: terminate, base: base.replace("http:", "https:") };
}
async function verdict(resolver: ReturnType<typeof remoteCallbackKeys>, kid = "k1") {
  try {
    await verifyCallbackToken(`Bearer ${await sign(kid)}`, { appId: APP_ID, keys: resolver });
    return "accepted";
  } catch (error) {
    expect(error).toBeInstanceOf(CallbackAuthError);
    return (error as CallbackAuthError).reason;
  }
}
const fetches = () => hits.filter((h) => h === "/openid").length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("remoteCallbackKeys", () => {
  it("fetches the configuration and key set once, then verifies from the cache", async () => {
    const resolver = keys();
    for (let i = 0; i < 3; i++) expect(await verdict(resolver)).toBe("accepted");
    expect(hits).toEqual(["/openid", "/keys"]);
    expect(accepts).toEqual(["application/json", "application/json"]);
  });

  it("ends a stalled fetch after timeoutMs and refuses as keys_unavailable, not malformed", async () => {
    behaviour = "stall";
    const started = Date.now();
    expect(await verdict(keys({ timeoutMs: 150 }))).toBe("keys_unavailable");
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("serves the last keys it had while refreshes fail, until maxStaleMs; then refuses", async () => {
    const resolver = keys({ cacheMaxAgeMs: 50, cooldownMs: 0, maxStaleMs: 400 });
    expect(await verdict(resolver)).toBe("accepted");
    behaviour = "fail";
    await sleep(100); // stale: a refresh is due, and fails
    expect(await verdict(resolver)).toBe("accepted");
    expect(fetches()).toBe(2);
    await sleep(400); // past maxStaleMs
    expect(await verdict(resolver)).toBe("keys_unavailable");
  });

  it("refreshes for an unknown key id at most once per cooldown, and picks up a rotated key", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() }); // the cooldown by the clock, not by speed
    try {
      const resolver = keys({ cooldownMs: 300 });
      expect(await verdict(resolver)).toBe("accepted");
      published = [keyFor.k1!, keyFor.k2!]; // k2 rotated in
      const junk = await Promise.all(Array.from({ length: 50 }, () => verdict(resolver, "k2")));
      expect(new Set(junk)).toEqual(new Set(["unknown_key"])); // within the cooldown of the first fetch
      expect(fetches()).toBe(1);
      vi.setSystemTime(Date.now() + 299);
      expect(await verdict(resolver, "k2")).toBe("unknown_key");
      vi.setSystemTime(Date.now() + 1);
      expect(await verdict(resolver, "k2")).toBe("accepted");
      expect(fetches()).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("refuses a document over maxBytes without reading it whole", async () => {
    behaviour = "huge";
    expect(await verdict(keys({ maxBytes: 64 * 1024 }))).toBe("keys_unavailable");
    await sleep(50);
    expect(hits).toContain("huge-closed");
  });

  it("follows a redirect within the origin, and refuses one to another origin", async () => {
    behaviour = "redirect-same";
    expect(await verdict(keys())).toBe("accepted");
    behaviour = "redirect-away";
    const error = await verifyCallbackToken(`Bearer ${await sign("k1")}`, { appId: APP_ID, keys: keys() }).catch(
      (e: Error) => e,
    );
    expect(error).toMatchObject({ reason: "keys_unavailable" });
    expect((error as Error).message).toMatch(/redirected to another origin \(http:\/\/localhost:1\)/);
  });

  it("says what was wrong with the OpenID configuration", async () => {
    behaviour = "no-jwks-uri";
    const error = await verifyCallbackToken(`Bearer ${await sign("k1")}`, { appId: APP_ID, keys: keys() }).catch(
      (e: Error) => e,
    );
    expect((error as Error).message).toBe(
      "Callback token refused (keys_unavailable): Microsoft's signing keys could not be fetched: the OpenID configuration has no jwks_uri",
    );
  });

  it("uses the fetch it is given (a proxy, a test double)", async () => {
    const seen: string[] = [];
    const resolver = keys({ fetch: (input, init) => (seen.push(String(input)), fetch(input, init)) });
    expect(await verdict(resolver)).toBe("accepted");
    expect(seen).toEqual([`${base}/openid`, `${base}/keys`]);
  });

  it("refuses to leave https: a redirect to http on the same host and port is not followed", async () => {
    behaviour = "redirect-plain";
    const tls = tlsTerminating();
    const resolver = remoteCallbackKeys(`${tls.base}/openid`, { fetch: tls.fetch });
    const error = await verifyCallbackToken(`Bearer ${await sign("k1")}`, { appId: APP_ID, keys: resolver }).catch(
      (e: Error) => e,
    );
    expect(error).toMatchObject({ reason: "keys_unavailable" });
    expect((error as Error).message).toMatch(/the OpenID configuration redirected to another origin \(http:\/\/127/);
    expect(tls.asked).toEqual([`${tls.base}/openid`]); // nothing was asked in plaintext
  });

  it("refuses an https configuration whose jwks_uri is http, and fetches nothing in plaintext", async () => {
    behaviour = "plain-jwks";
    const tls = tlsTerminating();
    const resolver = remoteCallbackKeys(`${tls.base}/openid`, { fetch: tls.fetch });
    const error = await verifyCallbackToken(`Bearer ${await sign("k1")}`, { appId: APP_ID, keys: resolver }).catch(
      (e: Error) => e,
    );
    expect((error as Error).message).toBe(
      "Callback token refused (keys_unavailable): Microsoft's signing keys could not be fetched: the OpenID configuration's jwks_uri is not https",
    );
    expect(tls.asked).toEqual([`${tls.base}/openid`]);
  });

  it("over https, follows a redirect within the origin and fetches the https key set", async () => {
    behaviour = "redirect-same";
    const tls = tlsTerminating();
    expect(await verdict(remoteCallbackKeys(`${tls.base}/openid`, { fetch: tls.fetch }))).toBe("accepted");
    expect(tls.asked).toEqual([`${tls.base}/openid`, `${tls.base}/openid-moved`, `${tls.base}/keys`]);
  });

  it("refuses, when created, a configuration URL it cannot fetch safely, naming the rule", () => {
    const refused = (url: unknown) => {
      try {
        remoteCallbackKeys(url as string);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidOptionError);
        expect(error).toBeInstanceOf(TypeError);
        expect((error as Error).message).not.toContain("s3cret");
        return [(error as InvalidOptionError).option, (error as InvalidOptionError).rule];
      }
      return "created";
    };
    expect(refused("http://keys.example/openid")).toEqual(["openIdConfigurationUrl", "insecure"]);
    expect(refused("https://user:s3cret@keys.example/openid")).toEqual(["openIdConfigurationUrl", "insecure"]);
    expect(refused("https://user@keys.example/openid")).toEqual(["openIdConfigurationUrl", "insecure"]);
    expect(refused("https://:s3cret@keys.example/openid")).toEqual(["openIdConfigurationUrl", "insecure"]);
    expect(refused("ftp://keys.example/openid")).toEqual(["openIdConfigurationUrl", "insecure"]);
    expect(refused("ftp://localhost/openid")).toEqual(["openIdConfigurationUrl", "insecure"]); // loopback, not http
    // names that only look like the loopback host are not it
    expect(refused("http://127.0.0.1.keys.example/openid")).toEqual(["openIdConfigurationUrl", "insecure"]);
    expect(refused("http://my-localhost/openid")).toEqual(["openIdConfigurationUrl", "insecure"]);
    expect(refused("not a URL")).toEqual(["openIdConfigurationUrl", "type"]);
    expect(refused("")).toEqual(["openIdConfigurationUrl", "empty"]);
    expect(refused(null)).toEqual(["openIdConfigurationUrl", "required"]);
    expect(refused(42)).toEqual(["openIdConfigurationUrl", "type"]);
    // plain http to the loopback host only (a local key server), and Microsoft's own by default
    expect(refused("http://127.0.0.1:1/openid")).toBe("created");
    expect(refused("http://localhost:1/openid")).toBe("created");
    expect(refused("http://[::1]:1/openid")).toBe("created");
    expect(refused("http://127.0.0.53:1/openid")).toBe("created");
    expect(refused(undefined)).toBe("created");
    const rule = "an https URL (http only to localhost or 127.0.0.1), without credentials";
    expect(() => remoteCallbackKeys("http://keys.example/openid")).toThrow(
      `remoteCallbackKeys: \`openIdConfigurationUrl\` must be ${rule}.`,
    );
    expect(() => remoteCallbackKeys("not a URL")).toThrow(
      `remoteCallbackKeys: \`openIdConfigurationUrl\` must be ${rule}, got a string that is not a URL.`,
    );
  });

  it("refuses, when created, an option that is missing, of the wrong type or out of range", () => {
    const refused = (options: unknown) => {
      try {
        remoteCallbackKeys(`${base}/openid`, options as RemoteCallbackKeysOptions);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidOptionError);
        expect(error).toMatchObject({ code: "OPTION_INVALID", functionName: "remoteCallbackKeys" });
        return `${(error as InvalidOptionError).option} ${(error as InvalidOptionError).rule}`;
      }
      return "created";
    };
    expect(refused(null)).toBe("options required");
    expect(refused("fast")).toBe("options type");
    // NaN would have disabled the cooldown (every callback a fetch) and the timeout
    expect(refused({ cooldownMs: Number.NaN })).toBe("cooldownMs range");
    expect(refused({ timeoutMs: Number.NaN })).toBe("timeoutMs range");
    expect(refused({ timeoutMs: 0 })).toBe("timeoutMs range");
    expect(refused({ timeoutMs: 600_001 })).toBe("timeoutMs range");
    expect(refused({ timeoutMs: undefined })).toBe("timeoutMs required"); // an unset variable, not the default
    expect(refused({ timeoutMs: "5000" })).toBe("timeoutMs type");
    expect(refused({ maxBytes: 1.5 })).toBe("maxBytes range");
    expect(refused({ maxBytes: Number.POSITIVE_INFINITY })).toBe("maxBytes range");
    expect(refused({ cacheMaxAgeMs: -1 })).toBe("cacheMaxAgeMs range");
    expect(refused({ maxStaleMs: null })).toBe("maxStaleMs required");
    expect(refused({ fetch: "fetch" })).toBe("fetch type");
    expect(refused({ timeoutMs: 1, maxBytes: 1, cacheMaxAgeMs: 0, maxStaleMs: 0, cooldownMs: 0 })).toBe("created");
    expect(() => remoteCallbackKeys(`${base}/openid`, { cooldownMs: -5 })).toThrow(
      "remoteCallbackKeys: `cooldownMs` must be a number from 0 to 86400000, got -5.",
    );
  });

  it("says what each option must be, and what it got by its type only", () => {
    const message = (options: unknown) => {
      try {
        remoteCallbackKeys(`${base}/openid`, options as RemoteCallbackKeysOptions);
      } catch (error) {
        return (error as Error).message.replace(/^remoteCallbackKeys: /, "");
      }
      return "created";
    };
    expect(message(null)).toBe("`options` must be an object, got null.");
    expect(message("fast")).toBe("`options` must be an object, got a string.");
    expect(message({ timeoutMs: "5000" })).toBe("`timeoutMs` must be a number from 1 to 600000, got a string.");
    expect(message({ timeoutMs: " " })).toBe("`timeoutMs` must be a number from 1 to 600000, got an empty string.");
    expect(message({ maxBytes: null })).toBe("`maxBytes` must be an integer from 1 to 16777216, got null.");
    expect(message({ fetch: "https://proxy.example" })).toBe("`fetch` must be a fetch function, got a string.");
  });

  it("ends one key load at timeoutMs in all, redirects included", async () => {
    behaviour = "slow-redirects"; // four answers of 250 ms each: every one within 600 ms, not all
    const resolver = remoteCallbackKeys(`${base}/hop0`, { timeoutMs: 600 });
    const error = await verifyCallbackToken(`Bearer ${await sign("k1")}`, { appId: APP_ID, keys: resolver }).catch(
      (e: Error) => e,
    );
    expect((error as Error).message).toMatch(/could not be fetched: the key fetch took longer than 600 ms$/);
  });

  it("ends a load whose fetch ignores the abort signal at timeoutMs, so callbacks do not wait forever", async () => {
    const resolver = remoteCallbackKeys(`${base}/openid`, { timeoutMs: 200, fetch: () => new Promise(() => {}) });
    const verdicts = await Promise.all([verdict(resolver), verdict(resolver)]);
    expect(verdicts).toEqual(["keys_unavailable", "keys_unavailable"]);
  });

  it("never quotes the key endpoint's body, nor a fetch error's message, in its errors", async () => {
    behaviour = "not-json";
    const message = async (resolver: ReturnType<typeof remoteCallbackKeys>) =>
      verifyCallbackToken(`Bearer ${await sign("k1")}`, { appId: APP_ID, keys: resolver }).catch(
        (e: Error) => e.message,
      );
    const notJson = await message(keys());
    expect(notJson).toMatch(/the OpenID configuration is not JSON$/);
    expect(notJson).not.toContain("secret-body-text");
    const leaky = await message(
      keys({ fetch: () => Promise.reject(new Error("no route to https://user:s3cret@proxy.example/?sig=abc")) }),
    );
    expect(leaky).toMatch(/the OpenID configuration could not be fetched \(Error\)$/);
    expect(leaky).not.toMatch(/s3cret|sig=|proxy/);
  });

  it("says which document failed and how, in its message", async () => {
    const why = async (b: Behaviour, options: RemoteCallbackKeysOptions = {}) => {
      behaviour = b;
      hits.length = 0;
      const error = await verifyCallbackToken(`Bearer ${await sign("k1")}`, {
        appId: APP_ID,
        keys: keys(options),
      }).catch((e: CallbackAuthError) => e);
      expect(error).toMatchObject({ reason: "keys_unavailable" });
      return (error as Error).message.replace(
        "Callback token refused (keys_unavailable): Microsoft's signing keys could not be fetched: ",
        "",
      );
    };
    expect(await why("fail")).toBe("the OpenID configuration answered 500");
    expect(await why("keys-404")).toBe("the key set answered 404");
    expect(await why("redirect-loop")).toBe("the OpenID configuration redirected too often");
    expect(hits.filter((h) => h === "/openid")).toHaveLength(4); // the first request and 3 redirects
    expect(await why("redirect-no-location")).toBe("the OpenID configuration redirected without a usable Location");
    expect(await why("redirect-bad-location")).toBe("the OpenID configuration redirected without a usable Location");
    expect(await why("bad-jwks-uri")).toBe("the OpenID configuration's jwks_uri is not a URL");
    expect(await why("empty-keys")).toBe("the key set has no keys");
    expect(await why("null-keys")).toBe("the key set has no keys");
    expect(await why("null-config")).toBe("the OpenID configuration has no jwks_uri");
    expect(await why("keys-cut")).toBe("the key set could not be read (TypeError)");
    expect(await why("malformed-keys")).toBe("the key set is malformed");
    expect(await why("huge", { maxBytes: 1024 })).toBe("the key set is larger than 1024 bytes");
    expect(await why("stall", { timeoutMs: 100 })).toBe("the key fetch took longer than 100 ms");
  });

  it("says what a fetch answered when the answer has no body, or failed without an error", async () => {
    const why = async (fetchDouble: typeof fetch) => {
      const error = await verifyCallbackToken(`Bearer ${await sign("k1")}`, {
        appId: APP_ID,
        keys: keys({ fetch: fetchDouble }),
      }).catch((e: CallbackAuthError) => e);
      expect(error).toMatchObject({ reason: "keys_unavailable" });
      return (error as Error).message.replace(/^.*could not be fetched: /, "");
    };
    expect(await why(() => Promise.resolve(new Response(null, { status: 503 })))).toBe(
      "the OpenID configuration answered 503",
    );
    expect(await why(() => Promise.resolve(new Response(null, { status: 302 })))).toBe(
      "the OpenID configuration redirected without a usable Location",
    );
    expect(await why(() => Promise.resolve(new Response("{}", { status: 400 })))).toBe(
      "the OpenID configuration answered 400",
    );
    expect(await why(() => Promise.reject(undefined as unknown as Error))).toBe(
      "the OpenID configuration could not be fetched (undefined)",
    );
    const erroring = () => new ReadableStream<Uint8Array>({ pull: (controller) => controller.error(undefined) });
    expect(await why(() => Promise.resolve(new Response(erroring(), { status: 200 })))).toBe(
      "the OpenID configuration could not be read (undefined)",
    );
  });

  it("follows a 300 with a Location like any redirect within the origin", async () => {
    const resolver = keys({
      fetch: (input, init) =>
        String(input).endsWith("/openid")
          ? Promise.resolve(new Response(null, { status: 300, headers: { location: "/openid-moved" } }))
          : fetch(input, init),
    });
    expect(await verdict(resolver)).toBe("accepted");
    expect(hits).toEqual(["/openid-moved", "/keys"]);
  });

  it("keeps the keys it has when a refresh brings an empty key set", async () => {
    const resolver = keys({ cacheMaxAgeMs: 50, cooldownMs: 0 });
    expect(await verdict(resolver)).toBe("accepted");
    behaviour = "empty-keys";
    await sleep(100);
    expect(await verdict(resolver)).toBe("accepted");
    expect(fetches()).toBe(2);
  });
});

describe("remoteCallbackKeys when no keys could be had yet", () => {
  // Only Date is faked: the sockets and the load's deadline run on real time.
  beforeEach(() => vi.useFakeTimers({ toFake: ["Date"], now: Date.now() }));
  afterEach(() => vi.useRealTimers());
  const later = (ms: number) => vi.setSystemTime(Date.now() + ms);
  const refusal = (resolver: ReturnType<typeof remoteCallbackKeys>) =>
    sign("k1").then((token) =>
      verifyCallbackToken(`Bearer ${token}`, { appId: APP_ID, keys: resolver }).then(
        () => "accepted",
        (e: CallbackAuthError) => e,
      ),
    );

  it("during an outage, a burst of callbacks costs one fetch", async () => {
    behaviour = "fail";
    const resolver = keys({ cooldownMs: 10_000 });
    const verdicts = await Promise.all(Array.from({ length: 300 }, () => verdict(resolver)));
    expect(new Set(verdicts)).toEqual(new Set(["keys_unavailable"]));
    expect(fetches()).toBe(1);
  });

  it("makes callbacks that arrive during the first fetch wait for it, not refuse", async () => {
    const resolver = remoteCallbackKeys(`${base}/openid`);
    expect(await Promise.all([verdict(resolver), verdict(resolver), verdict(resolver)])).toEqual([
      "accepted",
      "accepted",
      "accepted",
    ]);
    expect(fetches()).toBe(1);
  });

  it("by default, refreshes keys after 2 h, and for an unknown key id at most once per 5 min", async () => {
    const resolver = remoteCallbackKeys(`${base}/openid`);
    expect(await refusal(resolver)).toBe("accepted");
    published = [keyFor.k1!, keyFor.k2!];
    later(60_000); // a key id it does not know, a minute after the fetch: within the cooldown
    expect(await verdict(resolver, "k2")).toBe("unknown_key");
    expect(fetches()).toBe(1);
    later(4 * 60_000);
    expect(await verdict(resolver, "k2")).toBe("accepted"); // 5 min after the fetch
    expect(fetches()).toBe(2);
    later(2 * 60 * 60_000 - 1);
    expect(await refusal(resolver)).toBe("accepted");
    expect(fetches()).toBe(2);
    later(1); // 2 h old
    expect(await refusal(resolver)).toBe("accepted");
    expect(fetches()).toBe(3);
  });

  it("retries the first fetch 1 s after it failed, not after the 5 min cooldown", async () => {
    behaviour = "fail";
    const resolver = remoteCallbackKeys(`${base}/openid`); // the default cooldown
    expect(await refusal(resolver)).toMatchObject({ reason: "keys_unavailable", retryAfterSec: 1 });
    behaviour = "ok";
    for (let i = 0; i < 20; i++) await refusal(resolver); // within the backoff: no fetch
    expect(fetches()).toBe(1);
    later(1_000);
    expect(await refusal(resolver)).toBe("accepted");
    expect(fetches()).toBe(2);
  });

  it("backs off 1, 2, 4, 8, 16, then 30 s between failed fetches: never longer than the 503's Retry-After", async () => {
    behaviour = "fail";
    const resolver = remoteCallbackKeys(`${base}/openid`);
    const waits: unknown[] = [];
    for (let i = 0; i < 7; i++) {
      const error = (await refusal(resolver)) as CallbackAuthError;
      waits.push(error.retryAfterSec);
      later(error.retryAfterSec! * 1000 - 1);
      await refusal(resolver); // a millisecond early: no fetch
      later(1);
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 30, 30]);
    expect(fetches()).toBe(7);
  });

  it("uses the same short backoff once the keys it had are past maxStaleMs", async () => {
    const resolver = remoteCallbackKeys(`${base}/openid`, { cacheMaxAgeMs: 1_000, maxStaleMs: 10_000 });
    expect(await refusal(resolver)).toBe("accepted");
    behaviour = "fail";
    later(10_000);
    expect(await refusal(resolver)).toMatchObject({ reason: "keys_unavailable", retryAfterSec: 1 });
    behaviour = "ok";
    later(1_000);
    expect(await refusal(resolver)).toBe("accepted");
    expect(fetches()).toBe(3);
  });

  it("never waits longer than cooldownMs, when that is shorter", async () => {
    behaviour = "fail";
    const resolver = remoteCallbackKeys(`${base}/openid`, { cooldownMs: 0 });
    for (let i = 0; i < 3; i++) expect(await refusal(resolver)).toMatchObject({ retryAfterSec: 0 });
    expect(fetches()).toBe(3);
  });
});

describe("jose's createRemoteJWKSet as keys", () => {
  it("refuses as keys_unavailable (a 503), not as a bad token, when its key endpoint fails or stalls", async () => {
    behaviour = "fail";
    expect(await verdict(createRemoteJWKSet(new URL(`${base}/keys`)))).toBe("keys_unavailable");
    behaviour = "stall";
    expect(await verdict(createRemoteJWKSet(new URL(`${base}/keys`), { timeoutDuration: 100 }))).toBe(
      "keys_unavailable",
    );
    behaviour = "not-json";
    expect(await verdict(createRemoteJWKSet(new URL(`${base}/keys`)))).toBe("keys_unavailable");
    expect(await verdict(createRemoteJWKSet(new URL("http://127.0.0.1:1/keys")))).toBe("keys_unavailable");
  });
});
