// The Reliability figures (docs/reliability.md), measured, never typed: runs the suites that record them
// (test/support/figures.ts) at full scale, or Stryker, prints the tables, keeps the latest figures
// per section in reliability/results.json and rewrites the block of docs/reliability.md between
// <!-- reliability:start --> and <!-- reliability:end -->. It refuses (before measuring) to write
// figures again that name files which no longer exist, and fails when docs/reliability.md or its
// markers are missing.
//   node bench/reliability.mjs fuzz|faults|load|flood|auth|redis|mutation ... [--report-only]
// --report-only: for mutation, re-read Stryker's last report (.tmp/mutation) instead of running it.
// Exits non-zero when a suite fails or the mutation score is under Stryker's break threshold.
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { assertFilesExist, environment, fmt, writeDocBlock } from "./report.mjs";
import { root } from "../scripts/generate/spec.mjs";

// Full sizes; `npm test` runs the same suites smaller (vitest.config.ts).
const SUITES = {
  fuzz: { tests: ["test/suites/fuzz"], env: { FUZZ_RUNS: process.env.FUZZ_RUNS ?? "100000" }, sections: ["fuzz"] },
  faults: { tests: ["test/suites/faults.test.ts"], sections: ["faults"] },
  load: {
    tests: ["test/suites/load"],
    env: {
      LOAD_CALLBACKS: process.env.LOAD_CALLBACKS ?? "20000",
      LOAD_OPERATIONS: process.env.LOAD_OPERATIONS ?? "10000",
      REDIS_INVITES: process.env.REDIS_INVITES ?? "10000",
    },
    sections: ["load", "tracker", "redis"],
  },
  auth: { tests: ["test/auth/verify.test.ts"], sections: ["auth"] },
  flood: {
    tests: ["test/node/flood.test.ts"],
    env: { FLOOD_SOCKETS: process.env.FLOOD_SOCKETS ?? "2000" },
    sections: ["flood"],
  },
  redis: {
    tests: ["test/redis"],
    env: { REDIS_FAILOVER_OUTCOMES: process.env.REDIS_FAILOVER_OUTCOMES ?? "3000" },
    sections: ["redis-failover"],
  },
};
const ORDER = ["fuzz", "faults", "load", "flood", "tracker", "redis", "redis-failover", "auth", "mutation"];
const resultsPath = join(root, "reliability/results.json");

/** Runs vitest on a suite with FIGURES_FILE set; returns its exit code and the rows by section. */
function runSuite({ tests, env = {} }) {
  const dir = mkdtempSync(join(tmpdir(), "figures-"));
  const file = join(dir, "figures.jsonl");
  try {
    const vitest = join(root, "node_modules/vitest/vitest.mjs");
    // no per-test timeout: at full scale a fuzz target runs for tens of seconds
    const run = spawnSync(process.execPath, [vitest, "run", "--testTimeout=0", ...tests], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, ...env, FIGURES_FILE: file },
    });
    const rows = existsSync(file)
      ? readFileSync(file, "utf8")
          .trim()
          .split("\n")
          .filter(Boolean)
          .map((l) => JSON.parse(l))
      : [];
    const sections = {};
    for (const { section, ...row } of rows) (sections[section] ??= []).push(row);
    return { code: run.status ?? 1, sections };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Stryker over src/ (stryker.config.json), then the score from its JSON report. With --report-only,
 * every report in .tmp/mutation/ (runs over some files each, `stryker run <config>` with its own
 * jsonReporter.fileName) is read, a file's latest report winning.
 */
function runMutation(reportOnly) {
  const dir = join(root, ".tmp/mutation");
  const report = join(dir, "mutation.json");
  let code = 0;
  if (!reportOnly) {
    rmSync(report, { force: true });
    code = spawnSync(join(root, "node_modules/.bin/stryker"), ["run"], { cwd: root, stdio: "inherit" }).status ?? 1;
  }
  const reports = reportOnly
    ? (existsSync(dir) ? readdirSync(dir) : [])
        .filter((name) => name.endsWith(".json") && !name.startsWith("incremental"))
        .map((name) => join(dir, name))
        .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs)
    : [report].filter((path) => existsSync(path));
  if (reports.length === 0) return { code: code || 1, sections: {} };
  const files = Object.assign({}, ...reports.map((path) => JSON.parse(readFileSync(path, "utf8")).files));
  const DETECTED = new Set(["Killed", "Timeout"]);
  const COUNTED = new Set(["Killed", "Timeout", "Survived", "NoCoverage"]);
  const rows = Object.entries(files).map(([file, { mutants }]) => {
    const counted = mutants.filter((m) => COUNTED.has(m.status));
    const detected = counted.filter((m) => DETECTED.has(m.status)).length;
    const ignored = mutants.filter((m) => m.status === "Ignored").length;
    return { file, mutants: counted.length, detected, undetected: counted.length - detected, ignored };
  });
  rows.sort((a, b) => a.file.localeCompare(b.file));
  const total = rows.reduce(
    (t, r) => ({ mutants: t.mutants + r.mutants, detected: t.detected + r.detected, ignored: t.ignored + r.ignored }),
    { mutants: 0, detected: 0, ignored: 0 },
  );
  const whole = rows.length >= sourceFiles().length;
  rows.push({
    file: whole ? "all of src/" : "all scored files of src/",
    ...total,
    undetected: total.mutants - total.detected,
  });
  const scored = rows.map((r) => ({ ...r, score: Math.round((1000 * r.detected) / r.mutants) / 10 }));
  return { code, sections: { mutation: scored } };
}

