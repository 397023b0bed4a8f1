// The pending track() calls both trackers share (the in-memory one, the Redis one): admission and
// its refusals, correlation id first, the last look before a timeout, the call-ended sweep, and
// which events of a batch the Redis tracker records (finalInviteEvents, terminatedCalls).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  CallTerminatedError,
  InviteOperationTimeoutError,
  OperationTrackerError,
  type CallbackEvent,
} from "../../src/index.js";
import {
  createPendingTracks,
  finalInviteEvents,
  terminatedCalls,
  type PendingTrack,
} from "../../src/tracking/pending-tracks.js";

const OP = "0fe0623f-d628-42ed-b4bd-8ac290072cc5";
const CALL = "2f1a0b00-36b6-4b1e-a7f3-3b6b2a9c4d11";

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

type Tracks = ReturnType<typeof createPendingTracks>;
/** tracks.add, its rejection marked handled: each test reads the outcomes it is about. */
function add(tracks: Tracks, target: Parameters<Tracks["add"]>[0]) {
  const added = tracks.add(target);
  added.promise.catch(() => {});
  return added;
}

/** A settled promise's outcome, without waiting on timers: "pending" while it has none. */
async function outcome(promise: Promise<unknown>) {
  let state: unknown = "pending";
  promise.then(
    (value) => (state = value),
    (error: unknown) => (state = error),
  );
  await vi.advanceTimersByTimeAsync(0);
  return state;
}

describe("admitting a track()", () => {
  it("refuses one past maxPending, a duplicate, and any once closed, each saying why", async () => {
    const tracks = createPendingTracks(1_000, 2);
    add(tracks, { clientContext: "a", operationId: OP });
    add(tracks, { clientContext: "b" });
    const refused = (target: { clientContext: string; operationId?: string }) =>
      tracks.add(target).promise.catch((e: OperationTrackerError) => `${e.reason}: ${e.message}`);
    expect(await refused({ clientContext: "c" })).toBe("full: Already tracking 2 invite operations (maxPending)");
    expect(await refused({ clientContext: "a" })).toBe(
      "duplicate: Already tracking an invite operation with clientContext a",
    );
    expect(await refused({ clientContext: "d", operationId: OP.toUpperCase() })).toMatch(/^duplicate: /);
    tracks.close();
    expect(await refused({ clientContext: "e" })).toBe("closed: The operation tracker is closed");
  });

  it("tracks several invites whose operation id is not known yet, each by its clientContext", async () => {
    const tracks = createPendingTracks(1_000, 10);
    const first = add(tracks, { clientContext: "a" });
    const second = add(tracks, { clientContext: "b", operationId: null });
    expect(first.pending).not.toBeNull();
    expect(second.pending).not.toBeNull();
    expect(tracks.size).toBe(2);
    expect(tracks.find(null, "b")).toBe(second.pending);
    expect(tracks.find(OP, "a")).toBe(first.pending); // the callback has an id, the track none
  });
});

describe("correlating a final callback", () => {
  it("goes by operation id first: another track's clientContext in the callback does not take it", () => {
    const tracks = createPendingTracks(1_000, 10);
    const byId = add(tracks, { clientContext: "a", operationId: OP }).pending;
    add(tracks, { clientContext: "b" });
    expect(tracks.find(OP.replaceAll("-", "").toUpperCase(), "b")).toBe(byId);
  });

  it("says which tracks still wait, and lists them", async () => {
    const tracks = createPendingTracks(1_000, 10);
    const a = add(tracks, { clientContext: "a", operationId: OP });
    const b = add(tracks, { clientContext: "b" });
    expect(tracks.all()).toEqual([a.pending, b.pending]);
    tracks.settle(a.pending!, { id: OP, status: "completed" } as never);
    expect(await outcome(a.promise)).toMatchObject({ id: OP, status: "completed" });
    expect(tracks.waiting(a.pending!)).toBe(false);
    expect(tracks.waiting(b.pending!)).toBe(true);
    expect(tracks.all()).toEqual([b.pending]);
    expect(tracks.find(OP, null)).toBeUndefined();
    vi.advanceTimersByTime(1_000);
    expect(tracks.waiting(b.pending!)).toBe(false);
    expect(tracks.all()).toEqual([]);
  });
});

