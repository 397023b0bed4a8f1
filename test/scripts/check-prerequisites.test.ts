// scripts/check-prerequisites.mjs (`pretest`): on a machine without redis-server or Java, `npm test`
// stops at once with the install line, instead of a `spawn redis-server ENOENT` after a 30 s stall.
// Run as npm runs it, with a PATH that holds only what each case puts there.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const script = join(import.meta.dirname, "../../scripts/check-prerequisites.mjs");
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A PATH folder holding `programs`: a name → the real program on this machine, or a shell script's body. */
function pathWith(programs: Record<string, { real: string } | { script: string }>): string {
  const dir = mkdtempSync(join(tmpdir(), "gic-prereq-"));
  dirs.push(dir);
  for (const [name, program] of Object.entries(programs)) {
    const file = join(dir, name);
    if ("real" in program) symlinkSync(program.real, file);
    else {
      writeFileSync(file, `#!/bin/sh\n${program.script}\n`);
      chmodSync(file, 0o755);
    }
  }
  return dir;
}
const which = (name: string) => spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).stdout.trim();
const check = (path: string) => {
  const run = spawnSync(process.execPath, [script], { encoding: "utf8", env: { PATH: path } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
};

describe("the prerequisites check before npm test", () => {
  it("passes silently where Java 17+ and redis-server are installed (this machine)", () => {
    expect(check(process.env.PATH!)).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("stops with exit 1 and both install lines when neither is on PATH", () => {
    const run = check(pathWith({}));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "redis-server (the Redis tracker's tests start their own on a free port): not found on PATH",
    );
    expect(run.stderr).toContain("install: Debian/Ubuntu: apt-get install redis-server");
    expect(run.stderr).toContain(
      "Java 17+ (openapi-generator, in `npm run generate` and the generator tests): not found",
    );
    expect(run.stderr).toContain("Debian/Ubuntu, all at once: apt-get install openjdk-17-jre-headless redis-server");
  });

  it("names only redis-server when Java is there", () => {
    const run = check(pathWith({ java: { real: which("java") } }));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("redis-server");
    expect(run.stderr).not.toContain("Java");
  });

  it("refuses a Java older than 17, saying which version it found", () => {
    const path = pathWith({
      java: { script: `echo 'openjdk version "11.0.22" 2024-01-16' >&2` },
      "redis-server": { real: which("redis-server") },
    });
    const run = check(path);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "Java 17+ (openapi-generator, in `npm run generate` and the generator tests): found 11.0, too old",
    );
    expect(run.stderr).not.toContain("redis-server (");
  });

  it("reads Java 8's 1.8 version scheme as 8", () => {
    const path = pathWith({
      java: { script: `echo 'java version "1.8.0_392"' >&2` },
      "redis-server": { real: which("redis-server") },
    });
    expect(check(path).stderr).toContain("found 8.0, too old");
  });
});
