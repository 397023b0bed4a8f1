// Vitest config for `npm run mutation`: the suites that import src/ directly.
// Left out are the suites that spawn the built bin or pack the package (they exercise dist/, which
// Stryker does not mutate) and the spec-only suites (lint, generator): none of them can kill a mutant.
// The property suites run a few dozen cases each and the load suites 500 callbacks and 1,000
// operations: here they judge mutants, not inputs or throughput.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    env: { FUZZ_RUNS: "40", LOAD_CALLBACKS: "500", LOAD_OPERATIONS: "1000" },
    include: ["test/**/*.test.ts"],
    exclude: [
      "test/consumer/**",
      "**/node_modules/**",
      "test/demo.test.ts",
      "test/package/**",
      "test/lint/**",
      "test/generated/**",
      "test/client/against-prism.test.ts",
      "test/cli/bin.test.ts",
      "test/runtimes/**",
    ],
  },
});
