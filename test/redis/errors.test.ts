// What the Redis tracker reports when Redis or ioredis fails: a RedisTrackerError typed by reason
// (what an operator branches on: fix the password, the ACL, the TLS setup, or wait for Redis),
// carrying Redis's or Node's code and never the command's arguments or a reply's quoted text (they
// hold the stored outcome: phone numbers, clientContext). The errors are produced for real where
// this machine can: a real redis-server (WRONGPASS, NOAUTH, NOPERM, OOM, unknown commands), closed
// ports and silent or foreign servers on real sockets, and ioredis's own refusals. Redis 6's and
// Valkey's texts, and Node's TLS codes, are given in the shapes those produce.
import { Cluster, Redis, ReplyError, type RedisOptions } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisTrackerError } from "../../src/redis/index.js";
import { shardedFailure, trackerFailure } from "../../src/redis/errors.js";
import { rawServer, type RawServer } from "../support/raw-server.js";
import { freePort, startRedis, type TestRedis } from "../support/redis.js";

const PHONE = "+14255550123";
let redis: TestRedis;
let admin: Redis;
const clients: Array<Redis | Cluster> = [];
const servers: RawServer[] = [];
beforeAll(async () => {
  redis = await startRedis({
    args: ["--requirepass", "adminpw", "--rename-command", "SSUBSCRIBE", "", "--rename-command", "SPUBLISH", ""],
  });
  admin = client({ password: "adminpw" });
  await admin.call("ACL", "SETUSER", "bot", "on", ">botpw", "~*", "+get", "+set", "+info");
}, 30_000);
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await Promise.all(servers.map((s) => s.close()));
  await redis?.dispose();
});

function client(options: RedisOptions = {}) {
  const c = new Redis({ port: redis.port, host: "127.0.0.1", retryStrategy: () => null, ...options });
  c.on("error", () => {});
  clients.push(c);
  return c;
}

/** What a promise rejected with, typed as the tracker types it. */
async function failureOf(promise: Promise<unknown>, classify = trackerFailure) {
  try {
    await promise;
  } catch (e) {
    return { error: e as Error, failure: classify(e) };
  }
  throw new Error("expected a rejection");
}

/** The first error a client emits (its connection's; the command's rejection only says "closed"). */
const firstError = (c: Redis | Cluster) => new Promise<Error>((resolve) => c.once("error", resolve));

/** A server on a real socket that writes `reply` (if any) to whatever it is sent. */
async function fakeServer(reply?: string): Promise<number> {
  const server = await rawServer(() => reply);
  servers.push(server);
  return server.port;
}

describe("trackerFailure: what real Redis replies mean", () => {
  it("a wrong password is `auth` (WRONGPASS)", async () => {
    const error = await firstError(client({ username: "bot", password: "wrong" }));
    expect(trackerFailure(error)).toMatchObject({ reason: "auth", redisCode: "WRONGPASS" });
  });

  it("no password where one is required is `auth` (NOAUTH)", async () => {
    const { failure } = await failureOf(client({ enableReadyCheck: false }).get("k"));
    expect(failure).toMatchObject({ reason: "auth", redisCode: "NOAUTH" });
  });

  it("a command the ACL user lacks is `permission` (NOPERM)", async () => {
    const bot = client({ username: "bot", password: "botpw" });
    const { failure } = await failureOf(bot.config("GET", "maxmemory-policy"));
    expect(failure).toMatchObject({ reason: "permission", redisCode: "NOPERM" });
    expect(failure.message).toBe("Redis refused the command (NOPERM)");
  });

  it("a write to a full Redis is `out-of-memory` (OOM)", async () => {
    await admin.config("SET", "maxmemory", "1");
    try {
      const { failure } = await failureOf(admin.set("outcome", PHONE));
      expect(failure).toMatchObject({ reason: "out-of-memory", redisCode: "OOM" });
    } finally {
      await admin.config("SET", "maxmemory", "0");
    }
  });

  it("keeps the reply's code, never the arguments the reply quotes", async () => {
    const { error, failure } = await failureOf(admin.call("NOSUCHCMD", PHONE, "ctx-secret"));
    expect(error.message).toContain(PHONE);
    expect(failure).toBeInstanceOf(RedisTrackerError);
    expect(failure).toMatchObject({ reason: "command", redisCode: "ERR", code: "REDIS_TRACKER_FAILED" });
    expect(failure.message).toBe("Redis refused the command (ERR)");
    expect(Object.values(failure).join(" ")).not.toContain(PHONE);
  });

  it("a script's own error text is not read as a code, nor kept", async () => {
    const script = `return redis.error_reply("refused ${PHONE} NOPERM")`;
    const { error, failure } = await failureOf(admin.eval(script, 0));
    expect(error).toBeInstanceOf(ReplyError);
    expect(failure).toMatchObject({ reason: "command", redisCode: "ERR" });
    expect(failure.message).toBe("Redis refused the command (ERR)");
  });

  it("an error reply re-thrown as a plain Error is still read by its code", () => {
    const rethrown = new Error("NOPERM this user has no permissions to run the 'config|get' command");
    expect(trackerFailure(rethrown)).toMatchObject({ reason: "permission", redisCode: "NOPERM" });
    expect(trackerFailure(new Error("WRONGPASS invalid username-password pair"))).toMatchObject({
      reason: "auth",
      redisCode: "WRONGPASS",
    });
  });
});

