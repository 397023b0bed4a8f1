// The API reports of all six entries (scripts/api-reports.mjs, on the declarations the package tier's
// build left in .tmp/dts/): they match what is committed in etc/, and a change to the exports of
// /node, /redis or /testing fails the check, naming that entry's report and no other. Every export and
// every member of one has a doc comment: a report that marks one `(undocumented)` fails, naming it.
import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { undocumented } from "../../scripts/api-reports.mjs";

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
const bare = mkdtempSync(join(root, ".tmp/api-probe-"));
afterAll(() => {
  for (const dir of [probe, bare]) rmSync(dir, { recursive: true, force: true });
});
const ENTRIES = ["index", "types", "node", "testing", "redis", "graph"];
/** Each report's undocumented declarations, by report; the reports without any left out. */
const undocumentedIn = (read: (report: string) => string) =>
  Object.fromEntries(
    reports(ENTRIES)
      .map((report) => [report, undocumented(read(report))] as const)
      .filter(([, missing]) => missing.length > 0),
  );
/** Removes the doc comment right before `declaration` in a declaration file of `dir`. */
const stripDoc = (dir: string, file: string, declaration: string) => {
  const path = join(dir, file);
  const text = readFileSync(path, "utf8");
  const at = text.indexOf(declaration);
  const start = text.lastIndexOf("/**", at);
  const documented = at > 0 && start >= 0 && text.slice(text.indexOf("*/", start) + 2, at).trim() === "";
  expect(documented, `a doc comment right before ${declaration} in ${file}`).toBe(true);
  writeFileSync(path, text.slice(0, start) + text.slice(at));
};

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

  it("document every export of every entry, and every member of one: no report marks one `(undocumented)`", () => {
    const missing = undocumentedIn((report) => readFileSync(join(root, report), "utf8"));
    expect(missing, "each needs a doc comment in src/ (then `npm run api:update`)").toEqual({});
  });

  it("name the entry and the declaration when an export or a member loses its doc comment", () => {
    cpSync(join(root, ".tmp/dts"), bare, { recursive: true });
    stripDoc(bare, "src/notifications/handler.d.ts", "export declare function createCallbackHandler");
    stripDoc(bare, "src/redis/errors.d.ts", 'readonly code: "REDIS_TRACKER_FAILED"');
    const run = check("--declarations", bare);
    expect(run.code).toBe(1); // the reports differ from etc/: the check writes what it found to .tmp/api/
    const found = undocumentedIn((report) => readFileSync(join(root, ".tmp/api", basename(report)), "utf8"));
    expect(found).toEqual({
      [reports(["index"])[0]!]: ["createCallbackHandler"],
      [reports(["redis"])[0]!]: ["RedisTrackerError.code"],
    });
  });
});
