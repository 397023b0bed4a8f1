// Every error class of every entry carries a stable `code` (ERROR_CODES), and docs/errors.md has one
// row per code. A new exported error class fails here until it has both.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as main from "../src/index.js";
import * as node from "../src/node/index.js";
import * as redis from "../src/redis/index.js";
import * as testing from "../src/testing/index.js";

const { ERROR_CODES } = main;
const operation = {
  "@odata.type": "#microsoft.graph.inviteParticipantsOperation",
  id: "op",
  status: "failed",
} as const;
/** One instance of each class, as the package throws it. */
const instances: Record<string, () => Error> = {
  InviteValidationError: () => new main.InviteValidationError([{ path: "", rule: "schema", message: "x" }]),
  NotificationValidationError: () => new main.NotificationValidationError([{ path: "", rule: "json", message: "x" }]),
  InviteOperationFailedError: () => new main.InviteOperationFailedError(operation),
  InviteOperationTimeoutError: () => new main.InviteOperationTimeoutError("ctx", null, 5),
  OperationTrackerError: () => new main.OperationTrackerError("full", "x"),
  CallbackAuthError: () => new main.CallbackAuthError("missing", "x"),
  GraphTokenError: () => new main.GraphTokenError("empty"),
  GraphRequestError: () =>
    new main.GraphRequestError({ reason: "error_status", status: 429, message: "x", code: "Throttled" }),
  CallTerminatedError: () => new main.CallTerminatedError("call", "ctx", null, { code: 200, subcode: 5001 }),
  EndpointOptionsError: () => new main.EndpointOptionsError("appId", "undefined", "is undefined"),
  IntakeTimeoutError: () => new main.IntakeTimeoutError("record", 10_000),
  RedisTrackerError: () => new redis.RedisTrackerError("auth", "x", "WRONGPASS"),
  InvalidOptionError: () => new main.InvalidOptionError("verifyCallbackToken", "appId", "required", "x"),
};

/** The concrete error classes an entry exports. */
const errorClasses = (entry: object) =>
  Object.entries(entry)
    .filter(([, value]) => typeof value === "function" && value.prototype instanceof Error)
    .map(([name]) => name)
    .filter((name) => name !== "PayloadValidationError"); // abstract: its subclasses carry the code

describe("error codes", () => {
  it("are listed for every error class any entry exports, and unique", () => {
    const exported = new Set([main, node, redis, testing].flatMap(errorClasses));
    expect([...exported].sort()).toEqual(Object.keys(ERROR_CODES).sort());
    expect(new Set(Object.values(ERROR_CODES)).size).toBe(Object.keys(ERROR_CODES).length);
  });

  it("are carried by each instance, beside its name", () => {
    for (const [name, code] of Object.entries(ERROR_CODES)) {
      const make = instances[name];
      expect(make, `no instance for ${name}`).toBeDefined();
      const error = make!();
      expect(error.name).toBe(name);
      expect((error as Error & { code: string }).code).toBe(code);
    }
  });

  it("keep Graph's own OData code apart, as graphCode", () => {
    const error = instances.GraphRequestError!() as main.GraphRequestError;
    expect(error).toMatchObject({ code: "GRAPH_REQUEST_FAILED", graphCode: "Throttled", status: 429 });
  });

  it("are documented in docs/errors.md, one row each", () => {
    const doc = readFileSync(join(import.meta.dirname, "../docs/errors.md"), "utf8");
    for (const [name, code] of Object.entries(ERROR_CODES))
      expect(doc).toMatch(new RegExp(`^\\| \`${code}\` \\| \`${name}\` \\|`, "m"));
  });
});
