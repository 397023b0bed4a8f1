// The contract's own spectral rules: each flags its broken fixture (and no other gic- rule does),
// and openapi.yaml passes every rule, spectral:oas included.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readFileSync } from "node:fs";

const root = join(import.meta.dirname, "../..");
const fixtures = join(import.meta.dirname, "fixtures");
const spectral = join(root, "node_modules/.bin/spectral");

interface Result {
  code: string;
  source: string;
  message: string;
}

function lint(files: string[]): Result[] {
  const run = spawnSync(spectral, ["lint", ...files, "--ruleset", "spectral/ruleset.yaml", "-f", "json", "--quiet"], {
    cwd: root,
    encoding: "utf8",
  });
  if (run.stdout.trim() === "") throw new Error(`spectral printed nothing: ${run.stderr}`);
  return JSON.parse(run.stdout) as Result[];
}

const customRules = Object.keys(parse(readFileSync(join(root, "spectral/ruleset.yaml"), "utf8")).rules as object);
const fixtureFiles = readdirSync(fixtures).filter((f) => f.endsWith(".yaml"));

let results: Result[];
beforeAll(() => {
  results = lint([...fixtureFiles.map((f) => join(fixtures, f)), "openapi.yaml"]);
});

const customCodesFor = (file: string) => [
  ...new Set(results.filter((r) => r.source.endsWith(`/${file}`) && r.code.startsWith("gic-")).map((r) => r.code)),
];

describe("custom spectral rules", () => {
  it("has a broken fixture for every custom rule", () => {
    expect(customRules.length).toBeGreaterThanOrEqual(6);
    for (const rule of customRules) expect(fixtureFiles).toContain(`${rule}.yaml`);
  });

  for (const rule of customRules) {
    it(`${rule} flags test/lint/fixtures/${rule}.yaml, and is the only custom rule that does`, () => {
      expect(customCodesFor(`${rule}.yaml`)).toEqual([rule]);
    });
  }

  it("flags nothing in the clean base the fixtures are made from", () => {
    expect(customCodesFor("valid.yaml")).toEqual([]);
  });

  it("finds nothing in openapi.yaml (spectral:oas all + custom rules, hints included)", () => {
    expect(results.filter((r) => r.source.endsWith("/openapi.yaml"))).toEqual([]);
  });
});