describe("trackerFailure: no connection, or not in time", () => {
  it("a refused connection is `connection`, with Node's code", async () => {
    const failure = trackerFailure(await firstError(client({ port: await freePort() })));
    expect(failure).toMatchObject({ reason: "connection", redisCode: "ECONNREFUSED" });
    expect(failure.message).toBe("No connection to Redis (ECONNREFUSED)");
  });

  it("ioredis's refusals while it has no connection are `connection`", async () => {
    const port = await freePort();
    const offline = client({ port, lazyConnect: true, enableOfflineQueue: false });
    const retries = client({ port, maxRetriesPerRequest: 0, retryStrategy: () => 50 });
    const closed = client({ password: "adminpw" });
    await closed.ping();
    closed.disconnect();
    const cluster = new Cluster([{ host: "127.0.0.1", port }], { clusterRetryStrategy: () => null });
    cluster.on("error", () => {});
    clients.push(cluster);
    // each rejection is taken as it is made: they settle in any order
    const refusals = await Promise.all(
      (
        [
          ["Stream isn't writeable", offline.get("k")],
          ["Reached the max retries", retries.get("k")],
          ["Connection is closed", closed.get("k")],
          ["None of startup nodes is available", cluster.get("k")],
        ] as const
      ).map(async ([what, promise]) => ({ what, ...(await failureOf(promise)) })),
    );
    for (const { what, error, failure } of refusals) {
      expect(error.message).toContain(what);
      expect(failure).toMatchObject({ reason: "connection", redisCode: null });
      expect(failure.message).toBe("No usable connection to Redis");
    }
  });

  it("a Cluster that cannot load its slots is `connection`", async () => {
    const cluster = new Cluster([{ host: "127.0.0.1", port: await freePort() }], { clusterRetryStrategy: () => null });
    clients.push(cluster);
    const error = await firstError(cluster);
    expect(error.message).toBe("Failed to refresh slots cache.");
    expect(trackerFailure(error)).toMatchObject({ reason: "connection" });
  });

  it("a server that is not Redis (it answers HTTP) is `connection`", async () => {
    const port = await fakeServer("HTTP/1.1 400 Bad Request\r\n\r\n");
    const c = client({ port, enableReadyCheck: false, maxRetriesPerRequest: 0 });
    const answered = firstError(c);
    c.get("k").catch(() => {});
    const error = await answered;
    expect(error.name).toBe("ParserError");
    expect(trackerFailure(error)).toMatchObject({ reason: "connection", redisCode: null });
  });

  it("a command Redis does not answer within commandTimeout is `timeout`", async () => {
    const port = await fakeServer();
    const c = client({ port, enableReadyCheck: false, commandTimeout: 50 });
    const { error, failure } = await failureOf(c.get("k"));
    expect(error.message).toBe("Command timed out");
    expect(failure).toMatchObject({ reason: "timeout", redisCode: null });
    expect(failure.message).toBe("Redis did not answer in time");
  });

  it("Node's codes and texts for a failed connection, a timeout or a TLS handshake", () => {
    const nodeError = (message: string, code?: unknown) => Object.assign(new Error(message), { code });
    const TLS = "The TLS handshake with Redis failed";
    const NO_CONNECTION = "No connection to Redis";
    const NOT_USABLE = "No usable connection to Redis";
    const TIMEOUT = "Redis did not answer in time";
    const cases: Array<[Error, string, string | null, string]> = [
      [nodeError("connect ETIMEDOUT", "ETIMEDOUT"), "timeout", null, TIMEOUT],
      [nodeError("Connection attempt failed", "ETIMEDOUT"), "timeout", null, TIMEOUT],
      [nodeError("read ECONNRESET", "ECONNRESET"), "connection", "ECONNRESET", `${NO_CONNECTION} (ECONNRESET)`],
      [nodeError("write EPIPE", "EPIPE"), "connection", "EPIPE", `${NO_CONNECTION} (EPIPE)`],
      [
        nodeError("getaddrinfo ENOTFOUND redis.internal", "ENOTFOUND"),
        "connection",
        "ENOTFOUND",
        `${NO_CONNECTION} (ENOTFOUND)`,
      ],
      // Node 20's happy eyeballs: an AggregateError without a message, with the code.
      [nodeError("", "ECONNREFUSED"), "connection", "ECONNREFUSED", `${NO_CONNECTION} (ECONNREFUSED)`],
      // Another code of Node's: no usable connection, whatever its text says.
      [
        nodeError("connect EADDRNOTAVAIL 10.0.0.9:6379", "EADDRNOTAVAIL"),
        "connection",
        "EADDRNOTAVAIL",
        `${NOT_USABLE} (EADDRNOTAVAIL)`,
      ],
      [nodeError("operation timed out over TLS", "ENETDOWN"), "connection", "ENETDOWN", `${NOT_USABLE} (ENETDOWN)`],
      // A text that reads like a reply's code, with a Node code, is Node's.
      [
        nodeError("ECONNREFUSED connect", "ECONNREFUSED"),
        "connection",
        "ECONNREFUSED",
        `${NO_CONNECTION} (ECONNREFUSED)`,
      ],
      [
        nodeError("self-signed certificate", "DEPTH_ZERO_SELF_SIGNED_CERT"),
        "tls",
        "DEPTH_ZERO_SELF_SIGNED_CERT",
        `${TLS} (DEPTH_ZERO_SELF_SIGNED_CERT)`,
      ],
      [
        nodeError("unable to verify the first certificate", "UNABLE_TO_VERIFY_LEAF_SIGNATURE"),
        "tls",
        "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
        `${TLS} (UNABLE_TO_VERIFY_LEAF_SIGNATURE)`,
      ],
      [
        nodeError("Hostname/IP does not match", "ERR_TLS_CERT_ALTNAME_INVALID"),
        "tls",
        "ERR_TLS_CERT_ALTNAME_INVALID",
        `${TLS} (ERR_TLS_CERT_ALTNAME_INVALID)`,
      ],
      [
        nodeError("wrong version number", "ERR_SSL_WRONG_VERSION_NUMBER"),
        "tls",
        "ERR_SSL_WRONG_VERSION_NUMBER",
        `${TLS} (ERR_SSL_WRONG_VERSION_NUMBER)`,
      ],
      [
        nodeError("certificate has expired", "CERT_HAS_EXPIRED"),
        "tls",
        "CERT_HAS_EXPIRED",
        `${TLS} (CERT_HAS_EXPIRED)`,
      ],
      [nodeError("write EPROTO", "EPROTO"), "tls", "EPROTO", `${TLS} (EPROTO)`],
      // Texts without a code, as ioredis and Node give some.
      [nodeError("Client network socket disconnected before secure TLS connection was established"), "tls", null, TLS],
      [nodeError("Command timed out"), "timeout", null, TIMEOUT],
      [nodeError("Connection timeout"), "timeout", null, TIMEOUT],
      [nodeError("time out waiting for the server"), "timeout", null, TIMEOUT],
      [nodeError("connect ECONNREFUSED 127.0.0.1:1"), "connection", null, NOT_USABLE],
      [nodeError("A socket closed"), "connection", null, NOT_USABLE],
      [nodeError("Cluster isn't ready and enableOfflineQueue options is false"), "connection", null, NOT_USABLE],
      // A numeric code is not one of Node's: nothing to go on.
      [nodeError("failed", -111), "command", null, "ioredis refused the command"],
    ];
    for (const [error, reason, redisCode, message] of cases) {
      const failure = trackerFailure(error);
      // the input's text beside the verdict, so that a failure names its case
      expect([error.message, failure.reason, failure.redisCode, failure.message]).toEqual([
        error.message,
        reason,
        redisCode,
        message,
      ]);
    }
  });
});

