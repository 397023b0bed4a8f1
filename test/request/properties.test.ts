// Property-based: near-valid bodies never make validateInviteRequest throw or mutate them, and bodies
// valid by construction are accepted. Hostile input is in test/suites/fuzz/validate-request.test.ts.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateInviteRequest } from "../../src/index.js";
import { runs, SEED } from "../support/fuzz.js";
import { participant, person, validBody } from "../support/invite-bodies.js";

describe("validateInviteRequest properties", () => {
  it("never throws on near-valid bodies (arbitrary participants and clientContext)", () => {
    const nearValid = fc.record({
      participants: fc.array(fc.oneof(participant(person), fc.dictionary(fc.string(), fc.jsonValue())), {
        maxLength: 7,
      }),
      clientContext: fc.oneof(fc.string({ maxLength: 300 }), fc.jsonValue()),
    });
    fc.assert(
      fc.property(nearValid, (input) => {
        const copy = structuredClone(input);
        validateInviteRequest(input);
        expect(input).toEqual(copy);
      }),
      { seed: SEED, numRuns: runs(2000) },
    );
  });

  it("accepts every body valid by construction", () => {
    fc.assert(
      fc.property(validBody, (body) => {
        const result = validateInviteRequest(body);
        expect(result.ok ? [] : result.issues).toEqual([]);
      }),
      { seed: SEED, numRuns: runs(2000) },
    );
  });
});
