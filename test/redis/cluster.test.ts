// The Redis tracker on a real 3-master Redis Cluster (started here, slots spread by redis-cli
// --cluster create), through an ioredis Cluster client, with the default key prefix: an outcome's
// keys and its script land on one slot, so observe() of an event with both an operation id and a
// clientContext succeeds (it failed CROSSSLOT before the keys shared a hash tag), and the
// early-callback look-up finds what came first.
import { Cluster } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisOperationTracker, type RedisOperationTracker } from "../../src/redis/index.js";
import { startCluster, type TestCluster } from "../support/redis.js";
import { completedInvite } from "../support/operations.js";

let cluster: TestCluster;
const clients: Cluster[] = [];
const trackers: RedisOperationTracker[] = [];

beforeAll(async () => void (cluster = await startCluster()), 60_000);
afterAll(async () => {
  await Promise.all(trackers.map((t) => t.close()));
  for (const c of clients) c.disconnect();
  await cluster?.dispose();
});

function replica(errors: unknown[] = []) {
  const client = new Cluster(cluster.nodes, { enableOfflineQueue: false, redisOptions: { maxRetriesPerRequest: 1 } });
  clients.push(client);
  const tracker = createRedisOperationTracker({ client, onError: (e) => void errors.push(e) });
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
