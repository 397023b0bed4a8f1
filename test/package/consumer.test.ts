// Outside projects against the packed tarball: they see only what `npm pack` ships and the `exports`
// map allows. test/consumer (a Node bot) is type-checked with TypeScript 5.9 and 7; each entry's main
// functions (src/flow.cts: the client inviting against the simulator, the node:http and Fetch endpoints
// taking its signed callbacks, the trackers in memory and on a real Redis) run from ESM, from CommonJS
// require() on the oldest and the project's Node 20, and under Jest's CommonJS mode (plain, ts-jest and
// babel-jest, each in its default setup); it is bundled for the browser; test/consumer-types (a repo that consumes the contract as types, without @types/node,
// skipLibCheck off) type-checks with both compilers in nodenext and bundler resolution. Under
// exactOptionalPropertyTypes (test/consumer/tsconfig.exact-optional.json, in test/consumer since /node
// needs @types/node), an endpoint or verifier option that may be undefined does not compile, and the
// documented conditional spread does. No registry:
// the tarball is unpacked into each project's node_modules, its dependencies linked from this repo.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installPacked, pack, root } from "../support/packed.js";
import { startRedis, type TestRedis } from "../support/redis.js";

const compilers = {
  "TypeScript 5.9": join(root, "node_modules/typescript/bin/tsc"),
  "TypeScript 7": join(root, "node_modules/typescript7/bin/tsc"),
};
let work = "";
let consumer = "";
let typesConsumer = "";
let redis: TestRedis;
/** What flow.cts sees, in every loading mode. */
const FLOW = {
  viaNode: ["completed", "failed 603"],
  viaFetch: ["completed"],
  callbacks: [202, 202, 202, 202, 202, 202, 202],
  refused: "INVITE_INVALID participants.minItems",
  viaRedis: ["completed"],
};
/** Jest and the tools its default setups load (ts-jest, babel-jest with preset-env and preset-typescript). */
const JEST = ["@jest/globals", "ts-jest", "babel-jest", "@babel/core", "@babel/preset-env", "@babel/preset-typescript"];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "gic-consumer-"));
  const tarball = pack(work);
  consumer = installPacked("test/consumer", work, "consumer", tarball, [
    "@types/node",
    "undici-types",
    "vitest",
    "ioredis",
    ...JEST,
  ]);
  typesConsumer = installPacked("test/consumer-types", work, "consumer-types", tarball);
  execFileSync(process.execPath, [compilers["TypeScript 5.9"], "-p", consumer]);
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.dispose();
  rmSync(work, { recursive: true, force: true });
});
const env = () => ({ ...process.env, NO_COLOR: "1", REDIS_URL: redis.url });

