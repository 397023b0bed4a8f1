// The telemetry-overhead benchmark's measurements, in their own process: `node --expose-gc
// telemetry-worker.mjs <noop|sdk>` measures intake and parse without telemetry and with `mode`,
// their rounds interleaved, and prints the medians as JSON. Each round ends with a full GC inside its
// own timing, so that an SDK's garbage is paid by the rounds that made it, not by the reference's.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { build } from "esbuild";
import { MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { createCallbackHandler, createFetchHandler, createTelemetry } from "../dist/index.js";

const root = new URL("..", import.meta.url).pathname;
const text = readFileSync(
  new URL("../test/fixtures/docs/example1-notification-operation-completed.json", import.meta.url),
  "utf8",
);

/** An exporter that drops what it is given: the cost measured is the instrumentation's, not a backend's. */
const discard = { export: (_items, done) => done({ code: 0 }), shutdown: async () => {}, forceFlush: async () => {} };

function telemetryFor(mode) {
  if (mode === "none") return undefined;
  if (mode === "noop") return createTelemetry();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(discard)] });
  const reader = new PeriodicExportingMetricReader({ exporter: discard, exportIntervalMillis: 60_000 });
  return createTelemetry({ tracerProvider, meterProvider: new MeterProvider({ readers: [reader] }) });
}

/** The endpoint core, compiled from src/ (dist/ does not export it); written beside bench/ so its imports resolve. */
async function coreModule() {
  const { outputFiles } = await build({
    entryPoints: [`${root}src/endpoint/core.ts`],
    bundle: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    external: ["@opentelemetry/api", "jose"],
    write: false,
    absWorkingDir: root,
  });
  const file = new URL(`./.core-${process.pid}.tmp.mjs`, import.meta.url);
  writeFileSync(file, outputFiles[0].text);
  try {
    return await import(file.href);
  } finally {
    rmSync(file, { force: true });
  }
}

const mode = process.argv[2];
const handler = createCallbackHandler().on("*", () => {});
const { createCallbackEndpoint } = await coreModule();

function configured(telemetry) {
  const options = {
    dangerouslyAcceptUnverifiedCallbacks: /** @type {const} */ (true),
    ...(telemetry ? { telemetry } : {}),
  };
  const endpoint = createFetchHandler(handler, options);
  const core = createCallbackEndpoint(handler, options, []); // no adapter options of its own
  return {
    /** A callback through createFetchHandler: Request in, Response out, every step of the endpoint. */
    async intake(iterations) {
      for (let i = 0; i < iterations; i++)
        await endpoint(
          new Request("http://127.0.0.1/api/calls", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: text,
          }),
        );
    },
    /**
     * The endpoint core's intake with synchronous I/O, no HTTP: its span begun, the body parsed, the
     * status answered (what the core adds to parsing a callback).
     */
    parse(iterations) {
      const request = {
        method: "POST",
        path: "/api/calls",
        contentType: "application/json",
        contentLength: null,
        authorization: null,
      };
      const io = { read: (_limit, done) => done({ body: text }), respond: () => {}, afterAnswer: () => {} };
      for (let i = 0; i < iterations; i++) core.intake(request, io);
    },
  };
}

const ITERATIONS = { intake: 2_000, parse: 10_000 };
const ROUNDS = Number(process.argv[3] ?? 9);
const subjects = { none: configured(undefined), [mode]: configured(telemetryFor(mode)) };
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
/** Run with --expose-gc: a full collection at each round's edges. */
const gc = /** @type {() => void} */ (globalThis.gc);
const result = {};
for (const what of ["intake", "parse"]) {
  for (const s of Object.values(subjects)) await s[what](ITERATIONS[what] / 2); // warm-up
  /** @type {Record<string, number[]>} */
  const samples = Object.fromEntries(Object.keys(subjects).map((k) => [k, []]));
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? Object.keys(subjects) : Object.keys(subjects).reverse();
    for (const name of order) {
      gc();
      const start = performance.now();
      await subjects[name][what](ITERATIONS[what]);
      gc();
      samples[name].push((ITERATIONS[what] / (performance.now() - start)) * 1000);
    }
  }
  result[what] = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}
process.stdout.write(`${JSON.stringify(result)}\n`);
