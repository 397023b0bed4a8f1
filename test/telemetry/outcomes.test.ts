// Each outcome, reason and attribute docs/observability.md lists, driven one at a time where the
// whole flow of harness.ts does not reach it: invites against a scripted Graph (a fake fetch), a
// callback refused or failed for each reason, the trackers' refusals, and each sink on its own.
import { SpanStatusCode } from "@opentelemetry/api";
import {
  MeterProvider,
  InMemoryMetricExporter,
  AggregationTemporality,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, describe, expect, it } from "vitest";
import {
  createCallbackHandler,
  createFetchHandler,
  createInviteClient,
  createOperationTracker,
  createTelemetry,
  inviteParticipants,
  parseCommsNotifications,
  userIdentity,
  type ReplayGuard,
} from "../../src/index.js";
import { docsPayload } from "../fixtures/docs.js";
import { createKit, type Kit } from "./harness.js";

const CALL_ID = "7531d31f-d10d-44de-802f-c569dbca451c";
const body = inviteParticipants([userIdentity("278405a3-f568-4b3e-b684-009193463064")], { clientContext: "ctx-1" });

const kits: Kit[] = [];
afterAll(() => Promise.all(kits.map((k) => k.shutdown())));
function kit(options: Parameters<typeof createKit>[0] = {}) {
  const made = createKit(options);
  kits.push(made);
  return made;
}

/** A Graph that answers each request with the next of `answers` (the last one again once they run out). */
function scriptedGraph(...answers: Array<() => Response | Promise<Response>>): typeof fetch {
  let n = 0;
  return (async () => answers[Math.min(n++, answers.length - 1)]!()) as typeof fetch;
}
const operation = (id: string | null) =>
  JSON.stringify({ "@odata.type": "#microsoft.graph.inviteParticipantsOperation", id, status: "running" });
const json =
  (status: number, text: string, headers: Record<string, string> = {}) =>
  () =>
    new Response(text, { status, headers: { "content-type": "application/json", ...headers } });
const graphError = (status: number, headers: Record<string, string> = {}) =>
  json(status, JSON.stringify({ error: { code: "Failed", message: "no" } }), headers);

const eventsNamed = (k: Kit, name: string) => k.records.filter((r) => r.fields.event === name);
const sum = (points: Array<{ attributes: Record<string, unknown>; value: unknown }>, match: Record<string, unknown>) =>
  points
    .filter((p) => Object.entries(match).every(([key, v]) => p.attributes[key] === v))
    .reduce((n, p) => n + (typeof p.value === "number" ? p.value : (p.value as { count: number }).count), 0);

