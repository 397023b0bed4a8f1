// The start-up check of maxmemory-policy, on real redis-servers: noeviction passes; any other
// policy makes "refuse" throw an eviction-policy RedisTrackerError and "warn" report it (always,
// not only once); a server that forbids CONFIG GET (an ACL without it: NOPERM; CONFIG renamed
// away: ERR unknown command) is reported as unchecked and the check goes on; any other failure
// (a busy server, a deadline passed) is thrown, typed. A Redis-compatible proxy whose CONFIG GET
// answers an empty list stands for a server that does not say its policy.
import { Cluster, Redis, type RedisOptions } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RedisTrackerError } from "../../src/redis/errors.js";
import { checkEvictionPolicy } from "../../src/redis/eviction-policy.js";
import { rawServer, type RawServer } from "../support/raw-server.js";
import { startCluster, startRedis, type TestCluster, type TestRedis } from "../support/redis.js";

let redis: TestRedis;
let admin: Redis;
const clients: Redis[] = [];
const servers: TestRedis[] = [];
const proxies: RawServer[] = [];
beforeAll(async () => {
  redis = await startRedis({ args: ["--appendfsync", "no", "--busy-reply-threshold", "100"] });
  admin = new Redis(redis.url).on("error", () => {});
}, 30_000);
afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  await Promise.all(servers.splice(0).map((s) => s.dispose()));
  await Promise.all(proxies.splice(0).map((s) => s.close()));
  await admin.config("SET", "maxmemory-policy", "noeviction");
});
afterAll(async () => {
  admin?.disconnect();
  await redis?.dispose();
});

function client(options: RedisOptions = {}) {
  const c = new Redis({ host: "127.0.0.1", port: redis.port, ...options }).on("error", () => {});
  clients.push(c);
  return c;
}

/** What report() was given: each error (typed, its reason, message and code) and the `always` flag. */
function reports() {
  const seen: Array<{ typed: boolean; reason: string; message: string; redisCode: string | null; always?: boolean }> =
    [];
  const report = (error: RedisTrackerError, always?: boolean) => {
    const { reason, message, redisCode } = error;
    seen.push({ typed: error instanceof RedisTrackerError, reason, message, redisCode, always });
  };
  return { seen, report };
}

const soon = () => Date.now() + 2_000;

const EVICTS = "not noeviction: Redis could evict acknowledged outcomes";
const UNCHECKED = "Could not read maxmemory-policy (CONFIG GET is not allowed): make sure it is noeviction";

describe("checkEvictionPolicy", () => {
  it("passes under noeviction, reporting nothing", async () => {
    const { seen, report } = reports();
    await expect(checkEvictionPolicy(client(), "refuse", soon(), report)).resolves.toBeUndefined();
    expect(seen).toEqual([]);
  });

  for (const policy of ["allkeys-lru", "volatile-ttl"]) {
    it(`"refuse" throws an eviction-policy error under ${policy}`, async () => {
      await admin.config("SET", "maxmemory-policy", policy);
      const { seen, report } = reports();
      const check = checkEvictionPolicy(client(), "refuse", soon(), report);
      await expect(check).rejects.toBeInstanceOf(RedisTrackerError);
      await expect(check).rejects.toMatchObject({
        reason: "eviction-policy",
        message: `maxmemory-policy is ${policy}, ${EVICTS}`,
        redisCode: null,
      });
      expect(seen).toEqual([]);
    });

    it(`"warn" reports ${policy}, always, and passes`, async () => {
      await admin.config("SET", "maxmemory-policy", policy);
      const { seen, report } = reports();
      await expect(checkEvictionPolicy(client(), "warn", soon(), report)).resolves.toBeUndefined();
      expect(seen).toEqual([
        {
          typed: true,
          reason: "eviction-policy",
          message: `maxmemory-policy is ${policy}, ${EVICTS}`,
          redisCode: null,
          always: true,
        },
      ]);
    });
  }

  it("reports the policy unchecked, always, for an ACL user without CONFIG (NOPERM), and passes", async () => {
    await admin.acl("SETUSER", "noconfig", "on", ">pw", "~*", "&*", "+@all", "-config");
    const { seen, report } = reports();
    const c = client({ username: "noconfig", password: "pw" });
    await expect(checkEvictionPolicy(c, "refuse", soon(), report)).resolves.toBeUndefined();
    expect(seen).toEqual([
      {
        typed: true,
        reason: "eviction-policy-unchecked",
        message: `${UNCHECKED} (NOPERM)`,
        redisCode: "NOPERM",
        always: true,
      },
    ]);
  });

  it("reports the policy unchecked, always, where CONFIG is renamed away (ERR unknown command), and passes", async () => {
    const renamed = await startRedis({ args: ["--appendfsync", "no", "--rename-command", "CONFIG", ""] });
    servers.push(renamed);
    const { seen, report } = reports();
    const c = client({ port: renamed.port });
    await expect(checkEvictionPolicy(c, "refuse", soon(), report)).resolves.toBeUndefined();
    expect(seen).toEqual([
      {
        typed: true,
        reason: "eviction-policy-unchecked",
        message: `${UNCHECKED} (ERR)`,
        redisCode: "ERR",
        always: true,
      },
    ]);
  });

  it("throws what else refuses CONFIG GET: a server busy with a script (BUSY)", async () => {
    const c = client();
    await c.ping(); // connected before the script starts (a ready check would be refused too)
    const busy = client();
    void busy.eval("while true do end", 0).catch(() => {}); // read-only: SCRIPT KILL can end it
    try {
      await expect
        .poll(() => admin.ping().then(String, (e: Error) => e.message.split(" ")[0]), { timeout: 5_000 })
        .toBe("BUSY");
      const { seen, report } = reports();
      const check = checkEvictionPolicy(c, "warn", soon(), report);
      await expect(check).rejects.toBeInstanceOf(RedisTrackerError);
      await expect(check).rejects.toMatchObject({ reason: "command", redisCode: "BUSY" });
      expect(seen).toEqual([]);
    } finally {
      await admin.script("KILL");
      // the kill is noticed at the script's next hook: until then Redis still answers BUSY
      await expect.poll(() => admin.ping().catch(() => "BUSY"), { timeout: 5_000 }).toBe("PONG");
    }
  });

  it("throws a timeout when the deadline has passed, reporting nothing", async () => {
    const { seen, report } = reports();
    const c = client();
    await c.ping();
    const check = checkEvictionPolicy(c, "warn", Date.now() - 1, report);
    await expect(check).rejects.toMatchObject({ reason: "timeout", message: "Redis did not answer in time" });
    expect(seen).toEqual([]);
  });

  it("calls a policy it cannot read unknown: a proxy whose CONFIG GET answers an empty list", async () => {
    // Answers every command with an empty array, as a Redis-compatible proxy may for CONFIG GET.
    const proxy = await rawServer((chunk) =>
      chunk
        .split("\r\n")
        .filter((line) => line.startsWith("*"))
        .map(() => "*0\r\n")
        .join(""),
    );
    proxies.push(proxy);
    const c = client({ port: proxy.port, enableReadyCheck: false });
    const { seen, report } = reports();
    await expect(checkEvictionPolicy(c, "warn", soon(), report)).resolves.toBeUndefined();
    expect(seen).toEqual([
      {
        typed: true,
        reason: "eviction-policy",
        message: `maxmemory-policy is unknown, ${EVICTS}`,
        redisCode: null,
        always: true,
      },
    ]);
    await expect(checkEvictionPolicy(c, "refuse", soon(), () => {})).rejects.toMatchObject({
      reason: "eviction-policy",
      message: `maxmemory-policy is unknown, ${EVICTS}`,
    });
  });
});

