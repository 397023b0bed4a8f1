// The Redis tracker's options, validated at construction: a wrong type, null, an empty string or a
// number out of range is a TypeError naming the option, never a silently skipped check.
import type { Telemetry } from "../telemetry/hooks.js";
import type { ConnectionOptions } from "node:tls";
import type { Cluster, Redis } from "ioredis";
import type { RedisTrackerError } from "./errors.js";

/**
 * The options of createRedisOperationTracker: `url` or `client`, then optional settings. Times are in
 * milliseconds. Checked at construction: a wrong type, null, an empty string or a number out of range
 * is a TypeError naming the option.
 */
export interface RedisOperationTrackerOptions {
  /**
   * A Redis URL: `redis://host:port/db`, or `rediss://` for TLS. Credentials may be in it or in
   * `username`/`password`. Pass `url` or `client`.
   */
  url?: string;
  /**
   * An ioredis client (`Redis`, a Sentinel-backed `Redis`, or a `Cluster`) for commands; the tracker
   * duplicates it for its subscriber (a Cluster with `shardedSubscribers` under `pubSub: "sharded"`).
   * Not closed by close(). Every call the tracker makes on it is
   * bounded by `commandTimeoutMs` whatever the client's own settings.
   */
  client?: Redis | Cluster;
  /** TLS options (CA, client certificate, servername) beside `url`; `rediss://` alone means TLS with Node's default CAs. */
  tls?: ConnectionOptions;
  /** ACL user name beside `url`. */
  username?: string;
  /** Password beside `url`. */
  password?: string;
  /**
   * Prefix of every key and of the channel. Default `graph-invite:`. Names are `{prefix}op:<id>`,
   * `{prefix}ctx:<clientContext>` and `{prefix}final`: the braces make the prefix a Cluster hash tag.
   */
  keyPrefix?: string;
  /** How long track() waits for the final callback. Default 90 s. */
  timeoutMs?: number;
  /**
   * How long a final outcome stays in Redis for a track() on any replica to claim: callbacks that come
   * before track(), and outcomes a restarted replica asks for again. Default `bufferMs`, else 1 h.
   */
  outcomeTtlMs?: number;
  /** As the in-memory tracker's: how long an early callback waits for its track(). The default of outcomeTtlMs. */
  bufferMs?: number;
  /** How many track() calls may wait at once on this replica. Default: no limit. */
  maxPending?: number;
  /** The most any one Redis call may take (observe() rejects after it, so the endpoint answers 503). Default 2,000 ms. */
  commandTimeoutMs?: number;
  /** How long ready() waits for the connections, the subscription and the policy check. Default 10,000 ms. */
  connectTimeoutMs?: number;
  /**
   * What to do when `maxmemory-policy` is not `noeviction` (Redis could evict acknowledged outcomes):
   * `"refuse"` (default: ready() and observe() reject with reason `eviction-policy`) or `"warn"`
   * (reported to onError once per connection). Where CONFIG GET is not allowed (managed services), the
   * policy is reported unchecked (`eviction-policy-unchecked`) and the tracker works.
   */
  evictionPolicy?: "refuse" | "warn";
  /**
   * Opt-in: after each record, `WAIT count timeoutMs`; observe() rejects (reason `replicas`) unless at
   * least `count` replicas acknowledged, so a 202 means the outcome is on `count` replicas and survives
   * a failover. `timeoutMs` must be below `commandTimeoutMs`.
   */
  replicas?: { count: number; timeoutMs: number };
  /**
   * How outcomes and call ends reach the other replicas. `"classic"` (default): PUBLISH and
   * SUBSCRIBE, which every Redis has. `"sharded"`: SPUBLISH and SSUBSCRIBE (sharded pub/sub, Redis 7
   * and later). On a Cluster a classic publication is broadcast over the cluster bus to every node;
   * a sharded one goes only to the shard that owns the channel's slot, the keys' slot (`{prefix}` is
   * their hash tag), where each replica subscribes (a `client` Cluster is duplicated with ioredis's
   * `shardedSubscribers`). Pick it for a Cluster at scale; on one server or Sentinel both work alike.
   * Where the server has no sharded pub/sub (before Redis 7), ready() and observe() reject with
   * reason `unsupported`. The ACL user needs `+spublish +ssubscribe` instead of `+publish +subscribe`.
   * Switch every replica of one prefix together: the two kinds of channel do not hear each other.
   */
  pubSub?: "classic" | "sharded";
  /**
   * Reports what the tracker ignored or could not do in the background: a bad stored record or
   * publication, a failed look-up, a connection error, the eviction policy. Errors are
   * RedisTrackerError, without payloads. Default: `process.emitWarning`.
   */
  onError?: (error: RedisTrackerError) => void;
  /** `createTelemetry()`: a `settle` span per track(), the pending gauge, record failures. Default: none. */
  telemetry?: Telemetry;
}

