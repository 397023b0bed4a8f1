// The tracker learns from the whole callback stream: an invite's final callback that names its ids
// in another spelling still settles it, another operation never does, and a call that terminates
// rejects its pending invites at once (no final operation callback will ever come).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  CallTerminatedError,
  createOperationTracker,
  InviteOperationFailedError,
  parseCommsNotifications,
} from "../../src/index.js";
import { graphSentPayloads } from "../fixtures/graph.js";

type Json = Record<string, any>;
const fixture = (name: string) => structuredClone(graphSentPayloads.find((p) => p.name === name)!.body) as Json;
const CTX = "f2fa86af-3c51-4bc2-8fc0-475452d9764f";
const OPERATION_ID = "eec3812a-fdc3-4fb4-825c-a06c9f35414e";
const CALL_ID = "ab6233a5-20b7-4c5e-bea2-ce56c9776429";
const LOCATION = `https://graph.microsoft.com/v1.0/communications/calls/${CALL_ID}/operations/${OPERATION_ID}`;

/** call-delete.md's terminated notification, for the call `callId`. */
function terminated(callId: string) {
  const body = fixture("call-terminated-string-codes");
  body.value[0].resourceUrl = `/communications/calls/${callId}`;
  return parseCommsNotifications(body);
}

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe("ids compared as GUIDs", () => {
  it("an invite's final callback naming the operation id upper-case without dashes, no resourceData.id, settles it", async () => {
    const tracker = createOperationTracker();
    // another invite with the same operation id's clientContext would otherwise be a fallback: not here
    const done = tracker.track({ clientContext: "ctx-of-this-invite", operationId: OPERATION_ID });
    tracker.observe(parseCommsNotifications(fixture("operation-invite-upper-case-ids")));
    await expect(done).resolves.toMatchObject({ status: "completed" });
    expect(tracker.size).toEqual({ pending: 0, buffered: 0 });
  });

  it("also when the callback came first (buffered) and track() names the id in the other spelling", async () => {
    const tracker = createOperationTracker();
    tracker.observe(parseCommsNotifications(fixture("operation-invite-upper-case-ids")));
    await expect(
      tracker.track({ clientContext: "ctx-of-this-invite", operationId: OPERATION_ID }),
    ).resolves.toMatchObject({
      status: "completed",
    });
  });
});

describe("only the invite's operations settle an invite", () => {
  it("a playPrompt completing with the invite's clientContext and no id does not settle it", async () => {
    const tracker = createOperationTracker({ timeoutMs: 1000 });
    const done = tracker.track({ clientContext: "d45324c1-fcb5-430a-902c-f20af696537c" });
    done.catch(() => {});
    tracker.observe(parseCommsNotifications(fixture("operation-play-prompt-completed")));
    expect(tracker.size).toEqual({ pending: 1, buffered: 0 });
  });

  it("a failed invite with resultInfo codes as strings rejects with numbers", async () => {
    const body = fixture("operation-invite-upper-case-ids");
    body.value[0].resourceData.status = "failed";
    body.value[0].resourceData.resultInfo = { code: "412", subcode: "9999", message: "no PSTN" };
    const tracker = createOperationTracker();
    const done = tracker.track({ clientContext: CTX });
    tracker.observe(parseCommsNotifications(body));
    const error = await done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InviteOperationFailedError);
    expect((error as InviteOperationFailedError).resultInfo).toMatchObject({ code: 412, subcode: 9999 });
  });
});

describe("a terminated call settles its pending invites at once", () => {
  it("rejects with CallTerminatedError naming the call's resultInfo, call id from the invite's Location", async () => {
    const tracker = createOperationTracker();
    const done = tracker.track({ clientContext: CTX, operationId: OPERATION_ID, location: LOCATION });
    tracker.observe(terminated(CALL_ID.toUpperCase().replaceAll("-", ""))); // the same call, as GUIDs
    const error = await done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallTerminatedError);
    expect(error).toMatchObject({
      code: "CALL_TERMINATED",
      callId: CALL_ID,
      operationId: OPERATION_ID,
      resultInfo: { code: 200, subcode: 5001, message: "The conversation has ended." },
    });
    expect((error as Error).message).toBe(
      `Call ${CALL_ID} terminated (code 200, subcode 5001: The conversation has ended.) before invite operation ${OPERATION_ID} completed`,
    );
    expect((error as Error).message).not.toContain(CTX);
    expect(tracker.size.pending).toBe(0);
  });

  it("leaves invites on other calls, and invites whose call is unknown, waiting", () => {
    const tracker = createOperationTracker({ timeoutMs: 1000 });
    const other = tracker.track({ clientContext: "a", callId: "57dab8b1-894c-409a-b240-bd8beae78896" });
    const unknown = tracker.track({ clientContext: "b" });
    other.catch(() => {});
    unknown.catch(() => {});
    tracker.observe(terminated(CALL_ID));
    expect(tracker.size.pending).toBe(2);
  });

  it("a terminating call (not yet terminated) settles nothing; the later final callback still does", async () => {
    const tracker = createOperationTracker();
    const done = tracker.track({ clientContext: CTX, callId: CALL_ID });
    const terminating = fixture("call-terminating");
    terminating.value[0].resourceUrl = `/communications/calls/${CALL_ID}`;
    tracker.observe(parseCommsNotifications(terminating));
    expect(tracker.size.pending).toBe(1);
    tracker.observe(parseCommsNotifications(fixture("operation-invite-upper-case-ids")));
    await expect(done).resolves.toMatchObject({ status: "completed" });
  });
});
