// The error classes: each one's name (what `catch` code and logs switch on), its message, and the
// fields it carries.
import { describe, expect, it } from "vitest";
import {
  CallbackAuthError,
  CallTerminatedError,
  GraphRequestError,
  GraphTokenError,
  IntakeTimeoutError,
  InvalidOptionError,
  InviteOperationFailedError,
  InviteOperationTimeoutError,
  InviteValidationError,
  NotificationValidationError,
  PayloadValidationError,
  type InviteParticipantsOperation,
} from "../src/index.js";

const issue = (n: number) => ({ path: `/participants/${n}`, rule: "schema" as const, message: `problem ${n}` });
const operation = (change: Partial<InviteParticipantsOperation> = {}) =>
  ({
    "@odata.type": "#microsoft.graph.inviteParticipantsOperation",
    id: "op-1",
    status: "failed",
    clientContext: "ctx-1",
    ...change,
  }) as InviteParticipantsOperation;

describe("validation errors", () => {
  it("name themselves and list each issue as `path rule: message`", () => {
    const one = new InviteValidationError([issue(0)]);
    expect(one).toBeInstanceOf(PayloadValidationError);
    expect(one.name).toBe("InviteValidationError");
    expect(one.message).toBe("Invalid invite request body (1 issue):\n  /participants/0 schema: problem 0");
    const root = new NotificationValidationError([
      { path: "", rule: "json", message: "is not JSON" },
      { path: "", rule: "schema", message: "x" },
    ]);
    expect(root.name).toBe("NotificationValidationError");
    expect(root.message).toBe("Invalid commsNotifications payload (2 issues):\n  / json: is not JSON\n  / schema: x");
    expect(root.issues).toHaveLength(2);
  });

  it("list the first 20 issues in the message and keep them all in `issues`", () => {
    const many = new InviteValidationError(Array.from({ length: 25 }, (_, n) => issue(n)));
    const lines = many.message.split("\n");
    expect(lines[0]).toBe("Invalid invite request body (25 issues):");
    expect(lines).toHaveLength(1 + 20 + 1);
    expect(lines[20]).toBe("  /participants/19 schema: problem 19");
    expect(lines[21]).toBe("  ... and 5 more");
    expect(many.issues).toHaveLength(25);
    expect(new InviteValidationError(Array.from({ length: 20 }, (_, n) => issue(n))).message).not.toContain("more");
  });
});

describe("InviteOperationFailedError", () => {
  it("names the operation, code, subcode and message", () => {
    const error = new InviteOperationFailedError(
      operation({ resultInfo: { code: 403, subcode: 7505, message: "not allowed" } }),
    );
    expect(error.name).toBe("InviteOperationFailedError");
    expect(error.message).toBe("Invite operation op-1 failed (code 403, subcode 7505: not allowed)");
    expect(error).toMatchObject({ clientContext: "ctx-1", resultInfo: { code: 403 }, operation: { id: "op-1" } });
  });

  it("says what is missing when Graph left it out", () => {
    expect(new InviteOperationFailedError(operation({ id: null, clientContext: null })).message).toBe(
      "Invite operation (no id) failed (no resultInfo)",
    );
    expect(new InviteOperationFailedError(operation({ resultInfo: {} })).message).toBe(
      "Invite operation op-1 failed (code ?, subcode ?)",
    );
    expect(new InviteOperationFailedError(operation({ clientContext: undefined })).clientContext).toBeNull();
  });
});

describe("InviteOperationTimeoutError", () => {
  it("names the operation, its clientContext and the timeout", () => {
    const error = new InviteOperationTimeoutError("ctx-1", "op-1", 90_000);
    expect(error.name).toBe("InviteOperationTimeoutError");
    expect(error.message).toBe("No final callback for invite operation op-1 (clientContext ctx-1) within 90000 ms");
    expect(new InviteOperationTimeoutError("ctx-2", null, 5).message).toBe(
      "No final callback for invite operation (no id) (clientContext ctx-2) within 5 ms",
    );
  });
});

