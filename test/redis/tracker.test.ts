// createRedisOperationTracker against a real redis-server: two replicas (trackers with their own
// connections) share outcomes; early callbacks wait in Redis; an outcome outlives its replica;
// Redis going away makes observe() reject and the endpoint answer 503; after a restart, what
// arrives settles what waits. A final invite response settles at once, without a callback.
import type { Server } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  createCallbackHandler,
  InviteOperationFailedError,
  InviteOperationTimeoutError,
  OperationTrackerError,
  parseCommsNotifications,
} from "../../src/index.js";
import { createNodeMiddleware } from "../../src/node/index.js";
import { createRedisOperationTracker, type RedisOperationTracker } from "../../src/redis/index.js";
import type { InviteParticipantsOperation } from "../../src/schema-types.js";
import { docsPayload } from "../fixtures/docs.js";
import { listen } from "../support/listen.js";
import { startRedis, type TestRedis } from "../support/redis.js";

type Json = Record<string, any>;
let redis: TestRedis;
const open: RedisOperationTracker[] = [];
let server: Server | undefined;
let prefixes = 0;

beforeAll(async () => void (redis = await startRedis()), 30_000);
afterAll(() => redis.dispose());
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

/** Replicas of one bot: trackers with their own connections and a key prefix of their own test. */
function replicas(n: number, options: { timeoutMs?: number; keyPrefix?: string } = {}) {
  const keyPrefix = options.keyPrefix ?? `test-${++prefixes}:`;
  return Array.from({ length: n }, () => {
    const tracker = createRedisOperationTracker({
      url: redis.url,
      keyPrefix,
      timeoutMs: options.timeoutMs ?? 5_000,
      onError: () => {}, // Redis is stopped on purpose below
    });
    open.push(tracker);
    return tracker;
  });
}

/** The docs' example-n operation callback, parsed, with changes to its operation. */
function callback(n: number, change: Json = {}) {
  const body = docsPayload(n, "notification-operation-completed") as { value: Json[] };
  Object.assign(body.value[0]!.resourceData, change);
  return parseCommsNotifications(body);
}
const CTX = "f2fa86af-3c51-4bc2-8fc0-475452d9764f";
/** The docs' example-n invite response (an operation), with changes. */
const response = (n: number, change: Json = {}) =>
  ({ ...(docsPayload(n, "response") as InviteParticipantsOperation), ...change }) as InviteParticipantsOperation;
// No retry: observe() waits for the tracker's first connection itself (it used to fail fast with
// ioredis's "Stream isn't writeable" until connected).
const observed = (tracker: RedisOperationTracker, events: ReturnType<typeof callback>) => tracker.observe(events);

