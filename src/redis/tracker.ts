// createRedisOperationTracker: the operation tracker shared by every replica of a bot, on Redis.
// Graph posts each callback to the call's callback URL, so the outcome of an invite sent by replica
// A often reaches replica B. Each final operation event is written to Redis (kept for outcomeTtlMs)
// and published; every replica's track() settles from the publication, or from the stored record
// when the callback came first, or came while the replica was away.
import { Redis, type RedisOptions } from "ioredis";
import type { CallbackEvent, OperationEvent } from "../notifications/parse.js";
import { createPendingTracks, isFinal, type PendingTrack, type TrackTarget } from "../tracking/pending-tracks.js";
import type { InviteParticipantsOperation } from "../schema-types.js";
import { instrumentTracker, telemetryOption, type Telemetry } from "../telemetry/hooks.js";

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
  /** `createTelemetry()`: a `settle` span per track(), the pending gauge, record failures. Default: none. */
  telemetry?: Telemetry;
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

export function createRedisOperationTracker(options: RedisOperationTrackerOptions): RedisOperationTracker {
  if (!options.client && !options.url) throw new TypeError("createRedisOperationTracker: pass `url` or `client`");
  telemetryOption(options.telemetry); // before any connection opens
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

  const pending = createPendingTracks(timeoutMs, maxPending);

  /** Looks for a stored outcome of `p` (a callback that came first, or while this replica was away). */
  async function lookUp(p: PendingTrack) {
    const [byId, byContext] = await commands.mget(
      p.operationId !== null ? opKey(p.operationId) : `${prefix}none`,
      ctxKey(p.target.clientContext),
    );
    if (!pending.waiting(p)) return;
    const stored = [byId, byContext].filter((v): v is string => v !== null).map((v) => JSON.parse(v) as Outcome);
    const claimable = stored.find(
      (o) =>
        (p.operationId !== null && o.operationId === p.operationId) || p.operationId === null || o.operationId === null,
    );
    if (claimable) pending.settle(p, claimable.operation);
  }

  const lookUpAll = () => {
    for (const p of pending.all()) lookUp(p).catch(() => {}); // retried on the next ready
  };

  subscriber.on("message", (from: string, message: string) => {
    if (from !== channel) return;
    const outcome = JSON.parse(message) as Outcome;
    const waiting = pending.find(outcome.operationId, outcome.clientContext);
    if (waiting) pending.settle(waiting, outcome.operation);
  });
  subscriber.on("error", () => {}); // ioredis reconnects by itself; the 'ready' handlers catch up
  commands.on("error", () => {});
  // Publications made while this replica was disconnected are gone: look the pending ones up again.
  subscriber.on("ready", lookUpAll);
  commands.on("ready", lookUpAll);
  const subscribed = subscriber.subscribe(channel).catch(() => {});

  return instrumentTracker(options.telemetry, "redis", {
    track(target) {
      // Registered before the look-up, so a publication that races it still finds the track().
      const { promise, pending: added } = pending.add(target);
      if (!added) return promise;
      if (target.operation && isFinal(target.operation.status)) pending.settle(added, target.operation);
      else void subscribed.then(() => lookUp(added)).catch(() => {});
      return promise;
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
      return { pending: pending.size, buffered: 0 };
    },

    async close() {
      if (pending.closed) return;
      pending.close();
      await Promise.all(owned.map((c) => c.quit().catch(() => c.disconnect())));
    },
  });
}
