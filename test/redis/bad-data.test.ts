// The Redis tracker against data it did not write, on a real redis-server: publications on its
// channel that are not outcomes (`PUBLISH {prefix}final hello` or `null` ended every subscribed
// process with an uncaught exception) and stored records without an operation (track() hung: its
// timer was cleared, then the record's use threw inside a swallowed catch). Each is reported to
// onError as a typed error without its content, and ignored; the tracker keeps working.
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InviteOperationTimeoutError } from "../../src/index.js";
import { createRedisOperationTracker, RedisTrackerError, type RedisOperationTracker } from "../../src/redis/index.js";
import { startRedis, type TestRedis } from "../support/redis.js";
import { completedInvite } from "../support/operations.js";

let redis: TestRedis;
let raw: Redis;
const trackers: RedisOperationTracker[] = [];
beforeAll(async () => {
  redis = await startRedis();
  raw = new Redis(redis.url);
}, 30_000);
afterAll(async () => {
  await Promise.all(trackers.map((t) => t.close()));
  raw?.disconnect();
  await redis?.dispose();
});

let prefixes = 0;
async function tracker(timeoutMs = 5_000) {
  const errors: RedisTrackerError[] = [];
  const keyPrefix = `bad-${++prefixes}:`;
  const t = createRedisOperationTracker({ url: redis.url, keyPrefix, timeoutMs, onError: (e) => void errors.push(e) });
  trackers.push(t);
  await t.ready();
  return { t, errors, tag: `{${keyPrefix}}` };
}

const completed = completedInvite;

const SECRET = "+14255550123";
const hostile = [
  "hello",
  "null",
  "[]",
  "{}",
  JSON.stringify({ operationId: "op-1", clientContext: "c-1" }), // no operation
  JSON.stringify({ operationId: "op-1", clientContext: "c-1", operation: { id: "op-1", status: "running" } }), // not final
  JSON.stringify({ operationId: 7, clientContext: "c-1", operation: { id: "op-1", status: "completed" } }),
  JSON.stringify({ operationId: "op-1", clientContext: SECRET, operation: { id: "op-1", status: 42 } }),
  JSON.stringify({ terminatedCallId: 7, resultInfo: null }), // a call end without a call id
  JSON.stringify({ terminatedCallId: "call-1", resultInfo: SECRET }),
  JSON.stringify({ terminatedCallId: "", resultInfo: null }), // no call
  JSON.stringify({ terminatedCallId: "call-1", resultInfo: [500] }),
  JSON.stringify({ terminatedCallId: "call-1", resultInfo: { code: 1.5 } }),
  JSON.stringify({ terminatedCallId: "call-1", resultInfo: { code: "500" } }),
  JSON.stringify({ terminatedCallId: "call-1", resultInfo: { subcode: 5300.5 } }),
  JSON.stringify({ terminatedCallId: "call-1", resultInfo: { code: 500, message: 5 } }),
];

describe("createRedisOperationTracker: data it did not write", () => {
  it("reports and ignores publications that are not outcomes, and keeps settling from real ones", async () => {
    const { t, errors, tag } = await tracker();
    const waiting = t.track({ clientContext: "c-1", operationId: "op-1" });
    for (const message of hostile) await raw.publish(`${tag}final`, message);
    await t.observe(completed("op-1", "c-1"));
    await expect(waiting).resolves.toMatchObject({ id: "op-1", status: "completed" });
    expect(errors.map((e) => [e.reason, e.message])).toEqual(
      hostile.map(() => ["bad-publication", "Ignored a publication this tracker did not make"]),
    );
    expect(errors.every((e) => e instanceof RedisTrackerError)).toBe(true);
    expect(JSON.stringify(errors) + errors.map((e) => e.message).join()).not.toContain(SECRET);
  });

  it("reports and ignores a stored record without an operation: track() still settles from the next callback", async () => {
    const { t, errors, tag } = await tracker();
    await raw.set(`${tag}op:op-2`, JSON.stringify({ operationId: "op-2", clientContext: SECRET }));
    await raw.set(`${tag}ctx:c-2`, "not json");
    // a final operation, filed under ids that are not ids
    const [{ operation }] = completed("op-2", "c-2") as unknown as [{ operation: unknown }];
    await raw.set(`${tag}ended:call-2`, JSON.stringify({ operationId: 2, clientContext: ["c-2"], operation }));
    const waiting = t.track({ clientContext: "c-2", operationId: "op-2", callId: "call-2" });
    await expect.poll(() => errors.length, { timeout: 5_000 }).toBe(3);
    expect(errors.map((e) => [e.reason, e.message])).toEqual([
      ["bad-record", "Ignored a stored record this tracker did not write"],
      ["bad-record", "Ignored a stored record this tracker did not write"],
      ["bad-record", "Ignored a stored record this tracker did not write"],
    ]);
    expect(errors.map((e) => e.message).join()).not.toContain(SECRET);
    await t.observe(completed("op-2", "c-2"));
    await expect(waiting).resolves.toMatchObject({ id: "op-2" });
  });

  it("a bad stored record never leaves track() without its timeout", async () => {
    const { t, tag } = await tracker(500);
    await raw.set(`${tag}op:op-3`, JSON.stringify({ operationId: "op-3", clientContext: "c-3" }));
    await expect(t.track({ clientContext: "c-3", operationId: "op-3" })).rejects.toBeInstanceOf(
      InviteOperationTimeoutError,
    );
  });
});
