// The endpoint core's security decisions, through both adapters: it fails closed without a way to
// verify, refuses any falsy verdict, verifies with Microsoft-shaped keys given only appId, answers
// 503 when the keys cannot be had, and (opt-in) refuses a replayed body.
import { createServer, type Server, type ServerResponse } from "node:http";
import { connect } from "node:net";
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
  EndpointOptionsError,
  IntakeTimeoutError,
  type CallbackEndpointOptions,
  type CallbackEvent,
  type FetchHandlerOptions,
} from "../../src/index.js";
import { createNodeMiddleware } from "../../src/node/index.js";
import { docsPayload } from "../fixtures/docs.js";
import { listen } from "../support/listen.js";
import { createKit } from "../telemetry/harness.js";

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
    it("fails closed: an option that would skip or break a check is an EndpointOptionsError naming it and the rule", () => {
      const handler = createCallbackHandler();
      const make =
        name === "fetch"
          ? (o: unknown) => createFetchHandler(handler, o as FetchHandlerOptions)
          : (o: unknown) => createNodeMiddleware(handler, o as CallbackEndpointOptions);
      const open = { dangerouslyAcceptUnverifiedCallbacks: true } as const;
      const cases: Array<[unknown, string, string]> = [
        [{}, "appId", "required"],
        [null, "options", "type"],
        ["appId", "options", "type"],
        [{ appId: undefined }, "appId", "undefined"], // an unset environment variable
        [{ appId: "" }, "appId", "empty"],
        [{ appId: "  " }, "appId", "empty"],
        [{ appId: 42 }, "appId", "type"],
        [{ appId: null }, "appId", "type"],
        [{ appID: APP_ID }, "appID", "unknown"],
        [{ verify: "x" }, "verify", "type"],
        [{ verify: undefined }, "verify", "undefined"],
        [{ verify: null }, "verify", "type"],
        [{ dangerouslyAcceptUnverifiedCallbacks: false }, "dangerouslyAcceptUnverifiedCallbacks", "type"],
        [{ dangerouslyAcceptUnverifiedCallbacks: "true" }, "dangerouslyAcceptUnverifiedCallbacks", "type"],
        [{ appId: APP_ID, verify: () => true }, "verify", "conflict"],
        [
          { verify: () => true, dangerouslyAcceptUnverifiedCallbacks: true },
          "dangerouslyAcceptUnverifiedCallbacks",
          "conflict",
        ],
        [{ verify: () => true, tenantId: "t" }, "tenantId", "conflict"], // would be ignored: a skipped tenant check
        [{ ...open, keys: { keys: [{}] } }, "keys", "conflict"],
        [{ appId: APP_ID, tenantId: undefined }, "tenantId", "undefined"],
        [{ appId: APP_ID, tenantId: "" }, "tenantId", "empty"],
        [{ appId: APP_ID, keys: "https://login.example/keys" }, "keys", "type"],
        [{ appId: APP_ID, keys: { keys: [] } }, "keys", "empty"],
        [{ appId: APP_ID, keys: { keys: ["k"] } }, "keys.keys[0]", "type"],
        [{ appId: APP_ID, cache: {} }, "cache", "type"],
        [{ ...open, maxBodyBytes: -1 }, "maxBodyBytes", "range"],
        [{ ...open, maxBodyBytes: 0 }, "maxBodyBytes", "range"],
        [{ ...open, maxBodyBytes: Number.NaN }, "maxBodyBytes", "range"],
        [{ ...open, maxBodyBytes: 1.5 }, "maxBodyBytes", "range"],
        [{ ...open, maxBodyBytes: Number.POSITIVE_INFINITY }, "maxBodyBytes", "range"],
        [{ ...open, maxBodyBytes: "1" }, "maxBodyBytes", "type"],
        [{ ...open, maxBodyBytes: undefined }, "maxBodyBytes", "undefined"],
        [{ ...open, timeoutMs: 0 }, "timeoutMs", "range"],
        [{ ...open, timeoutMs: 2 ** 31 }, "timeoutMs", "range"],
        [{ ...open, path: "" }, "path", "empty"],
        [{ ...open, path: "api/calls" }, "path", "type"],
        [{ ...open, path: 5 }, "path", "type"],
        [{ ...open, replayGuard: {} }, "replayGuard", "type"],
        [{ ...open, replayGuard: { seen: async () => false } }, "replayGuard", "type"], // the 0.1 guard shape
        [{ ...open, replayGuard: null }, "replayGuard", "type"],
        [{ ...open, replayguard: createReplayGuard() }, "replayguard", "unknown"],
        [{ ...open, record: "tracker" }, "record", "type"],
        [{ ...open, onError: 1 }, "onError", "type"],
        ...(name === "fetch"
          ? ([[{ ...open, waitUntil: "ctx" }, "waitUntil", "type"]] as Array<[unknown, string, string]>)
          : []),
      ];
      for (const [options, option, rule] of cases) {
        let thrown: unknown;
        try {
          make(options);
        } catch (error) {
          thrown = error;
        }
        const label = `${JSON.stringify(options)} → ${option} ${rule}`;
        expect(thrown, label).toBeInstanceOf(EndpointOptionsError);
        expect(thrown, label).toBeInstanceOf(TypeError);
        expect(thrown, label).toMatchObject({ option, rule });
      }
      expect(() => make({})).toThrow(/`appId`.*`verify`.*`dangerouslyAcceptUnverifiedCallbacks: true`/);
      // the handler too: without dispatch() every callback would be lost after its 202
      const withoutHandler = name === "fetch" ? createFetchHandler : createNodeMiddleware;
      for (const bad of [undefined, {}, open])
        expect(() => withoutHandler(bad as never, open)).toThrow(
          expect.objectContaining({ option: "handler", rule: "type" }) as Error,
        );
      expect(() => withoutHandler({} as never, open)).toThrow(
        "handler (type): must be a handler from createCallbackHandler()",
      );
      if (name === "fetch")
        expect(() => make({ ...open, waitUntil: "ctx" })).toThrow(
          "waitUntil (type): must be a function of the handlers' promise",
        );
      // and every valid shape constructs
      for (const options of [
        { appId: APP_ID },
        { appId: APP_ID, tenantId: "t", keys: jwks, cache: createVerifiedTokenCache() },
        { appId: APP_ID, keys: () => jwks.keys[0] },
        { verify: () => true, path: null, maxBodyBytes: 1, timeoutMs: 1, record: () => {}, onError: () => {} },
        { ...open, path: "/cb", replayGuard: createReplayGuard() },
      ])
        expect(() => make(options), JSON.stringify(options)).not.toThrow();
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

    it("given only appId, verifies with Microsoft's published keys, fetched once and counted by telemetry", async () => {
      const realFetch = globalThis.fetch;
      const asked: string[] = [];
      vi.stubGlobal("fetch", (input: string | URL | Request, init?: RequestInit) => {
        const url = input instanceof Request ? input.url : String(input);
        if (!url.startsWith("https://api.aps.skype.com/")) return realFetch(input, init); // the test's own requests
        asked.push(url);
        return Promise.resolve(
          Response.json(
            url.endsWith("/OpenIdConfiguration") ? { jwks_uri: "https://api.aps.skype.com/v1/keys" } : jwks,
          ),
        );
      });
      const kit = createKit();
      try {
        const post = adapter({ appId: APP_ID, telemetry: kit.telemetry });
        expect((await post({ authorization: `Bearer ${token}` })).status).toBe(202);
        expect((await post({ authorization: `Bearer ${token}` })).status).toBe(202);
        expect((await post({ authorization: `Bearer ${token.slice(0, -6)}AAAAAA` })).status).toBe(401);
        expect(asked).toEqual([
          "https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration",
          "https://api.aps.skype.com/v1/keys",
        ]);
        const fetches = await kit.points("graph_invite.keys.fetches");
        expect(fetches.map((p) => [p.attributes["graph_invite.outcome"], p.value])).toEqual([["success", 1]]);
      } finally {
        vi.unstubAllGlobals();
        await kit.shutdown();
      }
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
      // a verify that throws it at once, too
      const thrown = await adapter({
        verify: () => {
          throw new CallbackAuthError("keys_unavailable", "down");
        },
      })();
      expect(thrown.status).toBe(503);
      expect(thrown.headers.get("retry-after")).toBe("30");
    });

    it("acknowledges with an empty 202: Content-Length 0 and no Content-Type", async () => {
      const res = await adapter({ dangerouslyAcceptUnverifiedCallbacks: true })();
      expect(res.status).toBe(202);
      expect(res.headers.get("content-length")).toBe("0");
      expect(res.headers.get("content-type")).toBeNull();
      expect(await res.text()).toBe("");
    });

    it("with a replay guard, answers a body acknowledged before with 202 (not 409), and dispatches it once", async () => {
      const events: CallbackEvent[] = [];
      const post = adapter({ dangerouslyAcceptUnverifiedCallbacks: true, replayGuard: createReplayGuard() }, events);
      expect((await post()).status).toBe(202);
      const again = await post();
      expect(again.status).toBe(202);
      expect(await again.text()).toBe("");
      const other = docsPayload(1, "notification-operation-completed") as {
        value: Array<{ resourceData: { clientContext: string } }>;
      };
      other.value[0]!.resourceData.clientContext = "another";
      expect((await post({}, JSON.stringify(other))).status).toBe(202);
      await vi.waitFor(() => expect(events).toHaveLength(2));
      await new Promise((r) => setTimeout(r, 50));
      expect(events).toHaveLength(2); // the duplicate was not dispatched
      expect(events[1]).toMatchObject({ clientContext: "another" });
    });

    it("with a replay guard and record: a body answered 503 (record failed) is taken when Graph sends it again", async () => {
      const events: CallbackEvent[] = [];
      const recorded: CallbackEvent[][] = [];
      let redisAway = true;
      const post = adapter(
        {
          dangerouslyAcceptUnverifiedCallbacks: true,
          replayGuard: createReplayGuard(),
          onError: () => {},
          record: async (e) => {
            if (redisAway) throw new Error("Redis is away");
            recorded.push(e);
          },
        },
        events,
      );
      expect((await post()).status).toBe(503);
      redisAway = false;
      expect((await post()).status).toBe(202); // the resend is recorded, not refused as a replay
      expect((await post()).status).toBe(202); // a duplicate of an acknowledged body: 2xx, nothing more
      await vi.waitFor(() => expect(events).toHaveLength(1));
      await new Promise((r) => setTimeout(r, 50));
      expect(recorded).toHaveLength(1);
      expect(events).toHaveLength(1);
    });

    it("with a replay guard, a body being taken by another request right now gets 503, never a second dispatch", async () => {
      const events: CallbackEvent[] = [];
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const post = adapter(
        { dangerouslyAcceptUnverifiedCallbacks: true, replayGuard: createReplayGuard(), record: () => gate },
        events,
      );
      const first = post();
      await new Promise((r) => setTimeout(r, 100)); // the first is waiting for record
      const second = await post();
      expect(second.status).toBe(503);
      expect(second.headers.get("retry-after")).toBe("5");
      release();
      expect((await first).status).toBe(202);
      expect((await post()).status).toBe(202);
      await vi.waitFor(() => expect(events).toHaveLength(1));
      await new Promise((r) => setTimeout(r, 50));
      expect(events).toHaveLength(1);
    });

    it("with a replay guard slower than timeoutMs: 503, reported, and the body taken when Graph sends it again", async () => {
      const events: CallbackEvent[] = [];
      const errors: unknown[] = [];
      const memory = createReplayGuard();
      let slow = true;
      const post = adapter(
        {
          dangerouslyAcceptUnverifiedCallbacks: true,
          timeoutMs: 100,
          onError: (e) => errors.push(e),
          replayGuard: {
            // a shared guard (Redis) that answers after the endpoint gave up
            claim: async (b) => {
              const claim = await memory.claim(b);
              if (slow) await new Promise((r) => setTimeout(r, 300));
              return claim;
            },
            get size() {
              return memory.size;
            },
          },
        },
        events,
      );
      expect((await post()).status).toBe(503);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(IntakeTimeoutError);
      expect(errors[0]).toMatchObject({ step: "replay", timeoutMs: 100 });
      slow = false;
      await new Promise((r) => setTimeout(r, 300)); // the first request's claim has come by now
      expect((await post()).status).toBe(202); // not 503 "in flight" for ever
      await vi.waitFor(() => expect(events).toHaveLength(1)); // and taken: not a duplicate of an answered 503
      expect(errors).toHaveLength(1);
    });

    it("a record that settles after its 503 (timeout) changes nothing: not dispatched, not remembered", async () => {
      const events: CallbackEvent[] = [];
      let slow = true;
      const post = adapter(
        {
          dangerouslyAcceptUnverifiedCallbacks: true,
          replayGuard: createReplayGuard(),
          timeoutMs: 100,
          onError: () => {},
          record: () => (slow ? new Promise((r) => setTimeout(r, 300)) : undefined),
        },
        events,
      );
      expect((await post()).status).toBe(503);
      await new Promise((r) => setTimeout(r, 350)); // the record has settled by now
      expect(events).toEqual([]);
      slow = false;
      expect((await post()).status).toBe(202); // taken as new: the 503 acknowledged nothing
      await vi.waitFor(() => expect(events).toHaveLength(1));
    });

    it("a replay guard that throws when it settles a claim: reported, and the answer and the dispatch stand", async () => {
      const events: CallbackEvent[] = [];
      const errors: unknown[] = [];
      const settled: string[] = [];
      const guard = (fail: "acknowledge" | "release") => ({
        claim: async () => ({
          state: "new" as const,
          acknowledge() {
            settled.push("acknowledge");
            if (fail === "acknowledge") throw new Error("Redis is away");
          },
          release() {
            settled.push("release");
            if (fail === "release") throw new Error("Redis is away");
          },
        }),
        size: 0,
      });
      const post = adapter(
        {
          dangerouslyAcceptUnverifiedCallbacks: true,
          replayGuard: guard("acknowledge"),
          onError: (e) => errors.push(e),
        },
        events,
      );
      expect((await post()).status).toBe(202);
      await vi.waitFor(() => expect(events).toHaveLength(1)); // Graph was told 202: the handlers get it
      expect(errors).toEqual([new Error("Redis is away")]);
      expect(settled).toEqual(["acknowledge"]);
      // the release after a refusal (record failed): the 503 stands, both errors reported
      errors.length = 0;
      settled.length = 0;
      const refused = adapter({
        dangerouslyAcceptUnverifiedCallbacks: true,
        replayGuard: guard("release"),
        record: () => Promise.reject(new RangeError("record broke")),
        onError: (e) => errors.push(e),
      });
      expect((await refused()).status).toBe(503);
      expect(errors).toEqual([new RangeError("record broke"), new Error("Redis is away")]);
      expect(settled).toEqual(["release"]);
    });

    it("takes a step that settles within timeoutMs: 202, nothing reported", async () => {
      const errors: unknown[] = [];
      const recorded: CallbackEvent[][] = [];
      const post = adapter({
        dangerouslyAcceptUnverifiedCallbacks: true,
        timeoutMs: 400,
        onError: (e) => errors.push(e),
        record: (e) => new Promise<void>((r) => setTimeout(() => (recorded.push(e), r()), 250)),
      });
      expect((await post()).status).toBe(202);
      expect(recorded).toHaveLength(1);
      expect(errors).toEqual([]);
    });

    it("bounds every wait: a record that never settles is 503 after timeoutMs, reported, and the body taken later", async () => {
      const errors: unknown[] = [];
      let hang = true;
      const post = adapter({
        dangerouslyAcceptUnverifiedCallbacks: true,
        replayGuard: createReplayGuard(),
        timeoutMs: 200,
        onError: (e) => errors.push(e),
        record: () => (hang ? new Promise(() => {}) : undefined),
      });
      const started = Date.now();
      const res = await post();
      expect(res.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(IntakeTimeoutError);
      expect(errors[0]).toMatchObject({ step: "record", timeoutMs: 200 });
      hang = false;
      expect((await post()).status).toBe(202);
      // an async verify that never settles too
      const stalled = await adapter({
        verify: () => new Promise(() => {}),
        timeoutMs: 200,
        onError: (e) => errors.push(e),
      })();
      expect(stalled.status).toBe(503);
      expect(errors[1]).toBeInstanceOf(IntakeTimeoutError);
      expect(errors[1]).toMatchObject({ step: "authorize", timeoutMs: 200 });
    });

    it("holds no timer once its requests are answered, however many waited and however often each did", async () => {
      vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] }); // the deadlines' sweep, under the test's hand
      try {
        // an async verify and an async record: each request waits twice
        const post = adapter({ verify: async () => true, record: async () => {}, timeoutMs: 1_000 });
        const answers = await Promise.all([post(), post()]);
        expect(answers.map((r) => r.status)).toEqual([202, 202]);
        vi.advanceTimersByTime(500); // the next sweep finds nothing waiting
        expect(vi.getTimerCount()).toBe(0);
      } finally {
        vi.useRealTimers();
      }
    });

    it("tells telemetry why a timeout, a replay and a body in flight were answered, and whether tokens are checked", async () => {
      const kit = createKit();
      try {
        const { telemetry } = kit;
        const open = { dangerouslyAcceptUnverifiedCallbacks: true, telemetry } as const;
        expect(
          (await adapter({ ...open, timeoutMs: 100, onError: () => {}, record: () => new Promise(() => {}) })()).status,
        ).toBe(503);
        const replayed = adapter({ ...open, replayGuard: createReplayGuard() });
        expect((await replayed()).status).toBe(202);
        expect((await replayed()).status).toBe(202);
        let release!: () => void;
        const gate = new Promise<void>((r) => (release = r));
        const busy = adapter({ ...open, replayGuard: createReplayGuard(), record: () => gate });
        const first = busy();
        await new Promise((r) => setTimeout(r, 100)); // the first is waiting for record
        expect((await busy()).status).toBe(503);
        release();
        expect((await first).status).toBe(202);
        expect((await adapter({ verify: () => true, telemetry })()).status).toBe(202);
        await vi.waitFor(() => expect(kit.spansNamed("callback")).toHaveLength(6));
        const seen = kit
          .spansNamed("callback")
          .map((s) => [
            s.attributes["http.response.status_code"],
            s.attributes["graph_invite.callback.reason"],
            s.attributes["graph_invite.callback.verification"],
          ]);
        expect(seen).toEqual([
          [503, "timed_out", "skipped"],
          [202, "accepted", "skipped"],
          [202, "replayed", "skipped"],
          [503, "in_flight", "skipped"],
          [202, "accepted", "skipped"],
          [202, "accepted", "passed"],
        ]);
      } finally {
        await kit.shutdown();
      }
    });

    it("contains an onError that throws or rejects: logged by name only, no unhandled rejection", async () => {
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on("unhandledRejection", onUnhandled);
      const logged = vi.spyOn(console, "error").mockImplementation(() => {});
      try {
        for (const onError of [
          () => {
            throw new RangeError("onError broke");
          },
          () => Promise.reject(new RangeError("onError broke")),
        ]) {
          const events = createCallbackHandler().on("*", () => {
            throw new Error("handler broke on +12345678901"); // a message may carry callback content
          });
          const endpoint =
            name === "fetch"
              ? createFetchHandler(events, { dangerouslyAcceptUnverifiedCallbacks: true, onError })
              : createNodeMiddleware(events, { dangerouslyAcceptUnverifiedCallbacks: true, onError });
          const post =
            name === "fetch"
              ? async () => {
                  const work: Array<Promise<unknown>> = [];
                  const res = await (endpoint as ReturnType<typeof createFetchHandler>)(
                    new Request("http://bot/api/calls", {
                      method: "POST",
                      headers: { "content-type": "application/json" },
                      body: body(),
                    }),
                    { waitUntil: (p) => work.push(p) },
                  );
                  await Promise.all(work);
                  return res;
                }
              : await (async () => {
                  const server = createServer(endpoint as ReturnType<typeof createNodeMiddleware>);
                  servers.push(server);
                  const base = await listen(server);
                  return () =>
                    fetch(`${base}/api/calls`, {
                      method: "POST",
                      headers: { "content-type": "application/json" },
                      body: body(),
                    });
                })();
          expect((await post()).status).toBe(202);
        }
        await vi.waitFor(() => expect(logged).toHaveBeenCalledTimes(2));
        await new Promise((r) => setTimeout(r, 50));
        expect(unhandled).toEqual([]);
        for (const [line] of logged.mock.calls) {
          expect(line).toBe("graph-invite-contract: onError threw RangeError; the error it was given was dropped");
        }
      } finally {
        logged.mockRestore();
        process.off("unhandledRejection", onUnhandled);
      }
    });
  });
}

