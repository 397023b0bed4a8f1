// The Redis tracker learns from the whole callback stream, across replicas, as the in-memory one
// does: a call that terminates rejects the invites pending on it on every replica (also those
// tracked after the call ended), ids in another spelling settle, and another operation never does.
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CallTerminatedError, parseCommsNotifications } from "../../src/index.js";
import { createRedisOperationTracker, type RedisOperationTracker } from "../../src/redis/index.js";
import { graphSentPayloads } from "../fixtures/graph.js";
import { startRedis, type TestRedis } from "../support/redis.js";

type Json = Record<string, any>;
const fixture = (name: string) => structuredClone(graphSentPayloads.find((p) => p.name === name)!.body) as Json;
const OPERATION_ID = "eec3812a-fdc3-4fb4-825c-a06c9f35414e";
const CALL_ID = "ab6233a5-20b7-4c5e-bea2-ce56c9776429";
const LOCATION = `https://graph.microsoft.com/v1.0/communications/calls/${CALL_ID}/operations/${OPERATION_ID}`;

/** call-delete.md's terminated notification, for the call `callId`. */
function terminated(callId: string) {
  const body = fixture("call-terminated-string-codes");
  body.value[0].resourceUrl = `/communications/calls/${callId}`;
  return parseCommsNotifications(body);
}

let redis: TestRedis;
let raw: Redis;
const open: RedisOperationTracker[] = [];
let prefixes = 0;
beforeAll(async () => {
  redis = await startRedis();
  raw = new Redis(redis.url);
}, 30_000);
afterAll(async () => {
  raw?.disconnect();
  await redis?.dispose();
});
/** The hash tag of the last replicas()' key prefix: where their keys and channel are. */
const lastTag = () => `{stream-${prefixes}:}`;
afterEach(async () => void (await Promise.all(open.splice(0).map((t) => t.close()))));

/** Replicas of one bot: trackers with their own connections, a key prefix of their own test. */
async function replicas(n: number) {
  const keyPrefix = `stream-${++prefixes}:`;
  const trackers = Array.from({ length: n }, () =>
    createRedisOperationTracker({ url: redis.url, keyPrefix, timeoutMs: 5_000 }),
  );
  open.push(...trackers);
  await Promise.all(trackers.map((t) => t.ready()));
  return trackers;
}

describe("the Redis tracker and the callback stream", () => {
  it("rejects an invite pending on another replica when its call terminates, naming the resultInfo", async () => {
    const [a, b] = (await replicas(2)) as [RedisOperationTracker, RedisOperationTracker];
    // caught at once: the publication may reject it while observe() is still being awaited
    const done = a.track({ clientContext: "ctx-1", operationId: OPERATION_ID, location: LOCATION }).catch((e) => e);
    await b.observe(terminated(CALL_ID.toUpperCase().replaceAll("-", ""))); // the same call, as a GUID
    const error: unknown = await done;
    expect(error).toBeInstanceOf(CallTerminatedError);
    expect(error).toMatchObject({ code: "CALL_TERMINATED", resultInfo: { code: expect.any(Number) } });
    expect(a.size.pending).toBe(0);
  });

  it("rejects an invite tracked after its call ended on another replica", async () => {
    const [a, b] = (await replicas(2)) as [RedisOperationTracker, RedisOperationTracker];
    await b.observe(terminated(CALL_ID));
    await new Promise((resolve) => setTimeout(resolve, 200)); // its publication has passed: only the stored record is left
    const error = await a.track({ clientContext: "ctx-2", location: LOCATION }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallTerminatedError);
  });

  it("keeps a call's end under {prefix}ended:<the call's GUID>, where every replica and version looks", async () => {
    const [a] = (await replicas(1)) as [RedisOperationTracker];
    await a.observe(terminated(CALL_ID.toUpperCase()));
    const stored = await raw.get(`${lastTag()}ended:${CALL_ID.replaceAll("-", "")}`);
    expect(JSON.parse(stored!)).toMatchObject({
      terminatedCallId: CALL_ID.toUpperCase(),
      resultInfo: { code: expect.any(Number) },
    });
  });

  it("takes a call's end as any version publishes it: resultInfo null, or without code, subcode or message", async () => {
    const [a] = (await replicas(1)) as [RedisOperationTracker];
    const ends = [null, {}, { code: 500, subcode: null, message: null }, { code: 0, subcode: 5300, message: "ended" }];
    for (const [i, resultInfo] of ends.entries()) {
      const callId = `call-${i}`;
      const done = a.track({ clientContext: `ctx-${i}`, callId }).catch((e: unknown) => e);
      await raw.publish(`${lastTag()}final`, JSON.stringify({ terminatedCallId: callId, resultInfo }));
      const error = await done;
      expect(error).toBeInstanceOf(CallTerminatedError);
      expect(error).toMatchObject({ resultInfo });
    }
  });

  it("settles from a final callback naming the operation id in another spelling, received elsewhere first", async () => {
    const [a, b] = (await replicas(2)) as [RedisOperationTracker, RedisOperationTracker];
    await b.observe(parseCommsNotifications(fixture("operation-invite-upper-case-ids")));
    await new Promise((resolve) => setTimeout(resolve, 200)); // its publication has passed: only the stored record is left
    // another clientContext: only the operation id, compared as a GUID, finds the stored outcome
    const spelled = OPERATION_ID.toUpperCase(); // a third spelling: upper case, with dashes
    await expect(a.track({ clientContext: "a-retried-invite", operationId: spelled })).resolves.toMatchObject({
      status: "completed",
    });
  });

  it("never settles an invite from another operation with its clientContext", async () => {
    const [a, b] = (await replicas(2)) as [RedisOperationTracker, RedisOperationTracker];
    const done = a.track({ clientContext: "d45324c1-fcb5-430a-902c-f20af696537c" });
    done.catch(() => {});
    await b.observe(parseCommsNotifications(fixture("operation-play-prompt-completed")));
    await new Promise((resolve) => setTimeout(resolve, 200)); // a publication would have arrived by now
    expect(a.size.pending).toBe(1);
  });
});
