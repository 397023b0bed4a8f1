// The installed bin: the same command as src/cli/run.ts, spawned with real stdin, stdout, stderr
// and exit code.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { docsDir } from "../fixtures/docs.js";
import { cli } from "../support/cli.js";

describe("graph-invite bin", () => {
  it("exits 0 for a valid file and 1 for an invalid one", () => {
    expect(cli(["validate-request", join(docsDir, "example4-request.json")])).toEqual({ code: 0, stdout: "valid\n", stderr: "" });
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
    expect(cli(["frobnicate", "x.json"])).toMatchObject({ code: 2, stdout: "", stderr: expect.stringMatching(/unknown command "frobnicate"/) });
    expect(cli(["validate-request", "-"], "{not json")).toMatchObject({ code: 2, stderr: expect.stringMatching(/standard input is not JSON/) });
  });
});
