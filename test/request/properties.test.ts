// Property-based: near-valid bodies never make validateInviteRequest throw or mutate them, and bodies
// valid by construction are accepted. Hostile input is in test/suites/fuzz/validate-request.test.ts.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateInviteRequest } from "../../src/index.js";
import { runs, SEED } from "../support/fuzz.js";

const id = fc.string({ minLength: 1, maxLength: 40 });
const graphIdentity = fc.record(
  { "@odata.type": fc.constant("#microsoft.graph.identity"), id, displayName: fc.string() },
  { requiredKeys: ["id"] },
);
const e164 = fc
  .tuple(fc.integer({ min: 1, max: 9 }), fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 14 }))
  .map(([first, rest]) => `+${first}${rest.join("")}`);
const person = fc.oneof(
  fc.record({ user: graphIdentity }),
  fc.record({ guest: graphIdentity }),
  fc.record({ applicationInstance: graphIdentity }),
  e164.map((phone) => ({ phone: { id: phone } })),
);
const participant = (identity: fc.Arbitrary<Record<string, unknown>>) =>
  fc.record(
    {
      "@odata.type": fc.constant("#microsoft.graph.invitationParticipantInfo" as const),
      identity: identity.map((set) => ({ "@odata.type": "#microsoft.graph.identitySet", ...set })),
      hidden: fc.boolean(),
      removeFromDefaultAudioRoutingGroup: fc.boolean(),
    },
    { requiredKeys: ["identity"] },
  );
// clientContext: up to 128 code points of any plane, so at most 256 UTF-16 code units.
const clientContext = fc.option(fc.string({ unit: "binary", maxLength: 128 }), { nil: undefined });

const validBody = fc.oneof(
  // a group invite: 1 to 5 participants, at most one of them a bot
  fc
    .tuple(
      fc.array(participant(person), { minLength: 1, maxLength: 4 }),
      fc.option(participant(fc.record({ application: graphIdentity })), { nil: undefined }),
      clientContext,
    )
    .map(([people, bot, ctx]) => ({
      participants: bot ? [...people, bot] : people,
      ...(ctx === undefined ? {} : { clientContext: ctx }),
    })),
  // replacing a call or moving a participant: exactly one participant
  fc
    .tuple(participant(person), id, fc.option(id, { nil: undefined }), clientContext)
    .map(([p, replacesCallId, participantId, ctx]) => ({
      participants: [{ ...p, replacesCallId, ...(participantId === undefined ? {} : { participantId }) }],
      ...(ctx === undefined ? {} : { clientContext: ctx }),
    })),
);

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
