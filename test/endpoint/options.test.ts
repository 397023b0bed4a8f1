// The callback endpoint's options as the bot's author meets them: each refusal's message says what
// the option must be (the message is what a deploy log shows), the bounds are where the docs put
// them, and the optional collaborators given (telemetry) are the ones the endpoint uses.
import { describe, expect, it } from "vitest";
import {
  createCallbackHandler,
  createFetchHandler,
  createReplayGuard,
  createTelemetry,
  createVerifiedTokenCache,
  EndpointOptionsError,
  type FetchHandlerOptions,
} from "../../src/index.js";
import { docsPayload } from "../fixtures/docs.js";

const APP_ID = "b6ba4e3c-1a9a-4c9e-8b8b-6b9a0c2f4d11";
const JWKS = { keys: [{ kty: "RSA", n: "AQAB", e: "AQAB", kid: "k1" }] };
const open = { dangerouslyAcceptUnverifiedCallbacks: true } as const;

/** The message of the EndpointOptionsError the options are refused with, or "created". */
function refusal(options: unknown): string {
  try {
    createFetchHandler(createCallbackHandler(), options as FetchHandlerOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(EndpointOptionsError);
    return (error as Error).message;
  }
  return "created";
}

describe("the callback endpoint's options", () => {
  it("says what a way to verify must be when it is missing, doubled or unusable", () => {
    expect(refusal(null)).toBe("options (type): must be an object with a way to verify");
    expect(refusal({})).toBe(
      "appId (required): a callback endpoint needs a way to verify callbacks: pass `appId` (Microsoft's published keys), `verify`, or, for local tests only, `dangerouslyAcceptUnverifiedCallbacks: true`",
    );
    expect(refusal({ appId: 42 })).toBe("appId (type): must be the bot's application id (a string)");
    expect(refusal({ appId: " " })).toBe("appId (empty): must be the bot's application id, not empty");
    expect(refusal({ appId: APP_ID, verify: () => true })).toBe(
      "verify (conflict): pass only one of `appId` and `verify`",
    );
    expect(refusal({ appId: APP_ID, verify: () => true, ...open })).toBe(
      "verify (conflict): pass only one of `appId` and `verify` and `dangerouslyAcceptUnverifiedCallbacks`",
    );
    expect(refusal({ verify: "yes" })).toBe("verify (type): must be a function of the Authorization header");
    expect(refusal({ dangerouslyAcceptUnverifiedCallbacks: false })).toBe(
      "dangerouslyAcceptUnverifiedCallbacks (type): must be `true` (local tests only), or left out for `appId` or `verify`",
    );
  });

  it("says an option of appId would be ignored beside another way to verify", () => {
    expect(refusal({ verify: () => true, keys: JWKS })).toBe(
      "keys (conflict): is an option of `appId`; with `verify` it would be ignored",
    );
    expect(refusal({ ...open, cache: createVerifiedTokenCache() })).toBe(
      "cache (conflict): is an option of `appId`; with `dangerouslyAcceptUnverifiedCallbacks` it would be ignored",
    );
  });

  it("says what the tenant, keys and cache must be", () => {
    expect(refusal({ appId: APP_ID, tenantId: "" })).toBe("tenantId (empty): must be a tenant id, not empty");
    expect(refusal({ appId: APP_ID, tenantId: 7 })).toBe("tenantId (type): must be a tenant id (a string)");
    const notAKeySet =
      "keys (type): must be a JSON Web Key Set ({ keys: [...] }) or a key resolver such as remoteCallbackKeys()";
    expect(refusal({ appId: APP_ID, keys: "https://login.example/keys" })).toBe(notAKeySet);
    expect(refusal({ appId: APP_ID, keys: {} })).toBe(notAKeySet); // an object without keys: not a set
    expect(refusal({ appId: APP_ID, keys: { keys: "k1" } })).toBe(notAKeySet);
    expect(refusal({ appId: APP_ID, keys: { keys: [] } })).toBe(
      "keys (empty): the key set has no keys: no token could verify",
    );
    expect(refusal({ appId: APP_ID, keys: { keys: [JWKS.keys[0], "k2"] } })).toBe(
      "keys.keys[1] (type): must be a JSON Web Key (an object)",
    );
    const notACache = "cache (type): must be a cache from createVerifiedTokenCache()";
    expect(refusal({ appId: APP_ID, cache: {} })).toBe(notACache);
    expect(refusal({ appId: APP_ID, cache: { get: () => undefined } })).toBe(notACache); // it could not remember
    expect(refusal({ appId: APP_ID, cache: { set: () => {} } })).toBe(notACache); // it could not answer
    expect(refusal({ appId: APP_ID, cache: "memory" })).toBe(notACache);
    expect(refusal({ appId: APP_ID, tenantId: "t", keys: JWKS, cache: createVerifiedTokenCache() })).toBe("created");
  });

  it("says what the common options must be, and names a typo or an unset value", () => {
    expect(refusal({ ...open, appID: APP_ID })).toBe(
      "appID (unknown): is not an option of the callback endpoint (a typo would skip a check)",
    );
    expect(refusal({ ...open, record: undefined })).toBe(
      "record (undefined): is undefined: set it, or leave the key out for the default",
    );
    expect(refusal({ ...open, path: "" })).toBe("path (empty): must be the callback path, not empty");
    expect(refusal({ ...open, path: 5 })).toBe("path (type): must be the callback path (a string)");
    expect(refusal({ ...open, path: "api/calls" })).toBe("path (type): must start with /");
    expect(refusal({ ...open, replayGuard: {} })).toBe(
      "replayGuard (type): must be a guard from createReplayGuard() (with claim())",
    );
    expect(refusal({ ...open, record: "tracker" })).toBe("record (type): must be a function of the events");
    expect(refusal({ ...open, onError: 1 })).toBe("onError (type): must be a function of the error");
    expect(refusal({ ...open, telemetry: {} })).toBe("telemetry (type): must come from createTelemetry()");
    expect(refusal({ ...open, path: "/cb", replayGuard: createReplayGuard(), record: () => {} })).toBe("created");
  });

  it("takes maxBodyBytes and timeoutMs as integers, timeoutMs up to setTimeout's ceiling", () => {
    expect(refusal({ ...open, maxBodyBytes: "1" })).toBe("maxBodyBytes (type): must be a number");
    expect(refusal({ ...open, maxBodyBytes: 0 })).toBe(
      "maxBodyBytes (range): must be an integer from 1 to 9007199254740991",
    );
    expect(refusal({ ...open, maxBodyBytes: Number.MAX_SAFE_INTEGER })).toBe("created");
    expect(refusal({ ...open, timeoutMs: 2 ** 31 })).toBe("timeoutMs (range): must be an integer from 1 to 2147483647");
    expect(refusal({ ...open, timeoutMs: 2 ** 31 - 1 })).toBe("created");
    expect(refusal({ ...open, timeoutMs: 1 })).toBe("created");
  });

  it("reports each callback to the telemetry it is given", async () => {
    const records: string[] = [];
    const keep = (_fields: object, message: string) => void records.push(message);
    const telemetry = createTelemetry({ logger: { debug: keep, info: keep, warn: keep, error: keep } });
    const endpoint = createFetchHandler(createCallbackHandler(), { ...open, telemetry });
    const work: Array<Promise<unknown>> = [];
    const response = await endpoint(
      new Request("http://bot/api/calls", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(docsPayload(1, "notification-operation-completed")),
      }),
      { waitUntil: (p) => work.push(p) },
    );
    await Promise.all(work);
    expect(response.status).toBe(202);
    expect(records).toContain("callback accepted");
  });
});