describe("the invite span, for each way an invite ends", () => {
  it("names Graph's host and port (the scheme's default when none), and takes the request id Graph echoed", async () => {
    const k = kit();
    const client = createInviteClient({
      getToken: () => "token",
      fetch: scriptedGraph(json(200, operation("op-default-port"), { "client-request-id": "echoed-id" })),
      telemetry: k.telemetry,
    });
    await client.invite(CALL_ID, body);
    const local = createInviteClient({
      baseUrl: "http://localhost/v1.0/",
      getToken: () => "token",
      fetch: scriptedGraph(json(200, operation("op-http"))),
      telemetry: k.telemetry,
    });
    await local.invite(CALL_ID, body);
    const ported = createInviteClient({
      baseUrl: "http://127.0.0.1:8443",
      getToken: () => "token",
      fetch: scriptedGraph(json(200, operation("op-port"))),
      telemetry: k.telemetry,
    });
    await ported.invite(CALL_ID, body);
    const [graph, http, port] = k.spansNamed("invite");
    expect(port!.attributes).toMatchObject({
      "server.address": "127.0.0.1",
      "server.port": 8443,
      "url.template": "/communications/calls/{call-id}/participants/invite",
    });
    expect(graph!.attributes).toMatchObject({
      "server.address": "graph.microsoft.com",
      "server.port": 443,
      "url.template": "/v1.0/communications/calls/{call-id}/participants/invite",
      "graph_invite.request_id": "echoed-id",
      "graph_invite.operation.id": "op-default-port",
      "graph_invite.invite.attempts": 1,
      "graph_invite.outcome": "accepted",
    });
    expect(graph!.attributes).not.toHaveProperty("http.request.resend_count"); // sent once: nothing resent
    expect(http!.attributes).toMatchObject({
      "server.address": "localhost",
      "server.port": 80,
      "url.template": "/v1.0/communications/calls/{call-id}/participants/invite",
    });
    expect(eventsNamed(k, "graph_invite.invite.sent").map((r) => r.message)).toEqual([
      "invite: Graph accepted it (operation op-default-port)",
      "invite: Graph accepted it (operation op-http)",
      "invite: Graph accepted it (operation op-port)",
    ]);
  });

  it("adds each backoff wait to the retry wait, in seconds, and logs the status and delay", async () => {
    const k = kit();
    const client = createInviteClient({
      getToken: () => "token",
      fetch: scriptedGraph(graphError(503, { "request-id": "first-answer" }), json(200, operation("op-retried"))),
      retry: { baseDelayMs: 20 },
      telemetry: k.telemetry,
    });
    await client.invite(CALL_ID, body);
    const span = k.spansNamed("invite")[0]!;
    const retry = span.events[0]!;
    const delay = retry.attributes!["graph_invite.retry.delay"] as number;
    expect(delay).toBeGreaterThanOrEqual(0.01); // backoff: half to all of baseDelayMs, in seconds
    expect(delay).toBeLessThanOrEqual(0.02);
    expect(retry.attributes).toMatchObject({
      "http.response.status_code": 503,
      "graph_invite.request_id": "first-answer",
      "graph_invite.invite.attempts": 1,
    });
    expect(span.attributes).toMatchObject({ "http.request.resend_count": 1, "graph_invite.invite.attempts": 2 });
    expect(span.attributes["graph_invite.invite.retry_wait"]).toBe(delay);
    expect(eventsNamed(k, "graph_invite.invite.retry")[0]!.message).toBe(
      `invite: Graph answered 503; retrying in ${Math.round(delay * 1000)} ms`,
    );
  });

  it("links a settle span to an invite Graph accepted without an operation (202), by the result object only", async () => {
    const k = kit();
    const client = createInviteClient({
      getToken: () => "token",
      fetch: scriptedGraph(json(202, "")),
      telemetry: k.telemetry,
    });
    const tracker = createOperationTracker({ telemetry: k.telemetry, timeoutMs: 20 });
    const accepted = await client.invite(CALL_ID, body);
    await tracker.track(accepted).catch(() => {});
    await tracker.track({ clientContext: accepted.clientContext }).catch(() => {}); // by hand, no id: no link
    tracker.close();
    const invite = k.spansNamed("invite")[0]!;
    expect(invite.attributes).not.toHaveProperty("graph_invite.operation.id");
    const [byResult, byHand] = k.spansNamed("settle");
    expect(byResult!.links.map((l) => l.context.spanId)).toEqual([invite.spanContext().spanId]);
    expect(byHand!.links).toEqual([]);
    expect(eventsNamed(k, "graph_invite.invite.sent")[0]!.message).toBe(
      "invite: Graph accepted it (operation without id)",
    );
  });

  it("links a settle span by operation id to any of the newest 1,000 invites, and forgets older ones", async () => {
    const k = kit();
    let n = 0;
    const client = createInviteClient({
      getToken: () => "token",
      fetch: scriptedGraph(() => json(200, operation(`op-${n++}`))()),
      telemetry: k.telemetry,
    });
    for (let i = 0; i < 1_001; i++) await client.invite(CALL_ID, body);
    const tracker = createOperationTracker({ telemetry: k.telemetry, timeoutMs: 60_000 });
    const tracks = ["op-0", "op-1"].map((operationId) =>
      tracker.track({ clientContext: operationId, operationId }).catch(() => {}),
    );
    tracker.close();
    await Promise.all(tracks);
    const inviteOf = new Map(k.spansNamed("invite").map((s) => [s.spanContext().spanId, s]));
    const [oldest, newer] = k.spansNamed("settle");
    expect(oldest!.links).toEqual([]); // the 1,001st invite pushed it out
    expect(newer!.links.map((l) => inviteOf.get(l.context.spanId)?.attributes["graph_invite.operation.id"])).toEqual([
      "op-1",
    ]);
  });

  it("ends as refused, no_answer, token_error, aborted or error, with error.type, the last status and request id", async () => {
    const k = kit();
    const invite = async (options: Partial<Parameters<typeof createInviteClient>[0]>, signal?: AbortSignal) => {
      const client = createInviteClient({
        getToken: () => "token",
        fetch: scriptedGraph(graphError(403, { "request-id": "refused-id" })),
        retry: { baseDelayMs: 1 },
        telemetry: k.telemetry,
        ...options,
      });
      await client.invite(CALL_ID, body, { signal }).catch(() => {});
      return k.spansNamed("invite").at(-1)!;
    };
    const refused = await invite({});
    // Graph answered 503, then the connection failed: the status is the last answer's.
    const noAnswer = await invite({
      fetch: scriptedGraph(graphError(503, { "request-id": "before-the-failure" }), () => {
        throw new TypeError("fetch failed");
      }),
      retry: { baseDelayMs: 1, maxAttempts: 2 },
    });
    const token = await invite({ getToken: () => "" }); // no Bearer token: nothing sent
    const aborted = await invite({}, AbortSignal.abort());
    const timedOut = await invite({ fetch: () => new Promise<Response>(() => {}) }, AbortSignal.timeout(5));
    const error = await invite({}, AbortSignal.abort(new RangeError("the caller's own reason")));
    expect(
      [refused, noAnswer, token, aborted, timedOut, error].map((s) => [
        s.attributes["graph_invite.outcome"],
        s.attributes["error.type"],
        s.attributes["http.response.status_code"],
        s.attributes["graph_invite.request_id"],
      ]),
    ).toEqual([
      ["refused", "403", 403, "refused-id"],
      ["no_answer", "TypeError", 503, "before-the-failure"],
      ["token_error", "GraphTokenError", undefined, undefined],
      ["aborted", "AbortError", undefined, undefined],
      ["aborted", "TimeoutError", undefined, undefined], // the caller's AbortSignal.timeout()
      ["error", "RangeError", undefined, undefined],
    ]);
    for (const span of [refused, noAnswer, token, aborted, timedOut, error]) {
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: span.attributes["error.type"] });
    }
    const counted = await k.points("graph_invite.invites");
    expect(sum(counted, { "graph_invite.outcome": "token_error", "error.type": "GraphTokenError" })).toBe(1);
    expect(sum(counted, { "graph_invite.outcome": "no_answer", "http.response.status_code": 503 })).toBe(1);
    expect(eventsNamed(k, "graph_invite.invite.failed").map((r) => r.message)).toEqual([
      "invite: refused (403)",
      "invite: no_answer (TypeError)",
      "invite: token_error (GraphTokenError)",
      "invite: aborted (AbortError)",
      "invite: aborted (TimeoutError)",
      "invite: error (RangeError)",
    ]);
  });

  it("records an invalid call's span without a call id that is no string, and without clientContext by default", async () => {
    const k = kit();
    const client = createInviteClient({ getToken: () => "token", fetch: scriptedGraph(), telemetry: k.telemetry });
    await expect(client.invite(42 as never, body)).rejects.toThrow();
    await expect(client.invite(CALL_ID, null as never)).rejects.toThrow();
    const client2 = createInviteClient({
      getToken: () => "token",
      fetch: scriptedGraph(json(200, operation("op-private"))),
      telemetry: k.telemetry,
    });
    await client2.invite(CALL_ID, body);
    const [numeric, empty, accepted] = k.spansNamed("invite");
    expect(accepted!.attributes).not.toHaveProperty("graph_invite.client_context"); // "ctx-1" is the caller's
    expect(numeric!.attributes["graph_invite.outcome"]).toBe("invalid");
    expect(numeric!.attributes).not.toHaveProperty("graph_invite.call.id");
    expect(empty!.attributes).toMatchObject({ "graph_invite.outcome": "invalid", "graph_invite.call.id": CALL_ID });
    expect(numeric!.attributes).not.toHaveProperty("graph_invite.client_context");
  });

  it("records the clientContext sent and the one Graph's result carries with recordClientContext: true", async () => {
    const k = kit({ recordClientContext: true });
    const client = createInviteClient({
      getToken: () => "token",
      fetch: scriptedGraph(json(200, operation("op-ctx"))),
      telemetry: k.telemetry,
    });
    await client.invite(CALL_ID, body);
    await client.invite(CALL_ID, { participants: [], clientContext: "ctx-refused" } as never).catch(() => {});
    const { participants } = body;
    const generated = await client.invite(CALL_ID, { participants }); // no clientContext: the client makes one
    await client.invite(CALL_ID, { participants, clientContext: 42 } as never).catch(() => {});
    const [accepted, invalid, made, numeric] = k.spansNamed("invite");
    expect(numeric!.attributes).toMatchObject({ "graph_invite.outcome": "invalid" });
    expect(numeric!.attributes).not.toHaveProperty("graph_invite.client_context"); // a clientContext is a string
    expect(accepted!.attributes["graph_invite.client_context"]).toBe("ctx-1");
    expect(invalid!.attributes["graph_invite.client_context"]).toBe("ctx-refused"); // the one given: no result came
    expect(made!.attributes["graph_invite.client_context"]).toBe(generated.clientContext);
    expect(generated.clientContext).toMatch(/^[0-9a-f-]{36}$/);
  });
});