describe("an outside project using the packed package", () => {
  for (const [name, tsc] of Object.entries(compilers)) {
    it(`type-checks with ${name}`, () => {
      const version = spawnSync(process.execPath, [tsc, "--version"], { encoding: "utf8" }).stdout;
      expect(version).toMatch(name === "TypeScript 7" ? /Version 7\./ : /Version 5\.9\./);
      const run = spawnSync(process.execPath, [tsc, "-p", consumer, "--noEmit"], { encoding: "utf8" });
      expect(run.stdout + run.stderr).toBe("");
      expect(run.status).toBe(0);
    });
  }

  it("runs from ESM: invite, callback, tracked outcome, local refusal", () => {
    const run = spawnSync(process.execPath, [join(consumer, "dist/main.js")], { cwd: consumer, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({
      status: "Completed",
      location: "https://graph.microsoft.com/v1.0/communications/calls/call-1/operations/op-1",
      correlated: true,
      refused: "participants.minItems",
      valid: true,
    });
  });

  it("uses each entry's main functions from ESM: simulator, client, both endpoints, both trackers", () => {
    const run = spawnSync(process.execPath, [join(consumer, "dist/import.js")], {
      cwd: consumer,
      encoding: "utf8",
      env: env(),
    });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual(FLOW);
  });

  const node2018 = join(root, "test/runtimes/node_modules/node20-18/bin/node");
  for (const [name, node] of [
    ["Node 20.18 (no require of ES modules)", node2018],
    [`Node ${process.version}`, process.execPath],
  ]) {
    it(`uses each entry's main functions from CommonJS require() on ${name}`, () => {
      expect(existsSync(join(consumer, "dist/require.cjs"))).toBe(true);
      const run = spawnSync(node!, [join(consumer, "dist/require.cjs")], {
        cwd: consumer,
        encoding: "utf8",
        env: env(),
      });
      expect(run.status, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual({ valid: true, rules: 10, ...FLOW }); // INVITE_RULES, property.unknown included
    });
  }

  it("tests its bot's whole invite flow offline with the Graph simulator (graph-invite-contract/testing), in seconds", () => {
    const vitest = join(root, "node_modules/vitest/vitest.mjs");
    const started = Date.now();
    const run = spawnSync(process.execPath, [vitest, "run", "vitest/"], {
      cwd: consumer,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(run.stdout + run.stderr).toMatch(/Tests\s+4 passed \(4\)/);
    expect(run.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  const jest = (dir: string) =>
    spawnSync(process.execPath, [join(root, "node_modules/jest/bin/jest.js"), "--ci", "--watchman=false"], {
      cwd: join(consumer, "jest", dir),
      encoding: "utf8",
      env: env(),
    });

  it("loads under Jest's default CommonJS mode, without a transform", () => {
    const run = jest("plain");
    expect(run.stderr).toMatch(/Tests:\s+1 passed, 1 total/);
    expect(run.status, run.stderr).toBe(0);
  });

  for (const [transform, tests] of [
    ["ts-jest", 5], // flow.test.ts, and bot.test.ts: docs/testing.md's Jest example
    ["babel-jest", 1],
  ] as const) {
    it(`runs a bot's TypeScript Jest tests with ${transform} in its default setup: each entry used end to end`, () => {
      const run = jest(transform);
      expect(run.stderr).toMatch(new RegExp(`Tests:\\s+${tests} passed, ${tests} total`));
      expect(run.status, run.stderr).toBe(0);
    }, 120_000);
  }

  for (const [name, tsc] of Object.entries(compilers)) {
    it(`refuses a maybe-undefined option under exactOptionalPropertyTypes, and takes the conditional spread, with ${name}`, () => {
      const run = spawnSync(process.execPath, [tsc, "-p", join(consumer, "tsconfig.exact-optional.json")], {
        encoding: "utf8",
      });
      // each refusal is a @ts-expect-error: one that compiled would be an unused directive, an error
      expect(run.stdout + run.stderr).toBe("");
      expect(run.status).toBe(0);
    });
  }

  it("bundles for the browser from the neutral entry: no Node built-in, none of the simulator", async () => {
    const result = await build({
      entryPoints: [join(consumer, "src/browser.ts")],
      absWorkingDir: consumer,
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      logLevel: "silent",
    });
    const code = result.outputFiles[0]!.text;
    expect(result.errors).toEqual([]);
    expect(code).not.toMatch(/\bnode:|require\(/);
    expect(code).not.toMatch(/createGraphSimulator|noAnswerAfterMs/); // the simulator stays in /testing
  });

  it("bundles an invite-only program without the callback side: no endpoint, no token checks, no callback validators", async () => {
    const result = await build({
      stdin: {
        contents: `import { createInviteClient, invitePhone } from "graph-invite-contract";
          const client = createInviteClient({ getToken: () => "t" });
          await client.invite("c", invitePhone("+12345678901"));`,
        resolveDir: consumer,
      },
      bundle: true,
      minify: true,
      platform: "node",
      format: "esm",
      write: false,
      logLevel: "silent",
    });
    const code = result.outputFiles[0]!.text;
    expect(code).toContain("#microsoft.graph.invitationParticipantInfo"); // the request validator stays
    expect(code).not.toContain("No callback endpoint here"); // the endpoint's answers
    expect(code).not.toContain("api.botframework.com"); // the token issuers
    expect(code).not.toContain("#microsoft.graph.commsNotifications"); // the callback validators
  });

  for (const [name, tsc] of Object.entries(compilers)) {
    for (const config of ["nodenext", "bundler", "types-only"]) {
      it(`type-checks a types-only repo without @types/node (${config}, skipLibCheck off) with ${name}`, () => {
        expect(existsSync(join(typesConsumer, "node_modules/@types/node"))).toBe(false);
        const run = spawnSync(process.execPath, [tsc, "-p", join(typesConsumer, `tsconfig.${config}.json`)], {
          encoding: "utf8",
        });
        expect(run.stdout + run.stderr).toBe("");
        expect(run.status).toBe(0);
      });
    }
  }

  it("reaches nothing outside the exports map", () => {
    const run = spawnSync(
      process.execPath,
      ["--input-type=module", "-e", 'await import("graph-invite-contract/dist/index.js")'],
      { cwd: consumer, encoding: "utf8" },
    );
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("ERR_PACKAGE_PATH_NOT_EXPORTED");
  });
});
