// `graph-invite validate-request`, run in process (test/cli/bin.test.ts spawns the real bin).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { docsDir } from "../fixtures/docs.js";
import { runCli } from "../../src/cli/run.js";
import { runInProcess as cli } from "../support/cli.js";
const docs = (file: string) => join(docsDir, file);

describe("graph-invite validate-request", () => {
  it("exits 0 and says valid for a valid body", () => {
    expect(cli(["validate-request", docs("example4-request.json")])).toEqual({
      code: 0,
      stdout: "valid\n",
      stderr: "",
    });
  });

  it("exits 1 with one `path rule message` line per issue", () => {
    const run = cli(["validate-request", docs("example2-request.json")]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("");
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\/participants\/0\/replacesCallId replacesCallId\.singleParticipant \S/);
    expect(lines[1]).toMatch(/^\/participants\/1\/replacesCallId replacesCallId\.singleParticipant \S/);
  });

  it("prints exactly one JSON object with --json", () => {
    const valid = cli(["validate-request", "--json", docs("example1-request.json")]);
    expect(valid.code).toBe(0);
    expect(JSON.parse(valid.stdout)).toEqual({ valid: true, issues: [] });

    const invalid = cli(["validate-request", "--json", "-"], JSON.stringify({ participants: [] }));
    expect(invalid.code).toBe(1);
    expect(invalid.stdout.trimEnd().split("\n")).toHaveLength(1);
    expect(JSON.parse(invalid.stdout)).toEqual({
      valid: false,
      issues: [
        {
          path: "/participants",
          rule: "participants.minItems",
          message: "must NOT have fewer than 1 items (minItems)",
        },
      ],
    });
  });

  it("reads standard input with -", () => {
    const body = readFileSync(docs("example5-request.json"), "utf8");
    expect(cli(["validate-request", "-"], body).code).toBe(0);
  });

  it("exits 2 with a one-line message for a missing file, input that is not JSON, and usage errors", () => {
    const cases: Array<[string[], string | undefined, RegExp]> = [
      [["validate-request", "no-such-file.json"], undefined, /cannot read no-such-file\.json: ENOENT/],
      [["validate-request", "test"], undefined, /cannot read test: EISDIR/],
      [["validate-request", "-"], "{not json", /standard input is not JSON: invalid at position 1 \(/],
      [["validate-request", "-"], "", /standard input is not JSON: unexpected end of input \(/],
      [["validate-request"], undefined, /validate-request takes one <file\|->/],
      [["validate-request", "a.json", "b.json"], undefined, /takes one/],
      [["frobnicate", "x.json"], undefined, /unknown command "frobnicate"/],
      [["constructor", "-"], "{}", /unknown command "constructor"/],
      [["toString", "-"], "{}", /unknown command "toString"/],
      [["__proto__", "-"], "{}", /unknown command "__proto__"/],
      [[], undefined, /missing command/],
      [["validate-request", "--bogus", "x.json"], undefined, /Unknown option '--bogus'/],
    ];
    for (const [args, input, message] of cases) {
      const run = cli(args, input);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stdout, args.join(" ")).toBe("");
      expect(run.stderr, args.join(" ")).toMatch(message);
      expect(run.stderr.trimEnd().split("\n"), args.join(" ")).toHaveLength(1);
    }
  });

  it("counts --max-bytes in UTF-8 bytes, inclusive: n bytes are read, n + 1 are refused", () => {
    const body = '{"participants":[]}'; // 19 bytes
    expect(cli(["validate-request", "--max-bytes", "19", "-"], body).code).toBe(1);
    expect(cli(["validate-request", "--max-bytes", "18", "-"], body)).toEqual({
      code: 2,
      stdout: "",
      stderr: "graph-invite: standard input is larger than 18 bytes (--max-bytes) (see graph-invite --help)\n",
    });
    const accents = '"ééé"'; // 5 characters, 8 bytes
    expect(cli(["validate-request", "--max-bytes", "7", "-"], accents).stderr).toMatch(/larger than 7 bytes/);
    expect(cli(["validate-request", "--max-bytes", "8", "-"], accents).code).toBe(1);
  });

  it("takes a whole number of bytes, 0 included, for --max-bytes", () => {
    expect(cli(["validate-request", "--max-bytes", "0", "-"], "{}").stderr).toMatch(/larger than 0 bytes/);
    for (const bad of ["-1", "1.5", "lots", "", " ", "0x10", "1e3", "9".repeat(16)]) {
      const run = cli(["validate-request", `--max-bytes=${bad}`, "-"], "{}");
      expect(run.code, bad).toBe(2);
      expect(run.stderr, bad).toBe(
        "graph-invite: --max-bytes takes a whole number of bytes (see graph-invite --help)\n",
      );
    }
  });

  it("says why standard input could not be read, by its code or else its message", () => {
    const failing = (error: Error) => {
      let stderr = "";
      const code = runCli(["validate-request", "-"], {
        readStdin: () => {
          throw error;
        },
        stdout: () => {},
        stderr: (text) => (stderr += text),
      });
      return { code, stderr };
    };
    expect(failing(Object.assign(new Error("EIO: i/o error, read"), { code: "EIO" }))).toEqual({
      code: 2,
      stderr: "graph-invite: cannot read standard input: EIO (see graph-invite --help)\n",
    });
    expect(failing(new Error("the terminal went away"))).toEqual({
      code: 2,
      stderr: "graph-invite: cannot read standard input: the terminal went away (see graph-invite --help)\n",
    });
  });

  it("prints / as the path of an issue about the whole body", () => {
    const run = cli(["validate-request", "-"], "[]");
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^\/ \S+ \S/);
  });

  it("never repeats the input in an error: no control characters, no content, one line", () => {
    const run = cli(["validate-request", "-"], "\u001b[2J\nsecret-token-abc\u0000");
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(/[\u0000\u001b]|2J|secret/);
    expect(run.stderr).toBe("graph-invite: standard input is not JSON: invalid (see graph-invite --help)\n");
  });

  it("documents every command in --help", () => {
    const run = cli(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("validate-request [--json] <file|->");
    expect(run.stdout).toMatch(/Exit codes: 0 valid, 1 invalid, 2/);
  });
});
