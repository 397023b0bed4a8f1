// The installed bin: the same command as src/cli/run.ts, spawned with real stdin, stdout, stderr
// and exit code.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { docsDir } from "../fixtures/docs.js";
import { cli } from "../support/cli.js";

describe("graph-invite bin", () => {
  it("exits 0 for a valid file and 1 for an invalid one", () => {
    expect(cli(["validate-request", join(docsDir, "example4-request.json")])).toEqual({
      code: 0,
      stdout: "valid\n",
      stderr: "",
    });
    const invalid = cli(["validate-request", join(docsDir, "example2-request.json")]);
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toMatch(/^\/participants\/0\/replacesCallId replacesCallId\.singleParticipant /);
  });

  it("reads standard input with - and prints --json", () => {
    const body = readFileSync(join(docsDir, "example1-notification-operation-completed.json"), "utf8");
    const run = cli(["validate-notification", "--json", "-"], body);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ valid: true, events: [{ kind: "operation", status: "completed" }] });
  });

  it("exits 2 on stderr for usage errors and input that is not JSON", () => {
    expect(cli(["frobnicate", "x.json"])).toMatchObject({
      code: 2,
      stdout: "",
      stderr: expect.stringMatching(/unknown command "frobnicate"/),
    });
    expect(cli(["validate-request", "-"], "{not json")).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/standard input is not JSON/),
    });
  });

  it("stops reading input past --max-bytes (default 1 MiB): /dev/zero and a large stdin exit 2, with bounded memory", () => {
    const root = join(import.meta.dirname, "../..");
    const bin = join(root, "dist/cli.js");
    const zero = spawnSync(process.execPath, ["--max-old-space-size=64", bin, "validate-notification", "/dev/zero"], {
      encoding: "utf8",
      timeout: 10_000,
    });
    expect(zero.status).toBe(2);
    expect(zero.stderr).toBe(
      "graph-invite: /dev/zero is larger than 1048576 bytes (--max-bytes) (see graph-invite --help)\n",
    );
    const large = cli(["validate-request", "-"], `{"participants":[],"pad":"${"x".repeat(3 * 1024 * 1024)}"}`);
    expect(large).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/standard input is larger than 1048576 bytes/),
    });
    expect(cli(["validate-request", "--max-bytes", "8", "-"], '{"participants":[]}')).toMatchObject({ code: 2 });
    expect(cli(["validate-request", "--max-bytes", "lots", "-"], "{}")).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--max-bytes takes a whole number/),
    });
  });

  it("never prints a file's content in an error, through a symlink or not", () => {
    const dir = mkdtempSync(join(tmpdir(), "gic-cli-"));
    try {
      writeFileSync(join(dir, "secret.txt"), "client_secret=Sup3rS3cret-value\n");
      symlinkSync(join(dir, "secret.txt"), join(dir, "callback.json"));
      const run = cli(["validate-notification", join(dir, "callback.json")]);
      expect(run.code).toBe(2);
      expect(run.stderr).not.toMatch(/Sup3r|client_secret/);
      expect(run.stderr).toMatch(/callback\.json is not JSON: invalid/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
