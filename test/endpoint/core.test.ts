// The endpoint core's security decisions, through both adapters: it fails closed without a way to
// verify, refuses any falsy verdict, verifies with Microsoft-shaped keys given only appId, answers
// 503 when the keys cannot be had, and (opt-in) refuses a replayed body.
import { createServer, type Server } from "node:http";
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  SignJWT,
  type FlattenedJWSInput,
  type JSONWebKeySet,
  type JWSHeaderParameters,
} from "jose";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  CallbackAuthError,
  createCallbackHandler,
  createFetchHandler,
  createReplayGuard,
  createVerifiedTokenCache,
  type CallbackEndpointOptions,
  type CallbackEvent,
} from "../../src/index.js";
import { createNodeMiddleware } from "../../src/node/index.js";
import { docsPayload } from "../fixtures/docs.js";
import { listen } from "../support/listen.js";

const APP_ID = "b6ba4e3c-1a9a-4c9e-8b8b-6b9a0c2f4d11";
const body = () => JSON.stringify(docsPayload(1, "notification-operation-completed"));
let token = "";
let jwks: JSONWebKeySet;

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256" }] };
  const now = Math.floor(Date.now() / 1000);
  token = await new SignJWT({ tid: "72f988bf-86f1-41af-91ab-2d7cd011db47" })
    .setProtectedHeader({ alg: "RS256", kid: "k1" })
    .setIssuer("https://graph.microsoft.com")
    .setAudience(APP_ID)
    .setExpirationTime(now + 600)
    .sign(privateKey);
});

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => new Promise<void>((r) => (s.closeAllConnections(), s.close(() => r())))),
  );
});

/** Both adapters behind one signature: POST a body with headers, get the status. */
const adapters = {
  fetch: (options: CallbackEndpointOptions, events: CallbackEvent[] = []) => {
    const endpoint = createFetchHandler(
      createCallbackHandler().on("*", (e) => void events.push(e)),
      options,
    );
    return async (headers: Record<string, string> = {}, text = body()) => {
      const work: Array<Promise<unknown>> = [];
      const res = await endpoint(
        new Request("http://bot/api/calls", {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: text,
        }),
        { waitUntil: (p) => work.push(p) },
      );
      await Promise.all(work);
      return res;
    };
  },
  node: (options: CallbackEndpointOptions, events: CallbackEvent[] = []) => {
    const middleware = createNodeMiddleware(
      createCallbackHandler().on("*", (e) => void events.push(e)),
      options,
    );
    const server = createServer(middleware);
    servers.push(server);
    const base = listen(server);
    return async (headers: Record<string, string> = {}, text = body()) =>
      fetch(`${await base}/api/calls`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: text,
      });
  },
};

