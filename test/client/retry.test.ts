// The retry policy's parts: Retry-After parsing, backoff bounds, and a wait that ends on abort
// without leaving its timer or listener behind.
import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { backoffMs, parseRetryAfter, sleep } from "../../src/client/retry.js";
import { activeTimers } from "../support/timers.js";

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-21T12:00:00Z");

  it("reads delta-seconds, trimmed", () => {
    expect(parseRetryAfter("0", now)).toBe(0);
    expect(parseRetryAfter("7", now)).toBe(7000);
    expect(parseRetryAfter(" 120 ", now)).toBe(120_000);
  });

  it("reads an HTTP date as the time left, never negative", () => {
    expect(parseRetryAfter("Sat, 21 Nov 2026 12:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Sat, 21 Nov 2026 11:59:00 GMT", now)).toBe(0);
  });

  it("returns null when absent, blank or unreadable", () => {
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter("", now)).toBeNull();
    expect(parseRetryAfter("   ", now)).toBeNull();
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter("12abc", now)).toBeNull();
  });
});

describe("backoffMs", () => {
  it("doubles per attempt, between half the ceiling and the ceiling", () => {
    expect([1, 2, 3].map((n) => backoffMs(n, 100, () => 0))).toEqual([50, 100, 200]);
    expect([1, 2, 3].map((n) => backoffMs(n, 100, () => 1))).toEqual([100, 200, 400]);
    expect(backoffMs(2, 100, () => 0.5)).toBe(150);
  });
});

describe("sleep", () => {
  it("resolves after the delay and removes its abort listener", async () => {
    const controller = new AbortController();
    const started = performance.now();
    await sleep(30, controller.signal);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("rejects at once with the reason of a signal already aborted", async () => {
    const reason = new Error("stop");
    await expect(sleep(60_000, AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  it("rejects when the signal aborts during the wait, and clears its timer", async () => {
    const controller = new AbortController();
    const reason = new Error("stop");
    const timersBefore = activeTimers();
    const waiting = sleep(60_000, controller.signal);
    setTimeout(() => controller.abort(reason), 10);
    await expect(waiting).rejects.toBe(reason);
    expect(activeTimers()).toBeLessThanOrEqual(timersBefore);
  });
});
