// The Redis tracker across bot replicas, under load and failure: three replica processes
// (redis-replica.mjs, each its own connections) and a real redis-server (append-only, fsync always).
// REDIS_INVITES (default 10,000) invites are tracked on one replica while their callbacks go to a
// random one; a fifth of the callbacks come before their track(). Mid-run one replica is killed and
// its unsettled invites are tracked again on another; later Redis restarts, and the sender retries
// what was refused (503) as Graph would. Every invite must settle exactly once, with its own outcome.
import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { Agent, request } from "node:http";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it, vi } from "vitest";
import { recordFigure } from "../../support/figures.js";
import { startRedis, type TestRedis } from "../../support/redis.js";

const INVITES = Number(process.env.REDIS_INVITES ?? 10_000);
const REPLICAS = 3;
const CHUNK = 500;
const CONCURRENCY = 48;
const script = join(import.meta.dirname, "redis-replica.mjs");

interface Replica {
  child: ChildProcess;
  port: number;
  alive: boolean;
  exited: Promise<void>;
}
interface Settlement {
  replica: number;
  status: string;
  code?: unknown;
  at: number;
}

let redis: TestRedis | undefined;
const replicas: Replica[] = [];
afterAll(async () => {
  for (const r of replicas) if (r.alive) r.child.kill("SIGKILL");
  await Promise.all(replicas.map((r) => r.exited));
  await redis?.dispose();
});

const settled = new Map<string, Settlement[]>();
const ackedAt = new Map<string, number>();
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function startReplica(index: number, url: string): Promise<Replica> {
  const child = fork(script, [url, "load:"], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`replica ${index} exited (${code}) before listening`)));
    child.on("message", (message: { port?: number; settled?: string; status?: string; code?: unknown }) => {
      if (message.port) return resolve({ child, port: message.port, alive: true, exited });
      const list = settled.get(message.settled!) ?? [];
      list.push({ replica: index, status: message.status!, code: message.code, at: performance.now() });
      settled.set(message.settled!, list);
    });
  });
}

const outcomeOf = (i: number) => (i % 3 === 0 ? "failed" : "completed");
const body = (i: number) =>
  JSON.stringify({
    value: [
      {
        changeType: "deleted",
        resourceUrl: `/communications/calls/call-1/operations/op-${i}`,
        resourceData: {
          "@odata.type": "#microsoft.graph.inviteParticipantsOperation",
          id: `op-${i}`,
          clientContext: `inv-${i}`,
          status: outcomeOf(i),
          resultInfo: outcomeOf(i) === "failed" ? { code: 603, subcode: 0, message: "declined" } : null,
        },
      },
    ],
  });

/** POSTs one callback to a live replica (a random one), retrying 503s and lost connections until 202. */
async function deliver(i: number, pick: () => Replica): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const replica = pick();
    const status = await new Promise<number>((resolve) => {
      const req = request(
        {
          host: "127.0.0.1",
          port: replica.port,
          path: "/api/calls",
          method: "POST",
          agent,
          headers: { "content-type": "application/json" },
        },
        (res) => {
          res.resume().on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.on("error", () => resolve(0));
      req.end(body(i));
    });
    if (status === 202) {
      ackedAt.set(`inv-${i}`, performance.now());
      return attempt;
    }
    if (attempt > 400) throw new Error(`callback ${i} never acknowledged (last ${status})`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function inParallel<T>(items: T[], limit: number, run: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
}

describe("the Redis tracker across replicas", () => {
  it(`settles ${INVITES.toLocaleString("en-US")} invites exactly once through a replica kill and a Redis restart`, async () => {
    redis = await startRedis();
    for (let i = 0; i < REPLICAS; i++) replicas.push(await startReplica(i, redis.url));
    const stats = new Redis(redis.url);
    stats.on("error", () => {}); // it reconnects after the restart like the replicas
    const commandsSoFar = async () => Number(/total_commands_processed:(\d+)/.exec(await stats.info("stats"))![1]);
    const trackedOn = new Map<number, number>(); // invite → replica
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const pick = () => {
      const alive = replicas.filter((r) => r.alive);
      return alive[Math.floor(random() * alive.length)]!;
    };
    const track = (invites: number[]) => {
      const batches = new Map<number, Array<{ clientContext: string; operationId: string }>>();
      for (const i of invites) {
        let on = i % REPLICAS;
        if (!replicas[on]!.alive) on = replicas.findIndex((r) => r.alive);
        trackedOn.set(i, on);
        batches.set(on, [...(batches.get(on) ?? []), { clientContext: `inv-${i}`, operationId: `op-${i}` }]);
      }
      for (const [on, targets] of batches) replicas[on]!.child.send({ track: targets });
    };

    const started = performance.now();
    const commandsAtStart = await commandsSoFar();
    let commandsPerCallback = 0;
    let retries = 0;
    const chunks = Math.ceil(INVITES / CHUNK);
    for (let c = 0; c < chunks; c++) {
      const invites = Array.from({ length: Math.min(CHUNK, INVITES - c * CHUNK) }, (_, k) => c * CHUNK + k);
      const early = invites.filter((i) => i % 5 === 0); // their callback comes first
      track(invites.filter((i) => i % 5 !== 0));
      await inParallel(invites, CONCURRENCY, async (i) => void (retries += (await deliver(i, pick)) - 1));
      track(early);

      if (c === Math.floor(chunks * 0.3)) {
        // A replica dies: its unsettled invites are tracked again on another, and settle from Redis.
        const victim = replicas[REPLICAS - 1]!;
        victim.alive = false;
        victim.child.kill("SIGKILL");
        await victim.exited; // every settlement it reported has arrived
        const orphans = [...trackedOn]
          .filter(([i, on]) => on === REPLICAS - 1 && !settled.has(`inv-${i}`))
          .map(([i]) => i);
        track(orphans);
      }
      if (c === Math.floor(chunks * 0.6)) {
        commandsPerCallback = ((await commandsSoFar()) - commandsAtStart) / ((c + 1) * CHUNK);
        await redis.stop(); // callbacks now get 503 until it is back; the sender retries them
        setTimeout(() => void redis!.start(), 300);
      }
    }
    await vi.waitFor(() => expect(settled.size).toBe(INVITES), { timeout: 60_000, interval: 100 });
    const seconds = (performance.now() - started) / 1000;
    stats.disconnect();

    const wrong: string[] = [];
    for (let i = 0; i < INVITES; i++) {
      const list = settled.get(`inv-${i}`) ?? [];
      if (list.length !== 1) wrong.push(`inv-${i}: settled ${list.length} times`);
      else if (list[0]!.status.toLowerCase() !== outcomeOf(i) || (outcomeOf(i) === "failed" && list[0]!.code !== 603)) {
        wrong.push(`inv-${i}: ${list[0]!.status} ${String(list[0]!.code)}`);
      }
    }
    expect(wrong.slice(0, 10)).toEqual([]);

    const latencies = [...settled]
      .map(([ctx, [s]]) => s!.at - (ackedAt.get(ctx) ?? Infinity))
      .filter((ms) => ms >= 0)
      .sort((a, b) => a - b);
    const p99 = latencies[Math.floor(latencies.length * 0.99)] ?? 0;
    recordFigure("redis", {
      invites: INVITES,
      replicas: REPLICAS,
      seconds: +seconds.toFixed(1),
      callbacksPerSecond: Math.round(INVITES / seconds),
      p99SettleMs: +p99.toFixed(1),
      commandsPerCallback: +commandsPerCallback.toFixed(2),
      retriedDeliveries: retries,
      settledExactlyOnce: INVITES - wrong.length,
    });
  }, 180_000);
});