describe("CallTerminatedError", () => {
  it("names the call, why it ended and the operation it cut short", () => {
    const error = new CallTerminatedError("call-1", "ctx-1", "op-1", { code: 410, subcode: 5100, message: "gone" });
    expect(error.name).toBe("CallTerminatedError");
    expect(error.message).toBe(
      "Call call-1 terminated (code 410, subcode 5100: gone) before invite operation op-1 completed",
    );
    expect(error).toMatchObject({
      callId: "call-1",
      clientContext: "ctx-1",
      operationId: "op-1",
      resultInfo: { code: 410 },
    });
  });

  it("says what is missing when the notification or the track() left it out", () => {
    expect(new CallTerminatedError("call-2", "ctx-2", null, null).message).toBe(
      "Call call-2 terminated (no resultInfo) before invite operation (no id) completed",
    );
    expect(new CallTerminatedError("call-3", "ctx-3", "op-3", {}).message).toBe(
      "Call call-3 terminated (code ?, subcode ?) before invite operation op-3 completed",
    );
  });
});

describe("InvalidOptionError", () => {
  it("is a TypeError naming the function, the option and what is wrong with it", () => {
    const error = new InvalidOptionError("verifyCallbackToken", "appId", "required", "is required");
    expect(error).toBeInstanceOf(TypeError);
    expect(error.name).toBe("InvalidOptionError");
    expect(error.message).toBe("verifyCallbackToken: `appId` is required");
    expect(error).toMatchObject({ functionName: "verifyCallbackToken", option: "appId", rule: "required" });
  });
});

describe("GraphTokenError", () => {
  it("says what is wrong with the token, never the token, and that nothing was sent", () => {
    const messages = (["not_string", "empty", "illegal_characters"] as const).map((reason) => {
      const error = new GraphTokenError(reason);
      expect(error).toMatchObject({ name: "GraphTokenError", reason });
      return error.message;
    });
    expect(messages).toEqual([
      "The token from getToken() is not a string; nothing was sent",
      "The token from getToken() is empty; nothing was sent",
      "The token from getToken() has characters a header cannot carry; nothing was sent",
    ]);
  });
});

describe("IntakeTimeoutError", () => {
  it("names the step, the timeout and the 503 the endpoint answered", () => {
    const error = new IntakeTimeoutError("record", 2000);
    expect(error).toMatchObject({ name: "IntakeTimeoutError", step: "record", timeoutMs: 2000 });
    expect(error.message).toBe("The callback endpoint's record step did not settle within 2000 ms; it answered 503");
  });
});

describe("CallbackAuthError", () => {
  it("carries its reason and says it", () => {
    const error = new CallbackAuthError("tenant", "token is for tenant a, expected b");
    expect(error.name).toBe("CallbackAuthError");
    expect(error.reason).toBe("tenant");
    expect(error.message).toBe("Callback token refused (tenant): token is for tenant a, expected b");
  });
});

describe("GraphRequestError", () => {
  it("carries status, Graph's code, request id, Retry-After, body and cause, with null for what is absent", () => {
    const cause = new TypeError("fetch failed");
    const body = { error: { code: "Throttled", message: "slow down" } };
    const full = new GraphRequestError({
      reason: "error_status",
      status: 429,
      message: "m",
      code: "Throttled",
      requestId: "r",
      retryAfterMs: 1000,
      body,
      cause,
    });
    expect(full).toMatchObject({
      name: "GraphRequestError",
      reason: "error_status",
      status: 429,
      graphCode: "Throttled",
      requestId: "r",
      retryAfterMs: 1000,
      body,
      cause,
      message: "m",
    });
    const bare = new GraphRequestError({ reason: "network", status: 0, message: "m" });
    expect(bare).toMatchObject({ graphCode: null, requestId: null, retryAfterMs: null, body: null });
    expect("cause" in bare).toBe(false);
  });
});