/** A body of `count` final operation callbacks, each its own operation (id `op-<n>`), and a roster update. */
function callbackBody(count: number, extra: unknown[] = []): string {
  const template = (docsPayload(1, "notification-operation-completed") as { value: Array<Record<string, unknown>> })
    .value[0]!;
  const roster = (docsPayload(1, "notification-roster-updated") as { value: unknown[] }).value;
  const operations = Array.from({ length: count }, (_, n) => {
    const item = structuredClone(template) as { resourceData: Record<string, unknown> };
    item.resourceData.id = `op-${n}`;
    return item;
  });
  return JSON.stringify({ value: [...operations, ...roster, ...extra] });
}
const request = (text: string | null, method = "POST", headers: Record<string, string> = {}) =>
  new Request("http://127.0.0.1/api/calls", {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: text,
  });
const unverified = (k: Kit, options: Partial<Parameters<typeof createFetchHandler>[1]> = {}) =>
  createFetchHandler(createCallbackHandler(), {
    dangerouslyAcceptUnverifiedCallbacks: true,
    onError: () => {},
    telemetry: k.telemetry,
    ...options,
  } as Parameters<typeof createFetchHandler>[1]);
const callbackSpans = (k: Kit) => k.spansNamed("callback");
const refusedRecords = (k: Kit) =>
  k.records
    .filter((r) => r.fields.event !== "graph_invite.callback.accepted")
    .map((r) => [r.fields.event, r.level, r.message]);

