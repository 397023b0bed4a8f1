// One configuration of the telemetry-overhead benchmark, in its own process (an SDK's garbage must
// not fall on the reference's rounds): `node telemetry-worker.mjs <none|noop|sdk>`. Reads one line
// per round on stdin ("intake" or "parse") and answers that round's ops/s as a line on stdout.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
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

const telemetry = telemetryFor(process.argv[2]);
const handler = createCallbackHandler().on("*", () => {});
const options = { dangerouslyAcceptUnverifiedCallbacks: true, ...(telemetry ? { telemetry } : {}) };
const endpoint = createFetchHandler(handler, options);
const core = (await coreModule()).createCallbackEndpoint(handler, options);

const runs = {
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
  /** The parse step as the endpoint takes it: its span begun, the body judged, the status answered. */
  parse(iterations) {
    for (let i = 0; i < iterations; i++) {
      const span = core.begin("POST", "/api/calls");
      const { answer } = core.judge(text, span);
      span?.answered(answer.status);
    }
  },
};
const ITERATIONS = { intake: 2_000, parse: 10_000 };

await runs.intake(1_000); // warm-up
runs.parse(5_000);
process.stdout.write("ready\n");
for await (const line of createInterface({ input: process.stdin })) {
  const what = line.trim();
  const start = performance.now();
  await runs[what](ITERATIONS[what]);
  process.stdout.write(`${(ITERATIONS[what] / (performance.now() - start)) * 1000}\n`);
}
