// createRedisOperationTracker: the operation tracker shared by every replica of a bot, on Redis.
// Graph posts each callback to the call's callback URL, so the outcome of an invite sent by replica
// A often reaches replica B. Each final operation event is written to Redis (kept for outcomeTtlMs)
// and published, in one script call; every replica's track() settles from the publication, or from
// the stored record when the callback came first, or came while the replica was away.
import { Redis, type Cluster, type RedisOptions } from "ioredis";
import type { CallbackEvent } from "../notifications/parse.js";
import {
  createPendingTracks,
  finalInviteEvents,
  isFinal,
  terminatedCalls,
  type PendingTrack,
  type TrackTarget,
} from "../tracking/pending-tracks.js";
import type { InviteParticipantsOperation } from "../schema-types.js";
import { instrumentTracker, telemetryOption } from "../telemetry/hooks.js";
import { RedisTrackerError, shardedFailure, trackerFailure } from "./errors.js";
import { callEndOf, idsOf, names, outcomeOf, parseRecord, recordOf, type CallEnd, type Outcome } from "./outcome.js";
import { resolveOptions, type RedisOperationTrackerOptions } from "./options.js";
import { RECORD_COMMANDS, recordScript } from "./record-script.js";
import { checkEvictionPolicy } from "./eviction-policy.js";
import { connected, within } from "./connection.js";

export type { RedisOperationTrackerOptions } from "./options.js";

/**
 * The operation tracker shared by a bot's replicas, on Redis: what `createRedisOperationTracker()`
 * returns. Used as the in-memory one, except that `observe()` is asynchronous (pass it as the
 * endpoint's `record`, so a callback is acknowledged only once Redis has it) and `close()` too.
 */
export interface RedisOperationTracker {
  /** As the in-memory tracker's: settles from a callback received by any replica, before or after. */
  track(target: TrackTarget): Promise<InviteParticipantsOperation>;
  /**
   * Records the final operation events and publishes them to every replica. Resolves once Redis has
   * them (and, with `replicas`, that many replicas); rejects with RedisTrackerError within
   * `commandTimeoutMs` when it cannot (then the endpoint answers 503, and Graph sends again).
   */
  observe(events: readonly CallbackEvent[]): Promise<void>;
  /**
   * Resolves once both connections are up, the channel is subscribed and `maxmemory-policy` is
   * checked; rejects with RedisTrackerError (reason `auth`, `tls`, `permission`, `eviction-policy`,
   * `timeout`, `unsupported` for `pubSub: "sharded"` before Redis 7, ...) within `connectTimeoutMs`.
   * observe() and track() need not wait for it (they wait for the first connection themselves,
   * within their bounds), but a replica should before it takes traffic.
   */
  ready(): Promise<void>;
  /** How many track() calls wait on this replica (early callbacks wait in Redis, not here). */
  readonly size: { pending: number; buffered: number };
  /**
   * Ends the tracker: pending track() calls reject with a timeout error; connections it opened are
   * closed (QUIT within `commandTimeoutMs`, else dropped). A `client` passed in stays open.
   */
  close(): Promise<void>;
}

type Client = Redis | Cluster;
type Recording = Record<string, (...args: Array<string | number>) => unknown>;

/**
 * The operation tracker for bots with several replicas: outcomes are recorded in Redis (or a Redis
 * Cluster, or behind Sentinel) and published, so a track() on any replica settles from a callback
 * received by any other.
 *
 * @example
 * ```ts
 * const tracker = createRedisOperationTracker({ url: process.env.REDIS_URL!, keyPrefix: "my-bot:" });
 * await tracker.ready(); // connections up, eviction policy checked
 * const endpoint = createNodeMiddleware(createCallbackHandler(), {
 *   appId: process.env.BOT_APP_ID!,
 *   record: (events) => tracker.observe(events), // 202 only once Redis has them, else 503
 * });
 * const operation = await tracker.track(await client.invite(callId, body));
 * ```
 */
