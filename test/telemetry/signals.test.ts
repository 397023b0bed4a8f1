// Every span, metric and log record of docs/observability.md, produced by the real flow (the client
// against the Graph simulator, callbacks through both endpoints, key fetches, both trackers) and
// read back from the OpenTelemetry SDK's in-memory exporters.
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createKit, runScenarios, type Kit, type Seen } from "./harness.js";

let kit: Kit;
let seen: Seen;
beforeAll(async () => {
  kit = createKit();
  seen = await runScenarios(kit);
}, 60_000);
afterAll(() => kit.shutdown());

const sum = (points: Array<{ attributes: Record<string, unknown>; value: unknown }>, match: Record<string, unknown>) =>
  points
    .filter((p) => Object.entries(match).every(([k, v]) => p.attributes[k] === v))
    .reduce((n, p) => n + (typeof p.value === "number" ? p.value : (p.value as { count: number }).count), 0);
const events = (name: string) => kit.records.filter((r) => r.fields.event === name);

describe("the invite span", () => {
  it("is a CLIENT span per invite with the HTTP conventions, Graph's request-id, the operation id and the attempts", () => {
    const invites = kit.spansNamed("invite");
    expect(invites).toHaveLength(4);
    const accepted = invites.filter((s) => s.attributes["graph_invite.outcome"] === "accepted");
    expect(accepted).toHaveLength(2);
    for (const span of invites) {
      expect(span.kind).toBe(SpanKind.CLIENT);
      expect(span.attributes).toMatchObject({
        "http.request.method": "POST",
        "server.address": "127.0.0.1",
        "url.template": "/v1.0/communications/calls/{call-id}/participants/invite",
        "graph_invite.call.id": "7531d31f-d10d-44de-802f-c569dbca451c",
      });
    }
    for (const span of accepted) {
      expect(span.attributes["http.response.status_code"]).toBe(200);
      expect(span.attributes["graph_invite.operation.id"]).toMatch(/^[0-9a-f-]{36}$/);
      expect(span.attributes["graph_invite.request_id"]).toMatch(/^[0-9a-f-]{36}$/);
      expect(span.attributes["graph_invite.operation.status"]).toBe("running");
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
    }
  });

  it("counts the attempts and the retry wait of an invite retried after 429, with an event per retry", () => {
    const retried = kit.spansNamed("invite").find((s) => s.attributes["graph_invite.invite.attempts"] === 2)!;
    expect(retried.attributes).toMatchObject({ "http.request.resend_count": 1, "graph_invite.outcome": "accepted" });
    expect(retried.attributes["graph_invite.invite.retry_wait"]).toBe(0); // Retry-After: 0
    expect(retried.events.map((e) => [e.name, e.attributes?.["http.response.status_code"]])).toEqual([["retry", 429]]);
  });

  it("ends with an error status and error.type for a refused and a locally invalid invite", () => {
    const failed = kit.spansNamed("invite").filter((s) => s.status.code === SpanStatusCode.ERROR);
    expect(failed.map((s) => [s.attributes["graph_invite.outcome"], s.attributes["error.type"]]).sort()).toEqual([
      ["invalid", "InviteValidationError"],
      ["refused", "500"],
    ]);
    const refused = failed.find((s) => s.attributes["error.type"] === "500")!;
    expect(refused.attributes["http.response.status_code"]).toBe(500);
  });

  it("records invites by outcome, retries by status, and the invite duration", async () => {
    const invites = await kit.points("graph_invite.invites");
    expect(sum(invites, { "graph_invite.outcome": "accepted" })).toBe(2);
    expect(sum(invites, { "graph_invite.outcome": "refused", "error.type": "500" })).toBe(1);
    expect(sum(invites, { "graph_invite.outcome": "invalid" })).toBe(1);
    expect(sum(await kit.points("graph_invite.invite.retries"), { "http.response.status_code": 429 })).toBe(1);
    expect(sum(await kit.points("graph_invite.invite.duration"), {})).toBe(4);
  });
});

