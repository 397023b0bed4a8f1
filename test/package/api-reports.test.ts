// The API reports of all six entries (scripts/api-reports.mjs, on the declarations the package tier's
// build left in .tmp/dts/): they match what is committed in etc/, and a change to the exports of
// /node, /redis or /testing fails the check, naming that entry's report and no other.
import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const script = join(root, "scripts/api-reports.mjs");
const reports = (entries: string[]) =>
  entries.map((e) => `etc/graph-invite-contract${e === "index" ? "" : `.${e}`}.api.md`);
const check = (...args: string[]) => {
  const run = spawnSync(process.execPath, [script, ...args], { cwd: root, encoding: "utf8" });
  return { code: run.status, out: `${run.stdout}\n${run.stderr}` };
};

mkdirSync(join(root, ".tmp"), { recursive: true });
const probe = mkdtempSync(join(root, ".tmp/api-probe-")); // inside the repo: the declarations resolve jose, ioredis
afterAll(() => rmSync(probe, { recursive: true, force: true }));

describe("the API reports (etc/, `npm run api:update` after a deliberate change)", () => {
  it("cover all six entries and match the committed reports", () => {
    const run = check();
    expect(run.code, run.out).toBe(0);
    expect(run.out).toContain(
      `API reports match: ${reports(["index", "types", "node", "testing", "redis", "graph"]).join(", ")}`,
    );
  });

  it("fail, naming the entry, when /node, /redis or /testing exports something new", () => {
    cpSync(join(root, ".tmp/dts"), probe, { recursive: true });
    for (const entry of ["node", "redis", "testing"])
      appendFileSync(join(probe, `src/${entry}/index.d.ts`), "\nexport declare function probeExport(): void;\n");
    const run = check("--declarations", probe);
    expect(run.code).toBe(1);
    expect(run.out).toContain(
      `The public API differs from its report: ${reports(["node", "testing", "redis"]).join(", ")}.`,
    );
  });
});
