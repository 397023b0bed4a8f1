// The Redis tracker's waits, on real redis-servers and real sockets: within() puts a deadline on
// any promise (a `client` passed in may have no command timeout of its own), and connected() waits
// for a connection: while it is up until() resolves at once; the first connection is waited for
// until the deadline (a refused port, a server that accepts and never answers); a connection that
// was up and is lost, an ended client, and a lasting error (a wrong password) fail at once, so the
// endpoint answers 503 while Redis is away instead of holding Graph's callback.
import { Redis, type RedisOptions } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { connected, within } from "../../src/redis/connection.js";
import { RedisTrackerError } from "../../src/redis/errors.js";
import { rawServer, type RawServer } from "../support/raw-server.js";
import { freePort, startRedis, type TestRedis } from "../support/redis.js";
import { timed } from "../support/timers.js";

let redis: TestRedis;
const clients: Redis[] = [];
const servers: TestRedis[] = [];
const sockets: RawServer[] = [];
beforeAll(async () => {
  redis = await startRedis({ args: ["--appendfsync", "no"] });
}, 30_000);
afterEach(async () => {
  vi.useRealTimers();
  for (const c of clients.splice(0)) c.disconnect();
  await Promise.all(servers.splice(0).map((s) => s.dispose()));
  await Promise.all(sockets.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await redis?.dispose();
});

/** A real ioredis client that retries every 50 ms (ioredis's own errors are watched by connected()). */
function client(options: RedisOptions) {
  const c = new Redis({ host: "127.0.0.1", retryStrategy: () => 50, ...options }).on("error", () => {});
  clients.push(c);
  return c;
}

const event = (c: Redis, name: string) => new Promise<void>((resolve) => c.once(name, () => resolve()));

/** A server that accepts connections and never answers: a Redis that never becomes ready. */
async function silentServer() {
  const server = await rawServer();
  sockets.push(server);
  return server.port;
}

describe("within", () => {
  it("resolves with the answer that comes before the deadline", async () => {
    await expect(within(Promise.resolve("PONG"), Date.now() + 1_000)).resolves.toBe("PONG");
  });

  it("passes the call's own failure through, untouched", async () => {
    const failure = new RedisTrackerError("out-of-memory", "Redis refused the command", "OOM");
    await expect(within(Promise.reject(failure), Date.now() + 1_000)).rejects.toBe(failure);
  });

  it("rejects with reason timeout once the deadline passes without an answer", async () => {
    vi.useFakeTimers();
    const never = new Promise<string>(() => {});
    let outcome: unknown;
    const waiting = within(never, Date.now() + 200).catch((e: unknown) => void (outcome = e));
    await vi.advanceTimersByTimeAsync(199);
    expect(outcome).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    await waiting;
    expect(outcome).toBeInstanceOf(RedisTrackerError);
    expect(outcome).toMatchObject({ reason: "timeout", message: "Redis did not answer in time", redisCode: null });
  });

  it("at the deadline exactly, rejects at once even an answer that is already there", async () => {
    vi.useFakeTimers({ toFake: ["Date", "setTimeout", "clearTimeout"] });
    vi.setSystemTime(1_000_000);
    const late = within(Promise.resolve("PONG"), 1_000_000);
    await expect(late).rejects.toBeInstanceOf(RedisTrackerError);
    await expect(late).rejects.toMatchObject({ reason: "timeout", message: "Redis did not answer in time" });
    // and a deadline long gone, likewise
    await expect(within(Promise.resolve("PONG"), 999_000)).rejects.toMatchObject({ reason: "timeout" });
  });

  it("a millisecond before the deadline, returns the answer that is there", async () => {
    vi.useFakeTimers({ toFake: ["Date", "setTimeout", "clearTimeout"] });
    vi.setSystemTime(1_000_000);
    await expect(within(Promise.resolve("PONG"), 1_000_001)).resolves.toBe("PONG");
  });

  it("bounds a real command to a server that never answers", async () => {
    const c = client({ port: await silentServer(), enableReadyCheck: false });
    const ping = timed(within(c.ping(), Date.now() + 300));
    const { error, ms } = await ping;
    expect(error).toMatchObject({ name: "RedisTrackerError", reason: "timeout" });
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(1_500);
  });
});

describe("connected(): until()", () => {
  it("resolves at once while the connection is up", async () => {
    const c = client({ port: redis.port });
    await c.ping();
    const state = connected(c);
    await expect(state.until(Date.now() + 1_000)).resolves.toBeUndefined();
    state.dispose();
  });

  it("waits for the first connection: resolves once a server comes up on a refused port", async () => {
    const port = await freePort();
    const c = client({ port });
    const state = connected(c);
    const refused = new Promise<unknown>((resolve) => c.once("error", resolve));
    const waiting = timed(state.until(Date.now() + 5_000));
    expect(await refused).toMatchObject({ code: "ECONNREFUSED" }); // a real refusal, and until() goes on waiting
    servers.push(await startRedis({ port, args: ["--appendfsync", "no"] }));
    const { resolved, ms } = await waiting;
    expect(resolved).toBe(true);
    expect(ms).toBeLessThan(4_500);
    state.dispose();
  }, 20_000);

  it("rejects at the deadline with the last error while the port stays refused", async () => {
    const c = client({ port: await freePort() });
    const state = connected(c);
    const { error, ms } = await timed(state.until(Date.now() + 400));
    expect(error).toBeInstanceOf(RedisTrackerError);
    expect(error).toMatchObject({ reason: "connection", redisCode: "ECONNREFUSED" });
    expect(ms).toBeGreaterThanOrEqual(350);
    expect(ms).toBeLessThan(1_500);
    state.dispose();
  });

  it("rejects at the deadline with reason timeout when the server accepts and never answers", async () => {
    const c = client({ port: await silentServer() });
    const state = connected(c);
    const { error, ms } = await timed(state.until(Date.now() + 400));
    expect(error).toBeInstanceOf(RedisTrackerError);
    expect(error).toMatchObject({ reason: "timeout", message: "No connection to Redis in time", redisCode: null });
    expect(ms).toBeGreaterThanOrEqual(350);
    expect(ms).toBeLessThan(1_500);
    state.dispose();
  });

  it("fails at once on a wrong password, while waiting and when asked after", async () => {
    const secured = await startRedis({ args: ["--appendfsync", "no", "--requirepass", "secret"] });
    servers.push(secured);
    const c = client({ port: secured.port, password: "wrong", retryStrategy: () => 2_000 });
    const state = connected(c);
    const first = await timed(state.until(Date.now() + 5_000));
    expect(first.error).toBeInstanceOf(RedisTrackerError);
    expect(first.error).toMatchObject({ reason: "auth", redisCode: "WRONGPASS" });
    expect(first.ms).toBeLessThan(2_000);
    // asked again before ioredis retries (in 2 s): what it was told stands
    const again = await timed(state.until(Date.now() + 5_000));
    expect(again.error).toMatchObject({ reason: "auth", redisCode: "WRONGPASS" });
    expect(again.ms).toBeLessThan(500);
    state.dispose();
  }, 20_000);

  it("with the right password, waits and resolves", async () => {
    const secured = await startRedis({ args: ["--appendfsync", "no", "--requirepass", "secret"] });
    servers.push(secured);
    const state = connected(client({ port: secured.port, password: "secret" }));
    await expect(state.until(Date.now() + 5_000)).resolves.toBeUndefined();
    state.dispose();
  }, 20_000);

  for (const when of ["ready before connected()", "ready after connected()"]) {
    it(`fails at once when a connection that was up is lost (${when})`, async () => {
      const lost = await startRedis({ args: ["--appendfsync", "no"] });
      servers.push(lost);
      const c = client({ port: lost.port });
      let state: ReturnType<typeof connected>;
      if (when === "ready before connected()") {
        await event(c, "ready");
        state = connected(c);
      } else {
        state = connected(c);
        await event(c, "ready");
      }
      await expect(state.until(Date.now() + 1_000)).resolves.toBeUndefined();
      const closed = event(c, "close");
      await lost.kill();
      await closed;
      const gone = await timed(state.until(Date.now() + 3_000));
      expect(gone.error).toBeInstanceOf(RedisTrackerError);
      expect(gone.error).toMatchObject({ reason: "connection" });
      expect(gone.ms).toBeLessThan(500);
      // still at once after ioredis's retries are refused, with what they found
      await event(c, "error");
      const refused = await timed(state.until(Date.now() + 3_000));
      expect(refused.error).toMatchObject({ reason: "connection", redisCode: "ECONNREFUSED" });
      expect(refused.ms).toBeLessThan(500);
      // and resolves again once the connection is back
      await lost.start();
      await event(c, "ready");
      await expect(state.until(Date.now() + 1_000)).resolves.toBeUndefined();
      state.dispose();
    }, 20_000);
  }

  it("fails at once, with reason connection, once a client that was up has ended", async () => {
    const c = client({ port: redis.port });
    await event(c, "ready");
    const state = connected(c);
    const ended = event(c, "end");
    c.disconnect();
    await ended;
    const { error, ms } = await timed(state.until(Date.now() + 3_000));
    expect(error).toBeInstanceOf(RedisTrackerError);
    expect(error).toMatchObject({ reason: "connection", message: "No connection to Redis", redisCode: null });
    expect(ms).toBeLessThan(500);
    state.dispose();
  });

  it("fails at once when a client that never connected has ended", async () => {
    const lazy = client({ port: redis.port, lazyConnect: true });
    const state = connected(lazy);
    lazy.disconnect(); // closed before it ever connected: no error, nothing to wait for
    expect(lazy.status).toBe("end");
    const ended = await timed(state.until(Date.now() + 3_000));
    expect(ended.error).toMatchObject({ reason: "connection", message: "No connection to Redis", redisCode: null });
    expect(ended.ms).toBeLessThan(500);
    state.dispose();

    const c = client({ port: await freePort(), retryStrategy: () => null }); // gives up after the first refusal
    const other = connected(c);
    await event(c, "end");
    const refused = await timed(other.until(Date.now() + 3_000));
    expect(refused.error).toMatchObject({ reason: "connection", redisCode: "ECONNREFUSED" });
    expect(refused.ms).toBeLessThan(500);
    other.dispose();
  });

  it("dispose() takes connected()'s listeners off the client, and a settled until() its own", async () => {
    const c = client({ port: redis.port });
    const listeners = (): [number, number] => [c.listenerCount("ready"), c.listenerCount("error")];
    const before = listeners();
    const state = connected(c);
    const watching = [before[0] + 1, before[1] + 1];
    expect(listeners()).toEqual(watching);
    await state.until(Date.now() + 5_000); // waited for the first connection
    expect(listeners()).toEqual(watching);
    state.dispose();
    expect(listeners()).toEqual(before);

    const s = client({ port: await silentServer() });
    const silent = connected(s);
    await event(s, "connect"); // ioredis has its own listeners on by then
    const counts = [s.listenerCount("ready"), s.listenerCount("error")];
    await expect(silent.until(Date.now() + 100)).rejects.toMatchObject({ reason: "timeout" });
    expect([s.listenerCount("ready"), s.listenerCount("error")]).toEqual(counts);
    silent.dispose();
  });
});
