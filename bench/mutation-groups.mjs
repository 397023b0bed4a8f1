// The groups `npm run mutation` scores src/ in (bench/reliability.mjs). One Stryker run over all of
// src/ against every test was estimated at 6 to 45 hours here: a mutant is judged by every test that
// reaches it, and the socket, flood and Redis suites reach most of the code. So each group mutates
// some files and runs only the tests written for them (MUTATION_TESTS, vitest.mutation.config.ts):
// a file's score is then a lower bound (another suite might kill a survivor too). Every file of src/
// is in one group at most; a file in none is reported as not scored.

/** @type {Array<{ name: string, mutate: string[], tests: string[], coverageAnalysis?: "all" }>} */
export const GROUPS = [
  // The security modules (issue 22: each at least 90 %).
  {
    name: "auth-verify",
    mutate: ["src/auth/verify.ts"],
    tests: ["test/**/*.test.ts"],
  },
  {
    name: "node-signature",
    mutate: ["src/node/signature.ts"],
    tests: [
      "test/node/signature.test.ts",
      "test/auth/verify.test.ts",
      "test/endpoint/node-adapter.test.ts",
      "test/node/server.test.ts",
    ],
  },
  {
    name: "security",
    mutate: [
      "src/auth/keys.ts",
      "src/auth/token-cache.ts",
      "src/auth/claims.ts",
      "src/auth/options.ts",
      "src/endpoint/replay.ts",
      "src/endpoint/options.ts",
      "src/tracking/pending-tracks.ts",
      "src/internal/read-limited.ts",
    ],
    tests: [
      "test/auth/*.test.ts",
      "test/endpoint/*.test.ts",
      "test/tracking/*.test.ts",
      "test/internal/*.test.ts",
      "test/client/body-limits.test.ts",
      "test/node/signature.test.ts",
    ],
  },
  {
    name: "endpoint",
    mutate: ["src/endpoint/core.ts", "src/endpoint/fetch-adapter.ts"],
    tests: [
      "test/endpoint/core.test.ts",
      "test/endpoint/fetch-adapter.test.ts",
      "test/telemetry/signals.test.ts",
      "test/suites/fuzz/middleware.test.ts",
      "test/node/frameworks.test.ts",
    ],
  },
  {
    name: "node-server",
    mutate: ["src/endpoint/node-adapter.ts", "src/node/server.ts"],
    // not test/node/flood.test.ts: 2,000 sockets, minutes per mutant
    tests: [
      "test/endpoint/core.test.ts",
      "test/endpoint/node-adapter.test.ts",
      "test/node/server.test.ts",
      "test/suites/fuzz/middleware.test.ts",
      "test/node/frameworks.test.ts",
    ],
  },
  {
    name: "redis-tracker",
    mutate: ["src/redis/tracker.ts"],
    tests: ["test/redis/*.test.ts"],
  },
  // the modules the Redis tracker is built from: its bounds, typed causes, policy check, record check
  {
    name: "redis-support",
    mutate: [
      "src/redis/connection.ts",
      "src/redis/errors.ts",
      "src/redis/eviction-policy.ts",
      "src/redis/options.ts",
      "src/redis/outcome.ts",
      "src/redis/record-script.ts",
    ],
    // not failover.test.ts: a Sentinel failover per mutant
    tests: [
      "test/redis/bad-data.test.ts",
      "test/redis/bounds.test.ts",
      "test/redis/cluster.test.ts",
      "test/redis/connection.test.ts",
      "test/redis/errors.test.ts",
      "test/redis/eviction-policy.test.ts",
      "test/redis/eviction.test.ts",
      "test/redis/lifecycle.test.ts",
      "test/redis/options.test.ts",
      "test/redis/replicas.test.ts",
      "test/redis/sharded.test.ts",
      "test/redis/stream.test.ts",
      "test/redis/tls-acl.test.ts",
      "test/redis/tracker.test.ts",
    ],
  },
  // The rest of src/.
  {
    name: "rest-notifications",
    mutate: ["src/notifications/*.ts"],
    tests: [
      "test/notifications/*.test.ts",
      "test/contract/*.test.ts",
      "test/suites/fuzz/parse-notifications.test.ts",
      "test/cli/validate-notification.test.ts",
    ],
  },
  {
    name: "rest-request",
    mutate: ["src/request/*.ts", "src/issues.ts"],
    tests: [
      "test/request/*.test.ts",
      "test/generated/validators.test.ts",
      "test/generated/request-validator.test.ts",
      "test/suites/fuzz/validate-request.test.ts",
      "test/cli/validate-request.test.ts",
      "test/issues.test.ts",
    ],
  },
  {
    name: "rest-client",
    mutate: ["src/client/*.ts", "src/internal/thenable.ts"],
    tests: ["test/client/*.test.ts", "test/suites/faults.test.ts"],
  },
  {
    name: "rest-telemetry",
    mutate: ["src/telemetry/*.ts"],
    tests: ["test/telemetry/*.test.ts"],
    // signals.test.ts runs the flow once, in a beforeAll, and its tests read the spans it left: with
    // perTest coverage Stryker credits no test with that run, and the telemetry's mutants were judged
    // by the privacy tests alone (25 to 65 %). Every mutant here runs every telemetry test (about 2 s).
    coverageAnalysis: "all",
  },
  {
    name: "rest-misc",
    mutate: [
      "src/errors.ts",
      "src/internal/is-object.ts",
      "src/internal/json-syntax.ts",
      "src/testing/*.ts",
      "src/tracking/tracker.ts",
      "src/node/fastify.ts",
      "src/cli/run.ts",
      "src/graph/index.ts",
      // entries, types and the CLI's start: re-exports and module-level code only (no mutant a test can judge)
      "src/index.ts",
      "src/types.ts",
      "src/schema-types.ts",
      "src/cli/bin.ts",
      "src/node/index.ts",
      "src/redis/index.ts",
    ],
    tests: [
      "test/telemetry/*.test.ts",
      "test/testing/*.test.ts",
      "test/tracking/*.test.ts",
      "test/hosts/*.test.ts",
      "test/cli/*.test.ts",
      "test/internal/json-syntax.test.ts",
      "test/errors.test.ts",
      "test/error-codes.test.ts",
      "test/examples/*.test.ts",
      "test/demo.test.ts",
    ],
  },
];
