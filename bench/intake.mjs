// 5. Callback intake: callbacks per second through createNodeMiddleware (with dispatch) vs a bare
// node:http handler that only JSON.parses, driven by autocannon on 127.0.0.1 (server in its own process).
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import autocannon from "autocannon";
import { row } from "./lib.mjs";

const body = readFileSync(new URL("../test/fixtures/docs/example1-notification-operation-completed.json", import.meta.url), "utf8");

async function load(mode, seconds) {
  const server = spawn(process.execPath, [new URL("./intake-server.mjs", import.meta.url).pathname, mode], { stdio: ["ignore", "pipe", "inherit"] });
  try {
    const port = await new Promise((resolve, reject) => {
      server.stdout.once("data", (d) => resolve(Number(String(d).trim())));
      server.once("exit", (code) => reject(new Error(`intake server exited ${code}`)));
    });
    const url = `http://127.0.0.1:${port}/api/calls`;
    const options = { url, method: "POST", headers: { "content-type": "application/json" }, body, connections: 20 };
    await autocannon({ ...options, duration: 1 }); // warm-up
    const result = await autocannon({ ...options, duration: seconds });
    return { rate: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors, total: result.requests.total };
  } finally {
    server.kill("SIGTERM");
  }
}

export async function benchIntake({ seconds = 5 } = {}) {
  const bare = await load("bare", seconds);
  const ours = await load("ours", seconds);
  const section = "Callback intake (autocannon, 20 connections, callbacks/s)";
  const extra = (r) => ({ p50ms: r.p50, p99ms: r.p99, non2xx: r.non2xx, errors: r.errors, requests: r.total });
  return [
    row(section, "bare node:http + JSON.parse (reference)", bare.rate, "req/s", bare.rate, { extra: extra(bare) }),
    row(section, "createNodeMiddleware + dispatch", ours.rate, "req/s", bare.rate, { target: 0.8, extra: extra(ours) }),
  ];
}
