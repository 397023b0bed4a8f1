// Release discipline (.changeset/README.md): the version changesets will release is the one the
// hand-written CHANGELOG.md announces. Pending changesets: the top heading is `## Unreleased (X.Y.Z)`
// with X.Y.Z what `changeset version` will set; none: the top heading is package.json's version.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");

it("releases the version the changelog's top heading names", () => {
  const dir = mkdtempSync(join(tmpdir(), "gic-release-"));
  try {
    const output = join(dir, "status.json");
    const run = spawnSync(join(root, "node_modules/.bin/changeset"), ["status", `--output=${output}`], {
      cwd: root,
      encoding: "utf8",
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const { releases } = JSON.parse(readFileSync(output, "utf8")) as {
      releases: Array<{ name: string; newVersion: string }>;
    };
    const { name, version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      name: string;
      version: string;
    };
    const heading = /^## (.+)$/m.exec(readFileSync(join(root, "CHANGELOG.md"), "utf8"))?.[1];
    const next = releases.find((r) => r.name === name)?.newVersion;
    expect(heading).toBe(next ? `Unreleased (${next})` : version);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
