// npm run bench: every comparison in one run, as ratios to a reference measured in the same run.
// Prints a table, writes bench/results.json and the results block of docs/benchmarks.md (between the
// <!-- bench:start --> and <!-- bench:end --> markers). Not part of npm test.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { environment as measuredOn, fmt, writeDocBlock } from "./report.mjs";
import { benchIntake } from "./intake.mjs";
import { benchParse } from "./parse.mjs";
import { benchRedis } from "./redis.mjs";
import { benchRequest } from "./request.mjs";
import { benchSize } from "./size.mjs";
import { benchTelemetry } from "./telemetry.mjs";
import { benchTypecheck } from "./typecheck.mjs";

const root = new URL("..", import.meta.url).pathname;
/** @type {Array<[string, () => object[] | Promise<object[]>]>} */
const sections = [
  ["callback parsing", benchParse],
  ["type-check cost", benchTypecheck],
  ["runtime size", benchSize],
  ["request overhead", benchRequest],
  ["callback intake", benchIntake],
  ["Redis tracker", benchRedis],
  ["telemetry overhead", benchTelemetry],
];

const rows = [];
for (const [name, run] of sections) {
  process.stderr.write(`bench: ${name}...\n`);
  rows.push(...(await run()));
}
const [pack] = JSON.parse(
  execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  }),
);
const environment = {
  ...measuredOn(),
  package: { packedBytes: pack.size, unpackedBytes: pack.unpackedSize, files: pack.entryCount },
};

const detail = (r) =>
  Object.entries(r.extra ?? {})
    .map(([k, v]) => `${k} ${typeof v === "number" ? fmt(v, Number.isInteger(v) ? 0 : 2) : v}`)
    .join(", ");
const verdict = (r) =>
  r.meets === null ? "" : `${r.meets ? "meets" : "misses"} ${typeof r.target === "number" ? `${r.target}×` : r.target}`;
const lines = [];
let current = "";
for (const r of rows) {
  if (r.section !== current) {
    current = r.section;
    lines.push("", `| ${current} | value | ratio | target | details |`, "| --- | ---: | ---: | --- | --- |");
  }
  lines.push(
    `| ${r.name} | ${fmt(r.value)} ${r.unit} | ${r.ratio === null ? "" : `${fmt(r.ratio, 2)}×`} | ${verdict(r)} | ${detail(r)} |`,
  );
}
const header = `Measured ${environment.date} with Node ${environment.node} on ${environment.machine} (\`npm run bench\`). Package: ${fmt(environment.package.files)} files, ${fmt(environment.package.packedBytes / 1024, 1)} kB packed.`;
const table = [header, ...lines].join("\n");
console.log(table);

writeFileSync(new URL("./results.json", import.meta.url), `${JSON.stringify({ environment, rows }, null, 2)}\n`);
writeDocBlock("benchmarks.md", "bench", table);