for (const [name, adapter] of Object.entries(adapters)) {
  describe(`the ${name} endpoint`, () => {
    it("fails closed: constructing it without a way to verify is a TypeError naming the options", () => {
      const handler = createCallbackHandler();
      const make =
        name === "fetch"
          ? (o: object) => createFetchHandler(handler, o)
          : (o: object) => createNodeMiddleware(handler, o);
      expect(() => make({})).toThrow(TypeError);
      expect(() => make({})).toThrow(/`appId`.*`verify`.*`dangerouslyAcceptUnverifiedCallbacks: true`/);
      expect(() => make({ appId: APP_ID, verify: () => true })).toThrow(/only one/);
      expect(() => make({ appId: "" })).toThrow(/application id/);
    });

    it("refuses (401) any falsy verdict of a custom verify, sync or async", async () => {
      for (const verdict of [false, null, undefined, 0, ""]) {
        const post = adapter({ verify: () => verdict });
        expect((await post()).status, String(verdict)).toBe(401);
        const postAsync = adapter({ verify: async () => verdict });
        expect((await postAsync()).status, `async ${String(verdict)}`).toBe(401);
      }
      expect((await adapter({ verify: () => ({ tid: "t" }) })()).status).toBe(202);
    });

    it("given appId (and keys), verifies Microsoft-shaped tokens: 202 signed, 401 forged or missing", async () => {
      const events: CallbackEvent[] = [];
      const post = adapter({ appId: APP_ID, keys: jwks }, events);
      expect((await post({ authorization: `Bearer ${token}` })).status).toBe(202);
      expect((await post({ authorization: `bearer ${token}` })).status).toBe(202);
      expect((await post({ authorization: `Bearer ${token.slice(0, -6)}AAAAAA` })).status).toBe(401);
      expect((await post()).status).toBe(401);
      await vi.waitFor(() => expect(events).toHaveLength(2));
      expect(
        (await adapter({ appId: APP_ID, keys: jwks, tenantId: "another-tenant" })({ authorization: `Bearer ${token}` }))
          .status,
      ).toBe(401);
    });

    it("given appId and a token cache, checks a token's signature once, and still refuses a forged one", async () => {
      const local = createLocalJWKSet(jwks);
      let lookups = 0;
      const keys = (header: JWSHeaderParameters, input: FlattenedJWSInput) => (lookups++, local(header, input));
      const post = adapter({ appId: APP_ID, keys, cache: createVerifiedTokenCache() });
      for (let i = 0; i < 3; i++) expect((await post({ authorization: `Bearer ${token}` })).status).toBe(202);
      expect(lookups).toBe(1);
      expect((await post({ authorization: `Bearer ${token.slice(0, -6)}AAAAAA` })).status).toBe(401);
      // without the cache, each callback is verified again
      const uncached = adapter({ appId: APP_ID, keys });
      for (let i = 0; i < 2; i++) expect((await uncached({ authorization: `Bearer ${token}` })).status).toBe(202);
      expect(lookups).toBe(4);
    });

    it("answers 503 with Retry-After, not 401, when the signing keys cannot be had", async () => {
      const res = await adapter({ verify: () => Promise.reject(new CallbackAuthError("keys_unavailable", "down")) })();
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("30");
    });

    it("with a replay guard, refuses (409) an exact body seen before, and dispatches it once", async () => {
      const events: CallbackEvent[] = [];
      const post = adapter({ dangerouslyAcceptUnverifiedCallbacks: true, replayGuard: createReplayGuard() }, events);
      expect((await post()).status).toBe(202);
      const again = await post();
      expect(again.status).toBe(409);
      expect(((await again.json()) as { error: { code: string } }).error.code).toBe("DuplicateNotification");
      const other = docsPayload(1, "notification-operation-completed") as {
        value: Array<{ resourceData: { clientContext: string } }>;
      };
      other.value[0]!.resourceData.clientContext = "another";
      expect((await post({}, JSON.stringify(other))).status).toBe(202);
      await vi.waitFor(() => expect(events).toHaveLength(2));
    });
  });
}

describe("createReplayGuard", () => {
  it("forgets bodies after ttlMs and keeps at most maxEntries", async () => {
    const guard = createReplayGuard({ ttlMs: 50, maxEntries: 3 });
    expect(await guard.seen("a")).toBe(false);
    expect(await guard.seen("a")).toBe(true);
    await new Promise((r) => setTimeout(r, 60));
    expect(await guard.seen("a")).toBe(false); // expired, remembered anew
    for (const b of ["b", "c", "d"]) await guard.seen(b);
    expect(guard.size).toBe(3);
    expect(await guard.seen("a")).toBe(false); // the oldest left first
  });

  it("takes the same body as bytes, text or parsed JSON alike when they are the same bytes", async () => {
    const guard = createReplayGuard();
    expect(await guard.seen(new TextEncoder().encode('{"value":[]}'))).toBe(false);
    expect(await guard.seen('{"value":[]}')).toBe(true);
    expect(await guard.seen({ value: [] })).toBe(true);
  });
});
