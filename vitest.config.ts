// The test tiers (vitest projects). `npm test` runs them all; each has its own script
// (`npm run test:unit`, `test:suites`, `test:lint`, `test:package`, `test:runtimes`, `test:load`,
// `test:generator`).
//   unit       the tests that mirror src/ and import it directly: no build, seconds. The Redis
//              tracker's tests are here (they start their own redis-server).
//   suites     fuzz (small case counts; `npm run fuzz` runs 100,000 per property) and faults.
//   lint       the Spectral ruleset and the code rules, each catching its probes.
//   package    what ships: dist/, the bin, the demo, the packed tarball in outside projects, the API
//              reports, package hygiene, the bundle budget. Builds dist/ once (test/setup/build.ts).
//   runtimes   the packed package on Node 20.18/20/22/24, Deno, Bun and workerd. Builds dist/ once.
//   load       the load suites at sizes that keep `npm test` fast; `npm run reliability` runs them at
//              full size (bench/reliability.mjs sets the same variables). Builds dist/ once: the
//              Redis replicas are processes that run the built package.
//   generator  the generated code against the spec: Ajv vs the shipped validators, openapi-generator.
// Timeouts are per tier, sized for the tier's work on a loaded machine (vitest's 5 s default failed
// the generator's "fixed extremes" there, and attw took 90 s at a load average of 20 on 2 cores);
// the package, runtimes, lint and generator tests carry no timeouts of their own. No test depends
// on speed, so a wide bound costs nothing when green and only bounds a hang.
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";

/** The tiers' files but unit's (unit is the rest), shared with vitest.mutation.config.ts. */
export const TIERS = {
  suites: ["test/suites/fuzz/**/*.test.ts", "test/suites/faults.test.ts"],
  lint: ["test/lint/**/*.test.ts"],
  // What loads dist/ (built by the tier's global setup): the packed package, the CLI, the demo, and
  // the tests that run docs, recipes and the example bot as a user would, through the package's name.
  package: [
    "test/package/**/*.test.ts",
    "test/cli/bin.test.ts",
    "test/demo.test.ts",
    "test/telemetry/dist.test.ts",
    "test/telemetry/example.test.ts",
    "test/examples/bot.test.ts",
    "test/hosts/recipes.test.ts",
    "test/docs/code-blocks.test.ts",
    "test/client/graph-entry.test.ts",
  ],
  runtimes: ["test/runtimes/**/*.test.ts"],
  load: ["test/suites/load/**/*.test.ts"],
  generator: ["test/generated/**/*.test.ts"],
};
export const OUTSIDE_PROJECTS = ["test/consumer/**", "test/consumer-types/**", "**/node_modules/**"];

/** The load sizes in `npm test`, unless the environment (bench/reliability.mjs) sets them. */
const loadSizes = {
  LOAD_CALLBACKS: process.env.LOAD_CALLBACKS ?? "2000",
  LOAD_OPERATIONS: process.env.LOAD_OPERATIONS ?? "2000",
  REDIS_INVITES: process.env.REDIS_INVITES ?? "2000",
};
const buildsDist = ["test/setup/build.ts"];

const tier = (
  name: string,
  include: string[],
  timeoutMs: number,
  more: TestProjectInlineConfiguration["test"] = {},
): TestProjectInlineConfiguration => ({
  extends: true,
  test: { name, include, testTimeout: timeoutMs, hookTimeout: Math.max(timeoutMs, 30_000), ...more },
});

export default defineConfig({
  test: {
    exclude: OUTSIDE_PROJECTS,
    projects: [
      tier("unit", ["test/**/*.test.ts"], 20_000, { exclude: [...OUTSIDE_PROJECTS, ...Object.values(TIERS).flat()] }),
      tier("suites", TIERS.suites, 60_000),
      tier("lint", TIERS.lint, 120_000),
      tier("package", TIERS.package, 240_000, { globalSetup: buildsDist }),
      tier("runtimes", TIERS.runtimes, 240_000, { globalSetup: buildsDist }),
      tier("load", TIERS.load, 300_000, { env: loadSizes, globalSetup: buildsDist }),
      tier("generator", TIERS.generator, 120_000),
    ],
  },
});
