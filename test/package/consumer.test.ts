// test/consumer, an outside project, against the packed tarball: it sees only what `npm pack` ships
// and the `exports` map allows. Type-checked with TypeScript 5.9 and TypeScript 7, then run from ESM
// and from CommonJS. No registry: the tarball is unpacked into the consumer's node_modules and its
// dependencies are linked from this repo's install.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const compilers = {
  "TypeScript 5.9": join(root, "node_modules/typescript/bin/tsc"),
  "TypeScript 7": join(root, "node_modules/typescript7/bin/tsc"),
};
let work = "";
let consumer = "";

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "gic-consumer-"));
  const [packed] = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: root, encoding: "utf8" })) as Array<{ filename: string }>;
  consumer = join(work, "consumer");
  cpSync(join(root, "test/consumer"), consumer, { recursive: true });
  const installed = join(consumer, "node_modules/graph-invite-contract");
  mkdirSync(installed, { recursive: true });
  execFileSync("tar", ["-xzf", join(work, packed!.filename), "-C", installed, "--strip-components=1"]);
  const pkg = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  for (const dep of [...Object.keys(pkg.dependencies), "@types/node", "undici-types"]) {
    mkdirSync(join(consumer, "node_modules", dep, ".."), { recursive: true });
    symlinkSync(join(root, "node_modules", dep), join(consumer, "node_modules", dep), "dir");
  }
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("an outside project using the packed package", () => {
  for (const [name, tsc] of Object.entries(compilers)) {
    it(`type-checks with ${name}`, () => {
      const version = spawnSync(process.execPath, [tsc, "--version"], { encoding: "utf8" }).stdout;
      expect(version).toMatch(name === "TypeScript 7" ? /Version 7\./ : /Version 5\.9\./);
      const run = spawnSync(process.execPath, [tsc, "-p", consumer, "--noEmit"], { encoding: "utf8" });
      expect(run.stdout + run.stderr).toBe("");
      expect(run.status).toBe(0);
    }, 60_000);
  }

  it("runs from ESM: invite, callback, tracked outcome, local refusal", () => {
    execFileSync(process.execPath, [compilers["TypeScript 5.9"], "-p", consumer]);
    const run = spawnSync(process.execPath, [join(consumer, "dist/main.js")], { cwd: consumer, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({
      status: "Completed",
      location: "https://graph.microsoft.com/v1.0/communications/calls/call-1/operations/op-1",
      correlated: true,
      refused: "participants.minItems",
      valid: true,
    });
  }, 60_000);

  it("runs from CommonJS require()", () => {
    const run = spawnSync(process.execPath, [join(consumer, "dist/require.cjs")], { cwd: consumer, encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ valid: true, rules: 9 });
  }, 60_000);

  it("reaches nothing outside the exports map", () => {
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", 'await import("graph-invite-contract/dist/src/errors.js")'], { cwd: consumer, encoding: "utf8" });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("ERR_PACKAGE_PATH_NOT_EXPORTED");
  });
});
