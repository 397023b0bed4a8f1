// The runtime matrix: the packed package's neutral entry, used by an app (test/runtimes/app: parse,
// verify, the Fetch-API endpoint), gives the same result on Node 20.18 (the oldest 20.x tested), the
// project's Node, Node 22 and 24, Deno 2, Bun 1, and Cloudflare's workerd (through miniflare).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installPacked, pack, root } from "../support/packed.js";

let work = "";
let app = "";
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "gic-runtimes-"));
  app = installPacked("test/runtimes/app", work, "app", pack(work), ["jose"]);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const bin = (path: string) => join(root, path);

const expected = {
  parsed: ["operation:completed"],
  tenant: "72f988bf-86f1-41af-91ab-2d7cd011db47",
  statuses: {
    accepted: 202,
    forged: 401,
    malformed: 400,
    tooLarge: 413,
    notJson: 415,
    wrongMethod: 405,
    otherPath: 404,
  },
  settled: "completed",
  waitedFor: 1,
};

const commandLine: Array<[string, string, string[], RegExp]> = [
  ["Node 20.18", bin("test/runtimes/node_modules/node20-18/bin/node"), ["main.mjs"], /^v20\.18\./],
  [`Node ${process.version} (the project's)`, process.execPath, ["main.mjs"], /^v2\d\./],
  ["Node 22", bin("test/runtimes/node_modules/node22/bin/node"), ["main.mjs"], /^v22\./],
  ["Node 24", bin("test/runtimes/node_modules/node24/bin/node"), ["main.mjs"], /^v24\./],
  [
    "Deno 2",
    bin("test/runtimes/node_modules/@deno/linux-x64-glibc/deno"),
    ["run", "--allow-read", "--allow-env", "main.mjs"],
    /^deno 2\./,
  ],
  ["Bun 1", bin("node_modules/.bin/bun"), ["main.mjs"], /^1\./],
];

describe("the neutral entry on every runtime", () => {
  for (const [name, command, args, version] of commandLine) {
    it(`runs on ${name}`, () => {
      const v = spawnSync(command, ["--version"], { encoding: "utf8" });
      expect(v.stdout.trim()).toMatch(version);
      const run = spawnSync(command, args, {
        cwd: app,
        encoding: "utf8",
        timeout: 60_000,
        env: { ...process.env, NO_COLOR: "1" },
      });
      expect(run.stderr).toBe("");
      expect(JSON.parse(run.stdout)).toEqual(expected);
    });
  }

  it("runs on Cloudflare's workerd (a Worker bundled by esbuild, served by miniflare)", async () => {
    const bundle = await build({
      entryPoints: [join(app, "worker.mjs")],
      absWorkingDir: app,
      bundle: true,
      format: "esm",
      platform: "neutral",
      mainFields: ["module", "main"],
      conditions: ["worker", "browser"],
      target: "es2022",
      write: false,
    });
    const worker = new Miniflare({
      modules: true,
      script: bundle.outputFiles[0]!.text,
      compatibilityDate: "2025-09-01",
    });
    try {
      const res = await worker.dispatchFetch("http://localhost/");
      expect(await res.json()).toEqual(expected);
    } finally {
      await worker.dispose();
    }
  });
});
