// createCallbackServer under a connection flood, over real sockets on 127.0.0.1: FLOOD_SOCKETS
// (default 1,500) connections that send nothing, each re-opened as soon as the server closes it,
// while genuine callbacks arrive, each on a new connection. Every genuine callback must be delivered.
// The figures (flood size, re-opened, delivered, failed, latency) go to docs/reliability.md through
// `node bench/reliability.mjs flood`.
import { request } from "node:http";
import { connect, type Socket } from "node:net";
import type { Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createCallbackHandler, type CallbackEvent } from "../../src/index.js";
import { createCallbackServer, createNodeMiddleware } from "../../src/node/index.js";
import { docsPayload } from "../fixtures/docs.js";
import { recordFigure } from "../support/figures.js";
import { listen } from "../support/listen.js";

const FLOOD = Number(process.env.FLOOD_SOCKETS ?? 1_500);
const CALLBACKS = Number(process.env.FLOOD_CALLBACKS ?? 40);
const SPACING_MS = 150; // the callbacks span about 6 s: several rounds of reaping and re-opening

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? (server.closeAllConnections(), server.close(() => r())) : r())));

/** One callback on a new connection; its status or error code, and how long it took. */
function deliver(port: number, body: string): Promise<{ outcome: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request({
      host: "127.0.0.1",
      port,
      path: "/api/calls",
      method: "POST",
      agent: false,
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      timeout: 15_000,
    });
    const end = (outcome: string) => resolve({ outcome, ms: performance.now() - started });
    req.on("response", (res) => {
      res.resume();
      end(String(res.statusCode));
    });
    req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { code: "TIMEOUT" })));
    req.on("error", (error: NodeJS.ErrnoException) => end(error.code ?? error.name));
    req.end(body);
  });
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

describe("createCallbackServer under a flood of idle connections", () => {
  it(`delivers every genuine callback while ${FLOOD} connections that send nothing are re-opened as soon as closed`, async () => {
    const events: CallbackEvent[] = [];
    const handler = createCallbackHandler().on("*", (e) => void events.push(e));
    server = createCallbackServer(createNodeMiddleware(handler, { dangerouslyAcceptUnverifiedCallbacks: true }));
    const port = Number(new URL(await listen(server)).port);

    let flooding = true;
    let opened = 0;
    const sockets = new Set<Socket>();
    const openIdle = () => {
      if (!flooding) return;
      opened++;
      const socket = connect(port, "127.0.0.1");
      sockets.add(socket);
      socket.on("error", () => {});
      socket.on("close", () => {
        sockets.delete(socket);
        setImmediate(openIdle); // the attacker re-opens at once
      });
    };
    for (let i = 0; i < FLOOD; i++) openIdle();
    await new Promise((r) => setTimeout(r, 500)); // the flood is in place before the first callback

    const body = JSON.stringify(docsPayload(1, "notification-operation-completed"));
    const results: Array<Promise<{ outcome: string; ms: number }>> = [];
    for (let i = 0; i < CALLBACKS; i++) {
      results.push(deliver(port, body));
      await new Promise((r) => setTimeout(r, SPACING_MS));
    }
    const settled = await Promise.all(results);
    flooding = false;
    const reopened = opened - FLOOD;
    for (const socket of sockets) socket.destroy();

    const delivered = settled.filter((r) => r.outcome === "202").length;
    const failures = settled.filter((r) => r.outcome !== "202").map((r) => r.outcome);
    const latencies = settled.map((r) => r.ms);
    recordFigure("flood", {
      idleSockets: FLOOD,
      reopened,
      callbacks: CALLBACKS,
      delivered,
      failed: failures.length,
      failures: [...new Set(failures)].join(", "),
      p50ms: Math.round(percentile(latencies, 50)),
      maxMs: Math.round(Math.max(...latencies)),
    });
    expect(failures).toEqual([]);
    expect(delivered).toBe(CALLBACKS);
    expect(events).toHaveLength(CALLBACKS);
    expect(reopened).toBeGreaterThan(0); // the server did close idle connections, and they came back
  }, 120_000);
});