/** The files Stryker mutates (stryker.config.json: src/**\/*.ts). */
const sourceFiles = () =>
  readdirSync(join(root, "src"), { recursive: true }).filter((name) => String(name).endsWith(".ts"));

const table = (head, rows) => [
  `| ${head.join(" | ")} |`,
  `| ${head.map(() => "---").join(" | ")} |`,
  ...rows.map((r) => `| ${r.join(" | ")} |`),
];

const RENDER = {
  fuzz: (rows) => {
    const cases = rows.reduce((n, r) => n + r.cases, 0);
    const failures = rows.reduce((n, r) => n + r.failures, 0);
    return [
      `**Fuzzing** (\`npm run fuzz\`, fast-check, fixed seed): ${fmt(cases)} hostile inputs, ${fmt(failures)} failures.`,
      "",
      ...table(
        ["target", "cases", "cases/s", "failures", "slowest case"],
        [...rows]
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((r) => [r.name, fmt(r.cases), fmt(r.perSecond), fmt(r.failures), `${fmt(r.slowestMs, 1)} ms`]),
      ),
    ];
  },
  faults: (rows) => [
    `**Faults injected into \`invite()\`** (\`test/suites/faults.test.ts\`): ${rows.length} faults, each ended within its bound with a typed error.`,
    "",
    ...table(
      ["fault", "attempts (max)", "ended after", "bound", "error"],
      rows.map((r) => [
        r.name,
        `${r.attempts} (${r.maxAttempts})`,
        `${fmt(r.elapsedMs)} ms`,
        `${fmt(r.boundMs)} ms`,
        r.error,
      ]),
    ),
  ],
  load: (rows) =>
    rows.flatMap((r) => [
      `**Callback endpoint under load** (\`test/suites/load/callback-endpoint.test.ts\`, autocannon, ${r.connections} connections, RS256 checks): ${fmt(r.callbacks)} callbacks sent, ${fmt(r.delivered)} valid ones delivered exactly once, ${fmt(r.lost)} lost.`,
      "",
      ...table(
        ["sent", "202", "400", "401", "callbacks/s", "p50", "p99", "peak RSS"],
        [
          [
            fmt(r.callbacks),
            fmt(r.byStatus["202"] ?? 0),
            fmt(r.byStatus["400"] ?? 0),
            fmt(r.byStatus["401"] ?? 0),
            fmt(r.perSecond),
            `${r.p50ms} ms`,
            `${r.p99ms} ms`,
            `${r.peakRssMB} MB`,
          ],
        ],
      ),
    ]),
  flood: (rows) =>
    rows.flatMap((r) => [
      `**Idle-connection flood** (\`test/node/flood.test.ts\`, \`createCallbackServer\` defaults): ${fmt(r.idleSockets)} connections that send nothing, each re-opened as soon as closed (${fmt(r.reopened)} re-opened), while ${fmt(r.callbacks)} callbacks arrive on new connections: ${fmt(r.delivered)} delivered, ${fmt(r.failed)} failed${r.failures ? ` (${r.failures})` : ""}.`,
      "",
      ...table(
        ["idle sockets", "re-opened", "callbacks", "delivered", "failed", "p50", "max"],
        [
          [
            fmt(r.idleSockets),
            fmt(r.reopened),
            fmt(r.callbacks),
            fmt(r.delivered),
            fmt(r.failed),
            `${fmt(r.p50ms)} ms`,
            `${fmt(r.maxMs)} ms`,
          ],
        ],
      ),
    ]),
  tracker: (rows) => [
    "**Operation tracker at scale** (`test/suites/load/tracker.test.ts`):",
    "",
    ...table(
      ["scenario", "operations", "settled", "reported unmatched", "peak pending", "peak buffered (bound)", "time"],
      rows.map((r) => [
        r.scenario,
        fmt(r.operations),
        fmt(r.settled),
        fmt(r.unmatched),
        fmt(r.peakPending),
        `${fmt(r.peakBuffered)} (${fmt(r.maxBuffered)})`,
        r.elapsedMs === null ? "" : `${fmt(r.elapsedMs)} ms`,
      ]),
    ),
  ],
  redis: (rows) => [
    "**The Redis tracker across replicas** (`test/suites/load/redis-replicas.test.ts`: 3 replica processes, a real redis-server with fsync on every write; one replica killed and its invites tracked again elsewhere; Redis restarted mid-run, refused callbacks retried as Graph would):",
    "",
    ...table(
      [
        "invites",
        "settled exactly once",
        "callbacks/s",
        "p99 settle",
        "Redis commands executed per callback (a script's included)",
        "deliveries retried",
        "time",
      ],
      rows.map((r) => [
        fmt(r.invites),
        fmt(r.settledExactlyOnce),
        fmt(r.callbacksPerSecond),
        `${fmt(r.p99SettleMs, 1)} ms`,
        fmt(r.commandsPerCallback, 2),
        fmt(r.retriedDeliveries),
        `${fmt(r.seconds, 1)} s`,
      ]),
    ),
  ],
  "redis-failover": (rows) => [
    "**The Redis tracker through a Sentinel failover** (`test/redis/failover.test.ts`, `node bench/reliability.mjs redis`: a master, two replicas whose replication is held back mid-run, one Sentinel; the master killed; outcomes retried until acknowledged, as Graph resends a 503; then every acknowledged outcome looked for on the new master):",
    "",
    ...table(
      ["WAIT (replicas: { count: 1 })", "outcomes", "acknowledged", "lost", "refused and retried", "failover", "time"],
      rows.map((r) => [
        r.wait ? "on" : "off",
        fmt(r.outcomes),
        fmt(r.acknowledged),
        fmt(r.lost),
        fmt(r.refusals),
        `${fmt(r.failoverSeconds, 1)} s`,
        `${fmt(r.seconds, 1)} s`,
      ]),
    ),
  ],
  auth: (rows) => [
    `**Callback tokens** (\`test/auth/verify.test.ts\`): ${rows.length} forged or broken variants, all refused.`,
    "",
    ...table(
      ["variant", "refused as"],
      rows.map((r) => [r.name, `\`${r.refusedAs}\``]),
    ),
  ],
  mutation: (rows) => {
    const total = rows.at(-1);
    return [
      total.file === "all of src/"
        ? `**Mutation testing** (\`npm run mutation\`, Stryker with the vitest runner over \`src/\`): score ${fmt(total.score, 1)} % (${fmt(total.detected)} of ${fmt(total.mutants)} mutants detected).`
        : `**Mutation testing** (Stryker with the vitest runner, ${rows.length - 1} of ${sourceFiles().length} files of \`src/\`): score ${fmt(total.score, 1)} % (${fmt(total.detected)} of ${fmt(total.mutants)} mutants detected).`,
      "",
      `Not scored: ${fmt(total.ignored)} mutants that only run while a module loads (\`ignoreStatic\`: each would` +
        " need the whole suite run again). A run over all of `src/` has 6,095 mutants, 3,761 of them reached" +
        " while modules load or in a suite's setup, so Stryker must run far more tests per mutant: it" +
        " estimated 6 to 45 hours on this 2-core machine, so the files are scored in groups.",
      "",
      ...table(
        ["file", "mutants", "detected", "survived or not covered", "score"],
        rows.map((r) => [r.file, fmt(r.mutants), fmt(r.detected), fmt(r.undetected), `${fmt(r.score, 1)} %`]),
      ),
    ];
  },
};

