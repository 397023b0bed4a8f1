// The graph-invite command, in process: argv and I/O come in, an exit code goes out, so the bin
// stays a two-line shell and the tests (and the fuzzer) call it without spawning.
// Exit codes: 0 valid, 1 invalid, 2 usage error / unreadable input / not JSON.
import { closeSync, openSync, readSync } from "node:fs";
import { parseArgs } from "node:util";
import { parseCommsNotifications, type CallbackEvent } from "../notifications/parse.js";
import { NotificationValidationError } from "../errors.js";
import type { ValidationIssue } from "../issues.js";
import { jsonSyntaxProblem } from "../internal/json-syntax.js";
import { validateInviteRequest } from "../request/validate.js";

export interface CliIo {
  /** Standard input, read when the source is `-`: at most `maxBytes + 1` bytes (one more tells it is too large). */
  readStdin(maxBytes: number): string | Uint8Array;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The same default cap as the callback endpoint's. */
export const DEFAULT_MAX_BYTES = 1024 * 1024;

const HELP = `Usage: graph-invite <command> [--json] [--max-bytes <n>] <file|->

Commands:
  validate-request [--json] <file|->        Check one invite request body (JSON) against the
                                            contract's schema and the documented rules
                                            (clientContext length, one participant with
                                            replacesCallId, E.164 phones, ...).
  validate-notification [--json] <file|->   Check one callback body (commsNotifications) and
                                            list its events: operation (status, clientContext),
                                            roster (participant count) or other.

Input is a JSON file, or - for standard input, of at most --max-bytes bytes (default 1 MiB).
Output: one line per issue, "path rule message" (for a valid notification, one line per event);
with --json exactly one JSON object:
  {"valid": boolean, "issues": [{"path", "rule", "message"}]}
  validate-notification adds "events": [{"kind", "changeType", "callId", "operationId",
  "clientContext", "status", "participants" (a count, roster only)}]
Exit codes: 0 valid, 1 invalid, 2 usage error, unreadable input or input that is not JSON.

Options:
  --json            print the result as one JSON object
  --max-bytes <n>   refuse input larger than n bytes (exit 2); default 1048576
  -h, --help        print this help
`;

interface Outcome {
  valid: boolean;
  issues: readonly ValidationIssue[];
  events?: EventSummary[];
}

type EventSummary = Partial<
  Record<
    | "kind"
    | "changeType"
    | "callId"
    | "operationType"
    | "operationId"
    | "clientContext"
    | "status"
    | "state"
    | "tone"
    | "odataType",
    string | null
  >
> & {
  participants?: number;
  participantsLeft?: boolean;
};

function summarize(event: CallbackEvent): EventSummary {
  const { kind, changeType, callId } = event;
  switch (event.kind) {
    case "other":
      return { kind, changeType, callId, operationId: event.operationId, odataType: event.odataType };
    case "roster":
      return {
        kind,
        changeType,
        callId,
        participants: event.participants.length,
        participantsLeft: event.participantsLeft,
      };
    case "call":
      return { kind, changeType, callId, state: event.state };
    case "tone":
      return { kind, changeType, callId, tone: event.tone };
    case "operation": {
      const { operationType, operationId, clientContext, status } = event;
      return { kind, changeType, callId, operationType, operationId, clientContext, status };
    }
  }
}

// Paths, ids and parser messages can quote the input: escape control characters (newlines, ANSI
// escapes) so one line stays one line and a hostile file cannot drive the terminal.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const printable = (text: string) => text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

const describeEvent = (e: EventSummary) =>
  Object.entries(e)
    .map(([k, v]) => `${k}=${printable(String(v))}`)
    .join(" ");

const COMMANDS: Record<string, (input: unknown) => Outcome> = {
  "validate-request": (input) => {
    const result = validateInviteRequest(input);
    return result.ok ? { valid: true, issues: [] } : { valid: false, issues: result.issues };
  },
  "validate-notification": (input) => {
    try {
      return { valid: true, issues: [], events: parseCommsNotifications(input).map(summarize) };
    } catch (error) {
      if (!(error instanceof NotificationValidationError)) throw error;
      return { valid: false, issues: error.issues, events: [] };
    }
  },
};

class UsageError extends Error {}

/** readSync, waiting out EAGAIN (a non-blocking stdin with nothing to read yet). */
function readRetrying(fd: number, into: Buffer): number {
  for (;;) {
    try {
      return readSync(fd, into, 0, into.length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EOF") return 0;
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

/** Reads a file descriptor up to `limit + 1` bytes: enough to know it is too large, never more. */
export function readCapped(fd: number, limit: number): Uint8Array {
  const chunks: Buffer[] = [];
  let size = 0;
  while (size <= limit) {
    const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, limit + 1 - size));
    const read = readRetrying(fd, chunk);
    if (read === 0) break;
    chunks.push(chunk.subarray(0, read));
    size += read;
  }
  return Buffer.concat(chunks, size);
}

function readFile(path: string, limit: number): Uint8Array {
  const fd = openSync(path, "r");
  try {
    return readCapped(fd, limit);
  } finally {
    closeSync(fd);
  }
}

function readJson(source: string, io: CliIo, limit: number): unknown {
  const name = source === "-" ? "standard input" : source;
  let raw: string | Uint8Array;
  try {
    raw = source === "-" ? io.readStdin(limit) : readFile(source, limit);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`cannot read ${name}: ${reason}`);
  }
  const size = Buffer.byteLength(raw); // a string's UTF-8 bytes, or the bytes read
  if (size > limit) throw new UsageError(`${name} is larger than ${limit} bytes (--max-bytes)`);
  try {
    return JSON.parse(typeof raw === "string" ? raw : Buffer.from(raw).toString("utf8")) as unknown;
  } catch (error) {
    // Where, never what: the parser's own message would quote the input.
    throw new UsageError(`${name} is not JSON: ${jsonSyntaxProblem(error)}`);
  }
}

function run(argv: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: "boolean", default: false },
      "max-bytes": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  const [command, source, ...rest] = positionals;
  // Own keys only: "constructor" or "toString" is an unknown command, not Object's.
  // Stryker disable next-line ConditionalExpression: Object.hasOwn(COMMANDS, undefined) is false too; the test narrows the type
  const check = command !== undefined && Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!check) throw new UsageError(command === undefined ? "missing command" : `unknown command "${command}"`);
  if (source === undefined || rest.length > 0) throw new UsageError(`${command} takes one <file|->`);

