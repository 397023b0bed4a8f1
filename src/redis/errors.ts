// RedisTrackerError: every failure the Redis tracker reports, typed by reason and stripped of
// payloads. ioredis's errors carry the command they answer (`command.args`: the stored outcome,
// with phone numbers and clientContext), and some server replies quote arguments ("unknown
// command 'x', with args beginning with: ..."): neither may reach onError, logs or messages.

/** Why the Redis tracker failed or reported something. */
export type RedisTrackerErrorReason =
  /** Wrong password or user, or a server that requires one (WRONGPASS, NOAUTH). */
  | "auth"
  /** The ACL user lacks a command, key or channel the tracker needs (NOPERM). */
  | "permission"
  /** The TLS handshake failed: an untrusted CA, a wrong host name, an expired certificate, no TLS on the port. */
  | "tls"
  /** No connection: refused, reset, closed, host not found, or what answers is not Redis. */
  | "connection"
  /** Redis did not answer within `commandTimeoutMs` (or `connectTimeoutMs` for ready()). */
  | "timeout"
  /** Redis is at `maxmemory` and refuses writes (OOM): nothing was acknowledged. */
  | "out-of-memory"
  /** `maxmemory-policy` is not `noeviction`: acknowledged outcomes could be evicted before their track(). */
  | "eviction-policy"
  /** `CONFIG GET maxmemory-policy` is not allowed here (managed services): the policy could not be checked. */
  | "eviction-policy-unchecked"
  /** Fewer replicas than `replicas.count` acknowledged the write within `replicas.timeoutMs`. */
  | "replicas"
  /** A stored outcome that is not one this tracker writes (ignored). */
  | "bad-record"
  /** A publication on the tracker's channel that is not one this tracker publishes (ignored). */
  | "bad-publication"
  /** The server lacks a command an option needs: SSUBSCRIBE and SPUBLISH for `pubSub: "sharded"` (Redis 7 and later). */
  | "unsupported"
  /** Any other error reply from Redis. */
  | "command"
  /** The tracker was closed. */
  | "closed";

/**
 * A failure of the Redis tracker; `redisCode` is Redis's error code or Node's (WRONGPASS,
 * ECONNREFUSED, ...), never payload. `code` is the package's own (ERROR_CODES).
 */
export class RedisTrackerError extends Error {
  /** `"RedisTrackerError"`, the class's name, in stack traces and logs; a field, so minifying keeps it. */
  override readonly name = "RedisTrackerError";
  /** `"REDIS_TRACKER_FAILED"`: the stable code of docs/errors.md's table (ERROR_CODES.RedisTrackerError); match on it where `instanceof` cannot work. */
  readonly code = "REDIS_TRACKER_FAILED" as const;

  constructor(
    /** What failed, by kind (see RedisTrackerErrorReason): what to branch on, e.g. `auth` or `eviction-policy` to fix the setup. */
    readonly reason: RedisTrackerErrorReason,
    message: string,
    /** Redis's error code (`WRONGPASS`, `NOPERM`, `OOM`, ...) or Node's (`ECONNREFUSED`, ...); null when there was none. */
    readonly redisCode: string | null = null,
  ) {
    super(redisCode === null ? message : `${message} (${redisCode})`);
  }
}

// Node's codes for a failed TLS handshake (node:tls / OpenSSL).
const TLS_CODES =
  /^(ERR_TLS_|ERR_SSL_|SELF_SIGNED_CERT|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_(VERIFY|GET)_|CERT_|EPROTO$|ERR_OSSL)/;
const CONNECTION_CODES = /^(ECONNREFUSED|ECONNRESET|ECONNABORTED|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)$/;

const REPLY_REASONS: Record<string, RedisTrackerErrorReason> = {
  WRONGPASS: "auth",
  NOAUTH: "auth",
  NOPERM: "permission",
  OOM: "out-of-memory",
};

const TLS_FAILED = "The TLS handshake with Redis failed";

/** The typed, payload-free form of whatever ioredis or Node rejected with. */
export function trackerFailure(error: unknown): RedisTrackerError {
  if (error instanceof RedisTrackerError) return error;
  const e = (error ?? {}) as { name?: unknown; message?: unknown; code?: unknown };
  const message = typeof e.message === "string" ? e.message : "";
  const code = typeof e.code === "string" ? e.code : null;
  // An error reply starts with its code, one word in capitals: ERR, WRONGPASS, NOPERM, OOM, MOVED, ...
  const replyCode = /^([A-Z][A-Z_]+)\b/.exec(message)?.[1] ?? null;
  // A reply, or one re-thrown as a plain Error (a Node error's text may start with its code too).
  if (e.name === "ReplyError" || (replyCode !== null && code === null)) {
    // Only the reply's error code (its first word) is kept: the rest may quote the arguments.
    const redisCode = replyCode ?? "ERR";
    return new RedisTrackerError(REPLY_REASONS[redisCode] ?? "command", "Redis refused the command", redisCode);
  }
  if (code !== null) return nodeFailure(code);
  // No code: ioredis's own errors, told apart by their text ("Protocol error": what answers at the
  // address is not Redis, ioredis's ParserError).
  if (/timed? ?out/i.test(message)) return new RedisTrackerError("timeout", "Redis did not answer in time");
  if (/SSL|TLS|certificate/i.test(message)) return new RedisTrackerError("tls", TLS_FAILED);
  if (/connect|stream|closed|isn't ready|max retries|startup nodes|slots cache|protocol error/i.test(message)) {
    return new RedisTrackerError("connection", "No usable connection to Redis");
  }
  // ioredis refusing a command before sending it (a pipeline across slots, ...).
  return new RedisTrackerError("command", "ioredis refused the command");
}

/** A failure with one of Node's codes (node:net, node:tls, node:dns): judged by the code alone. */
function nodeFailure(code: string): RedisTrackerError {
  if (TLS_CODES.test(code)) return new RedisTrackerError("tls", TLS_FAILED, code);
  if (CONNECTION_CODES.test(code)) return new RedisTrackerError("connection", "No connection to Redis", code);
  if (code === "ETIMEDOUT") return new RedisTrackerError("timeout", "Redis did not answer in time");
  return new RedisTrackerError("connection", "No usable connection to Redis", code);
}

// Redis 7: "unknown command 'ssubscribe'"; Redis 6: "unknown command `ssubscribe`". From the script
// (where SPUBLISH is the only command that can be unknown): "Unknown Redis command called from
// script" (Redis 7), "... from Lua script" (Redis 6), "Unknown command called from script" (Valkey).
const UNKNOWN_SHARDED =
  /unknown command ['`]?s(?:subscribe|publish)\b|unknown (?:\w+ )?command called from (?:lua )?script/i;

/**
 * As trackerFailure, and an unknown SSUBSCRIBE or SPUBLISH (also inside the record script) is
 * reason `unsupported`: the server predates sharded pub/sub (or has them renamed away). The reply's
 * text is only tested here, never kept.
 */
export function shardedFailure(error: unknown): RedisTrackerError {
  const failure = trackerFailure(error);
  const message = (error as { message?: unknown } | null)?.message;
  if (typeof message === "string" && UNKNOWN_SHARDED.test(message)) {
    const text = 'This Redis has no sharded pub/sub (SSUBSCRIBE, SPUBLISH: Redis 7 and later); use pubSub "classic"';
    return new RedisTrackerError("unsupported", text, failure.redisCode);
  }
  return failure;
}
