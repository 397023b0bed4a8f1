// 6. Redis tracker throughput: outcomes/s through observe() on one replica + track() on another
// (settled from the publication), vs bare ioredis doing the same work: the same script call, MGET
// look-up and subscriber (the reference the target is held to), and the MULTI/SET/SET/PUBLISH/EXEC
// + MGET the tracker used to send (6 commands). A real redis-server on 127.0.0.1 (no persistence:
// this measures the client side), 64 outcomes in flight, rounds interleaved, median. Commands per
// outcome are counted by Redis (INFO commandstats).
//   node bench/redis.mjs   (BENCH_REDIS_OUTCOMES, default 20,000 per round; BENCH_REDIS_ROUNDS, default 7)
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { parseCommsNotifications } from "../dist/index.js";
import { createRedisOperationTracker } from "../dist/redis.js";
import { median, row } from "./lib.mjs";

const OUTCOMES = Number(process.env.BENCH_REDIS_OUTCOMES ?? 20_000);
const ROUNDS = Number(process.env.BENCH_REDIS_ROUNDS ?? 7);
const IN_FLIGHT = 64;
const TTL_MS = 3_600_000;
// The tracker's own script (src/redis/record-script.ts), for the bare reference that does the same work.
const RECORD_SCRIPT = `
local k = 1
for i = 3, #ARGV, 2 do
  local record = ARGV[i + 1]
  for _ = 1, tonumber(ARGV[i]) do
    redis.call("SET", KEYS[k], record, "PX", ARGV[1])
    k = k + 1
  end
  redis.call("PUBLISH", ARGV[2], record)
end
return k - 1
`;