describe("the callback span", () => {
  it("is a SERVER span per request with method, path and status, and the verification's verdict", () => {
    const spans = kit.spansNamed("callback");
    for (const span of spans) {
      expect(span.kind).toBe(SpanKind.SERVER);
      expect(span.attributes["url.path"]).toBe("/api/calls");
      expect(typeof span.attributes["http.response.status_code"]).toBe("number");
    }
    const verified = spans.filter((s) => s.attributes["graph_invite.callback.verification"] === "passed");
    expect(verified).toHaveLength(3); // the simulator's callbacks, signed: a roster and two operations
    const refused = spans.filter((s) => s.attributes["graph_invite.callback.verification"] === "refused");
    expect(refused.map((s) => s.attributes["graph_invite.callback.verification.reason"]).sort()).toEqual([
      "keys_unavailable",
      "malformed",
      "missing",
    ]);
  });

  it("says why each refusal was answered, and what an accepted body held", () => {
    const byReason = new Map(
      kit
        .spansNamed("callback")
        .reverse()
        .map((s) => [s.attributes["graph_invite.callback.reason"], s]),
    ); // the first span of each reason
    expect(new Map([...byReason].map(([k, s]) => [k, s.attributes["http.response.status_code"]]))).toEqual(
      new Map([
        ["accepted", 202],
        ["unauthorized", 401],
        ["unsupported_media_type", 415],
        ["method_not_allowed", 405],
        ["replayed", 202],
        ["invalid", 400],
        ["too_large", 413],
        ["not_recorded", 503],
        ["keys_unavailable", 503],
      ]),
    );
    expect(byReason.get("invalid")!.attributes).toMatchObject({ "graph_invite.callback.parse": "invalid" });
    expect(byReason.get("invalid")!.attributes["graph_invite.callback.issue_count"]).toBeGreaterThan(0);
    expect(byReason.get("not_recorded")!.attributes["error.type"]).toBe("Error");
    expect(byReason.get("not_recorded")!.status.code).toBe(SpanStatusCode.ERROR);
    expect(byReason.get("unauthorized")!.status.code).toBe(SpanStatusCode.UNSET); // a 4xx is the sender's
    const operation = kit
      .spansNamed("callback")
      .find(
        (s) =>
          s.attributes["graph_invite.callback.events.operation"] === 1 &&
          s.attributes["graph_invite.callback.parse"] === "valid",
      )!;
    expect(operation.attributes["graph_invite.operation.ids"]).toEqual([expect.stringMatching(/^[0-9a-f-]{36}$/)]);
    expect(operation.attributes["graph_invite.call.ids"]).toEqual([expect.any(String)]);
  });

  it("records callbacks by outcome and reason, their duration, and the events by kind", async () => {
    const callbacks = await kit.points("graph_invite.callback.duration"); // its count: the callbacks received
    expect(sum(callbacks, { "graph_invite.callback.reason": "unauthorized" })).toBe(2);
    expect(sum(callbacks, { "graph_invite.outcome": "failed", "graph_invite.callback.reason": "not_recorded" })).toBe(
      seen.redis ? 2 : 1,
    );
    const total = kit.spansNamed("callback").length;
    expect(sum(await kit.points("graph_invite.callback.duration"), {})).toBe(total);
    // Accepted callbacks only, each body once: the simulator's two operations and roster, carol's
    // operation; not carol's replay, nor the bodies answered 503.
    const byKind = await kit.points("graph_invite.callback.events");
    expect(byKind.map((p) => [p.attributes["graph_invite.event.kind"], p.value]).sort()).toEqual([
      ["operation", 3],
      ["roster", 1],
    ]);
  });
});