  // Digits only: Number() would take "" (and " ") as 0, "0x10" as 16 and "1e3" as 1000.
  const maxBytes = values["max-bytes"];
  if (maxBytes !== undefined && !/^\d{1,15}$/.test(maxBytes))
    throw new UsageError("--max-bytes takes a whole number of bytes");
  const limit = maxBytes === undefined ? DEFAULT_MAX_BYTES : Number(maxBytes);
  const outcome = check(readJson(source, io, limit));
  if (values.json) {
    io.stdout(`${JSON.stringify(outcome)}\n`);
  } else if (outcome.valid) {
    io.stdout("valid\n");
    for (const event of outcome.events ?? []) io.stdout(`${describeEvent(event)}\n`);
  } else {
    for (const i of outcome.issues) io.stdout(`${printable(i.path || "/")} ${i.rule} ${printable(i.message)}\n`);
  }
  return outcome.valid ? 0 : 1;
}

/** Runs `graph-invite` with `argv` (without node and the script) and returns its exit code. */
export function runCli(argv: string[], io: CliIo): number {
  try {
    return run(argv, io);
  } catch (error) {
    if (!(error instanceof UsageError) && !(error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) throw error;
    io.stderr(`graph-invite: ${printable((error as Error).message)} (see graph-invite --help)\n`);
    return 2;
  }
}