describe("trackerFailure: anything else", () => {
  it("ioredis refusing a command before sending it is `command`, its text not kept", () => {
    const refused = new Error("All keys in the pipeline should belong to the same slots allocation group");
    expect(trackerFailure(refused)).toMatchObject({ reason: "command", redisCode: null });
    expect(trackerFailure(refused).message).toBe("ioredis refused the command");
  });

  it("is total: no message, a non-string message, null and a thrown string are `command`", () => {
    const liar = { message: { toString: () => "timed out on ECONNREFUSED over TLS" } };
    for (const thrown of [new Error(), { code: null }, liar, null, undefined, "boom", 42]) {
      const failure = trackerFailure(thrown);
      expect(failure).toBeInstanceOf(RedisTrackerError);
      expect(failure).toMatchObject({ reason: "command", redisCode: null, message: "ioredis refused the command" });
    }
  });

  it("returns a RedisTrackerError as it is", () => {
    const error = new RedisTrackerError("replicas", "Too few replicas acknowledged the write");
    expect(trackerFailure(error)).toBe(error);
  });
});

describe("shardedFailure: a server without sharded pub/sub is `unsupported`", () => {
  const UNSUPPORTED =
    'This Redis has no sharded pub/sub (SSUBSCRIBE, SPUBLISH: Redis 7 and later); use pubSub "classic"';

  it("an unknown SSUBSCRIBE, and SPUBLISH inside a script, on a real server without them", async () => {
    const ssubscribe = await failureOf(admin.call("SSUBSCRIBE", "{graph-invite:}final"), shardedFailure);
    const script = await failureOf(
      admin.eval("return redis.call('SPUBLISH', KEYS[1], ARGV[1])", 1, "{graph-invite:}final", PHONE),
      shardedFailure,
    );
    for (const { failure } of [ssubscribe, script]) {
      expect(failure).toMatchObject({ reason: "unsupported", redisCode: "ERR" });
      expect(failure.message).toBe(`${UNSUPPORTED} (ERR)`);
    }
  });

  it("the texts of Redis 6 and Valkey", () => {
    for (const text of [
      "ERR unknown command `ssubscribe`, with args beginning with: `{graph-invite:}final`, ",
      "ERR unknown command 'spublish', with args beginning with: ",
      "ERR Unknown Redis command called from Lua script",
      "ERR Unknown command called from script script: 1a2b, on @user_script:1.",
    ]) {
      expect(shardedFailure(new ReplyError(text))).toMatchObject({ reason: "unsupported", redisCode: "ERR" });
    }
  });

  it("any other failure stays what it is", () => {
    const cases: Array<[unknown, string]> = [
      [new ReplyError("ERR unknown command 'sget', with args beginning with: "), "command"],
      [new ReplyError("ERR unknown command 'subscribe', with args beginning with: "), "command"],
      [new ReplyError("NOPERM this user has no permissions to run the 'ssubscribe' command"), "permission"],
      [new Error("Connection is closed."), "connection"],
      [{ message: 7 }, "command"],
      [{ message: { toString: () => "ERR unknown command 'ssubscribe'" } }, "command"],
      [null, "command"],
    ];
    for (const [error, reason] of cases) expect(shardedFailure(error)).toMatchObject({ reason });
  });
});