describe("the callback span, for each way a request ends", () => {
  it("says what an accepted body held: counts by kind, at most 20 distinct ids, the statuses; verification skipped", async () => {
    const k = kit();
    const started = performance.now();
    expect((await unverified(k)(request(callbackBody(25)))).status).toBe(202);
    const elapsed = (performance.now() - started) / 1000;
    const [span] = callbackSpans(k);
    const ids = Array.from({ length: 20 }, (_, n) => `op-${n}`);
    expect(span!.attributes).toMatchObject({
      "http.request.method": "POST",
      "http.response.status_code": 202,
      "graph_invite.outcome": "accepted",
      "graph_invite.callback.reason": "accepted",
      "graph_invite.callback.verification": "skipped",
      "graph_invite.callback.parse": "valid",
      "graph_invite.callback.events.operation": 25,
      "graph_invite.callback.events.roster": 1,
      "graph_invite.callback.events.call": 0,
      "graph_invite.operation.ids": ids,
      "graph_invite.operation.statuses": ["completed"],
      "graph_invite.call.ids": ["ab6233a5-20b7-4c5e-bea2-ce56c9776429"], // the docs' example 1 call
    });
    expect(span!.attributes).not.toHaveProperty("error.type");
    expect(span!.attributes).not.toHaveProperty("graph_invite.callback.issue_count");
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
    const [accepted] = eventsNamed(k, "graph_invite.callback.accepted");
    expect(accepted).toMatchObject({
      level: "debug",
      message: "callback accepted",
      fields: { "graph_invite.operation.ids": ids, "graph_invite.callback.events.operation": 25 },
    });
    const events = await k.points("graph_invite.callback.events");
    expect(events.map((p) => [p.attributes["graph_invite.event.kind"], p.value]).sort()).toEqual([
      ["operation", 25],
      ["roster", 1],
    ]); // no point for a kind the body did not hold
    const duration = (await k.points("graph_invite.callback.duration"))[0]!.value as { sum: number; count: number };
    expect(duration.count).toBe(1);
    expect(duration.sum).toBeGreaterThan(0);
    expect(duration.sum).toBeLessThanOrEqual(elapsed);
  });

  it("refuses with the reason each status does not say alone, and logs 4xx as warn, 5xx as error", async () => {
    const k = kit();
    const endpoint = unverified(k);
    const cut = new ReadableStream({ pull: (c) => c.error(new Error("connection reset")) });
    const unreadableBody = new Request("http://127.0.0.1/api/calls", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: cut,
      duplex: "half",
    } as RequestInit);
    expect((await endpoint(unreadableBody)).status).toBe(400); // the body could not be read
    expect((await endpoint(request(null, "PUT"))).status).toBe(405);
    const failing: ReplayGuard = { claim: () => Promise.reject(new RangeError("guard down")), size: 0 };
    expect((await unverified(k, { replayGuard: failing })(request(callbackBody(1)))).status).toBe(500);
    const busy: ReplayGuard = { claim: () => Promise.resolve({ state: "in-flight" }), size: 0 };
    expect((await unverified(k, { replayGuard: busy })(request(callbackBody(1)))).status).toBe(503);
    const [unreadable, method, error, inFlight] = callbackSpans(k);
    expect(
      [unreadable, method, error, inFlight].map((s) => [
        s!.attributes["http.request.method"],
        s!.attributes["graph_invite.outcome"],
        s!.attributes["graph_invite.callback.reason"],
        s!.attributes["error.type"],
        s!.status,
      ]),
    ).toEqual([
      ["POST", "refused", "unreadable", undefined, { code: SpanStatusCode.UNSET }],
      ["PUT", "refused", "method_not_allowed", undefined, { code: SpanStatusCode.UNSET }],
      ["POST", "failed", "error", "500", { code: SpanStatusCode.ERROR, message: "error" }],
      ["POST", "failed", "in_flight", "503", { code: SpanStatusCode.ERROR, message: "in_flight" }],
    ]);
    expect(unreadable!.attributes).not.toHaveProperty("graph_invite.callback.parse"); // never read: never parsed
    expect(unreadable!.attributes).not.toHaveProperty("graph_invite.callback.events.operation");
    expect(refusedRecords(k)).toEqual([
      ["graph_invite.callback.refused", "warn", "callback refused: 400 unreadable"],
      ["graph_invite.callback.refused", "warn", "callback refused: 405 method_not_allowed"],
      ["graph_invite.callback.refused", "error", "callback refused: 500 error"],
      ["graph_invite.callback.refused", "error", "callback refused: 503 in_flight"],
    ]);
    const callbacks = await k.points("graph_invite.callback.duration");
    expect(sum(callbacks, { "graph_invite.outcome": "failed", "http.response.status_code": 500 })).toBe(1);
    expect(await k.points("graph_invite.callback.events")).toEqual([]); // none accepted: no event counted
  });

  it("counts a request whose first answer could not be written once, as the 500 that was (the Node adapter)", async () => {
    const { createServer } = await import("node:http");
    const { createNodeMiddleware } = await import("../../src/node/index.js");
    const { listen } = await import("../support/listen.js");
    const k = kit();
    const middleware = createNodeMiddleware(createCallbackHandler(), {
      dangerouslyAcceptUnverifiedCallbacks: true,
      onError: () => {},
      telemetry: k.telemetry,
    });
    const server = createServer((req, res) => {
      const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => typeof res;
      let first = true;
      res.writeHead = ((...args: unknown[]) => {
        if (first) {
          first = false;
          throw new Error("the 202 could not be written");
        }
        return writeHead(...args);
      }) as typeof res.writeHead;
      middleware(req, res);
    });
    const base = await listen(server);
    try {
      const res = await fetch(`${base}/api/calls`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: callbackBody(1),
      });
      expect(res.status).toBe(500);
      await res.arrayBuffer();
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
    expect(
      callbackSpans(k).map((s) => [s.attributes["http.response.status_code"], s.attributes["graph_invite.outcome"]]),
    ).toEqual([[500, "failed"]]);
    const callbacks = await k.points("graph_invite.callback.duration");
    expect(
      callbacks.map((p) => [p.attributes["http.response.status_code"], (p.value as { count: number }).count]),
    ).toEqual([[500, 1]]);
  });

  it("names a verification refusal: rejected (a falsy verdict), verify_threw, or the CallbackAuthError's reason", async () => {
    const k = kit();
    const verifying = (verify: () => unknown) =>
      createFetchHandler(createCallbackHandler(), { verify, telemetry: k.telemetry } as never);
    const { CallbackAuthError } = await import("../../src/index.js");
    expect((await verifying(() => false)(request(callbackBody(1)))).status).toBe(401);
    expect((await verifying(() => Promise.reject(new Error("bug")))(request(callbackBody(1)))).status).toBe(401);
    const unknownKey = () => {
      throw new CallbackAuthError("unknown_key", "no such key");
    };
    expect((await verifying(unknownKey)(request(callbackBody(1)))).status).toBe(401);
    expect((await verifying(() => true)(request(callbackBody(1)))).status).toBe(202);
    expect(
      callbackSpans(k).map((s) => [
        s.attributes["graph_invite.callback.verification"],
        s.attributes["graph_invite.callback.verification.reason"],
      ]),
    ).toEqual([
      ["refused", "rejected"],
      ["refused", "verify_threw"],
      ["refused", "unknown_key"],
      ["passed", undefined],
    ]);
  });

  it("gives a record failure's error.type as a class name, or _OTHER for a name that is none", async () => {
    const k = kit();
    const failures: unknown[] = [
      Object.assign(new Error("down"), { name: "StoreDownError" }),
      Object.assign(new Error("down"), { name: "Store down: alice.private@example.com" }),
      Object.assign(new Error("down"), { name: "1Error" }),
      { code: "no name at all" },
      null,
    ];
    for (const failure of failures) {
      const endpoint = unverified(k, {
        record: () => {
          throw failure;
        },
      });
      expect((await endpoint(request(callbackBody(1)))).status).toBe(503);
    }
    expect(callbackSpans(k).map((s) => s.attributes["error.type"])).toEqual([
      "StoreDownError",
      "_OTHER",
      "_OTHER",
      "_OTHER",
      "_OTHER",
    ]);
    expect(eventsNamed(k, "graph_invite.callback.not_recorded")[0]).toMatchObject({
      level: "error",
      message: "callback not recorded (StoreDownError): answered 503",
    });
  });
});

