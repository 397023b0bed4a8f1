// Fuzz: `graph-invite` (in process) on arbitrary bytes and near-JSON on standard input, and on
// arbitrary arguments. It always exits 0, 1 or 2; with --json it prints exactly one JSON object for
// 0 and 1; for 2 it prints one line on stderr and nothing on stdout. It never throws.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { docsPayload } from "../../fixtures/docs.js";
import { runInProcess } from "../../support/cli.js";
import { fuzz } from "../../support/fuzz.js";
import { hostileBytes, nearJsonText } from "../../support/hostile.js";

const COMMANDS = ["validate-request", "validate-notification"] as const;

function exitsCleanly(args: string[], input: string | Uint8Array): void {
  const run = runInProcess(args, input);
  expect([0, 1, 2]).toContain(run.code);
  if (run.code === 2) {
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^graph-invite: [^\n]+\n$/);
    return;
  }
  expect(run.stderr).toBe("");
  if (args.includes("--json") && !args.includes("--help") && !args.includes("-h")) {
    expect(run.stdout.endsWith("\n") && !run.stdout.slice(0, -1).includes("\n")).toBe(true);
    expect(JSON.parse(run.stdout).valid).toBe(run.code === 0);
  }
}

describe("graph-invite under fuzz", () => {
  it("exits 0, 1 or 2 with well-formed output for any standard input", () => {
    const payloads = [
      docsPayload(1, "request"),
      docsPayload(1, "notification-operation-completed"),
      docsPayload(3, "notification-roster-updated"),
    ];
    const input = fc.oneof(...payloads.map(nearJsonText), ...payloads.map(hostileBytes));
    const args = fc
      .tuple(fc.constantFrom(...COMMANDS), fc.boolean())
      .map(([command, json]) => [command, ...(json ? ["--json"] : []), "-"]);
    fuzz("graph-invite, any standard input", fc.tuple(args, input), ([a, i]) => exitsCleanly(a, i), 2000);
  });

  it("exits 2 with one line on stderr for any malformed arguments", () => {
    const arg = fc.oneof(
      fc.constantFrom(...COMMANDS, "--json", "-h", "--help", "-", "--", "--bogus", "-x"),
      fc.string({ maxLength: 12 }),
    );
    fuzz(
      "graph-invite, any arguments",
      fc.array(arg, { maxLength: 5 }).filter((a) => !(a.length === 0)),
      (args) =>
        exitsCleanly(
          args.map((a) => (a === "-" || a.startsWith("-") || COMMANDS.includes(a as never) ? a : `no-such-dir/${a}`)),
          "{}",
        ),
      1000,
    );
  });
});
