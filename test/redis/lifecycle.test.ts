// The Redis tracker's life on a real redis-server, as an operator sees it: onError hears each kind
// of background failure once while it repeats (ioredis retries a lost connection every few tens of
// milliseconds), a new kind at once, and the same kind again after the connection came back; a
// look-up Redis refuses is reported, not swallowed; close() closes the connections the tracker
// opened (the server's CLIENT LIST shows none left) and only those, lets a write already sent be
// acknowledged, and afterwards observe() and ready() reject with reason `closed`; with telemetry,
// its waiting track() calls count in the pending gauge as kind `redis`.
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseCommsNotifications } from "../../src/index.js";
import {
  createRedisOperationTracker,
  type RedisOperationTracker,
  type RedisOperationTrackerOptions,
  type RedisTrackerError,
} from "../../src/redis/index.js";
import { startRedis, type TestRedis } from "../support/redis.js";
import { completedInvite } from "../support/operations.js";
import { createKit } from "../telemetry/harness.js";

let redis: TestRedis;
let admin: Redis;
const open: RedisOperationTracker[] = [];
const clients: Redis[] = [];
let prefixes = 0;
beforeAll(async () => {
  redis = await startRedis({ args: ["--appendfsync", "no"] });
  admin = new Redis(redis.url).on("error", () => {});
}, 30_000);
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
  for (const c of clients.splice(0)) c.disconnect();
});
afterAll(async () => {
  admin?.disconnect();
  await redis?.dispose();
});

function make(options: Partial<RedisOperationTrackerOptions> = {}) {
  const keyPrefix = `life-${++prefixes}:`;
  const errors: RedisTrackerError[] = [];
  const t = createRedisOperationTracker({
    url: redis.url,
    keyPrefix,
    timeoutMs: 5_000,
    onError: (e) => void errors.push(e),
    ...options,
  } as RedisOperationTrackerOptions);
  open.push(t);
  return { t, errors, keyPrefix };
}

