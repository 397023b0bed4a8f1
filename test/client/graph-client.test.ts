// createGraphClient against a local server: the Bearer token and User-Agent on each request, the
// request's own signal honoured (already aborted, or aborting mid-call), and nothing left behind.
import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { invitePhone } from "../../src/index.js";
import { createGraphClient } from "../../src/graph/index.js";
import { activeTimers } from "../support/timers.js";
import { loopback, reply } from "./loopback.js";

const PHONE = "+12345678901";
const OPERATION = { id: "op-1", status: "running" };
const stall = () => {}; // never answers

const post = (client: ReturnType<typeof createGraphClient>, signal?: AbortSignal) =>
  client.POST("/communications/calls/{call-id}/participants/invite", {
    params: { path: { "call-id": "c" } },
    body: invitePhone(PHONE),
    signal,
  });

describe("createGraphClient's requests", () => {
  it("sends the Bearer token from getToken() and the User-Agent asked for", async () => {
    const graph = await loopback(reply(200, OPERATION));
    const client = createGraphClient({
      baseUrl: `${graph.base}/v1.0`,
      getToken: () => Promise.resolve("t-1"),
      userAgent: "my-bot/1.0",
    });
    const { data } = await post(client);
    expect(data).toEqual(OPERATION);
    expect(graph.seen[0]!.headers.authorization).toBe("Bearer t-1");
    expect(graph.seen[0]!.headers["user-agent"]).toBe("my-bot/1.0");
  });

  it("sends fetch's own User-Agent unless asked", async () => {
    const graph = await loopback(reply(200, OPERATION));
    await fetch(`${graph.base}/plain`);
    await post(createGraphClient({ baseUrl: `${graph.base}/v1.0`, getToken: () => "t" }));
    expect(graph.seen).toHaveLength(2);
    expect(graph.seen[1]!.headers["user-agent"]).toBe(graph.seen[0]!.headers["user-agent"]);
  });

  it("ends a stalled request at the request's signal, with its reason, and drops the connection", async () => {
    let closed = false;
    const graph = await loopback((res) => res.on("close", () => (closed = true)));
    const client = createGraphClient({ baseUrl: `${graph.base}/v1.0`, getToken: () => "t", timeoutMs: 30_000 });
    const reason = new Error("caller gave up");
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 100);
    const started = performance.now();
    await expect(post(client, controller.signal)).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(1_000);
    await expect.poll(() => closed, { timeout: 1_000 }).toBe(true);
  });

  it("drops the connection of a stalled request at timeoutMs", async () => {
    let closed = false;
    const graph = await loopback((res) => res.on("close", () => (closed = true)));
    const client = createGraphClient({ baseUrl: `${graph.base}/v1.0`, getToken: () => "t", timeoutMs: 200 });
    await expect(post(client)).rejects.toMatchObject({ reason: "timeout" });
    await expect.poll(() => closed, { timeout: 1_000 }).toBe(true);
  });

  it("ends at once with the reason of a signal already aborted, even while getToken() hangs", async () => {
    const graph = await loopback(stall);
    const client = createGraphClient({
      baseUrl: `${graph.base}/v1.0`,
      getToken: () => new Promise<string>(() => {}),
      timeoutMs: 30_000,
    });
    const reason = new Error("shutting down");
    const started = performance.now();
    await expect(post(client, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(graph.seen).toHaveLength(0);
  });

  it("leaves no timer behind, and no listener on the request's signal or the one it hands to fetch", async () => {
    const requests: Request[] = [];
    const handed: AbortSignal[] = [];
    const client = createGraphClient({
      baseUrl: "https://graph.example/v1.0",
      getToken: () => Promise.resolve("t"),
      fetch: (input, init) => {
        requests.push(input as Request);
        handed.push(init!.signal!);
        return Promise.resolve(Response.json(OPERATION));
      },
    });
    const caller = new AbortController();
    const timersBefore = activeTimers();
    for (let i = 0; i < 3; i++) expect((await post(client, caller.signal)).data).toEqual(OPERATION);
    expect(activeTimers()).toBeLessThanOrEqual(timersBefore);
    expect(handed).toHaveLength(3);
    for (const signal of [...requests.map((r) => r.signal), ...handed]) {
      expect(getEventListeners(signal, "abort")).toHaveLength(0);
    }
  });
});