describe("the settle span and the trackers' metrics", () => {
  it("runs from track() to the outcome, linked to the invite span of the result passed, or by operation id", () => {
    const settles = kit.spansNamed("settle");
    const inviteIds = new Map(kit.spansNamed("invite").map((s) => [s.spanContext().spanId, s]));
    const linked = settles.filter((s) => s.links.length === 1);
    expect(linked).toHaveLength(2);
    for (const span of linked) {
      const invite = inviteIds.get(span.links[0]!.context.spanId)!;
      expect(invite).toBeDefined();
      expect(span.attributes["graph_invite.operation.id"]).toBe(invite.attributes["graph_invite.operation.id"]);
    }
    expect(linked.map((s) => s.attributes["graph_invite.outcome"]).sort()).toEqual(["completed", "failed"]);
    const failed = linked.find((s) => s.attributes["graph_invite.outcome"] === "failed")!;
    expect(failed.attributes).toMatchObject({
      "graph_invite.result.code": 412,
      "graph_invite.result.subcode": 9999,
      "error.type": "InviteOperationFailedError",
    });
    expect(failed.status).toEqual({ code: SpanStatusCode.ERROR, message: "failed" });
    expect(settles.some((s) => s.attributes["graph_invite.outcome"] === "timeout")).toBe(true);
    if (seen.redis) expect(settles.some((s) => s.attributes["graph_invite.tracker.kind"] === "redis")).toBe(true);
  });

  it("records the settle latency by outcome, unmatched callbacks, key fetches and Redis record failures", async () => {
    const settle = await kit.points("graph_invite.settle.duration");
    expect(sum(settle, { "graph_invite.outcome": "completed", "graph_invite.tracker.kind": "memory" })).toBe(1);
    expect(sum(settle, { "graph_invite.outcome": "timeout" })).toBe(1);
    expect(
      sum(await kit.points("graph_invite.tracker.unmatched"), { "graph_invite.unmatched.reason": "expired" }),
    ).toBe(1);
    const keys = await kit.points("graph_invite.keys.fetches");
    expect(keys).toEqual([
      { attributes: { "graph_invite.outcome": "success" }, value: 1 },
      { attributes: { "graph_invite.outcome": "failure", "error.type": "Error" }, value: 1 },
    ]);
    const failures = await kit.points("graph_invite.redis.record_failures");
    expect(failures).toEqual(
      seen.redis
        ? [{ attributes: { "graph_invite.tracker.kind": "redis", "error.type": "RedisTrackerError" }, value: 1 }]
        : [],
    );
  });

  it("reports the early gauge for the in-memory tracker only (Redis keeps early callbacks in Redis)", async () => {
    const kinds = async (name: string) =>
      (await kit.points(name)).map((p) => p.attributes["graph_invite.tracker.kind"]).sort();
    expect(await kinds("graph_invite.tracker.pending")).toEqual(seen.redis ? ["memory", "redis"] : ["memory"]);
    expect(await kinds("graph_invite.tracker.early")).toEqual(["memory"]);
  });

  it("observes the pending and early gauges while trackers are open, and stops at close()", async () => {
    const { createOperationTracker } = await import("../../src/index.js");
    const tracker = createOperationTracker({ telemetry: kit.telemetry, timeoutMs: 60_000 });
    const waiting = tracker.track({ clientContext: "gauge-ctx" }).catch(() => {});
    const pending = await kit.points("graph_invite.tracker.pending");
    expect(pending).toContainEqual({ attributes: { "graph_invite.tracker.kind": "memory" }, value: 1 });
    tracker.close();
    await waiting;
    const after = await kit.points("graph_invite.tracker.pending");
    expect(after.find((p) => p.attributes["graph_invite.tracker.kind"] === "memory")?.value ?? 0).toBe(0);
    // Two trackers of a kind add up; the early gauge counts callbacks waiting for their track().
    const second = createOperationTracker({ telemetry: kit.telemetry, timeoutMs: 60_000, bufferMs: 60_000 });
    const third = createOperationTracker({ telemetry: kit.telemetry, timeoutMs: 60_000, bufferMs: 60_000 });
    const tracks = [second.track({ clientContext: "a" }), third.track({ clientContext: "b" })].map((p) =>
      p.catch(() => {}),
    );
    const { parseCommsNotifications } = await import("../../src/index.js");
    const { docsPayload } = await import("../fixtures/docs.js");
    second.observe(parseCommsNotifications(docsPayload(1, "notification-operation-completed")));
    expect(await kit.points("graph_invite.tracker.pending")).toContainEqual({
      attributes: { "graph_invite.tracker.kind": "memory" },
      value: 2,
    });
    expect(await kit.points("graph_invite.tracker.early")).toContainEqual({
      attributes: { "graph_invite.tracker.kind": "memory" },
      value: 1,
    });
    second.close();
    third.close();
    await Promise.all(tracks);
  });
});

describe("a callback whose client goes away before the answer", () => {
  it("ends its span as aborted, status 0 (the Node adapter)", async () => {
    const { createServer } = await import("node:http");
    const { createCallbackHandler } = await import("../../src/index.js");
    const { createNodeMiddleware } = await import("../../src/node/index.js");
    const { listen } = await import("../support/listen.js");
    const own = createKit();
    let asked!: () => void;
    const verifying = new Promise<void>((r) => (asked = r));
    const middleware = createNodeMiddleware(createCallbackHandler(), {
      verify: () => (asked(), new Promise(() => {})), // never answers: the client gives up first
      telemetry: own.telemetry,
    });
    const server = createServer(middleware);
    const base = await listen(server);
    const gone = new AbortController();
    const sent = fetch(`${base}/api/calls`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
      signal: gone.signal,
    }).catch(() => null);
    await verifying;
    gone.abort();
    await sent;
    await vi.waitFor(() => expect(own.spansNamed("callback")).toHaveLength(1));
    expect(own.spansNamed("callback")[0]!.attributes).toMatchObject({
      "http.response.status_code": 0,
      "graph_invite.outcome": "aborted",
      "graph_invite.callback.reason": "client_closed",
    });
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await own.shutdown();
  });
});

