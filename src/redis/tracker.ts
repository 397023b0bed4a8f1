// createRedisOperationTracker: the operation tracker shared by every replica of a bot, on Redis.
// Graph posts each callback to the call's callback URL, so the outcome of an invite sent by replica
// A often reaches replica B. Each final operation event is written to Redis (kept for outcomeTtlMs)
// and published; every replica's track() settles from the publication, or from the stored record
// when the callback came first, or came while the replica was away.
import { Redis, type RedisOptions } from "ioredis";
import { operationStatus, type CallbackEvent, type OperationEvent } from "../callbacks/parse.js";
import type { TrackTarget } from "../callbacks/tracker.js";
import { InviteOperationFailedError, InviteOperationTimeoutError, OperationTrackerError } from "../errors.js";
import type { InviteParticipantsOperation } from "../schema-types.js";

export interface RedisOperationTrackerOptions {
  /** A Redis URL (`redis://host:port/db`); or pass `client`. */
  url?: string;
  /** An ioredis client for commands (its options are reused for the subscriber it duplicates). Not closed by close(). */
  client?: Redis;
  /** Prefix of every key and of the channel. Default `graph-invite:`. */
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
}

export interface RedisOperationTracker {
  /** As the in-memory tracker's: settles from a callback received by any replica, before or after. */
  track(target: TrackTarget): Promise<InviteParticipantsOperation>;
  /**
   * Records the final operation events and publishes them to every replica. Resolves once Redis has
   * them; rejects when it cannot take them (then the endpoint answers 503, and Graph sends again).
   */
  observe(events: readonly CallbackEvent[]): Promise<void>;
  /** How many track() calls wait on this replica (early callbacks wait in Redis, not here). */
  readonly size: { pending: number; buffered: number };
  /** Ends the tracker: pending track() calls reject with a timeout error; connections it opened are closed. */
  close(): Promise<void>;
}

/** What is stored and published for one final operation event. */
interface Outcome {
  operationId: string | null;
  clientContext: string | null;
  operation: InviteParticipantsOperation;
}

