// The Redis tracker on a real 3-master Redis Cluster (started here, slots spread by redis-cli
// --cluster create), through an ioredis Cluster client, with the default key prefix: an outcome's
// keys and its script land on one slot, so observe() of an event with both an operation id and a
// clientContext succeeds (it failed CROSSSLOT before the keys shared a hash tag), and the
// early-callback look-up finds what came first. With `pubSub: "sharded"` the same holds over
// SPUBLISH/SSUBSCRIBE, and the publications stay on the shard that owns the prefix's slot: its
// subscribers are there only (PUBSUB SHARDNUMSUB per node), it alone runs SPUBLISH, nothing crosses
// the cluster bus (CLUSTER INFO's publish counters) and a classic subscriber on another node hears
// nothing, where classic PUBLISH, measured the same way, reaches every node. A replica whose sharded
// subscriber is killed settles, once ioredis has replaced it, what was published meanwhile.
import { Cluster, Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCommsNotifications } from "../../src/index.js";
import {
  createRedisOperationTracker,
  type RedisOperationTracker,
  type RedisOperationTrackerOptions,
} from "../../src/redis/index.js";
import { startCluster, type TestCluster } from "../support/redis.js";
import { completedInvite } from "../support/operations.js";

let cluster: TestCluster;
const clients: Array<Cluster | Redis> = [];
const trackers: RedisOperationTracker[] = [];

beforeAll(async () => void (cluster = await startCluster()), 60_000);
afterAll(async () => {
  await Promise.all(trackers.map((t) => t.close()));
  for (const c of clients) c.disconnect();
  await cluster?.dispose();
});

function replica(errors: unknown[] = [], options: Partial<RedisOperationTrackerOptions> = {}) {
  const client = new Cluster(cluster.nodes, { enableOfflineQueue: false, redisOptions: { maxRetriesPerRequest: 1 } });
  clients.push(client);
  const tracker = createRedisOperationTracker({ client, onError: (e) => void errors.push(e), ...options });
  trackers.push(tracker);
  return tracker;
}

const completed = (i: number) => completedInvite(`op-${i}`, `ctx-${i}`);

describe("createRedisOperationTracker on a Redis Cluster", () => {
  it("records, publishes and looks up outcomes with the default prefix, across replicas", async () => {
    const errors: unknown[] = [];
    const [a, b] = [replica(errors), replica(errors)];
    await Promise.all([a.ready(), b.ready()]);
    // after track(): settled from the publication
    const late = Array.from({ length: 20 }, (_, i) => a.track({ clientContext: `ctx-${i}`, operationId: `op-${i}` }));
    for (let i = 0; i < 20; i++) await b.observe(completed(i));
    await expect(Promise.all(late)).resolves.toHaveLength(20);
    // before track(): settled from the stored record (MGET of its two keys, one slot)
    for (let i = 20; i < 40; i++) await b.observe(completed(i));
    const early = Array.from({ length: 20 }, (_, k) =>
      a.track({ clientContext: `ctx-${20 + k}`, operationId: `op-${20 + k}` }),
    );
    const operations = await Promise.all(early);
    expect(operations.map((o) => o.id)).toEqual(Array.from({ length: 20 }, (_, k) => `op-${20 + k}`));
    expect(errors).toEqual([]);
  }, 30_000);

  it("works with any prefix, one already hash-tagged as the old docs advised included", async () => {
    const client = new Cluster(cluster.nodes);
    clients.push(client);
    for (const keyPrefix of ["my-bot:", "{gic}:", "a}b{c:"]) {
      const tracker = createRedisOperationTracker({ client, keyPrefix });
      trackers.push(tracker);
      await tracker.ready();
      await tracker.observe(completed(100));
      await expect(tracker.track({ clientContext: "ctx-100", operationId: "op-100" })).resolves.toMatchObject({
        id: "op-100",
      });
    }
  }, 30_000);
});

/** A plain connection to each master, for what a node says of itself. */
function nodeClients() {
  const nodes = cluster.servers.map((s) => new Redis(s.port, "127.0.0.1"));
  clients.push(...nodes);
  return nodes;
}

/** The master that owns `channel`'s slot. */
async function ownerOf(channel: string, nodes: Redis[]) {
  const slot = Number(await nodes[0]!.cluster("KEYSLOT", channel));
  const ranges = await nodes[0]!.cluster("SLOTS");
  const port = ranges.find(([from, to]) => from <= slot && slot <= to)![2]![1];
  return nodes.find((n) => n.options.port === port)!;
}