const completed = (i: number) => completedInvite(`op-${i}`, `ctx-${i}`);
/** A completed invite operation callback without an operation id, as docs Example 2 has it. */
const withoutId = (clientContext: string) =>
  parseCommsNotifications({
    value: [
      {
        changeType: "deleted",
        resourceUrl: "/communications/calls/call-1/operations",
        resourceData: {
          "@odata.type": "#microsoft.graph.inviteParticipantsOperation",
          clientContext,
          status: "completed",
        },
      },
    ],
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** An ACL user (password `pw`) with `rights` on the keys and channel of the next make()'s prefix. */
async function aclUserForNextTracker(name: string, rights: string[]) {
  const prefix = `life-${prefixes + 1}:`;
  await admin.acl(
    "SETUSER",
    name,
    "on",
    ">pw",
    "resetkeys",
    `~{${prefix}}*`,
    "resetchannels",
    `&{${prefix}}final`,
    ...rights,
  );
}
/** The server's client connections other than `admin`'s. */
const connections = async () => ((await admin.client("LIST")) as string).trim().split("\n").length - 1;
/** Stops the server, runs `during`, and starts it again (admin reconnects by itself). */
async function whileDown(during: () => Promise<void>) {
  await redis.stop();
  try {
    await during();
  } finally {
    await redis.start();
    await expect.poll(() => admin.ping().catch(() => "down"), { timeout: 10_000 }).toBe("PONG");
  }
}

describe("createRedisOperationTracker: onError", () => {
  it("hears a refused look-up and a lost connection once each while they repeat", async () => {
    await aclUserForNextTracker("no-mget", [
      ...["-@all", "+eval", "+evalsha", "+set", "+publish", "+subscribe", "+config|get", "+info", "+quit"],
    ]);
    const { t, errors } = make({ username: "no-mget", password: "pw" });
    await t.ready();
    const waiting = [1, 2].map((i) => t.track({ clientContext: `ctx-${i}`, operationId: `op-${i}` }));
    for (const w of waiting) w.catch(() => {});
    await expect.poll(() => errors.length, { timeout: 5_000 }).toBe(1);
    expect(errors[0]).toMatchObject({ name: "RedisTrackerError", reason: "permission", redisCode: "NOPERM" });
    await sleep(200); // the second look-up was refused too: the same kind, not reported again
    expect(errors).toHaveLength(1);
    await whileDown(async () => {
      await expect.poll(() => errors.length, { timeout: 5_000 }).toBe(2);
      await sleep(500); // ioredis retries several times meanwhile (after 50, 100, 150 ms ...), each attempt refused
      expect(errors.map((e) => [e.reason, e.redisCode])).toEqual([
        ["permission", "NOPERM"],
        ["connection", "ECONNREFUSED"],
      ]);
    });
  }, 20_000);

  it("hears a subscription Redis refuses after a reconnect (ACL channels revoked), as an error, not a crash", async () => {
    await aclUserForNextTracker("revoked", [
      ...["-@all", "+eval", "+evalsha", "+set", "+publish", "+subscribe", "+mget", "+config|get", "+info", "+quit"],
    ]);
    const { t, errors } = make({ username: "revoked", password: "pw" });
    await t.ready();
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => void unhandled.push(e);
    process.on("unhandledRejection", onUnhandled);
    try {
      // Redis disconnects a subscriber from channels its user may no longer use; its next SUBSCRIBE is refused
      await admin.acl("SETUSER", "revoked", "resetchannels");
      await expect
        .poll(() => errors.map((e) => [e.reason, e.redisCode]), { timeout: 5_000 })
        .toEqual([["permission", "NOPERM"]]);
      await sleep(200);
      expect(errors).toHaveLength(1);
      expect(unhandled).toEqual([]); // ioredis's own re-subscribe left none (one ends a Node process)
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("hears a lost connection again once it came back and was lost again", async () => {
    const { t, errors } = make();
    await t.ready();
    await whileDown(async () => {
      await expect.poll(() => errors.length, { timeout: 5_000 }).toBe(1);
      // observe() fails at once, with what the connection last failed with (once the command
      // connection's own reconnect was refused: on a loaded machine the subscriber's may come first)
      await expect(t.observe(completed(2))).rejects.toMatchObject({ reason: "connection" });
      await expect
        .poll(() => t.observe(completed(2)).catch((e: { redisCode?: string }) => e.redisCode), { timeout: 5_000 })
        .toBe("ECONNREFUSED");
    });
    await expect
      .poll(() => t.observe(completed(1)).then(() => "recorded", String), { timeout: 10_000 })
      .toBe("recorded");
    await whileDown(async () => {
      await expect.poll(() => errors.length, { timeout: 5_000 }).toBe(2);
      await sleep(300);
    });
    expect(errors.map((e) => e.reason)).toEqual(["connection", "connection"]);
  }, 30_000);
});

describe("createRedisOperationTracker: a lost subscriber", () => {
  it("settles, long before the track()'s timeout, what was published while its subscriber was away", async () => {
    const { t } = make();
    const { t: other } = make({ keyPrefix: `life-${prefixes}:` });
    await Promise.all([t.ready(), other.ready()]);
    const away = t.track({ clientContext: "ctx-1", operationId: "op-1" });
    const killed = performance.now();
    await admin.client("KILL", "TYPE", "pubsub"); // the subscribers only: the command connections stay up
    await other.observe(completed(1)); // published while both subscribers reconnect: only the stored record is left
    await expect(away).resolves.toMatchObject({ id: "op-1", status: "completed" });
    expect(performance.now() - killed).toBeLessThan(1_500); // its last look-up comes 3 s after track()
  });
});

describe("createRedisOperationTracker: what it stores", () => {
  it("keeps an outcome under each id it has, for outcomeTtlMs, and under no other key", async () => {
    const { t, keyPrefix } = make({ outcomeTtlMs: 60_000 });
    const tag = `{${keyPrefix}}`;
    await t.observe(completed(1));
    await t.observe(completedInvite("op-without-context", null as unknown as string)); // clientContext null
    await t.observe(withoutId("ctx-without-id")); // id null (docs Example 2)
    expect((await admin.keys(`${tag}*`)).sort()).toEqual(
      [`${tag}ctx:ctx-1`, `${tag}op:op-1`, `${tag}op:op-without-context`, `${tag}ctx:ctx-without-id`].sort(),
    );
    const ttl = await admin.pttl(`${tag}op:op-1`);
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });
});

describe("createRedisOperationTracker: the last look-up", () => {
  it("settles a track() from an outcome stored unheard, looked up at half a short timeoutMs", async () => {
    // timeoutMs 1 s, below twice commandTimeoutMs (2 s): the last look-up comes at 500 ms
    const { t, keyPrefix } = make({ timeoutMs: 1_000 });
    await t.ready();
    const mgets = async () => Number(/cmdstat_mget:calls=(\d+)/.exec(await admin.info("commandstats"))?.[1] ?? 0);
    const looked = await mgets();
    const started = performance.now();
    const waiting = t.track({ clientContext: "ctx-1", operationId: "op-1" });
    await expect.poll(mgets, { timeout: 400 }).toBeGreaterThan(looked); // its first look-up found nothing
    // stored as another replica's record, its publication unheard here
    const operation = {
      "@odata.type": "#microsoft.graph.inviteParticipantsOperation",
      id: "op-1",
      clientContext: "ctx-1",
      status: "completed",
    };
    await admin.set(
      `{${keyPrefix}}op:op-1`,
      JSON.stringify({ operationId: "op-1", clientContext: "ctx-1", operation }),
    );
    await expect(waiting).resolves.toMatchObject({ id: "op-1", status: "completed" });
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe("createRedisOperationTracker: a lost subscriber, nothing pending", () => {
  it("subscribes again, so a track() after the reconnect settles from the publication", async () => {
    const { t, keyPrefix } = make();
    const { t: other } = make({ keyPrefix });
    await Promise.all([t.ready(), other.ready()]);
    const channel = `{${keyPrefix}}final`;
    await admin.client("KILL", "TYPE", "pubsub");
    await expect.poll(() => admin.call("PUBSUB", "NUMSUB", channel), { timeout: 5_000 }).toEqual([channel, 2]);
    const mgets = async () => Number(/cmdstat_mget:calls=(\d+)/.exec(await admin.info("commandstats"))?.[1] ?? 0);
    const looked = await mgets();
    const started = performance.now();
    const later = t.track({ clientContext: "ctx-2", operationId: "op-2" });
    await expect.poll(mgets, { timeout: 5_000 }).toBeGreaterThan(looked); // looked up: only a publication is left
    await other.observe(completed(2));
    await expect(later).resolves.toMatchObject({ id: "op-2" });
    expect(performance.now() - started).toBeLessThan(1_500); // not from the last look-up, 3 s after track()
  });
});

describe("createRedisOperationTracker: close()", () => {
  it("closes both connections it opened", async () => {
    const before = await connections();
    const { t } = make();
    await t.ready();
    expect(await connections()).toBe(before + 2);
    await t.close(); // QUIT answered: the server has let them go
    expect(await connections()).toBe(before);
  });

  it("with a `client` passed in, closes its own subscriber and leaves the client open", async () => {
    const client = new Redis(redis.url).on("error", () => {});
    clients.push(client);
    await client.ping();
    const before = await connections();
    const { t, keyPrefix } = make({ url: undefined, client });
    await t.ready();
    expect(await connections()).toBe(before + 1);
    await t.close();
    expect(await connections()).toBe(before);
    expect(await client.ping()).toBe("PONG");
    await expect(t.observe(completed(4))).rejects.toMatchObject({ reason: "closed" }); // not through the client
    expect(await client.exists(`{${keyPrefix}}op:op-4`)).toBe(0);
  });

  it("lets an observe() already sent be recorded and resolve", async () => {
    const { t, keyPrefix } = make();
    await t.ready();
    await t.observe(completed(1));
    const recording = t.observe(completed(2));
    await t.close();
    await expect(recording).resolves.toBeUndefined();
    expect(await admin.exists(`{${keyPrefix}}op:op-2`)).toBe(1);
  });

  it("afterwards, observe() and ready() reject with reason closed", async () => {
    const { t } = make();
    await t.ready();
    await t.close();
    await expect(t.observe(completed(3))).rejects.toMatchObject({
      name: "RedisTrackerError",
      reason: "closed",
      message: "The Redis tracker is closed",
    });
    await expect(t.ready()).rejects.toMatchObject({ reason: "closed" });
  });
});

describe("createRedisOperationTracker: telemetry", () => {
  it("counts its waiting track() calls in the pending gauge as kind redis", async () => {
    const kit = createKit();
    try {
      const { t } = make({ telemetry: kit.telemetry });
      const waiting = t.track({ clientContext: "gauge-ctx", operationId: "gauge-op" });
      waiting.catch(() => {});
      expect(await kit.points("graph_invite.tracker.pending")).toContainEqual({
        attributes: { "graph_invite.tracker.kind": "redis" },
        value: 1,
      });
    } finally {
      await kit.shutdown();
    }
  });
});