describe("a callback whose operation has no id (the docs' Example 2)", () => {
  it("lists no operation id, and its clientContext only with recordClientContext: true", async () => {
    const text = JSON.stringify(docsPayload(2, "notification-operation-completed"));
    const [off, on] = [kit(), kit({ recordClientContext: true })];
    for (const k of [off, on]) expect((await unverified(k)(request(text))).status).toBe(202);
    for (const k of [off, on]) {
      expect(callbackSpans(k)[0]!.attributes).toMatchObject({
        "graph_invite.callback.events.operation": 1,
        "graph_invite.operation.ids": [],
        "graph_invite.operation.statuses": ["completed"],
      });
    }
    expect(callbackSpans(off)[0]!.attributes).not.toHaveProperty("graph_invite.client_contexts");
    expect(callbackSpans(on)[0]!.attributes["graph_invite.client_contexts"]).toEqual([
      "f2fa86af-3c51-4bc2-8fc0-475452d9764f",
    ]);
  });
});

describe("each sink on its own", () => {
  it("spans alone (no meter, no logger): the callback span still lists what the body held", async () => {
    const exporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const telemetry = createTelemetry({ tracerProvider });
    const endpoint = createFetchHandler(createCallbackHandler(), {
      dangerouslyAcceptUnverifiedCallbacks: true,
      telemetry,
    });
    expect((await endpoint(request(callbackBody(2)))).status).toBe(202);
    expect(exporter.getFinishedSpans().map((s) => s.attributes["graph_invite.operation.ids"])).toEqual([
      ["op-0", "op-1"],
    ]);
    await tracerProvider.shutdown();
  });

  it("metrics alone (no tracer, no logger): callbacks are counted", async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
    const meterProvider = new MeterProvider({ readers: [reader] });
    const telemetry = createTelemetry({ meterProvider });
    const endpoint = createFetchHandler(createCallbackHandler(), {
      dangerouslyAcceptUnverifiedCallbacks: true,
      telemetry,
    });
    expect((await endpoint(request(callbackBody(1)))).status).toBe(202);
    await reader.forceFlush();
    const metric = exporter
      .getMetrics()
      .at(-1)!
      .scopeMetrics.flatMap((s) => s.metrics)
      .find((m) => m.descriptor.name === "graph_invite.callback.duration")!;
    expect(
      metric.dataPoints.map((p) => [
        p.attributes["graph_invite.callback.reason"],
        (p.value as { count: number }).count,
      ]),
    ).toEqual([["accepted", 1]]);
    await meterProvider.shutdown();
  });

  it("the logger alone: each record still comes, without trace ids", async () => {
    const records: Array<Record<string, unknown>> = [];
    const keep = (fields: object) => void records.push(fields as Record<string, unknown>);
    const telemetry = createTelemetry({ logger: { debug: keep, info: keep, warn: keep, error: keep } });
    const endpoint = createFetchHandler(createCallbackHandler(), {
      dangerouslyAcceptUnverifiedCallbacks: true,
      telemetry,
    });
    expect((await endpoint(request(callbackBody(1)))).status).toBe(202);
    expect(records).toEqual([
      expect.objectContaining({ event: "graph_invite.callback.accepted", "graph_invite.operation.ids": ["op-0"] }),
    ]);
    expect(records[0]).not.toHaveProperty("trace_id");
  });
});

