// createReplayGuard on its own: its options, the exact end of an acknowledged body's memory, and a
// claim that settles once (a second acknowledge or release, however late, changes nothing). The
// guard behind an endpoint is in core.test.ts. Only Date is faked: the digest is WebCrypto's.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createReplayGuard, EndpointOptionsError, type ReplayClaim } from "../../src/index.js";

const TTL = 60_000;
beforeEach(() => vi.useFakeTimers({ toFake: ["Date"], now: 1_800_000_000_000 }));
afterEach(() => vi.useRealTimers());
const later = (ms: number) => vi.setSystemTime(Date.now() + ms);

/** A claim that must be new: the body is not remembered nor being taken. */
async function fresh(guard: ReturnType<typeof createReplayGuard>, body: unknown) {
  const claim = await guard.claim(body);
  expect(claim.state).toBe("new");
  return claim as Extract<ReplayClaim, { state: "new" }>;
}

describe("createReplayGuard's options", () => {
  it("refuses a ttlMs or maxEntries that is not a positive integer, naming it", () => {
    for (const option of ["ttlMs", "maxEntries"]) {
      for (const value of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, "10", null]) {
        let thrown: unknown;
        try {
          createReplayGuard({ [option]: value } as object);
        } catch (error) {
          thrown = error;
        }
        const label = `${option}: ${String(value)}`;
        expect(thrown, label).toBeInstanceOf(EndpointOptionsError);
        expect(thrown, label).toMatchObject({ option, rule: "range" });
        expect((thrown as Error).message, label).toBe(
          `${option} (range): createReplayGuard needs a positive integer here`,
        );
      }
    }
  });

  it("takes 1 for either: a body remembered for a millisecond, one body at most", async () => {
    const guard = createReplayGuard({ ttlMs: 1, maxEntries: 1 });
    (await fresh(guard, "a")).acknowledge();
    expect((await guard.claim("a")).state).toBe("acknowledged");
    (await fresh(guard, "b")).acknowledge();
    expect(guard.size).toBe(1);
    expect((await guard.claim("b")).state).toBe("acknowledged");
    later(1);
    await fresh(guard, "b");
  });
});

describe("createReplayGuard's memory", () => {
  it("answers an acknowledged body as acknowledged until exactly ttlMs after its 202", async () => {
    const guard = createReplayGuard({ ttlMs: TTL });
    (await fresh(guard, "a")).acknowledge();
    later(TTL - 1);
    expect((await guard.claim("a")).state).toBe("acknowledged");
    later(1);
    await fresh(guard, "a");
    expect(guard.size).toBe(0);
  });

  it("tells apart bodies that differ in one byte", async () => {
    const guard = createReplayGuard({ ttlMs: TTL });
    (await fresh(guard, '{"value":[1]}')).acknowledge();
    await fresh(guard, '{"value":[2]}');
    await fresh(guard, new Uint8Array([0x7b, 0x7d]));
  });
});

describe("a replay guard's claim settles once", () => {
  it("remembers nothing when acknowledged after a release (the answer was not 202)", async () => {
    const guard = createReplayGuard({ ttlMs: TTL });
    const claim = await fresh(guard, "a");
    claim.release();
    claim.acknowledge();
    expect(guard.size).toBe(0);
    await fresh(guard, "a");
  });

  it("keeps the first acknowledgement's expiry when acknowledged again", async () => {
    const guard = createReplayGuard({ ttlMs: TTL });
    const claim = await fresh(guard, "a");
    claim.acknowledge();
    later(TTL / 2);
    claim.acknowledge();
    later(TTL / 2);
    await fresh(guard, "a");
  });

  it("never frees a later claim of the same body: a stale release leaves it in flight", async () => {
    const guard = createReplayGuard({ ttlMs: TTL });
    const first = await fresh(guard, "a");
    first.acknowledge();
    later(TTL); // forgotten: Graph's resend is taken again
    const second = await fresh(guard, "a");
    first.release(); // the first request's late cleanup
    expect((await guard.claim("a")).state).toBe("in-flight");
    second.acknowledge();
    expect((await guard.claim("a")).state).toBe("acknowledged");
  });
});