export function createRedisOperationTracker(options: RedisOperationTrackerOptions): RedisOperationTracker {
  const o = resolveOptions(options);
  telemetryOption(options.telemetry); // checked before any connection opens
  const { channel, byOperationId, byClientContext, byEndedCall } = names(o.prefix);
  const sharded = o.pubSub === "sharded";
  // The typed form of a failure; with sharded pub/sub an unknown SSUBSCRIBE or SPUBLISH is `unsupported`.
  const failure = sharded ? shardedFailure : trackerFailure;

  // Commands fail at once while Redis is away (no offline queue) and never wait longer than
  // commandTimeoutMs: observe() rejects, and the endpoint answers 503 instead of acknowledging what
  // it could not record. The subscriber queues its SUBSCRIBE until it connects.
  const own: RedisOptions = {
    enableOfflineQueue: false,
    // A command the lost connection did not answer fails instead of being sent again on the next one,
    // before the tracker has checked the eviction policy there (a failover's new master).
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 1,
    commandTimeout: o.commandTimeoutMs,
    connectTimeout: o.connectTimeoutMs,
    ...(options.tls ? { tls: options.tls } : {}),
    // undefined is ioredis's default (its options are filled in with lodash's defaults)
    username: options.username,
    password: options.password,
  };
  const given = options.client;
  const commands: Client = given ?? new Redis(options.url!, own);
  // A Cluster's subscriber is one connection to any node: fine for SUBSCRIBE (every node gets every
  // PUBLISH), not for SSUBSCRIBE, which only the shard owning the channel's slot accepts (elsewhere
  // MOVED, which ioredis 5 leaves unanswered). With `shardedSubscribers` ioredis keeps one
  // subscriber per master and sends each SSUBSCRIBE to the owner of its channel's slot, following
  // the slot map when it changes.
  // A single server's subscriber does not re-subscribe by itself (autoResubscribe): ioredis sends
  // that SUBSCRIBE without handling its rejection, an unhandled rejection that ends the process when
  // Redis refuses it (NOPERM once the user's channels are revoked). The 'ready' handler below sends it.
  const standalone = { enableOfflineQueue: true, autoResubscribe: false };
  const subscriber: Client = !given
    ? new Redis(options.url!, { ...own, ...standalone, commandTimeout: undefined })
    : given.isCluster
      ? (given as Cluster).duplicate([], { enableOfflineQueue: true, ...(sharded ? { shardedSubscribers: true } : {}) })
      : (given as Redis).duplicate(standalone);
  const shardedCluster = sharded && subscriber.isCluster;
  const owned = given ? [subscriber] : [commands, subscriber];
  // The tracker's own connections time commands out themselves (commandTimeout); a client passed in
  // gets the same bound from a timer of ours.
  const bounded: <T>(promise: Promise<T>, deadline: number) => Promise<T> = given ? within : (promise) => promise;
  const recordCommand = RECORD_COMMANDS[o.pubSub];
  commands.defineCommand(recordCommand, { lua: recordScript(o.pubSub) });

  // One more look-up, a look-up's time before a track() times out: an outcome stored while its
  // publication went unheard still settles it. (ioredis replaces a Cluster's lost classic subscriber
  // without any event, so the tracker cannot know to look again when it comes back.)
  const pending = createPendingTracks(o.timeoutMs, o.maxPending, {
    aheadMs: Math.min(o.commandTimeoutMs, Math.floor(o.timeoutMs / 2)),
    look: (p) => void lookUpReported(p),
  });
  const health = { commands: connected(commands), subscriber: connected(subscriber) };
  let policy: Promise<void> | null = null;
  let policyOk = false;
  // Stryker disable next-line StringLiteral: any start no kind equals is the same; every kind has a reason before its ':'
  let lastReported = "";

  /** Reports a background problem once per kind (connection errors repeat on every reconnect attempt). */
  function report(error: RedisTrackerError, always = false) {
    const kind = `${error.reason}:${error.redisCode ?? ""}`;
    if (!always && kind === lastReported) return;
    lastReported = kind;
    try {
      o.onError(error);
    } catch {
      // an onError that throws must not break the tracker's event handlers
    }
  }

  /** The eviction-policy check, once per connection (a failover can bring a master configured otherwise). */
  function policyChecked(deadline: number) {
    const check = (policy ??= checkEvictionPolicy(commands, o.evictionPolicy, deadline, report).then(
      // Stryker disable next-line ArrowFunction,BooleanLiteral: policyOk only lets observe() skip usable(), which resolves at once after a passed check
      () => void (policyOk = true),
      (e: unknown) => {
        const failure = trackerFailure(e);
        if (failure.reason !== "eviction-policy") policy = null; // transient: checked again next time
        throw failure;
      },
    ));
    return within(check, deadline);
  }

  /** Waits (within `deadline`) until commands can be sent and the policy allows recording. */
  async function usable(deadline: number) {
    if (pending.closed) throw new RedisTrackerError("closed", "The Redis tracker is closed");
    await health.commands.until(deadline);
    await policyChecked(deadline);
  }

  /**
   * Looks for a stored outcome of `p` (a callback that came first, or while this replica was away),
   * and for a stored end of its call.
   */
  async function lookUp(p: PendingTrack) {
    const keys = [byClientContext(p.target.clientContext)];
    if (p.operationId !== null) keys.unshift(byOperationId(p.operationId));
    if (p.callId !== null) keys.push(byEndedCall(p.callId));
    const deadline = Date.now() + o.commandTimeoutMs;
    await health.commands.until(deadline); // at once while connected
    const values = await bounded(commands.mget(...keys), deadline);
    if (!pending.waiting(p)) return;
    // Stryker disable next-line ArrayDeclaration: an element without ids (not an outcome) finds no track(), so is never claimed
    const stored: Outcome[] = [];
    let ended: CallEnd | null = null;
    for (const value of values) {
      if (value === null) continue;
      const record = parseRecord(value);
      if (record === null)
        report(new RedisTrackerError("bad-record", "Ignored a stored record this tracker did not write"), true);
      else if ("terminatedCallId" in record) ended = record;
      else stored.push(record);
    }
    // The in-memory tracker's correlation decides: the stored outcome is p's if a publication of it would settle p.
    const claimable = stored.find((s) => pending.find(s.operationId, s.clientContext) === p);
    if (claimable) pending.settle(p, claimable.operation);
    else if (ended) pending.terminateCall(ended.terminatedCallId, ended.resultInfo);
  }

  const lookUpReported = (p: PendingTrack) => lookUp(p).catch((e: unknown) => report(trackerFailure(e)));

  const lookUpAll = () => {
    for (const p of pending.all()) void lookUpReported(p);
  };

  const badPublication = () =>
    report(new RedisTrackerError("bad-publication", "Ignored a publication this tracker did not make"), true);
  // Every replica gets every publication. Its operation is checked in full only where a track()
  // waits for it (the others ignore it anyway): the check is most of a publication's cost. One
  // handler for both kinds of publication: ioredis emits SPUBLISH's as 'smessage'.
  // Its subscriber is subscribed to the tracker's channel only: every publication it hears is on it.
  const onPublication = (_channel: string, message: string) => {
    const record = recordOf(message);
    if (record === null) return badPublication();
    if ("terminatedCallId" in record) {
      const end = callEndOf(record);
      if (end === null) return badPublication();
      return pending.terminateCall(end.terminatedCallId, end.resultInfo);
    }
    const ids = idsOf(record);
    if (ids === null) return badPublication();
    const waiting = pending.find(ids.operationId, ids.clientContext);
    if (!waiting) return;
    const outcome = outcomeOf(record);
    if (outcome === null) return badPublication();
    pending.settle(waiting, outcome.operation);
  };
  subscriber.on(sharded ? "smessage" : "message", onPublication);
  const onError = (e: unknown) => report(trackerFailure(e)); // ioredis reconnects by itself
  const onCommandsReady = () => {
    // Stryker disable next-line StringLiteral: as at its declaration, any value no kind equals forgets the last one
    lastReported = "";
    policy = null;
    policyOk = false;
    lookUpAll();
  };
  for (const client of [commands, subscriber]) client.on("error", onError);
  commands.on("ready", onCommandsReady);
  const subscribe = () => (sharded ? subscriber.ssubscribe(channel) : subscriber.subscribe(channel));
  // Publications made while this replica was disconnected are gone: look the pending ones up again,
  // once the subscription is back (a single server's subscriber is subscribed again here, not by
  // ioredis; a Cluster's classic subscriber is, and this SUBSCRIBE, idempotent, returns after the
  // server confirms), so that whatever is published after the look-up reaches the subscriber. A Cluster's sharded subscribers reconnect
  // on their own, without the Cluster's 'ready': ioredis emits 'subscribersReady' once it has
  // replaced them and re-sent their SSUBSCRIBEs. It also keeps every SSUBSCRIBE's channel in a list
  // it re-sends, duplicates included: ours is sent only when there is something to look up.
  subscriber.on(shardedCluster ? "subscribersReady" : "ready", () => {
    if (shardedCluster && pending.size === 0) return;
    subscribe().then(lookUpAll, (e: unknown) => report(failure(e)));
  });
  const subscribed = subscribe().then(
    () => {},
    (e: unknown) => {
      throw failure(e);
    },
  );
  subscribed.catch(() => {}); // reported through ready(); subscribed again on reconnect

  return instrumentTracker(options.telemetry, "redis", {
    track(target) {
      // Registered before the look-up, so a publication that races it still finds the track().
      const { promise, pending: added } = pending.add(target);
      if (!added) return promise;
      if (target.operation && isFinal(target.operation.status)) {
        pending.settle(added, target.operation);
        return promise;
      }
      void subscribed.then(
        () => lookUpReported(added),
        () => {},
      );
      return promise;
    },

    async observe(events) {
      // Only the invite's operations settle an invite; one with neither an id nor a clientContext
      // settles none (and has no key: a script without keys, sent to any node of a Cluster, could
      // not SPUBLISH to a channel of another node's slot).
      const finals = finalInviteEvents(events).filter((e) => e.operationId !== null || e.clientContext !== null);
      const ended = terminatedCalls(events); // a call that ended fails its pending invites, on every replica
      if (finals.length === 0 && ended.length === 0) return;
      const deadline = Date.now() + o.commandTimeoutMs;
      const keys: string[] = [];
      const args: Array<string | number> = [o.ttlMs, channel];
      for (const event of ended) {
        const end: CallEnd = { terminatedCallId: event.callId, resultInfo: event.resultInfo };
        keys.push(byEndedCall(event.callId));
        args.push(1, JSON.stringify(end));
      }
      for (const event of finals) {
        const outcome: Outcome = {
          operationId: event.operationId,
          clientContext: event.clientContext,
          operation: event.operation,
        };
        const own: string[] = [];
        if (event.operationId !== null) own.push(byOperationId(event.operationId));
        if (event.clientContext !== null) own.push(byClientContext(event.clientContext));
        keys.push(...own);
        args.push(own.length, JSON.stringify(outcome));
      }
      try {
        if (pending.closed || commands.status !== "ready" || !policyOk) await usable(deadline);
        const record = (to: unknown) => (to as Recording)[recordCommand]!(keys.length, ...keys, ...args);
        if (!o.replicas) {
          await bounded(record(commands) as Promise<unknown>, deadline);
          return;
        }
        // One round trip still: the script and WAIT in one pipeline.
        const batch = commands.pipeline();
        record(batch);
        batch.wait(o.replicas.count, o.replicas.timeoutMs);
        // A pipeline (not a MULTI: no WATCH to abort it) resolves with one [error, reply] per command, never null.
        const results = (await bounded(batch.exec(), deadline))!;
        const failed = results.find(([error]) => error);
        if (failed) throw failed[0];
        const acknowledged = results[1]![1] as number;
        if (acknowledged < o.replicas.count) {
          const message = `${acknowledged} of ${o.replicas.count} replicas acknowledged within ${o.replicas.timeoutMs} ms`;
          throw new RedisTrackerError("replicas", message);
        }
      } catch (e) {
        throw failure(e);
      }
    },

    async ready() {
      const deadline = Date.now() + o.connectTimeoutMs;
      try {
        await Promise.all([usable(deadline), health.subscriber.until(deadline), within(subscribed, deadline)]);
      } catch (e) {
        throw trackerFailure(e);
      }
    },

    get size() {
      return { pending: pending.size, buffered: 0 };
    },

    async close() {
      if (pending.closed) return;
      pending.close();
      if (given) {
        // A `client` passed in outlives the tracker: take the tracker's listeners off it.
        commands.off("error", onError);
        commands.off("ready", onCommandsReady);
        health.commands.dispose();
      }
      const deadline = Date.now() + o.commandTimeoutMs;
      await Promise.all(
        owned.map(async (c) => {
          // QUIT only on a live connection (on a dead one ioredis waits for a reconnect), and bounded.
          if (c.status === "ready") await within(c.quit(), deadline).catch(() => {});
          c.disconnect();
        }),
      );
    },
  });
}