describe("createRedisOperationTracker", () => {
  it("settles a track() on one replica from a callback another replica received", async () => {
    const [a, b] = replicas(2);
    const done = a!.track({ clientContext: "c-1", operationId: "op-1" });
    await observed(b!, callback(1, { id: "op-1", clientContext: "c-1" }));
    await expect(done).resolves.toMatchObject({ id: "op-1", status: "completed" });
    expect(a!.size).toEqual({ pending: 0, buffered: 0 });
  });

  it("keeps a callback that came before track(), for a track() on any replica", async () => {
    const [a, b] = replicas(2);
    await observed(
      a!,
      callback(4, { id: "op-2", clientContext: "c-2", status: "failed", resultInfo: { code: 412, subcode: 9999 } }),
    );
    const error = await b!.track({ clientContext: "c-2", operationId: "op-2" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InviteOperationFailedError);
    expect(error).toMatchObject({ resultInfo: { code: 412, subcode: 9999 } });
  });

  it("correlates by clientContext only where one side has no id (docs Example 2; a retried invite)", async () => {
    const [a, b] = replicas(2, { timeoutMs: 800 });
    const byContext = a!.track({ clientContext: CTX });
    await observed(b!, callback(2)); // id null
    await expect(byContext).resolves.toMatchObject({ id: null, clientContext: CTX });
    const second = a!.track({ clientContext: "c-3", operationId: "op-second" });
    await observed(b!, callback(1, { id: "op-first", clientContext: "c-3", status: "failed" }));
    await expect(second).rejects.toBeInstanceOf(InviteOperationTimeoutError); // not the first attempt's failure
  });

  it("keeps a callback without an operation id that came first, for a track() by clientContext (docs Example 2)", async () => {
    const [a, b] = replicas(2);
    await observed(a!, callback(2)); // id null
    await new Promise((resolve) => setTimeout(resolve, 200)); // its publication has passed: only the stored record is left
    await expect(b!.track({ clientContext: CTX })).resolves.toMatchObject({ id: null, clientContext: CTX });
  });

  it("settles a track() at once from an invite response that is already final, without a callback", async () => {
    const [a] = replicas(1);
    const done = response(1, { id: "op-final", clientContext: "c-final", status: "completed" });
    await expect(a!.track({ clientContext: "c-final", operation: done })).resolves.toEqual(done);
    const failed = response(1, { id: "op-failed", clientContext: "c-failed", status: "failed" });
    const error = await a!.track({ clientContext: "c-failed", operation: failed }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InviteOperationFailedError);
    expect(a!.size.pending).toBe(0);
  });

  it("keeps an outcome for a replica that restarts and tracks again", async () => {
    const [a, b] = replicas(2);
    const lost = a!.track({ clientContext: "c-4", operationId: "op-4" }).catch((e: unknown) => e);
    await a!.close(); // the replica goes away before the callback
    expect(await lost).toBeInstanceOf(InviteOperationTimeoutError);
    await observed(b!, callback(1, { id: "op-4", clientContext: "c-4" }));
    const [restarted] = replicas(1, { keyPrefix: `test-${prefixes}:` });
    await expect(restarted!.track({ clientContext: "c-4", operationId: "op-4" })).resolves.toMatchObject({
      id: "op-4",
    });
  });

  it("refuses duplicates, and every track() after close()", async () => {
    const errors: unknown[] = [];
    const a = createRedisOperationTracker({
      url: redis.url,
      keyPrefix: `test-${++prefixes}:`,
      onError: (e) => void errors.push(e),
    });
    open.push(a);
    const first = a.track({ clientContext: "dup", operationId: "op-dup" });
    first.catch(() => {});
    await expect(a.track({ clientContext: "dup" })).rejects.toMatchObject({ reason: "duplicate" });
    await observed(a, callback(1, { id: "op-dup", clientContext: "dup" }));
    await expect(first).resolves.toMatchObject({ id: "op-dup" }); // the first one still waits, and settles
    expect(errors).toEqual([]); // the refused one left nothing behind to fail
    await a.close();
    await expect(a.track({ clientContext: "after" })).rejects.toBeInstanceOf(OperationTrackerError);
  });

  it("while Redis is down: observe() rejects and the endpoint answers 503; after the restart, what arrives settles what waits", async () => {
    const [a, b] = replicas(2, { timeoutMs: 15_000 });
    const handler = createCallbackHandler();
    const errors: unknown[] = [];
    server = (await import("node:http")).createServer(
      createNodeMiddleware(handler, {
        dangerouslyAcceptUnverifiedCallbacks: true,
        record: (events) => b!.observe(events),
        onError: (e) => void errors.push(e),
      }),
    );
    const base = await listen(server);
    const post = () =>
      fetch(`${base}/api/calls`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          value: [
            {
              changeType: "deleted",
              resourceUrl: "/communications/calls/c/operations/op-5",
              resourceData: {
                "@odata.type": "#microsoft.graph.inviteParticipantsOperation",
                id: "op-5",
                clientContext: "c-5",
                status: "completed",
              },
            },
          ],
        }),
      });
    const waiting = a!.track({ clientContext: "c-5", operationId: "op-5" });
    await redis.stop();
    await expect(b!.observe(callback(1, { id: "op-x" }))).rejects.toThrow();
    const refused = await post();
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("5");
    expect(errors.length).toBeGreaterThan(0);
    await redis.start();
    await vi.waitFor(async () => expect((await post()).status).toBe(202), { timeout: 10_000, interval: 100 });
    await expect(waiting).resolves.toMatchObject({ id: "op-5", status: "completed" });
  }, 30_000);
});
