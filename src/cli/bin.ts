#!/usr/bin/env node
// graph-invite: check payloads against the contract from the command line (the command: run.ts).
import { readCapped, runCli } from "./run.js";

process.exitCode = runCli(process.argv.slice(2), {
  readStdin: (maxBytes) => readCapped(0, maxBytes),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
