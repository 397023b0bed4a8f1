// Two ways to run `graph-invite`: `cli` spawns the package's real bin (from package.json) as a user
// would; `runInProcess` calls the same command in process, with the same result shape.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../src/cli/run.js";

const root = join(import.meta.dirname, "../..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { bin: Record<string, string> };
const bin = join(root, pkg.bin["graph-invite"]!);

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], input?: string): CliRun {
  const run = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: "utf8", input });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

export function runInProcess(args: string[], input: string | Uint8Array = ""): CliRun {
  let stdout = "";
  let stderr = "";
  const code = runCli(args, {
    readStdin: (maxBytes) => (typeof input === "string" ? input : input.subarray(0, maxBytes + 1)),
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { code, stdout, stderr };
}
