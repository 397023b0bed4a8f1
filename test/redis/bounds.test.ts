// Every wait of the Redis tracker is bounded, on a real redis-server: observe() right after
// creation waits for the first connection instead of failing with ioredis's "Stream isn't
// writeable"; under CLIENT PAUSE or DEBUG SLEEP it rejects within commandTimeoutMs (so the endpoint
// answers 503 instead of holding Graph's callback), with the tracker's connections and with a
// `client` passed in that has no timeout of its own; close() ends at once when Redis is unreachable
// (it took 10 s). The options' checks are in options.test.ts.
import type { Server } from "node:http";
import { createServer } from "node:http";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createCallbackHandler } from "../../src/index.js";
import { createNodeMiddleware } from "../../src/node/index.js";
import {
  createRedisOperationTracker,
  RedisTrackerError,
  type RedisOperationTracker,
  type RedisOperationTrackerOptions,
} from "../../src/redis/index.js";
import { listen } from "../support/listen.js";
import { freePort, startRedis, type TestRedis } from "../support/redis.js";
import { completedInvite } from "../support/operations.js";
import { timed } from "../support/timers.js";

let redis: TestRedis;
let admin: Redis;
const trackers: RedisOperationTracker[] = [];
const clients: Redis[] = [];
let server: Server | undefined;
beforeAll(async () => {
  redis = await startRedis({ args: ["--enable-debug-command", "yes"] });
  admin = new Redis(redis.url).on("error", () => {});
}, 30_000);
afterEach(async () => {
  await Promise.all(trackers.splice(0).map((t) => t.close()));
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  admin?.disconnect();
  await redis?.dispose();
});

const make = (options: Partial<RedisOperationTrackerOptions> = {}) => {
  const t = createRedisOperationTracker({
    url: redis.url,
    keyPrefix: "bounds:",
    onError: () => {},
    ...options,
  } as RedisOperationTrackerOptions);
  trackers.push(t);
  return t;
};
const completed = (i: number) => completedInvite(`op-${i}`, `ctx-${i}`);

describe("createRedisOperationTracker: bounds", () => {
  it("observe() right after creation waits for the first connection", async () => {
    const t = make();
    await expect(t.observe(completed(1))).resolves.toBeUndefined();
  });

  it("ready() resolves once connected, and observe() then succeeds", async () => {
    const t = make();
    await t.ready();
    await t.observe(completed(2));
    await expect(t.track({ clientContext: "ctx-2", operationId: "op-2" })).resolves.toMatchObject({ id: "op-2" });
  });

  for (const [stall, how] of [
    ["CLIENT PAUSE", () => admin.client("PAUSE", 2_500, "ALL")],
    ["DEBUG SLEEP", () => void admin.debug("SLEEP", 2.5).catch(() => {})],
  ] as const) {
    it(`under ${stall}, observe() rejects within commandTimeoutMs and the endpoint answers 503`, async () => {
      const t = make({ commandTimeoutMs: 400 });
      await t.ready();
      server = createServer(
        createNodeMiddleware(createCallbackHandler(), {
          dangerouslyAcceptUnverifiedCallbacks: true,
          record: (events) => t.observe(events),
          onError: () => {},
        }),
      );
      const base = await listen(server);
      await how();
      await new Promise((r) => setTimeout(r, 50)); // the stall has begun
      const direct = await timed(t.observe(completed(3)));
      expect(direct.resolved).toBe(false);
      expect(direct.error).toMatchObject({ name: "RedisTrackerError", reason: "timeout" });
      expect(direct.ms).toBeLessThan(1_500);
      const post = await timed(
        fetch(`${base}/api/calls`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            value: [
              {
                changeType: "deleted",
                resourceUrl: "/communications/calls/c/operations/op-4",
                resourceData: {
                  "@odata.type": "#microsoft.graph.inviteParticipantsOperation",
                  id: "op-4",
                  clientContext: "ctx-4",
                  status: "completed",
                },
              },
            ],
          }),
        }).then((r) => {
          expect(r.status).toBe(503);
        }),
      );
      expect(post.resolved).toBe(true);
      expect(post.ms).toBeLessThan(1_500);
      await expect.poll(() => admin.ping(), { timeout: 10_000 }).toBe("PONG"); // the stall is over
    }, 20_000);
  }

  it("bounds a `client` passed in that has an offline queue and no command timeout", async () => {
    const client = new Redis(redis.url).on("error", () => {}); // ioredis defaults: offline queue, 20 retries, no timeout
    clients.push(client);
    const listeners = () => client.eventNames().map((e) => client.listenerCount(e));
    const before = listeners();
    const t = make({ url: undefined, client, commandTimeoutMs: 400 });
    await t.ready();
    await admin.client("PAUSE", 2_000, "ALL");
    const stalled = await timed(t.observe(completed(5)));
    expect(stalled.error).toMatchObject({ reason: "timeout" });
    expect(stalled.ms).toBeLessThan(1_500);
    await expect.poll(() => admin.ping(), { timeout: 10_000 }).toBe("PONG");
    await t.close();
    expect(client.status).toBe("ready"); // not the tracker's to close
    expect(listeners()).toEqual(before); // and the tracker's listeners are off it
  }, 20_000);

  it("a ready() that timed out while Redis stalled resolves once Redis answers again", async () => {
    const client = new Redis(redis.url).on("error", () => {});
    clients.push(client);
    await client.ping();
    const t = make({ url: undefined, client, connectTimeoutMs: 300 });
    await admin.client("PAUSE", 1_000, "ALL");
    await expect(t.ready()).rejects.toMatchObject({ name: "RedisTrackerError", reason: "timeout" });
    await expect.poll(() => admin.ping(), { timeout: 10_000 }).toBe("PONG"); // the stall is over
    await expect(t.ready()).resolves.toBeUndefined();
    await expect(t.observe(completed(6))).resolves.toBeUndefined();
  }, 20_000);

  it("close() ends at once when Redis is unreachable", async () => {
    const t = make({ url: `redis://127.0.0.1:${await freePort()}` });
    await expect(t.ready()).rejects.toBeInstanceOf(RedisTrackerError);
    const closing = await timed(t.close());
    expect(closing.ms).toBeLessThan(1_000);
  }, 20_000);

  it("close() ends at once after Redis went away", async () => {
    const t = make();
    await t.ready();
    await redis.stop();
    try {
      await new Promise((r) => setTimeout(r, 200));
      const closing = await timed(t.close());
      expect(closing.ms).toBeLessThan(1_000);
    } finally {
      await redis.start();
      admin.disconnect();
      admin = new Redis(redis.url).on("error", () => {});
    }
  }, 20_000);
});
