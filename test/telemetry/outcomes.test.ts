// Each outcome, reason and attribute docs/observability.md lists, driven one at a time where the
// whole flow of harness.ts does not reach it: invites against a scripted Graph (a fake fetch), a
// callback refused or failed for each reason, the trackers' refusals, and each sink on its own.
import { SpanStatusCode } from "@opentelemetry/api";
import { MeterProvider, InMemoryMetricExporter, AggregationTemporality, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
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
const json = (status: number, text: string, headers: Record<string, string> = {}) => () =>
  new Response(text, { status, headers: { "content-type": "application/json", ...headers } });
const graphError = (status: number, headers: Record<string, string> = {}) =>
  json(status, JSON.stringify({ error: { code: "Failed", message: "no" } }), headers);

const eventsNamed = (k: Kit, name: string) => k.records.filter((r) => r.fields.event === name);
const sum = (points: Array<{ attributes: Record<string, unknown>; value: unknown }>, match: Record<string, unknown>) =>
  points
    .filter((p) => Object.entries(match).every(([key, v]) => p.attributes[key] === v))
    .reduce((n, p) => n + (typeof p.value === "number" ? p.value : (p.value as { count: number }).count), 0);

describe("the invite span, for each way an invite ends", () => {
  it("names Graph's host and the default port of its scheme, and takes the request id Graph echoed", async () => {
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
    const [graph, http] = k.spansNamed("invite");
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
    const error = await invite({}, AbortSignal.abort(new RangeError("the caller's own reason")));
    expect(
      [refused, noAnswer, token, aborted, error].map((s) => [
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
      ["error", "RangeError", undefined, undefined],
    ]);
    for (const span of [refused, noAnswer, token, aborted, error]) {
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
      "invite: error (RangeError)",
    ]);
  });

  it("records an invalid call's span without a call id that is no string, and without clientContext by default", async () => {
    const k = kit();
    const client = createInviteClient({ getToken: () => "token", fetch: scriptedGraph(), telemetry: k.telemetry });
    await expect(client.invite(42 as never, body)).rejects.toThrow();
    await expect(client.invite(CALL_ID, null as never)).rejects.toThrow();
    const [numeric, empty] = k.spansNamed("invite");
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
    await client.invite(CALL_ID, { participants: [] } as never).catch(() => {});
    const [accepted, invalid] = k.spansNamed("invite");
    expect(accepted!.attributes["graph_invite.client_context"]).toBe("ctx-1");
    expect(invalid!.attributes).not.toHaveProperty("graph_invite.client_context"); // none was given
  });
});