/** The docs' final operation callback for operation `id`, as events; `failed` without a resultInfo if asked. */
function finalEvents(id: string, status: "completed" | "failed" = "completed") {
  const payload = docsPayload(1, "notification-operation-completed") as {
    value: Array<{ resourceData: Record<string, unknown> }>;
  };
  const op = payload.value[0]!.resourceData;
  op.id = id;
  op.status = status;
  if (status === "failed") delete op.resultInfo;
  return parseCommsNotifications(payload);
}

describe("the settle span, for each way a track() ends", () => {
  it("ends completed without an error status, failed without a resultInfo, timeout at close(), or the tracker's refusal", async () => {
    const k = kit();
    const tracker = createOperationTracker({ telemetry: k.telemetry, timeoutMs: 60_000, maxPending: 2 });
    const outcomes: string[] = [];
    const tracked = (target: Parameters<typeof tracker.track>[0]) =>
      tracker.track(target).then(
        () => void outcomes.push("resolved"),
        (error: { name: string; reason?: string }) => void outcomes.push(`${error.name} ${error.reason ?? ""}`.trim()),
      );
    tracker.observe(finalEvents("op-done")); // early: waits for its track()
    await tracked({ clientContext: "done", operationId: "op-done" });
    const failing = tracked({ clientContext: "failing", operationId: "op-failed" });
    const first = tracked({ clientContext: "twice", operationId: "op-twice" });
    await tracked({ clientContext: "twice", operationId: "op-twice" }); // duplicate
    await tracked({ clientContext: "third", operationId: "op-third" }); // full: two wait already
    expect(tracker.size.pending).toBe(2);
    tracker.observe(finalEvents("op-failed", "failed"));
    await failing;
    tracker.close();
    await first; // given up with the tracker: a timeout
    await tracked({ clientContext: "after", operationId: "op-after-close" }); // closed
    expect(outcomes).toEqual([
      "resolved",
      "OperationTrackerError duplicate",
      "OperationTrackerError full",
      "InviteOperationFailedError",
      "InviteOperationTimeoutError",
      "OperationTrackerError closed",
    ]);
    const spans = k.spansNamed("settle");
    expect(
      spans.map((s) => [
        s.attributes["graph_invite.operation.id"],
        s.attributes["graph_invite.outcome"],
        s.attributes["error.type"],
        s.status,
      ]),
    ).toEqual([
      ["op-done", "completed", undefined, { code: SpanStatusCode.UNSET }],
      ["op-twice", "duplicate", "OperationTrackerError", { code: SpanStatusCode.ERROR, message: "duplicate" }],
      ["op-third", "full", "OperationTrackerError", { code: SpanStatusCode.ERROR, message: "full" }],
      ["op-failed", "failed", "InviteOperationFailedError", { code: SpanStatusCode.ERROR, message: "failed" }],
      ["op-twice", "timeout", "InviteOperationTimeoutError", { code: SpanStatusCode.ERROR, message: "timeout" }],
      ["op-after-close", "closed", "OperationTrackerError", { code: SpanStatusCode.ERROR, message: "closed" }],
    ]);
    const failed = spans[3]!;
    expect(failed.attributes).not.toHaveProperty("graph_invite.result.code"); // Graph sent no resultInfo
    expect(failed.attributes).not.toHaveProperty("graph_invite.result.subcode");
    expect(
      k.records
        .filter((r) => String(r.fields.event).startsWith("graph_invite.settle."))
        .map((r) => [r.level, r.message]),
    ).toEqual([
      ["info", "invite settled: completed"],
      ["warn", "invite settled: duplicate"],
      ["warn", "invite settled: full"],
      ["warn", "invite settled: failed"],
      ["warn", "invite settled: timeout"],
      ["warn", "invite settled: closed"],
    ]);
    const settle = await k.points("graph_invite.settle.duration");
    expect(sum(settle, { "graph_invite.tracker.kind": "memory", "graph_invite.outcome": "full" })).toBe(1);
  });

  it("ends as error for any other rejection: a track() of no target still rejects, not throws", async () => {
    const k = kit({ recordClientContext: true });
    const tracker = createOperationTracker({ telemetry: k.telemetry });
    const tracked = tracker.track(null as never);
    await expect(tracked).rejects.toThrow(TypeError);
    tracker.close();
    const [span] = k.spansNamed("settle");
    expect(span!.attributes).toEqual({
      "graph_invite.tracker.kind": "memory",
      "graph_invite.outcome": "error",
      "error.type": "TypeError",
    });
    expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: "error" });
  });

  it("measures the settle duration in seconds, within the time the track() took", async () => {
    const k = kit();
    const tracker = createOperationTracker({ telemetry: k.telemetry, timeoutMs: 30 });
    const started = performance.now();
    await tracker.track({ clientContext: "waits" }).catch(() => {});
    const elapsed = (performance.now() - started) / 1000;
    tracker.close();
    const [point] = await k.points("graph_invite.settle.duration");
    const { sum: seconds } = point!.value as { sum: number };
    expect(point!.attributes).toEqual({ "graph_invite.tracker.kind": "memory", "graph_invite.outcome": "timeout" });
    expect(seconds).toBeGreaterThanOrEqual(0.025); // timeoutMs 30, less the timer's leeway
    expect(seconds).toBeLessThanOrEqual(elapsed);
  });

  it("counts and logs a final callback that settled nothing, with its operation id, and keeps observe() synchronous", async () => {
    const k = kit();
    const unmatched: string[] = [];
    const tracker = createOperationTracker({
      telemetry: k.telemetry,
      onUnmatched: (_event, reason) => void unmatched.push(reason),
    });
    expect(tracker.observe(finalEvents("op-nobody-waits"))).toBeUndefined();
    expect(tracker.size).toEqual({ pending: 0, buffered: 1 });
    tracker.close(); // the early callback leaves with the tracker: closed
    expect(unmatched).toEqual(["closed"]);
    expect(eventsNamed(k, "graph_invite.tracker.unmatched")).toEqual([
      {
        level: "warn",
        message: "a final operation callback settled nothing (closed)",
        fields: {
          event: "graph_invite.tracker.unmatched",
          "graph_invite.unmatched.reason": "closed",
          "graph_invite.operation.id": "op-nobody-waits",
        },
      },
    ]);
    expect(await k.points("graph_invite.tracker.unmatched")).toEqual([
      { attributes: { "graph_invite.unmatched.reason": "closed" }, value: 1 },
    ]);
  });

  it("reports the pending gauge from the first tracker of a fresh telemetry", async () => {
    const k = kit();
    const tracker = createOperationTracker({ telemetry: k.telemetry, timeoutMs: 60_000 });
    const waiting = tracker.track({ clientContext: "only" }).catch(() => {});
    expect(await k.points("graph_invite.tracker.pending")).toEqual([
      { attributes: { "graph_invite.tracker.kind": "memory" }, value: 1 },
    ]);
    tracker.close();
    await waiting;
  });
});

