#!/usr/bin/env node
// graph-invite: check payloads against the contract from the command line (see src/cli/run.ts).
import { readCapped, runCli } from "./cli/run.js";

process.exitCode = runCli(process.argv.slice(2), {
  readStdin: (maxBytes) => readCapped(0, maxBytes),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
