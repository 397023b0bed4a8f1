// 6. Telemetry overhead: callback intake (createFetchHandler in process: Request to Response, the
// endpoint's every step) and the endpoint's parse step (core's judge with its span), each without
// telemetry (the reference), with createTelemetry() and no SDK (the API's global no-op), and with an
// SDK (BasicTracerProvider + BatchSpanProcessor, MeterProvider + a periodic reader; both exporters
// discard). Each configuration runs in its own process (telemetry-worker.mjs), their rounds
// alternating. Also the bundle size an invite-only program pays once it passes createTelemetry().
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { median, row } from "./lib.mjs";
import { bundleSize } from "./size.mjs";

const root = new URL("..", import.meta.url).pathname;

function worker(mode) {
  const child = spawn(process.execPath, [new URL("./telemetry-worker.mjs", import.meta.url).pathname, mode], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => (await lines.next()).value;
  return {
    ready: next(),
    /** One round of `what`: its ops/s. */
    async round(what) {
      child.stdin.write(`${what}\n`);
      return Number(await next());
    },
    stop: () => child.kill("SIGTERM"),
  };
}

export async function benchTelemetry({ rounds = 9 } = {}) {
  const workers = { none: worker("none"), noop: worker("noop"), sdk: worker("sdk") };
  const rates = {};
  try {
    for (const w of Object.values(workers)) await w.ready;
    for (const what of ["intake", "parse"]) {
      const samples = { none: [], noop: [], sdk: [] };
      for (let r = 0; r < rounds; r++) {
        const order = r % 2 === 0 ? ["none", "noop", "sdk"] : ["sdk", "noop", "none"];
        for (const mode of order) samples[mode].push(await workers[mode].round(what));
      }
      rates[what] = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
    }
  } finally {
    for (const w of Object.values(workers)) w.stop();
  }
  const served = rates.intake;
  const parsed = rates.parse;

  const invite = (
    withTelemetry,
  ) => `import { createInviteClient${withTelemetry ? ", createTelemetry" : ""} } from "${root}dist/index.js";
const client = createInviteClient({ getToken: () => process.env.TOKEN${withTelemetry ? ", telemetry: createTelemetry()" : ""} });
console.log(await client.invite(process.env.CALL_ID, { participants: [], clientContext: "ctx" }));`;
  const [without, withTelemetry] = await Promise.all([bundleSize(invite(false)), bundleSize(invite(true))]);

  const section = `Telemetry overhead (ops/s, median of ${rounds} alternating rounds, one process per configuration)`;
  const sdkName = "SDK: BatchSpanProcessor + periodic metric reader";
  return [
    row(section, "intake: createFetchHandler, no telemetry (reference)", served.none, "req/s", served.none),
    row(section, "intake: + createTelemetry(), no SDK (the API's no-op)", served.noop, "req/s", served.none, {
      target: 0.97,
    }),
    row(section, `intake: + createTelemetry(), ${sdkName}`, served.sdk, "req/s", served.none, { target: 0.85 }),
    row(section, "parse: the endpoint's judge, no telemetry (reference)", parsed.none, "ops/s", parsed.none),
    row(section, "parse: + createTelemetry(), no SDK (the API's no-op)", parsed.noop, "ops/s", parsed.none, {
      target: 0.97,
    }),
    row(section, `parse: + createTelemetry(), ${sdkName}`, parsed.sdk, "ops/s", parsed.none, { target: 0.85 }),
    row(section, "invite-only bundle, without telemetry (reference)", without.gzip, "B gzip", without.gzip, {
      extra: { minified: without.min },
    }),
    row(
      section,
      "invite-only bundle + createTelemetry() (@opentelemetry/api bundled)",
      withTelemetry.gzip,
      "B gzip",
      without.gzip,
      {
        extra: { minified: withTelemetry.min, added: withTelemetry.gzip - without.gzip },
      },
    ),
  ];
}
