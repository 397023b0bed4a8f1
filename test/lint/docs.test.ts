// The docs' own checks: the link check (`npm run lint:links`: remark-validate-links and the repo-path
// rule) refuses each kind of broken reference, and the runners that write figures into the docs
// (bench/report.mjs) fail on a doc, a marker block or a named file that does not exist.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
mkdirSync(join(root, ".tmp"), { recursive: true });
const dir = mkdtempSync(join(root, ".tmp/docs-probe-")); // inside the repo, so remark finds .remarkrc.mjs
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const remark = (markdown: string) => {
  const file = join(dir, `probe-${Math.random().toString(36).slice(2)}.md`);
  writeFileSync(file, markdown);
  const run = spawnSync(
    join(root, "node_modules/.bin/remark"),
    ["--frail", "--quiet", "--no-stdout", "--no-color", file],
    {
      cwd: root,
      encoding: "utf8",
    },
  );
  return { code: run.status, out: run.stdout + run.stderr };
};
const report = (code: string) => {
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", code], { cwd: root, encoding: "utf8" });
  return { code: run.status, stderr: run.stderr };
};

describe("the link check", () => {
  it("passes links, anchors and repo paths that exist", () => {
    const run = remark(
      "[api](../../docs/api.md#module-format), [readme](../../README.md), `src/index.ts`, bench/report.mjs\n",
    );
    expect(run.out).toBe("");
    expect(run.code).toBe(0);
  });

  it("fails on a missing file, a missing heading and a repo path that no longer exists", () => {
    const run = remark(
      "[a](../../docs/docs/api.md) [b](../../README.md#no-such-heading)\n\n| file | score |\n| --- | --- |\n| src/callbacks/middleware.ts | 91.7 % |\n",
    );
    expect(run.code).toBe(1);
    expect(run.out).toContain("Cannot find file `../../docs/docs/api.md`");
    expect(run.out).toContain("Cannot find heading for `#no-such-heading` in `../../README.md`");
    expect(run.out).toContain("Cannot find repo path `src/callbacks/middleware.ts`");
  });

  it("leaves fenced code alone: it shows commands and what they print", () => {
    expect(remark("```\njava -jar x.jar -i generated/.client-view.openapi.3.0.yaml\n```\n").code).toBe(0);
  });
});

describe("the runners that write figures", () => {
  it("fail on a doc that does not exist instead of creating it", () => {
    const run = report(
      'import { writeDocBlock } from "./bench/report.mjs"; writeDocBlock("no-such.md", "bench", "x");',
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("figures: docs/no-such.md does not exist; its figures were not written");
  });

  it("fail on a doc without the block's markers instead of skipping it", () => {
    const run = report('import { writeDocBlock } from "./bench/report.mjs"; writeDocBlock("api.md", "bench", "x");');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("figures: docs/api.md has no <!-- bench:start --> ... <!-- bench:end --> block");
  });

  it("fail on figures rows that name a file which no longer exists", () => {
    const rows = JSON.stringify([{ file: "src/index.ts" }, { file: "src/cli.ts" }, { file: "all of src/" }]);
    const run = report(`import { assertFilesExist } from "./bench/report.mjs"; assertFilesExist("mutation", ${rows});`);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("figures: the mutation rows name files that do not exist (src/cli.ts)");
  });
});
