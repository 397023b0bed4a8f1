// Every option of createRedisOperationTracker is checked at construction (docs/redis.md): a wrong
// type, null, an empty string or a number out of range is a TypeError naming the option and the
// rule, never a silently skipped check; what is left out takes the documented default.
import { Cluster, Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import {
  createRedisOperationTracker,
  RedisTrackerError,
  type RedisOperationTrackerOptions,
} from "../../src/redis/index.js";
import { resolveOptions } from "../../src/redis/options.js";

// Nothing listens on port 1: no test here connects.
const url = "redis://127.0.0.1:1";
const client = new Redis({ lazyConnect: true });
const cluster = new Cluster([{ host: "127.0.0.1", port: 1 }], { lazyConnect: true });
afterAll(() => {
  client.disconnect();
  cluster.disconnect();
});

const MAX_MS = 2 ** 31 - 1;
const WHOLE_MS = `must be a whole number of milliseconds from 1 to ${MAX_MS}`;

describe("createRedisOperationTracker: options", () => {
  const bad: Array<[option: string, options: unknown, rule: string]> = [
    ["options", undefined, "must be an object"],
    ["options", null, "must be an object"],
    ["options", [url], "must be an object"],
    ["options", url, "must be an object"],
    ["url", {}, "or `client`: pass exactly one"],
    ["url", { url: "" }, "must be a non-empty string"],
    ["url", { url: null }, "must be a non-empty string"],
    ["url", { url: "http://127.0.0.1:6379" }, "must start with redis:// or rediss://"],
    ["url", { url: "xredis://127.0.0.1:6379" }, "must start with redis:// or rediss://"],
    ["url", { url, client }, "or `client`: pass exactly one"],
    ["client", { client: null }, "must be an ioredis Redis or Cluster"],
    ["client", { client: "redis" }, "must be an ioredis Redis or Cluster"],
    ["client", { client: { duplicate() {} } }, "must be an ioredis Redis or Cluster"],
    ["client", { client: { pipeline() {} } }, "must be an ioredis Redis or Cluster"],
    ["tls", { client, tls: {} }, "goes with `url`, not `client`"],
    ["username", { client, username: "bot" }, "goes with `url`, not `client`"],
    ["password", { client, password: "secret" }, "goes with `url`, not `client`"],
    ["tls", { url, tls: true }, "must be an object of node:tls options"],
    ["tls", { url, tls: null }, "must be an object of node:tls options"],
    ["tls", { url, tls: [] }, "must be an object of node:tls options"],
    ["username", { url, username: 7 }, "must be a non-empty string"],
    ["password", { url, password: "" }, "must be a non-empty string"],
    ["keyPrefix", { url, keyPrefix: "" }, "must be a non-empty string"],
    ["keyPrefix", { url, keyPrefix: null }, "must be a non-empty string"],
    ["timeoutMs", { url, timeoutMs: 0 }, WHOLE_MS],
    ["timeoutMs", { url, timeoutMs: null }, WHOLE_MS],
    ["timeoutMs", { url, timeoutMs: Number.POSITIVE_INFINITY }, WHOLE_MS],
    // Node's timers fire at once past 2^31 - 1 ms: a longer wait would be no wait at all.
    ["timeoutMs", { url, timeoutMs: MAX_MS + 1 }, WHOLE_MS],
    ["outcomeTtlMs", { url, outcomeTtlMs: -1 }, WHOLE_MS],
    ["outcomeTtlMs", { url, outcomeTtlMs: 2.5 }, WHOLE_MS],
    ["bufferMs", { url, bufferMs: "1000" }, WHOLE_MS],
    ["maxPending", { url, maxPending: 0 }, "must be a whole number from 1"],
    ["maxPending", { url, maxPending: -1 }, "must be a whole number from 1"],
    ["maxPending", { url, maxPending: 1.5 }, "must be a whole number from 1"],
    ["maxPending", { url, maxPending: "10" }, "must be a whole number from 1"],
    ["maxPending", { url, maxPending: null }, "must be a whole number from 1"],
    ["commandTimeoutMs", { url, commandTimeoutMs: null }, WHOLE_MS],
    ["connectTimeoutMs", { url, connectTimeoutMs: 1.5 }, WHOLE_MS],
    ["evictionPolicy", { url, evictionPolicy: "allkeys-lru" }, 'must be "refuse" or "warn"'],
    ["evictionPolicy", { url, evictionPolicy: null }, 'must be "refuse" or "warn"'],
    ["pubSub", { url, pubSub: null }, 'must be "classic" or "sharded"'],
    ["pubSub", { url, pubSub: "" }, 'must be "classic" or "sharded"'],
    ["pubSub", { url, pubSub: "SHARDED" }, 'must be "classic" or "sharded"'],
    ["pubSub", { url, pubSub: "spublish" }, 'must be "classic" or "sharded"'],
    ["pubSub", { url, pubSub: true }, 'must be "classic" or "sharded"'],
    ["replicas", { url, replicas: null }, "must be { count, timeoutMs }"],
    ["replicas", { url, replicas: [1, 100] }, "must be { count, timeoutMs }"],
    ["replicas.count", { url, replicas: { count: 0, timeoutMs: 100 } }, "must be a whole number from 1"],
    ["replicas.count", { url, replicas: { count: 1.5, timeoutMs: 100 } }, "must be a whole number from 1"],
    ["replicas.count", { url, replicas: { count: "1", timeoutMs: 100 } }, "must be a whole number from 1"],
    ["replicas.count", { url, replicas: { timeoutMs: 100 } }, "must be a whole number from 1"],
    ["replicas.timeoutMs", { url, replicas: { count: 1 } }, "must be a whole number of milliseconds from 1"],
    [
      "replicas.timeoutMs",
      { url, replicas: { count: 1, timeoutMs: 0 } },
      "must be a whole number of milliseconds from 1",
    ],
    [
      "replicas.timeoutMs",
      { url, replicas: { count: 1, timeoutMs: 2.5 } },
      "must be a whole number of milliseconds from 1",
    ],
    [
      "replicas.timeoutMs",
      { url, replicas: { count: 1, timeoutMs: "100" } },
      "must be a whole number of milliseconds from 1",
    ],
    // WAIT must end before the command's own deadline, or every observe() would time out instead.
    [
      "replicas.timeoutMs",
      { url, replicas: { count: 1, timeoutMs: 5_000 }, commandTimeoutMs: 2_000 },
      "must be below `commandTimeoutMs`",
    ],
    ["replicas.timeoutMs", { url, replicas: { count: 1, timeoutMs: 2_000 } }, "must be below `commandTimeoutMs`"],
    ["onError", { url, onError: "log" }, "must be a function"],
    ["onError", { url, onError: null }, "must be a function"],
  ];
  for (const [option, options, rule] of bad) {
    it(`refuses ${JSON.stringify(options) ?? "undefined"} at construction: \`${option}\` ${rule}`, () => {
      let thrown: unknown;
      try {
        createRedisOperationTracker(options as RedisOperationTrackerOptions);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(TypeError);
      expect((thrown as TypeError).message).toBe(`createRedisOperationTracker: \`${option}\` ${rule}`);
    });
  }

  it("takes the documented defaults for what is left out", () => {
    expect(resolveOptions({ url })).toMatchObject({
      prefix: "graph-invite:",
      timeoutMs: 90_000,
      ttlMs: 60 * 60_000,
      maxPending: Number.POSITIVE_INFINITY,
      commandTimeoutMs: 2_000,
      connectTimeoutMs: 10_000,
      evictionPolicy: "refuse",
      replicas: null,
      pubSub: "classic",
    });
  });

  it("takes every allowed value, the bounds included", () => {
    const options = resolveOptions({
      url: "REDISS://cache.example:6380/2",
      tls: { servername: "cache.example" },
      username: "bot",
      password: "secret",
      keyPrefix: "p:",
      timeoutMs: MAX_MS,
      outcomeTtlMs: 1,
      maxPending: 1,
      commandTimeoutMs: 2_000,
      connectTimeoutMs: 1,
      evictionPolicy: "warn",
      replicas: { count: 1, timeoutMs: 1_999 },
      pubSub: "sharded",
    });
    expect(options).toMatchObject({
      prefix: "p:",
      timeoutMs: MAX_MS,
      ttlMs: 1,
      maxPending: 1,
      commandTimeoutMs: 2_000,
      connectTimeoutMs: 1,
      evictionPolicy: "warn",
      replicas: { count: 1, timeoutMs: 1_999 },
      pubSub: "sharded",
    });
    expect(resolveOptions({ url, replicas: { count: 2, timeoutMs: 1 } }).replicas).toEqual({ count: 2, timeoutMs: 1 });
  });

  it("keeps outcomes for bufferMs when outcomeTtlMs is left out, and outcomeTtlMs wins over it", () => {
    expect(resolveOptions({ url, bufferMs: 5_000 }).ttlMs).toBe(5_000);
    expect(resolveOptions({ url, bufferMs: 5_000, outcomeTtlMs: 7_000 }).ttlMs).toBe(7_000);
  });

  it("takes an ioredis Redis or Cluster as `client`", () => {
    expect(resolveOptions({ client }).prefix).toBe("graph-invite:");
    expect(resolveOptions({ client: cluster }).prefix).toBe("graph-invite:");
  });

  it('takes pubSub "classic" (the default) and "sharded"', async () => {
    for (const pubSub of [undefined, "classic", "sharded"] as const) {
      const t = createRedisOperationTracker({ url, pubSub, connectTimeoutMs: 100, onError: () => {} });
      await t.close();
    }
  });

  it("reports to onError when given one, else as a process warning", async () => {
    const seen: RedisTrackerError[] = [];
    const error = new RedisTrackerError("bad-record", "A stored outcome is not one this tracker writes");
    resolveOptions({ url, onError: (e) => void seen.push(e) }).onError(error);
    expect(seen).toEqual([error]);

    const warned = new Promise<Error>((resolve) => process.once("warning", resolve));
    resolveOptions({ url }).onError(error);
    expect(await warned).toBe(error);
  });

  it("never echoes the url, which may hold a password", () => {
    expect(() => createRedisOperationTracker({ url: "http://user:s3cret@host" })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("s3cret") }),
    );
  });
});