describe("a track()'s timeout and the last look before it", () => {
  it("looks once, aheadMs before the timeout, at the waiting track; then times out", async () => {
    const looked: Array<[number, PendingTrack]> = [];
    const start = Date.now();
    const tracks = createPendingTracks(1_000, 10, {
      aheadMs: 300,
      look: (p) => void looked.push([Date.now() - start, p]),
    });
    const { promise, pending } = add(tracks, { clientContext: "a", operationId: OP });
    vi.advanceTimersByTime(699);
    expect(looked).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(looked).toEqual([[700, pending]]);
    expect(tracks.waiting(pending!)).toBe(true);
    vi.advanceTimersByTime(299);
    expect(await outcome(promise)).toBe("pending");
    vi.advanceTimersByTime(1);
    const error = await outcome(promise);
    expect(error).toBeInstanceOf(InviteOperationTimeoutError);
    expect(error).toMatchObject({ clientContext: "a", operationId: OP, timeoutMs: 1_000 });
    expect(looked).toHaveLength(1);
  });

  it("looks at once when aheadMs is longer than the timeout, and not at all when it is 0", async () => {
    const looked: string[] = [];
    const look = (p: PendingTrack) => void looked.push(p.target.clientContext);
    const long = createPendingTracks(100, 10, { aheadMs: 5_000, look });
    const a = add(long, { clientContext: "a" });
    vi.advanceTimersByTime(0);
    expect(looked).toEqual(["a"]);
    vi.advanceTimersByTime(99);
    expect(await outcome(a.promise)).toBe("pending");
    vi.advanceTimersByTime(1);
    expect(await outcome(a.promise)).toBeInstanceOf(InviteOperationTimeoutError);
    const none = createPendingTracks(100, 10, { aheadMs: 0, look });
    const b = add(none, { clientContext: "b" });
    vi.advanceTimersByTime(100);
    expect(await outcome(b.promise)).toBeInstanceOf(InviteOperationTimeoutError);
    expect(looked).toEqual(["a"]);
  });
});

describe("a call that ended", () => {
  it("rejects every track on it, its id in any GUID spelling, and says how many", async () => {
    const tracks = createPendingTracks(1_000, 10);
    const a = add(tracks, { clientContext: "a", callId: CALL });
    const b = add(tracks, {
      clientContext: "b",
      location: `https://graph.microsoft.com/v1.0/communications/calls/${CALL.toUpperCase()}/operations/${OP}`,
    });
    const other = add(tracks, { clientContext: "c", callId: "another-call" });
    const unknown = add(tracks, { clientContext: "d" });
    expect(tracks.terminateCall(CALL.replaceAll("-", ""), { code: 200, subcode: 5_001 } as never)).toBe(2);
    for (const p of [a.promise, b.promise]) {
      const error = await outcome(p);
      expect(error).toBeInstanceOf(CallTerminatedError);
    }
    expect(await outcome(a.promise)).toMatchObject({ clientContext: "a", resultInfo: { code: 200, subcode: 5_001 } });
    expect(await outcome(other.promise)).toBe("pending");
    expect(await outcome(unknown.promise)).toBe("pending");
    expect(tracks.terminateCall(CALL, null)).toBe(0);
  });
});

describe("the events of a batch a tracker records", () => {
  const operation = (operationType: string, status: string) =>
    ({ kind: "operation", operationType, status, operationId: OP, clientContext: "a" }) as unknown as CallbackEvent;
  const call = (state: string | null, callId: string | null) =>
    ({ kind: "call", state, callId }) as unknown as CallbackEvent;

  it("finalInviteEvents: the invites that completed or failed, in order, nothing else", () => {
    const completed = operation("inviteParticipants", "completed");
    const failed = operation("inviteParticipants", "failed");
    const events = [
      operation("inviteParticipants", "running"),
      failed,
      operation("playPrompt", "completed"),
      call("terminated", CALL),
      completed,
    ];
    expect(finalInviteEvents(events)).toEqual([failed, completed]);
    expect(finalInviteEvents([])).toEqual([]);
  });

  it("terminatedCalls: the calls that ended and say which call, nothing else", () => {
    const ended = call("terminated", CALL);
    const events = [
      call("established", CALL),
      call("terminating", CALL),
      call("terminated", null),
      { ...operation("inviteParticipants", "completed"), state: "terminated", callId: CALL } as CallbackEvent,
      ended,
    ];
    expect(terminatedCalls(events)).toEqual([ended]);
  });
});