/** A node's counts of what it ran and sent: SPUBLISH and PUBLISH calls, MGETs, publications over the bus. */
async function counts(node: Redis) {
  const stats = await node.info("commandstats");
  const bus = await node.cluster("INFO");
  const read = (text: string, re: RegExp) => Number(re.exec(text)?.[1] ?? 0);
  return {
    spublish: read(stats, /cmdstat_spublish:calls=(\d+)/),
    publish: read(stats, /cmdstat_publish:calls=(\d+)/),
    mget: read(stats, /cmdstat_mget:calls=(\d+)/),
    busSent: read(bus, /cluster_stats_messages_publish_sent:(\d+)/),
    busReceived: read(bus, /cluster_stats_messages_publish_received:(\d+)/),
  };
}

/** A classic subscriber on `channel` through `node`, and what it heard. */
async function classicListener(node: Redis, channel: string) {
  const heard: string[] = [];
  const listener = node.duplicate();
  clients.push(listener);
  listener.on("message", (_: string, m: string) => void heard.push(m));
  await listener.subscribe(channel);
  return heard;
}

/**
 * N outcomes observed on replica b, each after its track() on replica a has looked the stored one
 * up (an MGET on `owner`), so that what settles it is the publication. Returns each node's change
 * in counts, and what a classic subscriber on a node other than the owner heard.
 */
async function publishedAcross(pubSub: "classic" | "sharded", keyPrefix: string, n: number) {
  const errors: unknown[] = [];
  const [a, b] = [replica(errors, { keyPrefix, pubSub }), replica(errors, { keyPrefix, pubSub })];
  await Promise.all([a.ready(), b.ready()]);
  const nodes = nodeClients();
  const channel = `{${keyPrefix}}final`;
  const owner = await ownerOf(channel, nodes);
  const others = nodes.filter((node) => node !== owner);
  const heard = await classicListener(others[0]!, channel);
  const before = await Promise.all(nodes.map(counts));
  const tracked = [];
  for (let i = 0; i < n; i++) tracked.push(a.track({ clientContext: `ctx-${i}`, operationId: `op-${i}` }));
  const mgets = before[nodes.indexOf(owner)]!.mget;
  await expect.poll(async () => (await counts(owner)).mget - mgets, { timeout: 10_000 }).toBeGreaterThanOrEqual(n);
  for (let i = 0; i < n; i++) await b.observe(completed(i));
  await expect(Promise.all(tracked)).resolves.toHaveLength(n);
  await new Promise((r) => setTimeout(r, 200)); // what crosses the bus has crossed it
  const after = await Promise.all(nodes.map(counts));
  const change = (node: Redis) => {
    const [was, is] = [before[nodes.indexOf(node)]!, after[nodes.indexOf(node)]!];
    return {
      spublish: is.spublish - was.spublish,
      publish: is.publish - was.publish,
      busSent: is.busSent - was.busSent,
      busReceived: is.busReceived - was.busReceived,
    };
  };
  const subscribers = await Promise.all(
    nodes.map(async (node) => (await node.call("PUBSUB", "SHARDNUMSUB", channel)) as [string, number]),
  );
  return {
    owner: change(owner),
    others: others.map(change),
    shardSubscribers: {
      owner: subscribers[nodes.indexOf(owner)]![1],
      others: others.map((o) => subscribers[nodes.indexOf(o)]![1]),
    },
    heardElsewhere: heard.length,
    errors,
  };
}

