// createTelemetry's options and every component's `telemetry` option are checked at construction;
// the signal names follow OpenTelemetry's conventions; without an SDK (the API's global no-op) the
// components still work, and with an SDK registered globally createTelemetry() uses it.
import { metrics, trace } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import * as semconv from "@opentelemetry/semantic-conventions";
import * as incubating from "@opentelemetry/semantic-conventions/incubating";
import { afterEach, describe, expect, it } from "vitest";
import {
  createCallbackHandler,
  createFetchHandler,
  createInviteClient,
  createOperationTracker,
  createTelemetry,
  remoteCallbackKeys,
} from "../../src/index.js";
import { createNodeMiddleware } from "../../src/node/index.js";
import { createRedisOperationTracker } from "../../src/redis/index.js";
import { SEMCONV } from "../../src/telemetry/names.js";
import { docsPayload } from "../fixtures/docs.js";

const logger = { debug() {}, info() {}, warn() {}, error() {} };
const callback = () =>
  new Request("http://127.0.0.1/api/calls", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(docsPayload(1, "notification-operation-completed")),
  });

describe("createTelemetry's options", () => {
  it("takes a pino- or console-shaped logger, and refuses anything else by name", () => {
    expect(() => createTelemetry({ logger })).not.toThrow();
    expect(() => createTelemetry({ logger: console })).not.toThrow();
    for (const bad of [null, "console", 1, {}, { info() {}, warn() {}, error() {} }]) {
      expect(() => createTelemetry({ logger: bad as never })).toThrow(TypeError);
    }
    expect(() => createTelemetry({ logger: { info() {}, warn() {}, error() {} } as never })).toThrow(/missing debug/);
    expect(() => createTelemetry({ logger: null as never })).toThrow(/got null/);
    expect(() => createTelemetry({ logger: "console" as never })).toThrow(/got string/);
    expect(() => createTelemetry({ logger: {} as never })).toThrow(/missing debug, info, warn, error$/);
  });

  it("refuses providers that are not OpenTelemetry providers, and a recordClientContext that is not a boolean", () => {
    for (const bad of [null, {}, "global", 1]) {
      expect(() => createTelemetry({ tracerProvider: bad as never })).toThrow(/tracerProvider/);
      expect(() => createTelemetry({ meterProvider: bad as never })).toThrow(/meterProvider/);
    }
    for (const bad of [null, "yes", 1, ""]) {
      expect(() => createTelemetry({ recordClientContext: bad as never })).toThrow(/recordClientContext/);
    }
    for (const bad of [null, "on", true]) {
      expect(() => createTelemetry(bad as never)).toThrow(new TypeError("createTelemetry: options must be an object"));
    }
  });
});

describe("every component's telemetry option", () => {
  const bad = [null, {}, "on", 1, { intakeStarted: "no" }];
  it("is checked at construction: a TypeError for anything but createTelemetry()'s result", () => {
    for (const telemetry of bad as never[]) {
      expect(() => createInviteClient({ getToken: () => "t", telemetry })).toThrow(/createTelemetry\(\)/);
      expect(() => createOperationTracker({ telemetry })).toThrow(/createTelemetry\(\)/);
      expect(() =>
        createFetchHandler(createCallbackHandler(), { dangerouslyAcceptUnverifiedCallbacks: true, telemetry }),
      ).toThrow(/createTelemetry\(\)/);
      expect(() =>
        createNodeMiddleware(createCallbackHandler(), { dangerouslyAcceptUnverifiedCallbacks: true, telemetry }),
      ).toThrow(/createTelemetry\(\)/);
      expect(() => remoteCallbackKeys(undefined, { telemetry })).toThrow(/createTelemetry\(\)/);
      // Before any connection opens: port 1 would refuse it, and nothing is left to close.
      expect(() => createRedisOperationTracker({ url: "redis://127.0.0.1:1", telemetry })).toThrow(
        /createTelemetry\(\)/,
      );
    }
  });

  it("passes the endpoint's telemetry to the default keys (appId without keys), which count their fetches", async () => {
    const seen: string[] = [];
    const telemetry = createTelemetry({
      logger: { ...logger, warn: (fields: { event?: string }) => void seen.push(String(fields.event)) },
    });
    const endpoint = createFetchHandler(createCallbackHandler(), { appId: "app", telemetry });
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const jwtShaped = `${part({ alg: "RS256", kid: "k1", typ: "JWT" })}.${part({ aud: "app" })}.c2ln`; // needs a key
    // The default keys are Microsoft's: with no network here the fetch fails, and is counted as a failure.
    const original = globalThis.fetch;
    globalThis.fetch = () => Promise.reject(new TypeError("fetch failed (no network in tests)"));
    try {
      const res = await endpoint(
        new Request("http://127.0.0.1/api/calls", {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${jwtShaped}` },
          body: "{}",
        }),
      );
      expect(res.status).toBe(503);
    } finally {
      globalThis.fetch = original;
    }
    expect(seen).toContain("graph_invite.keys.fetch_failed");
  });
});

describe("names", () => {
  it("use OpenTelemetry's semantic-convention attribute keys", () => {
    expect(SEMCONV).toEqual({
      httpMethod: semconv.ATTR_HTTP_REQUEST_METHOD,
      httpStatus: semconv.ATTR_HTTP_RESPONSE_STATUS_CODE,
      resendCount: semconv.ATTR_HTTP_REQUEST_RESEND_COUNT,
      serverAddress: semconv.ATTR_SERVER_ADDRESS,
      serverPort: semconv.ATTR_SERVER_PORT,
      urlTemplate: incubating.ATTR_URL_TEMPLATE,
      urlPath: semconv.ATTR_URL_PATH,
      errorType: semconv.ATTR_ERROR_TYPE,
    });
  });
});

describe("the global API", () => {
  afterEach(() => {
    trace.disable();
    metrics.disable();
  });

  it("is a no-op until an SDK registers: the components work and emit nothing", async () => {
    const telemetry = createTelemetry();
    const endpoint = createFetchHandler(createCallbackHandler(), {
      dangerouslyAcceptUnverifiedCallbacks: true,
      telemetry,
    });
    expect((await endpoint(callback())).status).toBe(202);
    const tracker = createOperationTracker({ telemetry, timeoutMs: 10 });
    await expect(tracker.track({ clientContext: "c" })).rejects.toThrow(/No final callback/);
    tracker.close();
  });

  it("is what createTelemetry() uses by default: spans go to the SDK registered globally", async () => {
    const exporter = new InMemorySpanExporter();
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
    const endpoint = createFetchHandler(createCallbackHandler(), {
      dangerouslyAcceptUnverifiedCallbacks: true,
      telemetry: createTelemetry(),
    });
    expect((await endpoint(callback())).status).toBe(202);
    expect(exporter.getFinishedSpans().map((s) => [s.name, s.attributes["http.response.status_code"]])).toEqual([
      ["callback", 202],
    ]);
  });
});
