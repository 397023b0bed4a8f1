// remoteCallbackKeys against a real key server on 127.0.0.1 that can stall, fail, redirect, bloat
// and rotate: bounded fetches, last-known-good keys, one fetch per cooldown, a distinct refusal.
import { createServer, type Server, type ServerResponse } from "node:http";
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  CallbackAuthError,
  remoteCallbackKeys,
  verifyCallbackToken,
  type RemoteCallbackKeysOptions,
} from "../../src/index.js";
import { listen } from "../support/listen.js";

const APP_ID = "b6ba4e3c-1a9a-4c9e-8b8b-6b9a0c2f4d11";
const now = () => Math.floor(Date.now() / 1000);

type Behaviour = "ok" | "fail" | "stall" | "huge" | "redirect-same" | "redirect-away" | "no-jwks-uri";
let behaviour: Behaviour = "ok";
let published: JWK[] = [];
const hits: string[] = [];
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
    const json = (body: unknown) =>
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (behaviour === "stall") return; // never answers
    if (behaviour === "fail") return void res.writeHead(500).end("down");
    if (req.url === "/openid") {
      if (behaviour === "redirect-same") return void res.writeHead(302, { location: "/openid-moved" }).end();
      if (behaviour === "redirect-away")
        return void res.writeHead(302, { location: "http://localhost:1/openid" }).end();
      if (behaviour === "no-jwks-uri") return json({ issuer: "x" });
      return json({ jwks_uri: `${base}/keys` });
    }
    if (req.url === "/openid-moved") return json({ jwks_uri: `${base}/keys` });
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
});

const keys = (options: RemoteCallbackKeysOptions = {}) =>
  remoteCallbackKeys(`${base}/openid`, { timeoutMs: 300, cooldownMs: 200, ...options });
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
  });

  it("ends a stalled fetch after timeoutMs and refuses as keys_unavailable, not malformed", async () => {
    behaviour = "stall";
    const started = Date.now();
    expect(await verdict(keys({ timeoutMs: 150 }))).toBe("keys_unavailable");
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("during an outage, fetches at most once per cooldown however many callbacks arrive", async () => {
    behaviour = "fail";
    const resolver = keys({ cooldownMs: 10_000 });
    const verdicts = await Promise.all(Array.from({ length: 300 }, () => verdict(resolver)));
    expect(new Set(verdicts)).toEqual(new Set(["keys_unavailable"]));
    expect(fetches()).toBe(1);
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
    const resolver = keys({ cooldownMs: 300 });
    expect(await verdict(resolver)).toBe("accepted");
    published = [keyFor.k1!, keyFor.k2!]; // k2 rotated in
    const junk = await Promise.all(Array.from({ length: 50 }, () => verdict(resolver, "k2")));
    expect(junk).toContain("unknown_key"); // within the cooldown of the first fetch
    expect(fetches()).toBe(1);
    await sleep(350);
    expect(await verdict(resolver, "k2")).toBe("accepted");
    expect(fetches()).toBe(2);
  });

  it("refuses a document over maxBytes without reading it whole", async () => {
    behaviour = "huge";
    expect(await verdict(keys({ maxBytes: 64 * 1024 }))).toBe("keys_unavailable");
    await sleep(50);
    expect(hits).toContain("huge-closed");
  });

  it("follows a redirect on the same host, and refuses one to another host", async () => {
    behaviour = "redirect-same";
    expect(await verdict(keys())).toBe("accepted");
    behaviour = "redirect-away";
    const error = await verifyCallbackToken(`Bearer ${await sign("k1")}`, { appId: APP_ID, keys: keys() }).catch(
      (e: Error) => e,
    );
    expect(error).toMatchObject({ reason: "keys_unavailable" });
    expect((error as Error).message).toMatch(/redirected to another host \(localhost:1\)/);
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
});