describe("a body a framework already parsed (express.json)", () => {
  it("is taken at once: 202, dispatched, and no deadline timer armed for it", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] }); // the deadlines' sweep, under the test's hand
    try {
      const events: CallbackEvent[] = [];
      const middleware = createNodeMiddleware(
        createCallbackHandler().on("*", (e) => void events.push(e)),
        { dangerouslyAcceptUnverifiedCallbacks: true },
      );
      const server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          Object.assign(req, { body: JSON.parse(Buffer.concat(chunks).toString()) as unknown });
          middleware(req, res);
        });
      });
      servers.push(server);
      const res = await fetch(`${await listen(server)}/api/calls`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: body(),
      });
      expect(res.status).toBe(202);
      expect(vi.getTimerCount()).toBe(0);
      await vi.waitFor(() => expect(events).toHaveLength(1));
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("the node endpoint's connection", () => {
  const open = { dangerouslyAcceptUnverifiedCallbacks: true } as const;

  it("a client that goes away mid-body: nothing reported, recorded or dispatched", async () => {
    const errors: unknown[] = [];
    const recorded: CallbackEvent[][] = [];
    const events: CallbackEvent[] = [];
    const middleware = createNodeMiddleware(
      createCallbackHandler().on("*", (e) => void events.push(e)),
      { ...open, onError: (e) => errors.push(e), record: (e) => void recorded.push(e) },
    );
    const server = createServer(middleware);
    servers.push(server);
    const base = new URL(await listen(server));
    const arrived = new Promise<void>((r) => server.once("request", () => r()));
    const socket = connect(Number(base.port), base.hostname);
    socket.write(
      "POST /api/calls HTTP/1.1\r\nhost: bot\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n" +
        '{"value":[',
    );
    await arrived;
    await new Promise((r) => setTimeout(r, 50));
    socket.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect(errors).toEqual([]);
    expect(recorded).toEqual([]);
    expect(events).toEqual([]);
  });

  it("keeps the connection of a body it read, and closes one it refused unread with no declared length", async () => {
    const middleware = createNodeMiddleware(createCallbackHandler(), { verify: (h) => h === "Bearer ok" });
    const server = createServer(middleware);
    servers.push(server);
    const base = await listen(server);
    const chunked = (authorization: string) =>
      fetch(`${base}/api/calls`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization },
        body: new Blob([body()]).stream(), // no Content-Length: chunked
        duplex: "half",
      } as RequestInit);
    const taken = await chunked("Bearer ok");
    expect(taken.status).toBe(202);
    expect(taken.headers.get("connection")).toBe("keep-alive");
    const refused = await chunked("Bearer forged");
    expect(refused.status).toBe(401);
    expect(refused.headers.get("connection")).toBe("close"); // not drained: its size is unknown
  });

  it("a 202 that cannot be written is a 500: reported, not dispatched, and the body taken when sent again", async () => {
    const errors: unknown[] = [];
    const events: CallbackEvent[] = [];
    const middleware = createNodeMiddleware(
      createCallbackHandler().on("*", (e) => void events.push(e)),
      { ...open, replayGuard: createReplayGuard(), onError: (e) => errors.push(e) },
    );
    let broken = true;
    const server = createServer((req, res) => {
      if (broken) {
        broken = false; // a framework's wrapper that fails once
        const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
        let first = true;
        res.writeHead = ((...args: unknown[]) => {
          if (!first) return writeHead(...args);
          first = false;
          throw new Error("writeHead broke");
        }) as typeof res.writeHead;
      }
      middleware(req, res);
    });
    servers.push(server);
    const base = await listen(server);
    const post = () =>
      fetch(`${base}/api/calls`, { method: "POST", headers: { "content-type": "application/json" }, body: body() });
    expect((await post()).status).toBe(500);
    expect(errors).toEqual([new Error("writeHead broke")]);
    await new Promise((r) => setTimeout(r, 50));
    expect(events).toEqual([]); // Graph was not told 202: it sends again
    expect((await post()).status).toBe(202);
    await vi.waitFor(() => expect(events).toHaveLength(1));
  });
});

