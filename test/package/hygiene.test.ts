// Package hygiene on what `npm pack` ships (the package tier's global setup has built dist/): publint
// and attw (every resolution mode). The API reports are test/package/api-reports.test.ts.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const bin = (name: string, args: string[]) => {
  const run = spawnSync(join(root, "node_modules/.bin", name), args, { cwd: root, encoding: "utf8" });
  return { code: run.status, out: `${run.stdout}\n${run.stderr}` };
};

describe("package hygiene", () => {
  it("passes publint", () => {
    const run = bin("publint", ["--strict"]);
    expect(run.out).toContain("All good!");
    expect(run.code).toBe(0);
  });

  // `attw --pack` exactly as a reviewer runs it: it reads .attw.json, which excludes the two YAML
  // subpaths (./openapi.yaml, ./openapi.3.0.yaml). They are data files, not modules: attw resolves
  // every export as a module, finds no types for YAML and exits 1. No rule is ignored.
  it("passes a plain `attw --pack` in node10, node16 (CJS and ESM) and bundler resolution, ignoring no rule", () => {
    const run = bin("attw", ["--pack", ".", "--format", "json"]);
    expect(run.code, run.out).toBe(0);
    const { analysis } = JSON.parse(run.out.slice(run.out.indexOf("{"))) as {
      analysis: { problems: object; entrypoints: Record<string, unknown> };
    };
    expect(Object.values(analysis.problems)).toEqual([]);
    expect(Object.keys(analysis.entrypoints).sort()).toEqual([
      ".",
      "./graph",
      "./node",
      "./package.json",
      "./redis",
      "./testing",
      "./types",
    ]);
  });
});