async function startServer() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, "127.0.0.1", () => resolve(undefined)));
  const { port } = /** @type {import("node:net").AddressInfo} */ (probe.address());
  await new Promise((resolve) => probe.close(resolve));
  const dir = mkdtempSync(join(tmpdir(), "bench-redis-"));
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no"],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => (out += d) && out.includes("Ready to accept connections") && resolve(undefined));
    child.once("exit", (code) => reject(new Error(`redis-server exited ${code}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop() {
      child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The parsed final callbacks of one round (outside the timed part, for every contender alike). */
const callbacks = (tag) =>
  Array.from(
    { length: OUTCOMES },
    (_, i) =>
      parseCommsNotifications({
        value: [
          {
            changeType: "deleted",
            resourceUrl: `/communications/calls/call-1/operations/${tag}-op-${i}`,
            resourceData: {
              "@odata.type": "#microsoft.graph.inviteParticipantsOperation",
              id: `${tag}-op-${i}`,
              clientContext: `${tag}-ctx-${i}`,
              status: "completed",
            },
          },
        ],
      })[0],
  );

/** Runs `one` over every event, IN_FLIGHT at a time; seconds taken. */
async function drive(events, one) {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < events.length) await one(events[next++]);
    }),
  );
  return (performance.now() - start) / 1000;
}

/**
 * Bare ioredis, laid out as the two trackers are: the sending replica's connection looks up and
 * subscribes, the receiving replica's connection records.
 */
async function bare(url, prefix, record) {
  const sender = new Redis(url);
  const commands = new Redis(url);
  const subscriber = new Redis(url);
  const otherSubscriber = new Redis(url); // the receiving replica's: every replica gets every outcome
  commands.defineCommand("record", { lua: RECORD_SCRIPT });
  const waiting = new Map();
  const channel = `${prefix}final`;
  subscriber.on("message", (_, message) => {
    const outcome = JSON.parse(message);
    const settle = waiting.get(outcome.operationId);
    if (settle) {
      waiting.delete(outcome.operationId);
      settle(outcome.operation);
    }
  });
  otherSubscriber.on("message", (_, message) => waiting.get(JSON.parse(message).operationId));
  await Promise.all([subscriber.subscribe(channel), otherSubscriber.subscribe(channel)]);
  const keys = (e) => [`${prefix}op:${e.operationId}`, `${prefix}ctx:${e.clientContext}`];
  return {
    async one(e) {
      const settled = new Promise((resolve) => waiting.set(e.operationId, resolve));
      const lookUp = sender.mget(...keys(e)); // what track() does
      const text = JSON.stringify({
        operationId: e.operationId,
        clientContext: e.clientContext,
        operation: e.operation,
      });
      await record(commands, keys(e), text, channel);
      await lookUp;
      await settled;
    },
    close: () => [sender, commands, subscriber, otherSubscriber].forEach((c) => c.disconnect()),
  };
}

const viaScript = (commands, [op, ctx], text, channel) => commands.record(2, op, ctx, TTL_MS, channel, 2, text);
const viaMulti = async (commands, [op, ctx], text, channel) => {
  const results = await commands
    .multi()
    .set(op, text, "PX", TTL_MS)
    .set(ctx, text, "PX", TTL_MS)
    .publish(channel, text)
    .exec();
  if (!results || results.some(([error]) => error)) throw new Error("MULTI failed");
};

async function tracked(url) {
  const options = { url, keyPrefix: "bench:", onError: () => {} };
  const [sender, receiver] = [createRedisOperationTracker(options), createRedisOperationTracker(options)];
  await Promise.all([sender.ready(), receiver.ready()]);
  return {
    async one(e) {
      const done = sender.track({ clientContext: e.clientContext, operationId: e.operationId });
      await receiver.observe([e]);
      await done;
    },
    close: () => Promise.all([sender.close(), receiver.close()]),
  };
}

/**
 * Commands per outcome, counted by Redis (INFO commandstats): sent by the client (a script's inner
 * SET and PUBLISH are its work, not round trips), and executed in all.
 */
async function commandsPerOutcome(admin) {
  const calls = {};
  for (const [, name, n] of (await admin.info("commandstats")).matchAll(/cmdstat_([a-z|]+):calls=(\d+)/g)) {
    if (!/^(info|flushdb|subscribe|config|client|select)/.test(name)) calls[name] = Number(n);
  }
  const scripted = (calls.eval ?? 0) + (calls.evalsha ?? 0) > 0;
  const executed = Object.values(calls).reduce((a, b) => a + b, 0);
  const inner = scripted ? (calls.set ?? 0) + (calls.publish ?? 0) : 0;
  return { sent: (executed - inner) / OUTCOMES, executed: executed / OUTCOMES };
}

export async function benchRedis() {
  const server = await startServer();
  const admin = new Redis(server.url);
  try {
    const contenders = {
      bareScript: await bare(server.url, "{bare-script:}", viaScript),
      bareMulti: await bare(server.url, "{bare-multi:}", viaMulti),
      tracker: await tracked(server.url),
    };
    /** @type {Record<string, number[]>} */
    const seconds = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
    const commands = {};
    for (let round = -1; round < ROUNDS; round++) {
      // round -1 warms up (script loading, JIT) and is not counted
      const all = Object.entries(contenders);
      const turn = Math.max(0, round) % all.length; // rotated: no contender always runs first
      const order = [...all.slice(turn), ...all.slice(0, turn)];
      for (const [name, contender] of order) {
        const events = callbacks(`${name}-${round}`);
        await admin.flushdb();
        await admin.config("RESETSTAT");
        const s = await drive(round < 0 ? events.slice(0, 2_000) : events, contender.one);
        if (round < 0) continue;
        seconds[name].push(s);
        commands[name] = await commandsPerOutcome(admin);
      }
    }
    await Promise.all(Object.values(contenders).map((c) => c.close()));
    const rate = (name) => OUTCOMES / median(seconds[name]);
    // The machine's load drifts between rounds more than the contenders differ: each ratio is the
    // median of the per-round ratios (the contenders of a round run back to back), its range shown.
    const ratios = (name) => seconds[name].map((s, r) => seconds.bareScript[r] / s).sort((a, b) => a - b);
    const section = `Redis tracker (${OUTCOMES.toLocaleString("en-US")} outcomes/round, ${IN_FLIGHT} in flight, outcomes/s; ratio: median of ${ROUNDS} interleaved rounds' ratios)`;
    const contender = (name, label, target) => {
      const r = ratios(name);
      const measured = row(section, label, rate(name), "outcomes/s", rate("bareScript"), {
        target,
        extra: {
          "commands sent per outcome": +commands[name].sent.toFixed(2),
          "executed (with a script's)": +commands[name].executed.toFixed(2),
          ...(name === "bareScript" ? {} : { "round ratios": `${r[0].toFixed(2)}–${(r.at(-1) ?? 0).toFixed(2)}` }),
        },
      });
      const ratio = median(r);
      return { ...measured, ratio, meets: target === undefined ? null : ratio >= target };
    };
    return [
      contender("bareScript", "bare ioredis: record script + MGET + 2 subscribers (reference)"),
      contender("bareMulti", "bare ioredis: MULTI SET SET PUBLISH EXEC + MGET + 2 subscribers (the former commands)"),
      contender("tracker", "observe() + track() on two trackers", 0.8),
    ];
  } finally {
    admin.disconnect();
    server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await benchRedis();
  for (const r of rows) {
    const verdict = r.meets === null ? "" : r.meets ? `meets ${r.target}×` : `misses ${r.target}×`;
    console.log(
      `${r.name}: ${Math.round(r.value)} ${r.unit}, ${(r.ratio ?? 0).toFixed(2)}× ${verdict} ${JSON.stringify(r.extra ?? {})}`,
    );
  }
}
