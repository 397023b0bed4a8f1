// invite() has an overall bound (timeoutMs, default 60 s) over getToken(), every attempt, every
// wait and every body read, combined with the caller's signal: a stalled Graph never hangs it.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createInviteClient, GraphRequestError, invitePhone } from "../../src/index.js";
import { createGraphClient } from "../../src/graph/index.js";
import { activeTimers } from "../support/timers.js";
import { loopback, reply } from "./loopback.js";

const PHONE = "+12345678901";
const stall = () => {}; // never answers

afterEach(() => void vi.useRealTimers());

describe("invite()'s overall timeout", () => {
  it("ends a response that never comes with GraphRequestError timeout", async () => {
    const graph = await loopback(stall);
    const client = createInviteClient({ baseUrl: `${graph.base}/v1.0`, getToken: () => "t", timeoutMs: 300 });
    const started = performance.now();
    const error = (await client.invite("c", invitePhone(PHONE)).catch((e: unknown) => e)) as GraphRequestError;
    expect(error).toBeInstanceOf(GraphRequestError);
    expect(error).toMatchObject({ reason: "timeout", status: 0 });
    expect(error.message).toBe("The invite did not finish within timeoutMs (300 ms; attempt 1)");
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(graph.seen).toHaveLength(1);
  });

  it("drops the connection of an answer that never comes at the timeout", async () => {
    let closed = false;
    const graph = await loopback((res) => res.on("close", () => (closed = true)));
    const client = createInviteClient({ baseUrl: `${graph.base}/v1.0`, getToken: () => "t", timeoutMs: 200 });
    await expect(client.invite("c", invitePhone(PHONE))).rejects.toMatchObject({ reason: "timeout" });
    await expect.poll(() => closed, { timeout: 1_000 }).toBe(true);
  });

  it("ends a body that stalls after the headers", async () => {
    const graph = await loopback((res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"status":');
    });
    const client = createInviteClient({ baseUrl: `${graph.base}/v1.0`, getToken: () => "t", timeoutMs: 300 });
    await expect(client.invite("c", invitePhone(PHONE))).rejects.toMatchObject({ reason: "timeout" });
  });

  it("applies 60 s when no timeoutMs is given, and leaves no timer behind", async () => {
    const graph = await loopback(stall);
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const client = createInviteClient({ baseUrl: `${graph.base}/v1.0`, getToken: () => "t" });
    const outcome = client.invite("c", invitePhone(PHONE)).catch((e: unknown) => e);
    await expect.poll(() => graph.seen.length).toBe(1);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(await Promise.race([outcome, "pending"])).toBe("pending");
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await outcome).toMatchObject({ reason: "timeout", message: expect.stringContaining("(60000 ms;") });
    vi.useRealTimers();

    const timersBefore = activeTimers();
    const ok = await loopback(reply(200, { id: "op", status: "running" }));
    await createInviteClient({ baseUrl: `${ok.base}/v1.0`, getToken: () => "t" }).invite("c", invitePhone(PHONE));
    expect(activeTimers()).toBeLessThanOrEqual(timersBefore);
  });

  it("bounds a hung getToken() too", async () => {
    const graph = await loopback(stall);
    const client = createInviteClient({
      baseUrl: `${graph.base}/v1.0`,
      getToken: () => new Promise<string>(() => {}),
      timeoutMs: 200,
    });
    await expect(client.invite("c", invitePhone(PHONE))).rejects.toMatchObject({ reason: "timeout" });
    expect(graph.seen).toHaveLength(0);
  });

  it("the caller's signal still wins when it ends first, with its own reason", async () => {
    const graph = await loopback(stall);
    const client = createInviteClient({ baseUrl: `${graph.base}/v1.0`, getToken: () => "t", timeoutMs: 30_000 });
    const reason = new Error("caller gave up");
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 100);
    await expect(client.invite("c", invitePhone(PHONE), { signal: controller.signal })).rejects.toBe(reason);
  });

  it("does not start a retry wait that would outlast timeoutMs: Graph's error at once", async () => {
    const graph = await loopback(
      reply(503, { error: { code: "serviceNotAvailable", message: "busy" } }, { "retry-after": "5" }),
    );
    const client = createInviteClient({ baseUrl: `${graph.base}/v1.0`, getToken: () => "t", timeoutMs: 2_000 });
    const started = performance.now();
    await expect(client.invite("c", invitePhone(PHONE))).rejects.toMatchObject({
      reason: "error_status",
      status: 503,
      retryAfterMs: 5_000,
    });
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(graph.seen).toHaveLength(1);
  });

  it("does not start a retry wait of exactly the time left either", async () => {
    const graph = await loopback(reply(503, "", { "retry-after": "2" }));
    vi.useFakeTimers({ toFake: ["Date"] }); // the clock stands still: 2,000 ms are left when the 503 is in
    const client = createInviteClient({ baseUrl: `${graph.base}/v1.0`, getToken: () => "t", timeoutMs: 2_000 });
    const started = performance.now();
    await expect(client.invite("c", invitePhone(PHONE))).rejects.toMatchObject({
      reason: "error_status",
      retryAfterMs: 2_000,
    });
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(graph.seen).toHaveLength(1);
  });

  it("ends a retry wait at the timeout when the wait fits but the next answer stalls", async () => {
    const graph = await loopback(reply(503, "", { "retry-after": "0" }), stall);
    const client = createInviteClient({ baseUrl: `${graph.base}/v1.0`, getToken: () => "t", timeoutMs: 400 });
    await expect(client.invite("c", invitePhone(PHONE))).rejects.toMatchObject({
      reason: "timeout",
      message: "The invite did not finish within timeoutMs (400 ms; attempt 2)",
    });
    expect(graph.seen).toHaveLength(2);
  });
});

describe("createGraphClient's timeout", () => {
  const post = (client: ReturnType<typeof createGraphClient>) =>
    client.POST("/communications/calls/{call-id}/participants/invite", {
      params: { path: { "call-id": "c" } },
      body: invitePhone(PHONE),
    });

  it("ends a stalled answer, a stalled body and a hung getToken() at timeoutMs", async () => {
    const stalled = await loopback(stall);
    await expect(
      post(createGraphClient({ baseUrl: `${stalled.base}/v1.0`, getToken: () => "t", timeoutMs: 300 })),
    ).rejects.toMatchObject({
      name: "GraphRequestError",
      reason: "timeout",
      message: "The Graph request did not finish within timeoutMs (300 ms)",
    });
    const body = await loopback((res) => res.writeHead(200, { "content-type": "application/json" }).write("{"));
    await expect(
      post(createGraphClient({ baseUrl: `${body.base}/v1.0`, getToken: () => "t", timeoutMs: 300 })),
    ).rejects.toMatchObject({ reason: "timeout" });
    const hung = createGraphClient({
      baseUrl: `${stalled.base}/v1.0`,
      getToken: () => new Promise<string>(() => {}),
      timeoutMs: 300,
    });
    await expect(post(hung)).rejects.toMatchObject({ reason: "timeout" });
  });

  it("refuses a timeoutMs that cannot bound a wait", () => {
    for (const timeoutMs of [0, -1, NaN, Infinity, 2 ** 31]) {
      expect(() => createGraphClient({ getToken: () => "t", timeoutMs }), String(timeoutMs)).toThrow(
        /createGraphClient: options\.timeoutMs must be a number from 1 to 2147483647/,
      );
    }
  });
});
