// examples/bot, the sample calling bot, from the packed tarball in an outside project: `node main.js`
// runs it against the Graph simulator, and its own vitest and Jest tests pass. In this repo it runs
// with `npm run example` (the package resolves to dist/ by its own name); the test runs that too.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installPacked, pack, root } from "../support/packed.js";

let work = "";
let bot = "";
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "gic-example-"));
  bot = installPacked("examples/bot", work, "bot", pack(work), ["express", "vitest", "@jest/globals"]);
  // What a bot's own package.json says (in this repo the example is inside the package's own scope).
  writeFileSync(join(bot, "package.json"), JSON.stringify({ name: "bot", private: true, type: "module" }));
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const outcomes = (stdout: string) =>
  stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
const EXPECTED = [
  { userId: "accepting-user", status: 200, outcome: "completed", operationId: expect.any(String) },
  { userId: "declining-user", status: 200, outcome: "failed", code: 603 },
];

describe("examples/bot", () => {
  it("runs against the simulator with one command, in this repo (node examples/bot/main.js after the build)", () => {
    const run = spawnSync(process.execPath, ["examples/bot/main.js"], { cwd: root, encoding: "utf8", timeout: 60_000 });
    expect(run.stderr).toBe("");
    expect(outcomes(run.stdout)).toEqual(EXPECTED);
  }, 60_000);

  it("runs the same from the packed package", () => {
    const run = spawnSync(process.execPath, ["main.js"], { cwd: bot, encoding: "utf8", timeout: 60_000 });
    expect(run.stderr).toBe("");
    expect(outcomes(run.stdout)).toEqual(EXPECTED);
  }, 60_000);

  it("passes its own vitest test", () => {
    const run = spawnSync(process.execPath, [join(root, "node_modules/vitest/vitest.mjs"), "run"], {
      cwd: bot,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(run.stdout + run.stderr).toMatch(/Tests\s+5 passed \(5\)/);
    expect(run.status).toBe(0);
  }, 60_000);

  it("passes its own Jest test (Jest's ESM mode)", () => {
    const jest = join(root, "node_modules/jest/bin/jest.js");
    const run = spawnSync(process.execPath, ["--experimental-vm-modules", jest, "--ci", "--watchman=false"], {
      cwd: bot,
      encoding: "utf8",
    });
    expect(run.stderr).toMatch(/Tests:\s+5 passed, 5 total/);
    expect(run.status, run.stderr).toBe(0);
  }, 60_000);
});
