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
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { assertFilesExist, environment, fmt, writeDocBlock } from "./report.mjs";
import { root } from "../scripts/generate/spec.mjs";
import { GROUPS } from "./mutation-groups.mjs";

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

/** The Stryker config of one group: stryker.config.json with the group's files and report names. */
function groupConfig(group) {
  const base = JSON.parse(readFileSync(join(root, "stryker.config.json"), "utf8"));
  const config = {
    ...base,
    mutate: group.mutate,
    jsonReporter: { fileName: `.tmp/mutation/${group.name}.json` },
    tempDirName: `.tmp/stryker-${group.name}`,
    // a re-run re-tests only the mutants whose code or covering tests changed
    incremental: true,
    incrementalFile: `.tmp/mutation/incremental/${group.name}.json`,
    // a group whose tests act in a beforeAll (no test is credited with that coverage) runs them all
    // (and Stryker then judges the static mutants too: it cannot tell them apart without perTest)
    ...(group.coverageAnalysis ? { coverageAnalysis: group.coverageAnalysis, ignoreStatic: false } : {}),
    // the thresholds are applied below, per file, to the merged figures
    thresholds: { ...base.thresholds, break: null },
  };
  delete config.$schema;
  const path = join(root, `.tmp/stryker-${group.name}.json`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`);
  return path;
}

/** A RegExp for a `mutate` glob of bench/mutation-groups.mjs (`*` within a segment, `**\/` for any folders). */
const globRegExp = (glob) =>
  new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*\*\//g, "\0")
      .replace(/\*/g, "[^/]*")
      .replace(/\0/g, "(?:.*/)?")}$`,
  );

/** Whether a mutant was left out by a `// Stryker disable` comment (an argued equivalent), not as static. */
const disabledByComment = (m) => m.status === "Ignored" && !/^Static mutant/.test(m.statusReason ?? "");

/**
 * Stryker over src/, group by group (bench/mutation-groups.mjs: `--group=<name>` runs some), then the
 * scores per file from the groups' JSON reports in .tmp/mutation/. With --report-only, only the
 * reports are read (each group's latest). Fails when a file is under the break threshold
 * (stryker.config.json), or a security module (the groups before the `rest-` ones) under 90 %.
 */
function runMutation(reportOnly, only) {
  const dir = join(root, ".tmp/mutation");
  const unknownGroups = only.filter((name) => !GROUPS.some((g) => g.name === name));
  if (unknownGroups.length) {
    console.error(`reliability: no mutation group ${unknownGroups.join(", ")} (bench/mutation-groups.mjs)`);
    return { code: 2, sections: {} };
  }
  let code = 0;
  let belowThreshold = false;
  if (!reportOnly) {
    for (const group of GROUPS.filter((g) => only.length === 0 || only.includes(g.name))) {
      const env = { ...process.env, MUTATION_TESTS: group.tests.join(",") };
      const args = ["run", groupConfig(group)];
      const status = spawnSync(join(root, "node_modules/.bin/stryker"), args, { cwd: root, stdio: "inherit", env });
      code ||= status.status ?? 1;
    }
  }
  const reports = GROUPS.map((g) => ({ group: g, path: join(dir, `${g.name}.json`) })).filter((r) =>
    existsSync(r.path),
  );
  if (reports.length === 0) return { code: code || 1, sections: {} };
  const { thresholds } = JSON.parse(readFileSync(join(root, "stryker.config.json"), "utf8"));
  const DETECTED = new Set(["Killed", "Timeout"]);
  const COUNTED = new Set(["Killed", "Timeout", "Survived", "NoCoverage"]);
  const rows = reports.flatMap(({ group, path }) =>
    Object.entries(JSON.parse(readFileSync(path, "utf8")).files)
      // an incremental report carries over files its group no longer mutates
      .filter(([file]) => group.mutate.some((glob) => globRegExp(glob).test(file)))
      .map(([file, { mutants }]) => {
        const counted = mutants.filter((m) => COUNTED.has(m.status));
        const detected = counted.filter((m) => DETECTED.has(m.status)).length;
        const equivalent = mutants.filter(disabledByComment).length;
        const ignored = mutants.filter((m) => m.status === "Ignored").length - equivalent;
        const security = !group.name.startsWith("rest-");
        return {
          file,
          group: group.name,
          security,
          mutants: counted.length,
          detected,
          undetected: counted.length - detected,
          equivalent,
          ignored,
        };
      }),
  );
  // the files of the groups that have a report, those without mutants (types, re-exports) included
  const inGroups = sourceFiles().filter((name) =>
    reports.some(({ group }) => group.mutate.some((glob) => globRegExp(glob).test(`src/${name}`))),
  ).length;
  rows.sort((a, b) => a.file.localeCompare(b.file));
  const listed = rows.filter((r) => r.mutants > 0);
  const total = listed.reduce(
    (t, r) => ({
      mutants: t.mutants + r.mutants,
      detected: t.detected + r.detected,
      equivalent: t.equivalent + r.equivalent,
      ignored: t.ignored + r.ignored,
    }),
    { mutants: 0, detected: 0, equivalent: 0, ignored: 0 },
  );
  const whole = inGroups >= sourceFiles().length;
  /** @type {Array<Record<string, any>>} the files, then the total (with inGroups) */
  const scored = listed.map((r) => ({ ...r, score: Math.round((1000 * r.detected) / r.mutants) / 10 }));
  for (const r of scored) {
    const floor = r.security ? Math.max(90, thresholds.break) : thresholds.break;
    if (r.score < floor) {
      console.error(`reliability: ${r.file} scores ${r.score} %, under ${floor} %`);
      belowThreshold = true;
    }
  }
  scored.push({
    file: whole ? "all of src/" : "all scored files of src/",
    group: "",
    inGroups,
    ...total,
    undetected: total.mutants - total.detected,
    score: Math.round((1000 * total.detected) / total.mutants) / 10,
  });
  return { code, sections: { mutation: scored }, belowThreshold };
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
    const files = total.inGroups ?? rows.length - 1;
    return [
      `**Mutation testing** (\`npm run mutation\`, Stryker with the vitest runner, ${fmt(files)} of ${fmt(sourceFiles().length)} files of \`src/\`, in the groups of \`bench/mutation-groups.mjs\`): score ${fmt(total.score, 1)} % (${fmt(total.detected)} of ${fmt(total.mutants)} mutants detected).`,
      "",
      `Each group runs only its own tests, so a score is a lower bound. Not scored: ${fmt(total.ignored)} mutants that` +
        " only run while a module loads (`ignoreStatic`: each would need the whole suite run again), and" +
        ` ${fmt(total.equivalent)} disabled in the source as equivalent, each with its reason (\`// Stryker disable\`).` +
        " A file without mutants (types and re-exports only) is not listed.",
      "",
      ...table(
        ["file", "group", "mutants", "detected", "survived or not covered", "equivalent", "score"],
        rows.map((r) => [
          r.file,
          r.group,
          fmt(r.mutants),
          fmt(r.detected),
          fmt(r.undetected),
          fmt(r.equivalent ?? 0),
          `${fmt(r.score, 1)} %`,
        ]),
      ),
    ];
  },
};

const reportOnly = process.argv.includes("--report-only");
const groups = process.argv.filter((a) => a.startsWith("--group=")).map((a) => a.slice("--group=".length));
const asked = process.argv.slice(2).filter((a) => a !== "--report-only" && !a.startsWith("--group="));
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
  const { code, sections, belowThreshold } =
    name === "mutation" ? runMutation(reportOnly, groups) : runSuite(SUITES[name]);
  for (const [section, rows] of Object.entries(sections)) {
    console.log(`\n${RENDER[section](rows).join("\n")}`);
    assertFilesExist(section, rows);
    if (code === 0) results[section] = { ...environment(), rows };
  }
  if (code !== 0) {
    console.error(`reliability: ${name} failed (exit ${code}); its figures are not recorded`);
    failed = true;
  }
  if (belowThreshold) failed = true; // recorded: true figures, but under the floor
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
