// The Redis tracker with `pubSub: "sharded"` (SPUBLISH and SSUBSCRIBE, Redis 7) on a real
// redis-server: outcomes and call ends observed on one replica settle track() calls on another, and
// travel as sharded publications only (PUBSUB SHARDNUMSUB counts the subscribers, NUMSUB none; a
// classic SUBSCRIBE to the channel hears nothing); a replica whose subscriber connection is killed
// (CLIENT KILL TYPE pubsub) settles, after it reconnects, what was published while it was away and
// what is published after; a least-privilege user with +spublish +ssubscribe (without +publish
// +subscribe) is enough; and a server without sharded pub/sub (the commands renamed away, as before
// Redis 7) makes ready() and observe() reject with reason `unsupported` instead of hanging, while
// the default, classic pub/sub, keeps working there.
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CallTerminatedError, parseCommsNotifications } from "../../src/index.js";
import {
  createRedisOperationTracker,
  type RedisOperationTracker,
  type RedisOperationTrackerOptions,
  type RedisTrackerError,
} from "../../src/redis/index.js";
import { graphSentPayloads } from "../fixtures/graph.js";
import { startRedis, type TestRedis } from "../support/redis.js";
import { completedInvite } from "../support/operations.js";

let redis: TestRedis;
let admin: Redis;
const open: RedisOperationTracker[] = [];
const raws: Redis[] = [];
let prefixes = 0;
beforeAll(async () => {
  redis = await startRedis({ args: ["--appendfsync", "no"] });
  admin = new Redis(redis.url);
}, 30_000);
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
  for (const r of raws.splice(0)) r.disconnect();
});
afterAll(async () => {
  admin?.disconnect();
  await redis?.dispose();
});

/** Replicas of one bot with sharded pub/sub: trackers with their own connections and a prefix of their own test. */
function replicas(n: number, options: Partial<RedisOperationTrackerOptions> = {}) {
  const keyPrefix = `sharded-${++prefixes}:`;
  const errors: RedisTrackerError[] = [];
  const trackers = Array.from({ length: n }, () =>
    createRedisOperationTracker({
      url: redis.url,
      keyPrefix,
      pubSub: "sharded",
      timeoutMs: 5_000,
      onError: (e) => void errors.push(e),
      ...options,
    } as RedisOperationTrackerOptions),
  );
  open.push(...trackers);
  return { trackers, errors, channel: `{${keyPrefix}}final` };
}

const completed = (i: number) => completedInvite(`op-${i}`, `ctx-${i}`);
const CALL_ID = "ab6233a5-20b7-4c5e-bea2-ce56c9776429";
const LOCATION = `https://graph.microsoft.com/v1.0/communications/calls/${CALL_ID}/operations/op-9`;
function terminated(callId: string) {
  const body = structuredClone(graphSentPayloads.find((p) => p.name === "call-terminated-string-codes")!.body) as {
    value: Array<{ resourceUrl: string }>;
  };
  body.value[0]!.resourceUrl = `/communications/calls/${callId}`;
  return parseCommsNotifications(body);
}

/** How many MGETs the server has run: each track() looks the stored outcome up with one. */
const mgets = async () => Number(/cmdstat_mget:calls=(\d+)/.exec(await admin.info("commandstats"))?.[1] ?? 0);

/** `track()`, once its look-up has run: what settles it afterwards is a publication. */
async function lookedUp<T>(track: () => Promise<T>): Promise<{ settled: Promise<T> }> {
  const before = await mgets();
  const settled = track();
  await expect.poll(mgets, { timeout: 5_000 }).toBeGreaterThan(before);
  return { settled }; // not the promise itself: an async function would wait for it
}

/** A classic subscriber on `channel`, and what it heard. */
async function classicListener(channel: string) {
  const heard: string[] = [];
  const raw = new Redis(redis.url);
  raws.push(raw);
  raw.on("message", (_: string, m: string) => void heard.push(m));
  await raw.subscribe(channel);
  return heard;
}