describe("checkEvictionPolicy on a Redis Cluster: every master", () => {
  let cluster: TestCluster;
  let nodes: Redis[];
  beforeAll(async () => {
    cluster = await startCluster();
    nodes = cluster.servers.map((s) => new Redis(s.port, "127.0.0.1").on("error", () => {}));
  }, 60_000);
  afterEach(async () => {
    await Promise.all(nodes.map((n) => n.config("SET", "maxmemory-policy", "noeviction")));
  });
  afterAll(async () => {
    for (const n of nodes ?? []) n.disconnect();
    await cluster?.dispose();
  });

  async function clusterClient(options: { username?: string; password?: string } = {}) {
    const c = new Cluster(cluster.nodes, { redisOptions: options }).on("error", () => {});
    await new Promise<void>((resolve) => c.once("ready", () => resolve()));
    return c;
  }

  it("passes when every master is under noeviction", async () => {
    const c = await clusterClient();
    try {
      const { seen, report } = reports();
      await expect(checkEvictionPolicy(c, "refuse", soon(), report)).resolves.toBeUndefined();
      expect(seen).toEqual([]);
    } finally {
      c.disconnect();
    }
  });

  it("finds the one master of three under allkeys-lru", async () => {
    await nodes[2]!.config("SET", "maxmemory-policy", "allkeys-lru");
    const c = await clusterClient();
    try {
      await expect(checkEvictionPolicy(c, "refuse", soon(), () => {})).rejects.toMatchObject({
        reason: "eviction-policy",
        message: `maxmemory-policy is allkeys-lru, ${EVICTS}`,
      });
      const { seen, report } = reports();
      await expect(checkEvictionPolicy(c, "warn", soon(), report)).resolves.toBeUndefined();
      expect(seen.map((s) => [s.reason, s.message, s.always])).toEqual([
        ["eviction-policy", `maxmemory-policy is allkeys-lru, ${EVICTS}`, true],
      ]);
    } finally {
      c.disconnect();
    }
  });

  it("goes on past a master where CONFIG GET is not allowed", async () => {
    // the same user on every master, without CONFIG on the first
    await nodes[0]!.acl("SETUSER", "partial", "on", ">pw", "~*", "&*", "+@all", "-config");
    await nodes[1]!.acl("SETUSER", "partial", "on", ">pw", "~*", "&*", "+@all");
    await nodes[2]!.acl("SETUSER", "partial", "on", ">pw", "~*", "&*", "+@all");
    await nodes[2]!.config("SET", "maxmemory-policy", "volatile-lru");
    const c = await clusterClient({ username: "partial", password: "pw" });
    try {
      const { seen, report } = reports();
      await expect(checkEvictionPolicy(c, "warn", soon(), report)).resolves.toBeUndefined();
      expect(seen.map((s) => [s.reason, s.redisCode, s.always]).sort()).toEqual([
        ["eviction-policy", null, true],
        ["eviction-policy-unchecked", "NOPERM", true],
      ]);
      await expect(checkEvictionPolicy(c, "refuse", soon(), () => {})).rejects.toMatchObject({
        reason: "eviction-policy",
        message: `maxmemory-policy is volatile-lru, ${EVICTS}`,
      });
    } finally {
      c.disconnect();
    }
  });
});
