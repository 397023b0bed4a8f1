// Invite bodies for property tests: valid by construction (a group invite of 1 to 5 participants
// with at most one bot; replacing a call or moving a participant, with exactly one), and their parts.
import fc from "fast-check";

const id = fc.string({ minLength: 1, maxLength: 40 });
const graphIdentity = fc.record(
  { "@odata.type": fc.constant("#microsoft.graph.identity"), id, displayName: fc.string() },
  { requiredKeys: ["id"] },
);
const e164 = fc
  .tuple(fc.integer({ min: 1, max: 9 }), fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 14 }))
  .map(([first, rest]) => `+${first}${rest.join("")}`);
export const person = fc.oneof(
  fc.record({ user: graphIdentity }),
  fc.record({ guest: graphIdentity }),
  fc.record({ applicationInstance: graphIdentity }),
  e164.map((phone) => ({ phone: { id: phone } })),
);
export const participant = (identity: fc.Arbitrary<Record<string, unknown>>) =>
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

export const validBody = fc.oneof(
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