describe("the logger", () => {
  it("receives the same events as structured records, with the span's trace id", () => {
    expect(events("graph_invite.invite.sent")).toHaveLength(2);
    expect(events("graph_invite.invite.retry")[0]).toMatchObject({
      level: "warn",
      fields: { "http.response.status_code": 429 },
    });
    expect(
      events("graph_invite.invite.failed")
        .map((r) => r.fields["error.type"])
        .sort(),
    ).toEqual(["500", "InviteValidationError"]);
    const refused = events("graph_invite.callback.refused");
    expect(refused.map((r) => r.fields["graph_invite.callback.reason"])).toEqual(
      expect.arrayContaining(["unauthorized", "invalid", "too_large", "keys_unavailable"]),
    );
    expect(events("graph_invite.callback.not_recorded")[0]).toMatchObject({ level: "error" });
    expect(events("graph_invite.callback.accepted").length).toBeGreaterThanOrEqual(4);
    expect(events("graph_invite.keys.fetched")).toEqual([
      {
        level: "info",
        fields: { event: "graph_invite.keys.fetched", "graph_invite.outcome": "success" },
        message: "callback signing keys fetched",
      },
    ]);
    expect(events("graph_invite.keys.fetch_failed")).toEqual([
      {
        level: "warn",
        fields: { event: "graph_invite.keys.fetch_failed", "graph_invite.outcome": "failure", "error.type": "Error" },
        message: "callback signing keys could not be fetched (Error)",
      },
    ]);
    expect(events("graph_invite.settle.completed").length).toBeGreaterThanOrEqual(1);
    expect(events("graph_invite.settle.failed").map((r) => r.fields["graph_invite.outcome"])).toEqual(
      expect.arrayContaining(["failed", "timeout"]),
    );
    expect(events("graph_invite.tracker.unmatched")[0]).toMatchObject({
      fields: { "graph_invite.unmatched.reason": "expired" },
    });
    if (seen.redis)
      expect(events("graph_invite.redis.record_failed")).toEqual([
        {
          level: "error",
          fields: {
            event: "graph_invite.redis.record_failed",
            "graph_invite.tracker.kind": "redis",
            "error.type": "RedisTrackerError",
          },
          message: "the Redis tracker could not record a callback",
        },
      ]);
    const sent = events("graph_invite.invite.sent")[0]!;
    const span = kit.spansNamed("invite").find((s) => s.spanContext().spanId === sent.fields.span_id)!;
    expect(sent.fields.trace_id).toBe(span.spanContext().traceId);
  });
});

describe("the instrumentation scope and the instruments", () => {
  it("emits every span and metric under the scope graph-invite-contract", async () => {
    expect(new Set(kit.finished().map((s) => s.instrumentationScope.name))).toEqual(new Set(["graph-invite-contract"]));
    const batch = (await kit.allMetrics()).at(-1)!;
    expect(batch.scopeMetrics.map((s) => s.scope.name)).toEqual(["graph-invite-contract"]);
  });

  it("gives each metric the unit of docs/observability.md, and the histograms their bucket advice", async () => {
    const metrics = (await kit.allMetrics()).at(-1)!.scopeMetrics.flatMap((s) => s.metrics);
    expect(Object.fromEntries(metrics.map((m) => [m.descriptor.name, m.descriptor.unit]))).toEqual({
      "graph_invite.invites": "{invite}",
      "graph_invite.invite.duration": "s",
      "graph_invite.invite.retries": "{retry}",
      "graph_invite.callback.duration": "s",
      "graph_invite.callback.events": "{event}",
      "graph_invite.settle.duration": "s",
      "graph_invite.tracker.pending": "{track}",
      "graph_invite.tracker.early": "{callback}",
      "graph_invite.tracker.unmatched": "{callback}",
      "graph_invite.keys.fetches": "{fetch}",
      "graph_invite.redis.record_failures": "{failure}",
    });
    const range = (name: string) => {
      const point = metrics.find((m) => m.descriptor.name === name)!.dataPoints[0]!;
      const { boundaries } = (point.value as { buckets: { boundaries: number[] } }).buckets;
      return [boundaries[0], boundaries.at(-1)];
    };
    expect(range("graph_invite.callback.duration")).toEqual([0.0001, 1]); // intake 0.1 ms to 1 s
    expect(range("graph_invite.invite.duration")).toEqual([0.01, 60]); // invite 10 ms to 60 s
    expect(range("graph_invite.settle.duration")).toEqual([0.1, 120]); // settle 0.1 s to 120 s
  });
});
