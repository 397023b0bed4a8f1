// Vitest config for `npm run mutation`: the tiers that import src/ directly (unit, suites, load; see
// vitest.config.ts). Left out, as none of them can kill a mutant: what exercises dist/ or the packed
// package (the package and runtimes tiers, the Redis replicas: Stryker does not mutate dist/), the
// spec-only tiers (lint, generator) and the Prism run. The property suites run a few dozen cases
// each, the fixed extremes 2,000 elements, and the load suites 500 callbacks and 1,000 operations:
// here they judge mutants, not inputs or throughput.
import { defineConfig } from "vitest/config";
import { OUTSIDE_PROJECTS, TIERS } from "./vitest.config.js";

export default defineConfig({
  test: {
    env: { FUZZ_RUNS: "40", EXTREME_SIZE: "2000", LOAD_CALLBACKS: "500", LOAD_OPERATIONS: "1000" },
    // MUTATION_TESTS (comma-separated globs) narrows a run to a group's own tests: the endpoint
    // core is covered by every socket, flood and server test, minutes per mutant, so its score
    // against its own tests is a lower bound, taken in minutes.
    include: process.env.MUTATION_TESTS?.split(",") ?? ["test/**/*.test.ts"],
    exclude: [
      ...OUTSIDE_PROJECTS,
      ...TIERS.package,
      ...TIERS.runtimes,
      ...TIERS.lint,
      ...TIERS.generator,
      "test/suites/load/redis-replicas.test.ts",
      "test/client/against-prism.test.ts",
      "test/scripts/**",
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