describe('createRedisOperationTracker with pubSub: "sharded", on one redis-server', () => {
  it("settles a track() on one replica from an outcome or a call end observed on another, over sharded pub/sub only", async () => {
    const { trackers, errors, channel } = replicas(2);
    const [a, b] = trackers as [RedisOperationTracker, RedisOperationTracker];
    await Promise.all([a.ready(), b.ready()]);
    expect(await admin.call("PUBSUB", "SHARDNUMSUB", channel)).toEqual([channel, 2]);
    expect(await admin.call("PUBSUB", "NUMSUB", channel)).toEqual([channel, 0]);
    const heard = await classicListener(channel);

    const { settled: late } = await lookedUp(() => a.track({ clientContext: "ctx-1", operationId: "op-1" }));
    await b.observe(completed(1));
    await expect(late).resolves.toMatchObject({ id: "op-1", status: "completed" });
    // a call end goes the same way: it rejects the invite pending on it on the other replica
    const { settled: onCall } = await lookedUp(() =>
      a.track({ clientContext: "ctx-9", operationId: "op-9", location: LOCATION }).catch((e: unknown) => e),
    );
    await b.observe(terminated(CALL_ID));
    expect(await onCall).toBeInstanceOf(CallTerminatedError);
    // and the stored outcome still serves a track() that comes after it
    await b.observe(completed(2));
    await expect(a.track({ clientContext: "ctx-2", operationId: "op-2" })).resolves.toMatchObject({ id: "op-2" });

    expect(heard).toEqual([]); // nothing went through PUBLISH
    expect(errors).toEqual([]);
  });

  it("a replica whose subscriber is killed settles what was published while it was away, and what is published after", async () => {
    const { trackers, errors, channel } = replicas(2);
    const [a, b] = trackers as [RedisOperationTracker, RedisOperationTracker];
    await Promise.all([a.ready(), b.ready()]);
    const away = a.track({ clientContext: "ctx-3", operationId: "op-3" });
    const killed = performance.now();
    await admin.client("KILL", "TYPE", "pubsub");
    await b.observe(completed(3)); // published while both subscribers reconnect: only the stored record is left
    await expect(away).resolves.toMatchObject({ id: "op-3" });
    expect(performance.now() - killed).toBeLessThan(1_500); // from the look-up on reconnect: the last one comes at 3 s
    await expect.poll(() => admin.call("PUBSUB", "SHARDNUMSUB", channel), { timeout: 5_000 }).toEqual([channel, 2]);
    const { settled: after } = await lookedUp(() => a.track({ clientContext: "ctx-4", operationId: "op-4" }));
    await b.observe(completed(4));
    await expect(after).resolves.toMatchObject({ id: "op-4" });
    expect(errors.map((e) => e.reason).filter((r) => r !== "connection")).toEqual([]);
  }, 20_000);

  it("works as a least-privilege user with +spublish +ssubscribe instead of +publish +subscribe", async () => {
    const prefix = `sharded-${prefixes + 1}:`;
    await admin.acl(
      "SETUSER",
      "sharded-bot",
      "on",
      ">s3cret",
      "resetkeys",
      `~{${prefix}}*`,
      "resetchannels",
      `&{${prefix}}final`,
      ...["-@all", "+eval", "+evalsha", "+set", "+spublish", "+mget", "+ssubscribe", "+config|get", "+info", "+quit"],
    );
    const { trackers, errors } = replicas(2, { username: "sharded-bot", password: "s3cret" });
    const [a, b] = trackers as [RedisOperationTracker, RedisOperationTracker];
    await Promise.all([a.ready(), b.ready()]);
    const { settled: late } = await lookedUp(() => a.track({ clientContext: "ctx-5", operationId: "op-5" }));
    await b.observe(completed(5));
    await expect(late).resolves.toMatchObject({ id: "op-5" });
    expect(errors).toEqual([]);
  });
});

describe("on a server without sharded pub/sub (SSUBSCRIBE and SPUBLISH renamed away, as before Redis 7)", () => {
  let old: TestRedis;
  beforeAll(async () => {
    old = await startRedis({
      args: ["--appendfsync", "no", "--rename-command", "SSUBSCRIBE", "", "--rename-command", "SPUBLISH", ""],
    });
  }, 30_000);
  afterAll(() => old?.dispose());

  it('pubSub: "sharded": ready() and observe() reject at once with reason unsupported, naming the cause', async () => {
    const errors: RedisTrackerError[] = [];
    const t = createRedisOperationTracker({
      url: old.url,
      pubSub: "sharded",
      connectTimeoutMs: 5_000,
      onError: (e) => void errors.push(e),
    });
    open.push(t);
    const start = performance.now();
    const error = await t.ready().catch((e: unknown) => e);
    expect(performance.now() - start).toBeLessThan(2_000); // the refusal, not connectTimeoutMs
    expect(error).toMatchObject({ name: "RedisTrackerError", reason: "unsupported", redisCode: "ERR" });
    expect((error as Error).message).toMatch(/sharded pub\/sub.*Redis 7/);
    await expect(t.observe(completed(6))).rejects.toMatchObject({ reason: "unsupported" });
  });

  it("the default, classic pub/sub, works there", async () => {
    const [a, b] = [createRedisOperationTracker({ url: old.url }), createRedisOperationTracker({ url: old.url })];
    open.push(a, b);
    await Promise.all([a.ready(), b.ready()]);
    const late = a.track({ clientContext: "ctx-7", operationId: "op-7" });
    await b.observe(completed(7));
    await expect(late).resolves.toMatchObject({ id: "op-7" });
  });
});