describe("the signing keys' fetches", () => {
  it("count and log each fetch: success without error.type, a failure with it", async () => {
    const k = kit();
    const { remoteCallbackKeys } = await import("../../src/index.js");
    const published: typeof fetch = async (input) =>
      String(input).endsWith("/openid")
        ? Response.json({ jwks_uri: "https://login.example.com/keys" })
        : Response.json({
            keys: [{ kty: "RSA", kid: "k1", use: "sig", n: "sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri", e: "AQAB" }],
          });
    const keys = remoteCallbackKeys("https://login.example.com/openid", { fetch: published, telemetry: k.telemetry });
    const missing = remoteCallbackKeys("https://login.example.com/openid", {
      fetch: async () => new Response("gone", { status: 404 }),
      telemetry: k.telemetry,
    });
    const header = { alg: "RS256", kid: "k1" };
    for (const resolve of [keys, missing]) await Promise.resolve(resolve(header as never, {} as never)).catch(() => {});
    expect(k.records.map((r) => [r.level, r.fields, r.message])).toEqual([
      [
        "info",
        { event: "graph_invite.keys.fetched", "graph_invite.outcome": "success" },
        "callback signing keys fetched",
      ],
      [
        "warn",
        { event: "graph_invite.keys.fetch_failed", "graph_invite.outcome": "failure", "error.type": "Error" },
        "callback signing keys could not be fetched (Error)",
      ],
    ]);
    expect(await k.points("graph_invite.keys.fetches")).toEqual([
      { attributes: { "graph_invite.outcome": "success" }, value: 1 },
      { attributes: { "graph_invite.outcome": "failure", "error.type": "Error" }, value: 1 },
    ]);
  });
});