export interface ResolvedOptions {
  prefix: string;
  timeoutMs: number;
  ttlMs: number;
  maxPending: number;
  commandTimeoutMs: number;
  connectTimeoutMs: number;
  evictionPolicy: "refuse" | "warn";
  replicas: { count: number; timeoutMs: number } | null;
  pubSub: "classic" | "sharded";
  onError: (error: RedisTrackerError) => void;
}

const fail = (option: string, rule: string): never => {
  throw new TypeError(`createRedisOperationTracker: \`${option}\` ${rule}`);
};

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

// Number.isInteger is false for anything but a number: no typeof check is needed beside it.
const isWhole = (v: unknown): v is number => Number.isInteger(v);

function duration(options: Record<string, unknown>, key: string, fallback: number, max = 2 ** 31 - 1): number {
  const v = options[key];
  if (v === undefined) return fallback;
  if (!isWhole(v) || v < 1 || v > max) fail(key, `must be a whole number of milliseconds from 1 to ${max}`);
  return v as number;
}

function text(options: Record<string, unknown>, key: string): string | undefined {
  const v = options[key];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || v === "") fail(key, "must be a non-empty string");
  return v as string;
}

/** Checks every option; returns the settings with their defaults. */
export function resolveOptions(options: RedisOperationTrackerOptions): ResolvedOptions {
  if (!isPlainObject(options)) fail("options", "must be an object");
  const o = options as Record<string, unknown>;
  const url = text(o, "url");
  if (url !== undefined && !/^rediss?:\/\//i.test(url)) fail("url", "must start with redis:// or rediss://");
  if (o.client !== undefined) {
    const c = o.client;
    if (!isPlainObject(c) || typeof c.duplicate !== "function" || typeof c.pipeline !== "function") {
      fail("client", "must be an ioredis Redis or Cluster");
    }
  }
  if ((url === undefined) === (o.client === undefined)) fail("url", "or `client`: pass exactly one");
  if (o.client !== undefined) {
    for (const k of ["tls", "username", "password"]) if (o[k] !== undefined) fail(k, "goes with `url`, not `client`");
  }
  if (o.tls !== undefined && !isPlainObject(o.tls)) fail("tls", "must be an object of node:tls options");
  text(o, "username");
  text(o, "password");
  const prefix = text(o, "keyPrefix") ?? "graph-invite:";
  const timeoutMs = duration(o, "timeoutMs", 90_000);
  const ttlMs = duration(o, "outcomeTtlMs", duration(o, "bufferMs", 60 * 60_000));
  let maxPending = Number.POSITIVE_INFINITY;
  if (o.maxPending !== undefined) {
    if (!isWhole(o.maxPending) || o.maxPending < 1) fail("maxPending", "must be a whole number from 1");
    maxPending = o.maxPending as number;
  }
  const commandTimeoutMs = duration(o, "commandTimeoutMs", 2_000);
  const connectTimeoutMs = duration(o, "connectTimeoutMs", 10_000);
  const evictionPolicy = o.evictionPolicy === undefined ? "refuse" : o.evictionPolicy;
  if (evictionPolicy !== "refuse" && evictionPolicy !== "warn") fail("evictionPolicy", 'must be "refuse" or "warn"');
  let replicas: ResolvedOptions["replicas"] = null;
  if (o.replicas !== undefined) {
    if (!isPlainObject(o.replicas)) fail("replicas", "must be { count, timeoutMs }");
    const r = o.replicas as Record<string, unknown>;
    if (!isWhole(r.count) || r.count < 1) fail("replicas.count", "must be a whole number from 1");
    if (!isWhole(r.timeoutMs) || r.timeoutMs < 1) {
      fail("replicas.timeoutMs", "must be a whole number of milliseconds from 1");
    }
    if ((r.timeoutMs as number) >= commandTimeoutMs) fail("replicas.timeoutMs", "must be below `commandTimeoutMs`");
    replicas = { count: r.count as number, timeoutMs: r.timeoutMs as number };
  }
  const pubSub = o.pubSub === undefined ? "classic" : o.pubSub;
  if (pubSub !== "classic" && pubSub !== "sharded") fail("pubSub", 'must be "classic" or "sharded"');
  if (o.onError !== undefined && typeof o.onError !== "function") fail("onError", "must be a function");
  const onError =
    (o.onError as ResolvedOptions["onError"] | undefined) ?? ((error: RedisTrackerError) => process.emitWarning(error));
  return {
    prefix,
    timeoutMs,
    ttlMs,
    maxPending,
    commandTimeoutMs,
    connectTimeoutMs,
    evictionPolicy: evictionPolicy as ResolvedOptions["evictionPolicy"],
    replicas,
    pubSub: pubSub as ResolvedOptions["pubSub"],
    onError,
  };
}
