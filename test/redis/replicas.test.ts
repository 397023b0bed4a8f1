// The `replicas` option (WAIT after each record) on real redis-servers: observe() resolves once a
// replica has the outcome (it is readable there), rejects with reason `replicas` naming the count
// when fewer acknowledge within `replicas.timeoutMs` (the endpoint answers 503 and Graph sends
// again), and a write Redis refuses is reported as what it is (out-of-memory), not as a generic
// failure. The failover test shows why the option exists; these pin what it answers.
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createRedisOperationTracker,
  RedisTrackerError,
  type RedisOperationTracker,
  type RedisOperationTrackerOptions,
} from "../../src/redis/index.js";
import { startRedis, type TestRedis } from "../support/redis.js";
import { completedInvite } from "../support/operations.js";

let master: TestRedis;
let replica: TestRedis;
let alone: TestRedis;
let admin: Redis;
const open: RedisOperationTracker[] = [];
beforeAll(async () => {
  const noDelay = ["--appendfsync", "no", "--repl-diskless-sync-delay", "0"];
  master = await startRedis({ args: noDelay });
  replica = await startRedis({ args: [...noDelay, "--replicaof", "127.0.0.1", String(master.port)] });
  alone = await startRedis({ args: ["--appendfsync", "no"] });
  admin = new Redis(alone.url);
  const link = new Redis(replica.url);
  try {
    for (let i = 0; !(await link.info("replication")).includes("master_link_status:up"); i++) {
      if (i > 150) throw new Error("the replica did not sync in 15 s");
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    link.disconnect();
  }
}, 30_000);
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
  await admin.config("SET", "maxmemory", "0");
});
afterAll(async () => {
  admin?.disconnect();
  await Promise.all([master, replica, alone].map((s) => s?.dispose()));
});

function make(url: string, options: Partial<RedisOperationTrackerOptions> = {}) {
  const t = createRedisOperationTracker({
    url,
    keyPrefix: "replicas:",
    replicas: { count: 1, timeoutMs: 200 },
    onError: () => {},
    ...options,
  } as RedisOperationTrackerOptions);
  open.push(t);
  return t;
}
const completed = (i: number) => completedInvite(`op-${i}`, `ctx-${i}`);

describe("createRedisOperationTracker with replicas", () => {
  it("observe() resolves once a replica has the outcome", async () => {
    // WAIT returns once the replica has it: a long bound costs nothing, and a loaded machine's
    // replica may take longer than 200 ms (seen: 0 of 1 acknowledged under two Stryker runs)
    const t = make(master.url, { commandTimeoutMs: 10_000, replicas: { count: 1, timeoutMs: 5_000 } });
    await t.ready();
    await expect(t.observe(completed(1))).resolves.toBeUndefined();
    const read = new Redis(replica.url);
    try {
      expect(await read.exists("{replicas:}op:op-1", "{replicas:}ctx:ctx-1")).toBe(2);
    } finally {
      read.disconnect();
    }
  });

  it("observe() rejects with reason replicas, naming the count, when fewer acknowledge in time", async () => {
    const t = make(alone.url); // a master without replicas
    await t.ready();
    const start = performance.now();
    const error = await t.observe(completed(2)).catch((e: unknown) => e);
    expect(performance.now() - start).toBeLessThan(1_500); // replicas.timeoutMs, not commandTimeoutMs or more
    expect(error).toBeInstanceOf(RedisTrackerError);
    expect(error).toMatchObject({
      reason: "replicas",
      message: "0 of 1 replicas acknowledged within 200 ms",
    });
  });

  it("a write Redis refuses rejects with Redis's reason (out-of-memory), not a generic one", async () => {
    const t = make(alone.url);
    await t.ready();
    await admin.config("SET", "maxmemory", "1");
    await expect(t.observe(completed(3))).rejects.toMatchObject({
      name: "RedisTrackerError",
      reason: "out-of-memory",
      redisCode: "OOM",
    });
  });
});
