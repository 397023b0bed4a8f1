// Graph ids compared as GUIDs: one operation id arrives lower-case with dashes in a response and
// upper-case without dashes in a callback's resourceUrl (call-playprompt.md).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { graphIdKey, sameGraphId } from "../../src/index.js";
import { SEED, runs } from "../support/fuzz.js";

describe("graphIdKey", () => {
  it("keys a GUID by its 32 hex digits in lower case, however it was spelled (the trackers' and Redis' keys)", () => {
    for (const spelling of [
      "0fe0623f-d628-42ed-b4bd-8ac290072cc5",
      "0FE0623F-D628-42ED-B4BD-8AC290072CC5",
      "0FE0623FD62842EDB4BD8AC290072CC5",
      "{0fe0623f-d628-42ed-b4bd-8ac290072cc5}",
    ]) {
      expect(graphIdKey(spelling), spelling).toBe("0fe0623fd62842edb4bd8ac290072cc5");
    }
  });

  it("keeps any other id as it is", () => {
    for (const id of ["participants", "OP-9", "0fe0623f-d628-42ed-b4bd", ""]) expect(graphIdKey(id)).toBe(id);
  });
});

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

  it("matches only strings: a JSON array or object that prints as the GUID matches nothing", () => {
    const id = "0fe0623f-d628-42ed-b4bd-8ac290072cc5";
    for (const other of [[id], { toString: () => id }, [id.toUpperCase()]] as unknown as string[]) {
      expect(sameGraphId(other, id)).toBe(false);
      expect(sameGraphId(id, other)).toBe(false);
    }
  });

  it("compares ids that are not GUIDs exactly (case matters)", () => {
    expect(sameGraphId("op-9", "op-9")).toBe(true);
    expect(sameGraphId("op-9", "OP-9")).toBe(false);
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