describe('createRedisOperationTracker on a Redis Cluster, with pubSub: "sharded"', () => {
  it("settles across replicas, and its publications reach only the shard that owns the slot (classic PUBLISH reaches all)", async () => {
    const N = 10;
    const sharded = await publishedAcross("sharded", "sharded-bot:", N);
    expect(sharded.errors).toEqual([]);
    expect(sharded.shardSubscribers).toEqual({ owner: 2, others: [0, 0] }); // both replicas subscribe on the owner
    expect(sharded.owner).toEqual({ spublish: N, publish: 0, busSent: 0, busReceived: 0 });
    expect(sharded.others).toEqual([
      { spublish: 0, publish: 0, busSent: 0, busReceived: 0 },
      { spublish: 0, publish: 0, busSent: 0, busReceived: 0 },
    ]);
    expect(sharded.heardElsewhere).toBe(0);

    // The same measure of classic pub/sub: every publication is broadcast to the other two masters.
    const classic = await publishedAcross("classic", "classic-bot:", N);
    expect(classic.errors).toEqual([]);
    expect(classic.owner).toMatchObject({ spublish: 0, publish: N, busSent: 2 * N });
    expect(classic.others.map((o) => o.busReceived)).toEqual([N, N]);
    expect(classic.heardElsewhere).toBe(N);
  }, 60_000);

  it("stores and looks up outcomes that came first, as classic does", async () => {
    const errors: unknown[] = [];
    const [a, b] = [replica(errors, { pubSub: "sharded" }), replica(errors, { pubSub: "sharded" })];
    await Promise.all([a.ready(), b.ready()]);
    for (let i = 50; i < 60; i++) await b.observe(completed(i));
    const early = Array.from({ length: 10 }, (_, k) =>
      a.track({ clientContext: `ctx-${50 + k}`, operationId: `op-${50 + k}` }),
    );
    expect((await Promise.all(early)).map((o) => o.id)).toEqual(Array.from({ length: 10 }, (_, k) => `op-${50 + k}`));
    // an operation with neither id nor clientContext settles nothing and has no key: nothing to send
    // (a script without keys would go to any node, and SPUBLISH there to another node's slot fails)
    const anonymous = parseCommsNotifications({
      value: [
        {
          changeType: "deleted",
          resourceUrl: "/communications/calls/call-1/operations",
          resourceData: { "@odata.type": "#microsoft.graph.inviteParticipantsOperation", status: "completed" },
        },
      ],
    });
    for (let i = 0; i < 10; i++) await expect(b.observe(anonymous)).resolves.toBeUndefined();
    expect(errors).toEqual([]);
  }, 30_000);

  it("a replica whose sharded subscriber is killed settles what was published while it was away, and what is published after", async () => {
    const errors: { reason?: string }[] = [];
    const keyPrefix = "sharded-reconnect:";
    const options = { keyPrefix, pubSub: "sharded", timeoutMs: 8_000 } as const;
    const [a, b] = [replica(errors, options), replica(errors, options)];
    await Promise.all([a.ready(), b.ready()]);
    const nodes = nodeClients();
    const channel = `{${keyPrefix}}final`;
    const owner = await ownerOf(channel, nodes);
    const looked = (await counts(owner)).mget;
    const away = a.track({ clientContext: "ctx-70", operationId: "op-70" });
    await expect.poll(async () => (await counts(owner)).mget, { timeout: 5_000 }).toBeGreaterThan(looked); // looked up
    const killed = performance.now();
    await owner.client("KILL", "TYPE", "pubsub");
    await b.observe(completed(70)); // while both replicas' subscribers are replaced: only the stored record is left
    await expect(away).resolves.toMatchObject({ id: "op-70" });
    expect(performance.now() - killed).toBeLessThan(3_000); // from the look-up once replaced: the last one comes at 6 s
    await expect
      .poll(async () => owner.call("PUBSUB", "SHARDNUMSUB", channel), { timeout: 10_000 })
      .toEqual([channel, 2]);
    const mgets = (await counts(owner)).mget;
    const after = a.track({ clientContext: "ctx-71", operationId: "op-71" });
    await expect.poll(async () => (await counts(owner)).mget, { timeout: 5_000 }).toBeGreaterThan(mgets);
    await b.observe(completed(71)); // looked up already: the publication settles it
    await expect(after).resolves.toMatchObject({ id: "op-71" });
    expect(errors.filter((e) => e.reason !== "connection")).toEqual([]);
  }, 30_000);

  it("classic: a replica whose subscriber is replaced unheard still settles, from the look-up before its timeout", async () => {
    const errors: { reason?: string }[] = [];
    const keyPrefix = "classic-reconnect:";
    const options = { keyPrefix, timeoutMs: 4_000, commandTimeoutMs: 1_000 } as const;
    const [a, b] = [replica(errors, options), replica(errors, options)];
    await Promise.all([a.ready(), b.ready()]);
    const nodes = nodeClients();
    const owner = await ownerOf(`{${keyPrefix}}final`, nodes);
    const looked = (await counts(owner)).mget;
    const started = Date.now();
    const away = a.track({ clientContext: "ctx-80", operationId: "op-80" });
    await expect.poll(async () => (await counts(owner)).mget, { timeout: 3_000 }).toBeGreaterThan(looked);
    // ioredis replaces a Cluster's lost classic subscriber without an event: nothing says to look again
    await Promise.all(nodes.map((n) => n.client("KILL", "TYPE", "pubsub")));
    await b.observe(completed(80));
    await expect(away).resolves.toMatchObject({ id: "op-80" });
    expect(Date.now() - started).toBeLessThan(4_000); // settled before the timeout, not by it
    expect(errors.filter((e) => e.reason !== "connection")).toEqual([]);
  }, 30_000);
});