describe("the Redis tracker's record failures", () => {
  it("are counted and logged with the tracker kind and error.type, and observe() still rejects", async () => {
    const k = kit();
    const { createRedisOperationTracker } = await import("../../src/redis/index.js");
    const tracker = createRedisOperationTracker({
      url: "redis://127.0.0.1:1", // nothing listens: each command fails at once
      commandTimeoutMs: 50,
      connectTimeoutMs: 50,
      onError: () => {},
      telemetry: k.telemetry,
    });
    await expect(tracker.observe(finalEvents("op-unrecorded"))).rejects.toMatchObject({ name: "RedisTrackerError" });
    await tracker.close();
    const fields = { "graph_invite.tracker.kind": "redis", "error.type": "RedisTrackerError" };
    expect(eventsNamed(k, "graph_invite.redis.record_failed")).toEqual([
      {
        level: "error",
        fields: { event: "graph_invite.redis.record_failed", ...fields },
        message: "the Redis tracker could not record a callback",
      },
    ]);
    expect(await k.points("graph_invite.redis.record_failures")).toEqual([{ attributes: fields, value: 1 }]);
  });
});

describe("components without telemetry", () => {
  it("work as before: the tracker still reports unmatched callbacks to onUnmatched", () => {
    const unmatched: string[] = [];
    const tracker = createOperationTracker({ onUnmatched: (_event, reason) => void unmatched.push(reason) });
    tracker.observe(finalEvents("op-alone"));
    tracker.close();
    expect(unmatched).toEqual(["closed"]);
  });
});
