// createOperationTracker: settles each invite from its final callback, by operation id or by
// clientContext; early, late and missing callbacks are handled within bounds.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  createCallbackHandler,
  createOperationTracker,
  InviteOperationFailedError,
  InviteOperationTimeoutError,
  OperationTrackerError,
  parseCommsNotifications,
  type InviteParticipantsOperation,
  type OperationEvent,
  type UnmatchedReason,
} from "../../src/index.js";
import { docsPayload } from "../fixtures/docs.js";

type Json = Record<string, any>;
const CTX = "f2fa86af-3c51-4bc2-8fc0-475452d9764f";

/** The docs' example-n operation callback, parsed, with changes to its operation. */
function callback(n: number, change: Json = {}) {
  const body = docsPayload(n, "notification-operation-completed") as { value: Json[] };
  Object.assign(body.value[0]!.resourceData, change);
  return parseCommsNotifications(body);
}
const response = (n: number, change: Json = {}) => ({
  ...(docsPayload(n, "response") as InviteParticipantsOperation),
  ...change,
});

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe("settling", () => {
  it("resolves with the final operation on completed, by operation id", async () => {
    const tracker = createOperationTracker();
    const done = tracker.track({ clientContext: "other-ctx", operationId: "eec3812a-fdc3-4fb4-825c-a06c9f35414e" });
    tracker.observe(callback(1));
    await expect(done).resolves.toMatchObject({ id: "eec3812a-fdc3-4fb4-825c-a06c9f35414e", status: "completed" });
    expect(tracker.size).toEqual({ pending: 0, buffered: 0 });
  });

  it("rejects with InviteOperationFailedError carrying resultInfo on failed", async () => {
    const tracker = createOperationTracker();
    const done = tracker.track({ clientContext: CTX, operationId: "eec3812a-fdc3-4fb4-825c-a06c9f35414e" });
    tracker.observe(callback(4, { status: "Failed", resultInfo: { code: 412, subcode: 9999, message: "no PSTN" } }));
    const error = await done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InviteOperationFailedError);
    expect(error).toMatchObject({ resultInfo: { code: 412, subcode: 9999 }, clientContext: CTX });
    expect((error as Error).message).toBe(
      "Invite operation eec3812a-fdc3-4fb4-825c-a06c9f35414e failed (code 412, subcode 9999: no PSTN)",
    );
  });

  it("correlates by clientContext when the callback has id: null (docs Example 2)", async () => {
    const tracker = createOperationTracker();
    const done = tracker.track({ clientContext: CTX, operation: response(2) }); // the response's id differs
    tracker.observe(callback(2));
    await expect(done).resolves.toMatchObject({ id: null, clientContext: CTX, status: "completed" });
  });

  it("ignores running callbacks and other events", async () => {
    const tracker = createOperationTracker({ timeoutMs: 1000 });
    const done = tracker.track({ clientContext: CTX, operationId: "eec3812a-fdc3-4fb4-825c-a06c9f35414e" });
    tracker.observe([
      ...callback(1, { status: "running" }),
      ...parseCommsNotifications(docsPayload(1, "notification-roster-updated")),
    ]);
    expect(tracker.size).toEqual({ pending: 1, buffered: 0 });
    tracker.observe(callback(1));
    await expect(done).resolves.toMatchObject({ status: "completed" });
  });

  it("settles at once when the HTTP response is already final (no callback follows)", async () => {
    const tracker = createOperationTracker();
    await expect(
      tracker.track({ clientContext: CTX, operation: response(1, { status: "Completed" }) }),
    ).resolves.toMatchObject({ status: "Completed" });
    await expect(
      tracker.track({ clientContext: CTX, operation: response(1, { status: "failed" }) }),
    ).rejects.toBeInstanceOf(InviteOperationFailedError);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("waits for the callback when the response's status is null or absent (Learn commsOperation), as for running", async () => {
    const tracker = createOperationTracker();
    const { status: _status, ...absent } = response(1);
    for (const operation of [response(1, { status: null }), absent as InviteParticipantsOperation]) {
      const done = tracker.track({ clientContext: CTX, operation });
      expect(tracker.size.pending).toBe(1);
      tracker.observe(callback(1, { status: null })); // a callback whose status is null is not final either
      expect(tracker.size.pending).toBe(1);
      tracker.observe(callback(1));
      await expect(done).resolves.toMatchObject({ status: "completed" });
    }
  });

  it("refuses to track the same clientContext twice at once", async () => {
    const tracker = createOperationTracker();
    const first = tracker.track({ clientContext: CTX });
    await expect(tracker.track({ clientContext: CTX })).rejects.toMatchObject({
      name: "OperationTrackerError",
      reason: "duplicate",
    });
    tracker.close();
    await expect(first).rejects.toBeInstanceOf(InviteOperationTimeoutError);
  });

  it("wires to a callback handler in one line", async () => {
    const tracker = createOperationTracker();
    const handler = createCallbackHandler().on("operation", (e) => tracker.observe([e]));
    const done = tracker.track({ clientContext: CTX, operationId: "278405a3-f568-4b3e-b684-009193463064" });
    await handler.receive(docsPayload(5, "notification-operation-completed"));
    await expect(done).resolves.toMatchObject({ id: "278405a3-f568-4b3e-b684-009193463064" });
  });
});

describe("timing", () => {
  it("times out after timeoutMs, by default 90 s: longer than the ~60 s Graph takes to report an unanswered invite", async () => {
    const tracker = createOperationTracker();
    const done = tracker.track({ clientContext: CTX, operationId: "op" });
    const settled = vi.fn();
    done.then(settled, settled);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(settled).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(30_000);
    const error = await done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InviteOperationTimeoutError);
    expect(error).toMatchObject({ clientContext: CTX, operationId: "op", timeoutMs: 90_000 });
    expect(tracker.size).toEqual({ pending: 0, buffered: 0 });
  });

  it("surfaces a callback that arrives after the timeout as late", async () => {
    const unmatched: Array<[string | null, UnmatchedReason]> = [];
    const tracker = createOperationTracker({
      timeoutMs: 1_000,
      onUnmatched: (e, why) => void unmatched.push([e.clientContext, why]),
    });
    const done = tracker.track({ clientContext: CTX }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await done).toBeInstanceOf(InviteOperationTimeoutError);
    tracker.observe(callback(2));
    expect(unmatched).toEqual([[CTX, "late"]]);
  });

  it("keeps a callback that arrives before track() and settles track() with it", async () => {
    const tracker = createOperationTracker();
    tracker.observe(callback(3)); // has an operation id; track() below only knows the clientContext
    expect(tracker.size).toEqual({ pending: 0, buffered: 1 });
    await expect(tracker.track({ clientContext: CTX })).resolves.toMatchObject({
      id: "278405a3-f568-4b3e-b684-009193463064",
    });
    expect(tracker.size).toEqual({ pending: 0, buffered: 0 });
  });

  it("lets an unclaimed early callback expire after bufferMs, reported as expired", async () => {
    const unmatched: Array<[string | null, UnmatchedReason]> = [];
    const tracker = createOperationTracker({
      bufferMs: 5_000,
      onUnmatched: (e, why) => void unmatched.push([e.operationId, why]),
    });
    tracker.observe(callback(1));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(unmatched).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(unmatched).toEqual([["eec3812a-fdc3-4fb4-825c-a06c9f35414e", "expired"]]);
    expect(tracker.size.buffered).toBe(0);
  });

  it("bounds the buffer: past maxBuffered the oldest early callback leaves as overflow", () => {
    const unmatched: Array<[string | null, UnmatchedReason]> = [];
    const tracker = createOperationTracker({
      maxBuffered: 2,
      onUnmatched: (e, why) => void unmatched.push([e.operationId, why]),
    });
    for (const id of ["a", "b", "c"]) tracker.observe(callback(1, { id, clientContext: `ctx-${id}` }));
    expect(tracker.size.buffered).toBe(2);
    expect(unmatched).toEqual([["a", "overflow"]]);
  });

  it("close() rejects what is pending, surfaces what is buffered, and leaves no timer", async () => {
    const unmatched: UnmatchedReason[] = [];
    const tracker = createOperationTracker({ onUnmatched: (_e: OperationEvent, why) => void unmatched.push(why) });
    const done = tracker.track({ clientContext: "waiting" });
    tracker.observe(callback(1));
    expect(vi.getTimerCount()).toBe(2);
    tracker.close();
    expect(vi.getTimerCount()).toBe(0);
    await expect(done).rejects.toBeInstanceOf(InviteOperationTimeoutError);
    expect(unmatched).toEqual(["closed"]);
    expect(tracker.size).toEqual({ pending: 0, buffered: 0 });
  });
});