const reportOnly = process.argv.includes("--report-only");
const asked = process.argv.slice(2).filter((a) => a !== "--report-only");
const unknown = asked.filter((s) => s !== "mutation" && !SUITES[s]);
if (asked.length === 0 || unknown.length) {
  console.error(`usage: node bench/reliability.mjs ${[...Object.keys(SUITES), "mutation"].join("|")} ...`);
  process.exit(2);
}

const results = existsSync(resultsPath) ? JSON.parse(readFileSync(resultsPath, "utf8")) : {};
// The figures kept from earlier runs are written again beside this run's: check them before measuring.
const remeasured = new Set(asked.flatMap((name) => (name === "mutation" ? ["mutation"] : SUITES[name].sections)));
for (const [section, { rows }] of Object.entries(results)) {
  if (remeasured.has(section)) continue;
  try {
    assertFilesExist(section, rows);
  } catch (error) {
    console.error(`reliability: ${/** @type {Error} */ (error).message} first`);
    process.exit(2);
  }
}
let failed = false;
for (const name of asked) {
  const { code, sections } = name === "mutation" ? runMutation(reportOnly) : runSuite(SUITES[name]);
  for (const [section, rows] of Object.entries(sections)) {
    console.log(`\n${RENDER[section](rows).join("\n")}`);
    assertFilesExist(section, rows);
    if (code === 0) results[section] = { ...environment(), rows };
  }
  if (code !== 0) {
    console.error(`reliability: ${name} failed (exit ${code}); its figures are not recorded`);
    failed = true;
  }
}

mkdirSync(dirname(resultsPath), { recursive: true });
writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
const block = ORDER.filter((s) => results[s]).flatMap((s) => [
  ...RENDER[s](results[s].rows),
  `<sub>Measured ${results[s].date} with Node ${results[s].node} on ${results[s].machine}.</sub>`,
  "",
]);
writeDocBlock("reliability.md", "reliability", block.join("\n").trimEnd());
process.exit(failed ? 1 : 0);
