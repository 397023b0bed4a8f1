// A Teams meeting allows 1,000 interactive attendees, and a roster notification can list them all.
// At ~1.2 kB per participant compact (~2 kB pretty-printed, as Learn prints its examples) such a
// roster is past 1 MiB: with the old 1 MiB default the endpoint answered 413 and the callback was
// lost. The default maxBodyBytes (4 MiB) takes it, printed either way, with room to spare.
import { describe, expect, it, vi } from "vitest";
import { createCallbackHandler, createFetchHandler, type CallbackEvent } from "../../src/index.js";
import { largeRoster } from "../fixtures/large-roster.js";

const MiB = 1024 * 1024;
const post = async (text: string, maxBodyBytes?: number) => {
  const dispatched: CallbackEvent[][] = [];
  const endpoint = createFetchHandler(
    { ...createCallbackHandler(), dispatch: async (events) => void dispatched.push([...events]) },
    { dangerouslyAcceptUnverifiedCallbacks: true, ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }) },
  );
  const res = await endpoint(
    new Request("http://127.0.0.1/api/calls", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: text,
    }),
  );
  return { status: res.status, dispatched };
};

describe("a 1,000-participant roster", () => {
  const compact = JSON.stringify(largeRoster(1000));
  const pretty = JSON.stringify(largeRoster(1000), null, 2);

  it("is past 1 MiB, compact or pretty-printed", () => {
    const perParticipant = (text: string) =>
      (new TextEncoder().encode(text).length - JSON.stringify(largeRoster(0)).length) / 1000;
    expect(perParticipant(compact)).toBeGreaterThan(1100);
    expect(compact.length).toBeGreaterThan(MiB);
    expect(pretty.length).toBeGreaterThan(1.8 * MiB);
  });

  it("is acknowledged 202 and dispatched whole by the endpoint's default limit, printed either way", async () => {
    for (const text of [compact, pretty]) {
      const { status, dispatched } = await post(text);
      expect(status).toBe(202);
      await vi.waitFor(() => expect(dispatched).toHaveLength(1), { timeout: 30_000 }); // the handlers run after the 202
      expect(dispatched[0]![0]).toMatchObject({ kind: "roster" });
      expect((dispatched[0]![0] as { participants: unknown[] }).participants).toHaveLength(1000);
    }
  }, 60_000);

  it("was lost (413) at the old 1 MiB limit", async () => {
    expect((await post(compact, MiB)).status).toBe(413);
  });
});
