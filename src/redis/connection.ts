// Bounds on the Redis tracker's waits: a deadline on every call, whatever the client's own
// settings (a `client` passed in may have no command timeout and an offline queue), and the wait
// for a connection: the first one within the caller's deadline, a lost one not at all (fail fast,
// so the endpoint answers 503 at once while Redis is away).
import type { Cluster, Redis } from "ioredis";
import { RedisTrackerError, trackerFailure } from "./errors.js";

/** `promise`, or a `timeout` RedisTrackerError once `deadline` (a Date.now() time) has passed. */
export function within<T>(promise: Promise<T>, deadline: number): Promise<T> {
  const ms = deadline - Date.now();
  if (ms <= 0) {
    promise.catch(() => {});
    return Promise.reject(new RedisTrackerError("timeout", "Redis did not answer in time"));
  }
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new RedisTrackerError("timeout", "Redis did not answer in time")), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error as Error);
      },
    );
  });
}

// Errors that retrying the connection will not fix: ready() and the first observe() fail at once.
const LASTING = new Set(["auth", "tls", "permission"]);

/** The state of one connection, and a wait for it. */
export function connected(client: Redis | Cluster) {
  let everReady = client.status === "ready";
  let lastError: RedisTrackerError | null = null;
  const onReady = () => {
    everReady = true;
    lastError = null;
  };
  const onError = (e: unknown) => void (lastError = trackerFailure(e));
  client.on("ready", onReady);
  client.on("error", onError);
  const unavailable = () => lastError ?? new RedisTrackerError("connection", "No connection to Redis");

  return {
    /** Stops watching (a `client` passed in outlives the tracker). */
    dispose() {
      client.off("ready", onReady);
      client.off("error", onError);
    },
    /** Resolves while the connection is up; else waits for its first connection until `deadline`. */
    until(deadline: number): Promise<void> {
      if (client.status === "ready") return Promise.resolve();
      if (everReady || client.status === "end" || (lastError && LASTING.has(lastError.reason))) {
        return Promise.reject(unavailable());
      }
      return new Promise<void>((resolve, reject) => {
        const done = (error?: RedisTrackerError) => {
          clearTimeout(timer);
          client.off("ready", onReady);
          client.off("error", onError);
          if (error) reject(error);
          else resolve();
        };
        const onReady = () => done();
        const onError = (e: unknown) => {
          const failure = trackerFailure(e);
          if (LASTING.has(failure.reason)) done(failure);
        };
        const timer = setTimeout(
          () => done(lastError ?? new RedisTrackerError("timeout", "No connection to Redis in time")),
          Math.max(0, deadline - Date.now()),
        );
        client.on("ready", onReady);
        client.on("error", onError);
      });
    },
  };
}
