// 6. Telemetry overhead: callback intake (createFetchHandler in process: Request to Response, the
// endpoint's every step) and the endpoint core's intake with synchronous I/O (its span, the parse), each without
// telemetry (the reference), with createTelemetry() and no SDK (the API's global no-op), and with an
// SDK (BasicTracerProvider + BatchSpanProcessor, MeterProvider + a periodic reader; both exporters
// discard). Each variant is measured against its reference in a process of its own
// (telemetry-worker.mjs: rounds interleaved, each paying its own GC). Also the bundle size an
// invite-only program pays once it passes createTelemetry().
import { execFileSync } from "node:child_process";
import { row } from "./lib.mjs";
import { bundleSize } from "../scripts/tools/bundle-size.mjs";

const root = new URL("..", import.meta.url).pathname;

/** The medians of `mode` and of its reference (no telemetry), for intake and parse. */
function measure(mode, rounds) {
  const worker = new URL("./telemetry-worker.mjs", import.meta.url).pathname;
  return JSON.parse(
    execFileSync(process.execPath, ["--expose-gc", worker, mode, String(rounds)], { encoding: "utf8" }),
  );
}

export async function benchTelemetry({ rounds = 9 } = {}) {
  const noop = measure("noop", rounds);
  const sdk = measure("sdk", rounds);

  const invite = (withTelemetry) => `import { createInviteClient } from "${root}dist/graph.js";
${withTelemetry ? `import { createTelemetry } from "${root}dist/index.js";` : ""}
const client = createInviteClient({ getToken: () => process.env.TOKEN${withTelemetry ? ", telemetry: createTelemetry()" : ""} });
console.log(await client.invite(process.env.CALL_ID, { participants: [], clientContext: "ctx" }));`;
  const [without, withTelemetry] = await Promise.all([bundleSize(invite(false)), bundleSize(invite(true))]);

  const section = `Telemetry overhead (ops/s, median of ${rounds} interleaved rounds, one process per variant)`;
  const sdkName = "SDK: BatchSpanProcessor + periodic metric reader";
  const rows = [];
  for (const [what, unit] of [
    ["intake", "req/s"],
    ["parse", "ops/s"],
  ]) {
    const label = what === "intake" ? "intake: createFetchHandler" : "parse: the endpoint core, no HTTP";
    rows.push(
      row(section, `${label}, no telemetry (reference for the next row)`, noop[what].none, unit, noop[what].none),
      row(section, `${label} + createTelemetry(), no SDK (the API's no-op)`, noop[what].noop, unit, noop[what].none, {
        target: 0.97,
      }),
      row(section, `${label}, no telemetry (reference for the next row)`, sdk[what].none, unit, sdk[what].none),
      row(section, `${label} + createTelemetry(), ${sdkName}`, sdk[what].sdk, unit, sdk[what].none, { target: 0.85 }),
    );
  }
  return [
    ...rows,
    row(
      section,
      "invite-only bundle, without telemetry (reference)",
      without.loaded.gzip,
      "B gzip",
      without.loaded.gzip,
      {
        extra: { minified: without.loaded.min },
      },
    ),
    row(
      section,
      "invite-only bundle + createTelemetry() (@opentelemetry/api bundled)",
      withTelemetry.loaded.gzip,
      "B gzip",
      without.loaded.gzip,
      {
        extra: { minified: withTelemetry.loaded.min, added: withTelemetry.loaded.gzip - without.loaded.gzip },
      },
    ),
  ];
}