describe("createReplayGuard", () => {
  it("remembers a body only once acknowledged, forgets it after ttlMs, and keeps at most maxEntries", async () => {
    const guard = createReplayGuard({ ttlMs: 50, maxEntries: 3 });
    const first = await guard.claim("a");
    expect(first.state).toBe("new");
    expect((await guard.claim("a")).state).toBe("in-flight");
    if (first.state === "new") first.release(); // answered 503: not remembered
    expect(guard.size).toBe(0);
    const second = await guard.claim("a");
    expect(second.state).toBe("new");
    if (second.state === "new") second.acknowledge();
    expect((await guard.claim("a")).state).toBe("acknowledged");
    await new Promise((r) => setTimeout(r, 60));
    expect((await guard.claim("a")).state).toBe("new"); // expired
    for (const b of ["b", "c", "d", "e"]) {
      const claim = await guard.claim(b);
      if (claim.state === "new") claim.acknowledge();
    }
    expect(guard.size).toBe(3);
    expect((await guard.claim("b")).state).toBe("new"); // the oldest left first
  });

  it("takes the same body as bytes, text or parsed JSON alike when they are the same bytes", async () => {
    const guard = createReplayGuard();
    const claim = await guard.claim(new TextEncoder().encode('{"value":[]}'));
    if (claim.state === "new") claim.acknowledge();
    expect((await guard.claim('{"value":[]}')).state).toBe("acknowledged");
    expect((await guard.claim({ value: [] })).state).toBe("acknowledged");
  });

  it("refuses options that are not positive integers", () => {
    for (const options of [{ ttlMs: 0 }, { ttlMs: Number.NaN }, { maxEntries: -1 }, { maxEntries: "10" }])
      expect(() => createReplayGuard(options as object), JSON.stringify(options)).toThrow(EndpointOptionsError);
  });
});