describe("correlation edge cases", () => {
  const unmatchedLog = () => {
    const log: Array<[string | null, string | null, UnmatchedReason]> = [];
    return {
      log,
      onUnmatched: (e: OperationEvent, why: UnmatchedReason) => void log.push([e.operationId, e.clientContext, why]),
    };
  };

  it("settles track() from an early callback found by operation id, whatever its clientContext", async () => {
    const tracker = createOperationTracker();
    tracker.observe(callback(1, { id: "op-1", clientContext: "another-ctx" }));
    await expect(tracker.track({ clientContext: "c1", operationId: "op-1" })).resolves.toMatchObject({ id: "op-1" });
  });

  it("replaces an early callback by a newer one for the same operation, reporting the older", () => {
    const { log, onUnmatched } = unmatchedLog();
    const tracker = createOperationTracker({ onUnmatched });
    tracker.observe(callback(1, { id: "op-1", clientContext: "first" }));
    tracker.observe(callback(1, { id: "op-1", clientContext: "second" }));
    expect(log).toEqual([["op-1", "first", "overflow"]]);
    expect(tracker.size.buffered).toBe(1);
  });

  it("keeps finding a clientContext's newest early callback when an older one for it expires", async () => {
    const tracker = createOperationTracker({ bufferMs: 1_000 });
    tracker.observe(callback(1, { id: "op-a", clientContext: "X" }));
    await vi.advanceTimersByTimeAsync(500);
    tracker.observe(callback(1, { id: "op-b", clientContext: "X" }));
    await vi.advanceTimersByTimeAsync(500); // op-a expires; X still points at op-b
    await expect(tracker.track({ clientContext: "X" })).resolves.toMatchObject({ id: "op-b" });
  });

  it("reports a callback with neither operation id nor clientContext as expired at once", () => {
    const { log, onUnmatched } = unmatchedLog();
    const tracker = createOperationTracker({ onUnmatched });
    const body = docsPayload(2, "notification-operation-completed") as { value: Json[] };
    body.value[0]!.resourceData.clientContext = null;
    tracker.observe(parseCommsNotifications(body));
    expect(log).toEqual([[null, null, "expired"]]);
    expect(tracker.size.buffered).toBe(0);
  });

  it("recognises a late callback by its operation id alone, or by its clientContext alone", async () => {
    const { log, onUnmatched } = unmatchedLog();
    const tracker = createOperationTracker({ timeoutMs: 1_000, onUnmatched });
    const first = tracker.track({ clientContext: "c1", operationId: "op-1" }).catch(() => {});
    const second = tracker.track({ clientContext: "c2", operationId: "op-2" }).catch(() => {});
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all([first, second]);
    tracker.observe(callback(1, { id: "op-1", clientContext: "someone-else" }));
    tracker.observe(callback(1, { id: "op-9", clientContext: "c2" }));
    expect(log).toEqual([
      ["op-1", "someone-else", "late"],
      ["op-9", "c2", "late"],
    ]);
  });

  it("remembers only the last maxBuffered timeouts, so the memory of late keys stays bounded", async () => {
    const { log, onUnmatched } = unmatchedLog();
    const tracker = createOperationTracker({ timeoutMs: 1_000, maxBuffered: 2, onUnmatched });
    const done = ["c1", "c2", "c3"].map((ctx) => tracker.track({ clientContext: ctx }).catch(() => {}));
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all(done);
    tracker.observe(callback(2, { clientContext: "c1" })); // id: null; c1's key was pushed out by c3's
    tracker.observe(callback(2, { clientContext: "c2" }));
    expect(log).toEqual([[null, "c2", "late"]]);
    expect(tracker.size.buffered).toBe(1);
  });

  it("refuses to track the same operation id twice, even under another clientContext", async () => {
    const tracker = createOperationTracker();
    void tracker.track({ clientContext: "c1", operationId: "op-1" });
    await expect(tracker.track({ clientContext: "c2", operationId: "op-1" })).rejects.toThrow(/Already tracking/);
  });

  it("a retried invite: the first operation's failure cannot settle the second's track(), same clientContext", async () => {
    const { log, onUnmatched } = unmatchedLog();
    const tracker = createOperationTracker({ onUnmatched, bufferMs: 1_000 });
    const second = tracker.track({ clientContext: CTX, operationId: "op-2" });
    tracker.observe(callback(1, { id: "op-1", status: "failed", resultInfo: { code: 500, subcode: 0 } })); // the first attempt's
    expect(tracker.size).toEqual({ pending: 1, buffered: 1 });
    tracker.observe(callback(1, { id: "op-2", status: "completed" }));
    await expect(second).resolves.toMatchObject({ id: "op-2", status: "completed" });
    vi.advanceTimersByTime(1_000);
    expect(log).toEqual([["op-1", CTX, "expired"]]);
  });

  it("a retried invite: an early callback for the first operation is not claimed by the second's track()", async () => {
    const tracker = createOperationTracker({ timeoutMs: 500 });
    tracker.observe(callback(1, { id: "op-1", status: "failed" }));
    const second = tracker.track({ clientContext: CTX, operationId: "op-2" });
    expect(tracker.size).toEqual({ pending: 1, buffered: 1 });
    vi.advanceTimersByTime(500);
    await expect(second).rejects.toBeInstanceOf(InviteOperationTimeoutError);
  });

  it("still correlates by clientContext when only one side has an id", async () => {
    const tracker = createOperationTracker();
    const withId = tracker.track({ clientContext: CTX, operationId: "op-2" });
    tracker.observe(callback(2)); // the docs' Example 2 callback: id null
    await expect(withId).resolves.toMatchObject({ id: null });
    const withoutId = tracker.track({ clientContext: CTX });
    tracker.observe(callback(1));
    await expect(withoutId).resolves.toMatchObject({ id: "eec3812a-fdc3-4fb4-825c-a06c9f35414e" });
  });
});

describe("bounds and the end", () => {
  it("close() is terminal: later track() calls reject (closed), later callbacks go to onUnmatched", async () => {
    const unmatched: UnmatchedReason[] = [];
    const tracker = createOperationTracker({ onUnmatched: (_e, why) => void unmatched.push(why) });
    tracker.close();
    const late = tracker.track({ clientContext: CTX });
    await expect(late).rejects.toBeInstanceOf(OperationTrackerError);
    await expect(late).rejects.toMatchObject({ reason: "closed" });
    tracker.observe(callback(1));
    expect(unmatched).toEqual(["closed"]);
    expect(tracker.size).toEqual({ pending: 0, buffered: 0 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it("maxPending caps waiting track() calls with a typed error", async () => {
    const tracker = createOperationTracker({ maxPending: 2 });
    const a = tracker.track({ clientContext: "a" });
    const b = tracker.track({ clientContext: "b" });
    await expect(tracker.track({ clientContext: "c" })).rejects.toMatchObject({
      name: "OperationTrackerError",
      reason: "full",
    });
    tracker.close();
    await expect(Promise.allSettled([a, b])).resolves.toHaveLength(2);
  });
});