interface Pending {
  target: TrackTarget;
  operationId: string | null;
  resolve: (operation: InviteParticipantsOperation) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

const isFinal = (status: string | null | undefined) => {
  const normalized = operationStatus(status);
  return normalized === "completed" || normalized === "failed";
};

export function createRedisOperationTracker(options: RedisOperationTrackerOptions): RedisOperationTracker {
  if (!options.client && !options.url) throw new TypeError("createRedisOperationTracker: pass `url` or `client`");
  const prefix = options.keyPrefix ?? "graph-invite:";
  const timeoutMs = options.timeoutMs ?? 90_000;
  const ttlMs = options.outcomeTtlMs ?? options.bufferMs ?? 60 * 60_000;
  const maxPending = options.maxPending ?? Number.POSITIVE_INFINITY;
  const channel = `${prefix}final`;
  const opKey = (id: string) => `${prefix}op:${id}`;
  const ctxKey = (ctx: string) => `${prefix}ctx:${ctx}`;

  // Commands fail at once while Redis is away (no offline queue): observe() rejects, and the
  // endpoint answers 503 instead of acknowledging what it could not record.
  const connection: RedisOptions = { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false };
  const commands = options.client ?? new Redis(options.url!, connection);
  const subscriber = options.client
    ? options.client.duplicate({ enableOfflineQueue: true })
    : new Redis(options.url!, { lazyConnect: false });
  const owned = options.client ? [subscriber] : [commands, subscriber];

  const byOperationId = new Map<string, Pending>();
  const byClientContext = new Map<string, Pending>();
  let closed = false;

  function forget(p: Pending) {
    clearTimeout(p.timer);
    byClientContext.delete(p.target.clientContext);
    if (p.operationId !== null) byOperationId.delete(p.operationId);
  }

  function settle(p: Pending, operation: InviteParticipantsOperation) {
    forget(p); // once: a settled track() is no longer found, whatever else arrives
    if (operationStatus(operation.status) === "completed") p.resolve(operation);
    else p.reject(new InviteOperationFailedError(operation));
  }

  /** The pending track() an outcome settles: by operation id; by clientContext only where one side has no id. */
  function pendingFor(outcome: Outcome): Pending | undefined {
    const byId = outcome.operationId !== null ? byOperationId.get(outcome.operationId) : undefined;
    if (byId || outcome.clientContext === null) return byId;
    const byContext = byClientContext.get(outcome.clientContext);
    return byContext && (outcome.operationId === null || byContext.operationId === null) ? byContext : undefined;
  }

  /** Looks for a stored outcome of `p` (a callback that came first, or while this replica was away). */
  async function lookUp(p: Pending) {
    const [byId, byContext] = await commands.mget(
      p.operationId !== null ? opKey(p.operationId) : `${prefix}none`,
      ctxKey(p.target.clientContext),
    );
    if (!byClientContext.has(p.target.clientContext) || byClientContext.get(p.target.clientContext) !== p) return;
    const stored = [byId, byContext].filter((v): v is string => v !== null).map((v) => JSON.parse(v) as Outcome);
    const claimable = stored.find(
      (o) =>
        (p.operationId !== null && o.operationId === p.operationId) || p.operationId === null || o.operationId === null,
    );
    if (claimable) settle(p, claimable.operation);
  }

  const lookUpAll = () => {
    for (const p of [...byClientContext.values()]) lookUp(p).catch(() => {}); // retried on the next ready
  };

  subscriber.on("message", (from: string, message: string) => {
    if (from !== channel) return;
    const outcome = JSON.parse(message) as Outcome;
    const pending = pendingFor(outcome);
    if (pending) settle(pending, outcome.operation);
  });
  subscriber.on("error", () => {}); // ioredis reconnects by itself; the 'ready' handlers catch up
  commands.on("error", () => {});
  // Publications made while this replica was disconnected are gone: look the pending ones up again.
  subscriber.on("ready", lookUpAll);
  commands.on("ready", lookUpAll);
  const subscribed = subscriber.subscribe(channel).catch(() => {});

  return {
    track(target) {
      return new Promise<InviteParticipantsOperation>((resolve, reject) => {
        const operationId = target.operationId ?? target.operation?.id ?? null;
        if (closed) return reject(new OperationTrackerError("closed", "The operation tracker is closed"));
        if (byClientContext.has(target.clientContext) || (operationId !== null && byOperationId.has(operationId))) {
          return reject(
            new OperationTrackerError(
              "duplicate",
              `Already tracking an invite operation with clientContext ${target.clientContext}`,
            ),
          );
        }
        if (byClientContext.size >= maxPending) {
          return reject(
            new OperationTrackerError("full", `Already tracking ${maxPending} invite operations (maxPending)`),
          );
        }
        const timer = setTimeout(() => {
          forget(pending);
          reject(new InviteOperationTimeoutError(target.clientContext, operationId, timeoutMs));
        }, timeoutMs);
        const pending: Pending = { target, operationId, resolve, reject, timer };
        // Registered before the look-up, so a publication that races it still finds the track().
        byClientContext.set(target.clientContext, pending);
        if (operationId !== null) byOperationId.set(operationId, pending);
        if (target.operation && isFinal(target.operation.status)) return settle(pending, target.operation);
        void subscribed.then(() => lookUp(pending)).catch(() => {});
      });
    },

    async observe(events) {
      const finals = events.filter((e): e is OperationEvent => e.kind === "operation" && isFinal(e.operation.status));
      if (finals.length === 0) return;
      const write = commands.multi();
      for (const event of finals) {
        const outcome: Outcome = {
          operationId: event.operationId,
          clientContext: event.clientContext,
          operation: event.operation,
        };
        const text = JSON.stringify(outcome);
        if (event.operationId !== null) write.set(opKey(event.operationId), text, "PX", ttlMs);
        if (event.clientContext !== null) write.set(ctxKey(event.clientContext), text, "PX", ttlMs);
        write.publish(channel, text);
      }
      const results = await write.exec();
      const failed = results?.find(([error]) => error);
      if (!results || failed) throw failed?.[0] ?? new Error("Redis did not record the callback");
    },

    get size() {
      return { pending: byClientContext.size, buffered: 0 };
    },

    async close() {
      if (closed) return;
      closed = true;
      for (const pending of [...byClientContext.values()]) {
        forget(pending);
        pending.reject(new InviteOperationTimeoutError(pending.target.clientContext, pending.operationId, 0));
      }
      await Promise.all(owned.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}
