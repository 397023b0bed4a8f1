// readLimited, which bounds every body the package reads (the endpoint's requests, Graph's answers,
// the key documents): the limit is inclusive, the stream is cancelled past it rather than drained,
// an abort cancels a read in progress, and a signal shared by many reads keeps no listener.
import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { readLimited } from "../../src/internal/read-limited.js";

const bytes = (...values: number[]) => new Uint8Array(values);

/** A stream of the chunks given, pulled one at a time; `pulls` counts what was asked for. */
function chunked(chunks: Uint8Array[]) {
  const state = { pulls: 0, cancelled: false };
  let next = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        state.pulls++;
        if (next < chunks.length) controller.enqueue(chunks[next++]!);
        else controller.close();
      },
      cancel() {
        state.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

describe("readLimited", () => {
  it("reads a body of exactly the limit, in order across chunks", async () => {
    const { stream } = chunked([bytes(1, 2), bytes(3), bytes(4, 5)]);
    expect(await readLimited(stream, 5)).toEqual(bytes(1, 2, 3, 4, 5));
  });

  it("reads a body sent as one chunk, and an absent body as empty", async () => {
    expect(await readLimited(chunked([bytes(9, 8, 7)]).stream, 3)).toEqual(bytes(9, 8, 7));
    expect(await readLimited(chunked([]).stream, 3)).toEqual(bytes());
    expect(await readLimited(null, 3)).toEqual(bytes());
  });

  it("refuses a body one byte over the limit, cancelling the stream there instead of reading on", async () => {
    const { stream, state } = chunked([bytes(1, 2, 3), bytes(4, 5, 6), bytes(7), bytes(8)]);
    expect(await readLimited(stream, 5)).toBeNull();
    expect(state.cancelled).toBe(true);
    expect(state.pulls).toBe(2); // the chunk that crossed the limit was the last one asked for
  });

  it("cancels a read in progress when its signal aborts", async () => {
    const controller = new AbortController();
    let cancelled = false;
    const stalled = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes(1));
      },
      cancel() {
        cancelled = true;
      },
    });
    const read = readLimited(stalled, 10, controller.signal);
    controller.abort();
    await expect(read).resolves.toEqual(bytes(1)); // a cancelled stream ends: what came is what there is
    expect(cancelled).toBe(true);
  });

  it("leaves no listener on a signal shared by many reads (no MaxListenersExceededWarning)", async () => {
    const signal = new AbortController().signal;
    for (let i = 0; i < 20; i++) await readLimited(chunked([bytes(i)]).stream, 10, signal);
    await readLimited(chunked([bytes(1, 2)]).stream, 1, signal); // refused past the limit
    expect(getEventListeners(signal, "abort")).toHaveLength(0);
  });
});
