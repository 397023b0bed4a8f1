// 5. Callback intake: callbacks per second through createNodeMiddleware (with dispatch) vs a bare
// node:http handler that only JSON.parses, driven by autocannon on 127.0.0.1. Each server runs in
// its own process; their rounds alternate, so the machine's drift falls on both alike.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import autocannon from "autocannon";
import { median, row } from "./lib.mjs";

const body = readFileSync(
  new URL("../test/fixtures/docs/example1-notification-operation-completed.json", import.meta.url),
  "utf8",
);

async function startServer(mode) {
  const server = spawn(process.execPath, [new URL("./intake-server.mjs", import.meta.url).pathname, mode], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise((resolve, reject) => {
    server.stdout.once("data", (d) => resolve(Number(String(d).trim())));
    server.once("exit", (code) => reject(new Error(`intake server exited ${code}`)));
  });
  /** @type {import("autocannon").Options} */
  const options = {
    url: `http://127.0.0.1:${port}/api/calls`,
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    connections: 20,
  };
  return {
    async load(seconds) {
      const r = await autocannon({ ...options, duration: seconds });
      return {
        rate: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        non2xx: r.non2xx,
        errors: r.errors,
        total: r.requests.total,
      };
    },
    stop: () => server.kill("SIGTERM"),
  };
}

/** Median rate and latencies over the rounds; every request of every round counted. */
function summary(rounds) {
  return {
    rate: median(rounds.map((r) => r.rate)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    non2xx: rounds.reduce((n, r) => n + r.non2xx, 0),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    total: rounds.reduce((n, r) => n + r.total, 0),
  };
}

export async function benchIntake({ rounds = 5, seconds = 2 } = {}) {
  const servers = { bare: await startServer("bare"), ours: await startServer("ours") };
  try {
    for (const server of Object.values(servers)) await server.load(1); // warm-up
    const results = { bare: [], ours: [] };
    for (let i = 0; i < rounds; i++) {
      const order = i % 2 === 0 ? ["bare", "ours"] : ["ours", "bare"];
      for (const mode of order) results[mode].push(await servers[mode].load(seconds));
    }
    const bare = summary(results.bare);
    const ours = summary(results.ours);
    const section = `Callback intake (autocannon, 20 connections, callbacks/s, median of ${rounds} alternating rounds)`;
    const extra = (r) => ({ p50ms: r.p50, p99ms: r.p99, non2xx: r.non2xx, errors: r.errors, requests: r.total });
    return [
      row(section, "bare node:http + JSON.parse (reference)", bare.rate, "req/s", bare.rate, { extra: extra(bare) }),
      row(section, "createNodeMiddleware + dispatch", ours.rate, "req/s", bare.rate, {
        target: 0.8,
        extra: extra(ours),
      }),
    ];
  } finally {
    for (const server of Object.values(servers)) server.stop();
  }
}
