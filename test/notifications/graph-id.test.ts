// Graph ids compared as GUIDs: one operation id arrives lower-case with dashes in a response and
// upper-case without dashes in a callback's resourceUrl (call-playprompt.md).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { graphIdKey, sameGraphId } from "../../src/index.js";
import { SEED, runs } from "../support/fuzz.js";

describe("sameGraphId", () => {
  it("matches one GUID in any case, with or without dashes or braces", () => {
    const id = "0fe0623f-d628-42ed-b4bd-8ac290072cc5";
    for (const other of [id, id.toUpperCase(), "0FE0623FD62842EDB4BD8AC290072CC5", `{${id}}`, id.replaceAll("-", "")]) {
      expect(sameGraphId(id, other), other).toBe(true);
    }
  });

  it("does not match another GUID, a partial one, or anything with null", () => {
    expect(sameGraphId("0fe0623f-d628-42ed-b4bd-8ac290072cc5", "0fe0623f-d628-42ed-b4bd-8ac290072cc6")).toBe(false);
    expect(sameGraphId("0fe0623f-d628-42ed-b4bd-8ac290072cc5", "0fe0623f-d628-42ed-b4bd")).toBe(false);
    expect(sameGraphId(null, null)).toBe(false);
    expect(sameGraphId(undefined, "x")).toBe(false);
  });

  it("compares ids that are not GUIDs exactly (case matters)", () => {
    expect(sameGraphId("op-9", "op-9")).toBe(true);
    expect(sameGraphId("op-9", "OP-9")).toBe(false);
    expect(graphIdKey("participants")).toBe("participants");
  });

  it("is what the keys say, for any pair of strings", () => {
    const guidish = fc.oneof(
      fc.uuid(),
      fc.uuid().map((u) => u.toUpperCase().replaceAll("-", "")),
      fc.string(),
    );
    fc.assert(
      fc.property(guidish, guidish, (a, b) => {
        expect(sameGraphId(a, b)).toBe(graphIdKey(a) === graphIdKey(b));
        expect(sameGraphId(a, a)).toBe(true);
      }),
      { seed: SEED, numRuns: runs(500) },
    );
  });
});
