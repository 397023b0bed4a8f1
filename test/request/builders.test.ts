// The scenario builders rebuild the docs' requests exactly, and refuse what the docs forbid.
import { describe, expect, it } from "vitest";
import {
  applicationIdentity,
  identity,
  inviteParticipants,
  invitePhone,
  InviteValidationError,
  moveParticipant,
  replacePeerToPeerCall,
  userIdentity,
  type InviteIssue,
} from "../../src/index.js";
import { docsPayload } from "../fixtures/docs.js";

const clientContext = "f2fa86af-3c51-4bc2-8fc0-475452d9764f";
const p2pCallId = "a7ebfb2d-871e-419c-87af-27290b22e8db";

function issuesOf(build: () => unknown): string[] {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(InviteValidationError);
    return (error as InviteValidationError).issues.map((i: InviteIssue) => `${i.path} ${i.rule}`);
  }
  throw new Error("expected InviteValidationError");
}

describe("the docs' examples, rebuilt", () => {
  it("example 1: invite one participant, replacing a peer-to-peer call", () => {
    const body = replacePeerToPeerCall(
      userIdentity("278405a3-f568-4b3e-b684-009193463064", { displayName: "string" }),
      p2pCallId,
      { clientContext },
    );
    expect(body).toStrictEqual(docsPayload(1, "request"));
  });

  it("example 2: invite two participants to a group call (without the docs' replacesCallId)", () => {
    const body = inviteParticipants(
      [
        userIdentity("7e1b4346-85a6-4bdd-abe3-d11c5d420efe", { displayName: "string" }),
        userIdentity("1e126418-44a0-4a94-a6f8-0efe1ad71acb", { displayName: "string" }),
      ],
      { clientContext },
    );
    const docs = docsPayload(2, "request") as { participants: Array<Record<string, unknown>> };
    for (const p of docs.participants) delete p.replacesCallId;
    expect(body).toStrictEqual(docs);
  });

  it("example 3: invite a participant into a group call, replacing a peer-to-peer call", () => {
    const body = replacePeerToPeerCall(
      userIdentity("7e1b4346-85a6-4bdd-abe3-d11c5d420efe", { displayName: "string" }),
      p2pCallId,
      { clientContext },
    );
    expect(body).toStrictEqual(docsPayload(3, "request"));
  });

  it("example 4: invite a PSTN number", () => {
    expect(invitePhone("+12345678901", { clientContext })).toStrictEqual(docsPayload(4, "request"));
  });

  it("example 5: move a participant from one meeting to another", () => {
    const body = moveParticipant(
      {
        identity: userIdentity("682b6c37-0729-4fab-ace6-d730d5d9137e", { identityProvider: "AAD" }),
        fromCallId: p2pCallId,
        participantId: "7d501bf1-5ee4-4605-ba92-0ae4513c611c",
      },
      { clientContext },
    );
    expect(body).toStrictEqual(docsPayload(5, "request"));
  });
});

describe("options and identities", () => {
  it("sets hidden and removeFromDefaultAudioRoutingGroup on every participant, and omits clientContext when not given", () => {
    const body = inviteParticipants([userIdentity("a"), identity("guest", "g", { displayName: "Guest" })], {
      hidden: true,
      removeFromDefaultAudioRoutingGroup: false,
    });
    // toStrictEqual: what is not given is not set, not even to undefined
    expect(body).toStrictEqual({
      participants: [
        {
          "@odata.type": "#microsoft.graph.invitationParticipantInfo",
          identity: {
            "@odata.type": "#microsoft.graph.identitySet",
            user: { "@odata.type": "#microsoft.graph.identity", id: "a" },
          },
          hidden: true,
          removeFromDefaultAudioRoutingGroup: false,
        },
        {
          "@odata.type": "#microsoft.graph.invitationParticipantInfo",
          identity: {
            "@odata.type": "#microsoft.graph.identitySet",
            guest: { "@odata.type": "#microsoft.graph.identity", id: "g", displayName: "Guest" },
          },
          hidden: true,
          removeFromDefaultAudioRoutingGroup: false,
        },
      ],
    });
  });
});

describe("refusals", () => {
  it("refuses a phone number that is not E.164", () => {
    expect(issuesOf(() => invitePhone("555-0100"))).toEqual(["/participants/0/identity/phone/id phone.e164"]);
  });
  it("refuses no participants and more than five", () => {
    expect(issuesOf(() => inviteParticipants([]))).toEqual(["/participants participants.minItems"]);
    const six = Array.from({ length: 6 }, (_, i) => userIdentity(`u${i}`));
    expect(issuesOf(() => inviteParticipants(six))).toEqual(["/participants participants.maxItems"]);
  });
  it("refuses two bots", () => {
    expect(issuesOf(() => inviteParticipants([applicationIdentity("b1"), applicationIdentity("b2")]))).toEqual([
      "/participants/1/identity/application application.singleBot",
    ]);
  });
  it("refuses a clientContext over 256 chars", () => {
    expect(issuesOf(() => invitePhone("+12345678901", { clientContext: "x".repeat(257) }))).toEqual([
      "/clientContext clientContext.maxLength",
    ]);
  });
});
