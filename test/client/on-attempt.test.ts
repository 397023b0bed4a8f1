// onAttempt: one report per attempt (number, status or outcome, the wait before the next one),
// never the token or the body; a hook that throws or rejects changes nothing.
import { afterEach, describe, expect, it } from "vitest";
import { createInviteClient, invitePhone, type InviteAttempt } from "../../src/index.js";
import { createGraphSimulator, type GraphSimulator } from "../../src/testing/index.js";
import { loopback, reply } from "./loopback.js";

const APP_ID = "b6ba4e3c-1a9a-4c9e-8b8b-6b9a0c2f4d11";
const TOKEN = "app-token-93ab";
const PHONE = "+12345678901";
let sim: GraphSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe("onAttempt", () => {
  it("reports each attempt against the simulator: a 503 with its wait, then the operation", async () => {
    sim = await createGraphSimulator({ appId: APP_ID });
    sim.fail({ status: 503, retryAfterSeconds: 0 });
    sim.fail({ status: 429 });
    const attempts: InviteAttempt[] = [];
    const client = createInviteClient({
      baseUrl: sim.baseUrl,
      getToken: () => TOKEN,
      retry: { baseDelayMs: 40 },
      onAttempt: (a) => void attempts.push(a),
    });
    const result = await client.invite("call-1", invitePhone(PHONE, { clientContext: "ctx-hook" }));
    expect(attempts).toHaveLength(3);
    expect(attempts[0]).toMatchObject({ attempt: 1, status: 503, outcome: "error_status", retryInMs: 0 });
    expect(attempts[1]).toMatchObject({ attempt: 2, status: 429, outcome: "error_status" });
    expect(attempts[1]!.retryInMs).toBeGreaterThanOrEqual(40); // backoff for attempt 2: in [base, 2·base]
    expect(attempts[1]!.retryInMs).toBeLessThanOrEqual(80);
    expect(attempts[2]).toMatchObject({
      attempt: 3,
      status: 200,
      outcome: "operation",
      retryInMs: null,
      requestId: result.requestId,
    });
    for (const a of attempts) {
      expect(Object.keys(a).sort()).toEqual(["attempt", "durationMs", "outcome", "requestId", "retryInMs", "status"]);
      expect(a.durationMs).toBeGreaterThanOrEqual(0);
    }
    const reported = JSON.stringify(attempts);
    for (const secret of [TOKEN, PHONE, "ctx-hook", sim.baseUrl]) expect(reported).not.toContain(secret);
  });

  it("reports a final failure, a network error and an accepted invite", async () => {
    const attempts: InviteAttempt[] = [];
    const onAttempt = (a: InviteAttempt) => void attempts.push(a);
    const graph = await loopback(reply(400, { error: { code: "BadRequest", message: "m" } }), (res) =>
      res.writeHead(202).end(),
    );
    const client = createInviteClient({ baseUrl: `${graph.base}/v1.0`, getToken: () => TOKEN, onAttempt });
    await expect(client.invite("c", invitePhone(PHONE))).rejects.toMatchObject({ status: 400 });
    await client.invite("c", invitePhone(PHONE));
    const refused = createInviteClient({ baseUrl: "http://127.0.0.1:1/v1.0", getToken: () => TOKEN, onAttempt });
    await expect(refused.invite("c", invitePhone(PHONE))).rejects.toMatchObject({ reason: "network" });
    expect(
      attempts.map(({ attempt, status, outcome, retryInMs }) => ({ attempt, status, outcome, retryInMs })),
    ).toEqual([
      { attempt: 1, status: 400, outcome: "error_status", retryInMs: null },
      { attempt: 1, status: 202, outcome: "accepted", retryInMs: null },
      { attempt: 1, status: null, outcome: "network", retryInMs: null },
    ]);
  });

  it("reports an attempt that got no answer by how it ended: token, aborted, timeout, redirect or error", async () => {
    const attempts: InviteAttempt[] = [];
    const onAttempt = (a: InviteAttempt) => void attempts.push(a);
    const graph = await loopback((res, req) =>
      req.headers.authorization === "Bearer redirect"
        ? res.writeHead(307, { location: "/elsewhere", "request-id": "r-307" }).end()
        : undefined,
    ); // anything else stalls
    const client = (getToken: () => string | Promise<string>, timeoutMs = 30_000) =>
      createInviteClient({ baseUrl: `${graph.base}/v1.0`, getToken, onAttempt, timeoutMs });
    await expect(client(() => Promise.reject(new Error("no token"))).invite("c", invitePhone(PHONE))).rejects.toThrow(
      "no token",
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("caller gave up")), 100);
    await expect(client(() => "stall").invite("c", invitePhone(PHONE), { signal: controller.signal })).rejects.toThrow(
      "caller gave up",
    );
    await expect(client(() => "stall", 200).invite("c", invitePhone(PHONE))).rejects.toMatchObject({
      reason: "timeout",
    });
    await expect(client(() => "redirect").invite("c", invitePhone(PHONE))).rejects.toMatchObject({
      reason: "redirect",
    });
    const own = new RangeError("proxy pool exhausted");
    const failing = createInviteClient({
      baseUrl: `${graph.base}/v1.0`,
      getToken: () => TOKEN,
      onAttempt,
      fetch: () => Promise.reject(own),
    });
    await expect(failing.invite("c", invitePhone(PHONE))).rejects.toBe(own);
    expect(
      attempts.map(({ status, outcome, requestId, retryInMs }) => ({ status, outcome, requestId, retryInMs })),
    ).toEqual([
      { status: null, outcome: "token", requestId: null, retryInMs: null },
      { status: null, outcome: "aborted", requestId: null, retryInMs: null },
      { status: null, outcome: "timeout", requestId: null, retryInMs: null },
      { status: 307, outcome: "redirect", requestId: "r-307", retryInMs: null },
      { status: null, outcome: "error", requestId: null, retryInMs: null },
    ]);
  });

  it("reports how long each attempt took, within the time the call took", async () => {
    const attempts: InviteAttempt[] = [];
    const graph = await loopback(
      (res) => void setTimeout(() => res.writeHead(503, { "retry-after": "0" }).end(), 100),
      reply(200, { id: "op", status: "running" }),
    );
    const client = createInviteClient({
      baseUrl: `${graph.base}/v1.0`,
      getToken: () => TOKEN,
      onAttempt: (a) => void attempts.push(a),
    });
    const started = Date.now();
    await client.invite("c", invitePhone(PHONE));
    const elapsed = Date.now() - started;
    expect(attempts).toHaveLength(2);
    expect(attempts[0]!.durationMs).toBeGreaterThanOrEqual(90); // the answer came after 100 ms
    for (const a of attempts) expect(a.durationMs).toBeLessThanOrEqual(elapsed);
  });

  it("a hook that throws or rejects changes nothing, and leaves no unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const graph = await loopback(reply(200, { id: "op", status: "running" }));
      for (const onAttempt of [
        () => {
          throw new Error("hook broke");
        },
        () => Promise.reject(new Error("hook rejected")),
      ]) {
        const client = createInviteClient({ baseUrl: `${graph.base}/v1.0`, getToken: () => TOKEN, onAttempt });
        await expect(client.invite("c", invitePhone(PHONE))).resolves.toMatchObject({ status: "running" });
      }
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});
