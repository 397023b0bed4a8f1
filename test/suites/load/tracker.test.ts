// The operation tracker at scale: LOAD_OPERATIONS (default 10,000) invites tracked at once, settled by callbacks that arrive in
// random order, some before their track(), some correlated by clientContext only (id: null, as in
// the docs' Example 2). Every operation settles with its own outcome, nothing is reported unmatched,
// and the early-callback buffer never exceeds its bound, even when flooded.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createOperationTracker,
  InviteOperationFailedError,
  parseCommsNotifications,
  type CallbackEvent,
  type InviteParticipantsOperation,
  type UnmatchedReason,
} from "../../../src/index.js";
import { docsPayload } from "../../fixtures/docs.js";
import { recordFigure } from "../../support/figures.js";
import { SEED } from "../../support/fuzz.js";

const TRACKED = Number(process.env.LOAD_OPERATIONS ?? 10_000);
const EARLY = TRACKED / 20;
const MAX_BUFFERED = TRACKED / 10;

const template = JSON.stringify(docsPayload(1, "notification-operation-completed"));
/** Op n: every 5th has id null and no id in its URLs, as in the docs' Example 2 (correlated by clientContext); every 10th fails. */
const callbackFor = (n: number): CallbackEvent[] =>
  parseCommsNotifications(
    template
      .replaceAll('"eec3812a-fdc3-4fb4-825c-a06c9f35414e"', n % 5 === 0 ? "null" : `"op-${n}"`)
      .replaceAll(
        "operations/eec3812a-fdc3-4fb4-825c-a06c9f35414e",
        n % 5 === 0 ? "operations/participants" : `operations/op-${n}`,
      )
      .replace("f2fa86af-3c51-4bc2-8fc0-475452d9764f", `ctx-${n}`)
      .replace('"status":"completed"', n % 10 === 3 ? '"status":"failed"' : '"status":"completed"'),
  );
const target = (n: number) => ({ clientContext: `ctx-${n}`, operationId: n % 5 === 0 ? null : `op-${n}` });

/** A random order from fast-check, with the fixed seed, so a failure reproduces. */
const shuffled = <T>(items: T[]): T[] =>
  fc.sample(fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length }), {
    seed: SEED,
    numRuns: 1,
  })[0]!;

describe("createOperationTracker at scale", () => {
  it(`settles ${TRACKED.toLocaleString("en-US")} concurrent operations from callbacks in random order, ${EARLY} of them early`, async () => {
    const unmatched: UnmatchedReason[] = [];
    const tracker = createOperationTracker({
      maxBuffered: MAX_BUFFERED,
      onUnmatched: (_e, reason) => unmatched.push(reason),
    });
    const outcomes = new Map<number, Promise<InviteParticipantsOperation | Error>>();
    const track = (n: number) =>
      outcomes.set(
        n,
        tracker.track(target(n)).catch((e: Error) => e),
      );
    let peakBuffered = 0;
    let peakPending = 0;
    const observe = () => {
      peakBuffered = Math.max(peakBuffered, tracker.size.buffered);
      peakPending = Math.max(peakPending, tracker.size.pending);
    };
    const started = performance.now();

    // callbacks of ops TRACKED..TRACKED+EARLY-1 arrive before anyone tracks them
    const early = Array.from({ length: EARLY }, (_, i) => TRACKED + i);
    for (const n of shuffled(early)) {
      tracker.observe(callbackFor(n));
      observe();
    }
    // then 10,000 invites are tracked at once
    for (let n = 0; n < TRACKED; n++) {
      track(n);
      observe();
    }
    expect(tracker.size).toEqual({ pending: TRACKED, buffered: EARLY });
    // then their callbacks arrive in random order, interleaved with the early ones' track()
    const steps = shuffled([
      ...Array.from({ length: TRACKED }, (_, n) => ({ receive: n })),
      ...early.map((n) => ({ track: n })),
    ]);
    for (const step of steps) {
      if ("receive" in step) tracker.observe(callbackFor(step.receive));
      else track(step.track);
      observe();
    }

    const settled = await Promise.all([...outcomes].map(async ([n, outcome]) => [n, await outcome] as const));
    const elapsedMs = performance.now() - started;
    const wrong = settled.filter(([n, outcome]) =>
      n % 10 === 3
        ? !(outcome instanceof InviteOperationFailedError && outcome.clientContext === `ctx-${n}`)
        : outcome instanceof Error || outcome.clientContext !== `ctx-${n}`,
    );
    expect(settled).toHaveLength(TRACKED + EARLY);
    expect(wrong.map(([n]) => n)).toEqual([]);
    expect(unmatched).toEqual([]);
    expect(peakPending).toBe(TRACKED);
    expect(peakBuffered).toBeLessThanOrEqual(MAX_BUFFERED);
    expect(tracker.size).toEqual({ pending: 0, buffered: 0 });
    tracker.close();
    recordFigure("tracker", {
      scenario: `${TRACKED.toLocaleString("en-US")} tracked at once, callbacks in random order, ${EARLY} early`,
      operations: settled.length,
      settled: settled.length - wrong.length,
      unmatched: unmatched.length,
      peakPending,
      peakBuffered,
      maxBuffered: MAX_BUFFERED,
      elapsedMs: Math.round(elapsedMs),
    });
  });

  it(`keeps its buffer bounded when ${TRACKED.toLocaleString("en-US")} callbacks arrive that nobody tracks, reporting every one`, () => {
    const unmatched = new Map<UnmatchedReason, number>();
    const tracker = createOperationTracker({
      maxBuffered: MAX_BUFFERED,
      onUnmatched: (_e, reason) => unmatched.set(reason, (unmatched.get(reason) ?? 0) + 1),
    });
    let peakBuffered = 0;
    for (let n = 0; n < TRACKED; n++) {
      tracker.observe(callbackFor(n));
      peakBuffered = Math.max(peakBuffered, tracker.size.buffered);
    }
    expect(peakBuffered).toBe(MAX_BUFFERED);
    expect(Object.fromEntries(unmatched)).toEqual({ overflow: TRACKED - MAX_BUFFERED });
    tracker.close();
    // none lost: each went out as overflow or, at close, as closed
    expect(Object.fromEntries(unmatched)).toEqual({ overflow: TRACKED - MAX_BUFFERED, closed: MAX_BUFFERED });
    expect(tracker.size).toEqual({ pending: 0, buffered: 0 });
    recordFigure("tracker", {
      scenario: `${TRACKED.toLocaleString("en-US")} callbacks nobody tracks`,
      operations: TRACKED,
      settled: 0,
      unmatched: TRACKED,
      peakPending: 0,
      peakBuffered,
      maxBuffered: MAX_BUFFERED,
      elapsedMs: null,
    });
  });
});
