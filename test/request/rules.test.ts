// validateInviteRequest: each documented rule, passing and failing, with the exact rule id and path.
import { describe, expect, it } from "vitest";
import {
  assertInviteRequest,
  INVITE_RULES,
  InviteValidationError,
  validateInviteRequest,
  type InviteIssue,
} from "../../src/index.js";
import { loadSpec } from "../../scripts/generate/spec.mjs";
import { docsPayload } from "../fixtures/docs.js";

type Json = Record<string, any>;
const user = (id = "278405a3-f568-4b3e-b684-009193463064") => ({
  "@odata.type": "#microsoft.graph.invitationParticipantInfo",
  identity: { "@odata.type": "#microsoft.graph.identitySet", user: { "@odata.type": "#microsoft.graph.identity", id } },
});
const withIdentity = (identity: Json, extra: Json = {}) => ({
  "@odata.type": "#microsoft.graph.invitationParticipantInfo",
  identity: { "@odata.type": "#microsoft.graph.identitySet", ...identity },
  ...extra,
});
const body = (participants: unknown[], extra: Json = {}) => ({ participants, clientContext: "ctx", ...extra });

/** `path rule` of every issue, or [] when valid. */
function found(input: unknown): string[] {
  const result = validateInviteRequest(input);
  return result.ok ? [] : result.issues.map((i) => `${i.path} ${i.rule}`);
}

describe("docs examples", () => {
  for (const n of [1, 3, 4, 5]) {
    it(`accepts the docs' example ${n} request`, () => {
      expect(found(docsPayload(n, "request"))).toEqual([]);
    });
  }

  it("refuses the docs' Example 2 request: two participants with replacesCallId", () => {
    expect(found(docsPayload(2, "request"))).toEqual([
      "/participants/0/replacesCallId replacesCallId.singleParticipant",
      "/participants/1/replacesCallId replacesCallId.singleParticipant",
    ]);
  });
});

describe("participants.minItems / participants.maxItems", () => {
  it("accepts 1 and 5 participants", () => {
    expect(found(body([user()]))).toEqual([]);
    expect(found(body(Array.from({ length: 5 }, (_, i) => user(`u${i}`))))).toEqual([]);
  });
  it("refuses 0 and 6", () => {
    expect(found(body([]))).toEqual(["/participants participants.minItems"]);
    expect(found(body(Array.from({ length: 6 }, (_, i) => user(`u${i}`))))).toEqual([
      "/participants participants.maxItems",
    ]);
  });
});

describe("clientContext.maxLength (UTF-16 code units)", () => {
  it("accepts 256 chars and refuses 257", () => {
    expect(found(body([user()], { clientContext: "a".repeat(256) }))).toEqual([]);
    expect(found(body([user()], { clientContext: "a".repeat(257) }))).toEqual([
      "/clientContext clientContext.maxLength",
    ]);
  });
  it("counts an astral character as two: 128 emoji pass, 129 fail though JSON Schema counts 129", () => {
    expect(found(body([user()], { clientContext: "😀".repeat(128) }))).toEqual([]);
    const result = validateInviteRequest(body([user()], { clientContext: "😀".repeat(129) }));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues).toEqual([
      {
        path: "/clientContext",
        rule: "clientContext.maxLength",
        message: "is 258 UTF-16 code units; Graph allows at most 256",
      },
    ]);
  });
  it("reports one issue, not the schema's maxLength as well", () => {
    expect(found(body([user()], { clientContext: "a".repeat(300) }))).toEqual([
      "/clientContext clientContext.maxLength",
    ]);
  });
  it("accepts a missing or null clientContext", () => {
    expect(found({ participants: [user()] })).toEqual([]);
    expect(found(body([user()], { clientContext: null }))).toEqual([]);
  });
});

describe("replacesCallId.singleParticipant", () => {
  it("accepts one participant with replacesCallId", () => {
    expect(found(body([{ ...user(), replacesCallId: "call-1" }]))).toEqual([]);
  });
  it("refuses replacesCallId on the second participant only", () => {
    expect(found(body([user("a"), { ...user("b"), replacesCallId: "call-1" }]))).toEqual([
      "/participants/1/replacesCallId replacesCallId.singleParticipant",
    ]);
  });
  it("ignores replacesCallId: null", () => {
    expect(found(body([user("a"), { ...user("b"), replacesCallId: null }]))).toEqual([]);
  });
});

describe("participantId.requiresReplacesCallId", () => {
  it("accepts participantId with replacesCallId (a move)", () => {
    expect(found(body([{ ...user(), participantId: "p", replacesCallId: "from" }]))).toEqual([]);
  });
  it("refuses participantId alone", () => {
    expect(found(body([{ ...user(), participantId: "p" }]))).toEqual([
      "/participants/0/participantId participantId.requiresReplacesCallId",
    ]);
  });
});

describe("identity.empty", () => {
  it("refuses an identity set with no identity (empty, @odata.type only, or nulls)", () => {
    for (const identity of [{}, { application: null, user: null }, { endpointType: "default" }]) {
      expect(found(body([withIdentity(identity)])), JSON.stringify(identity)).toEqual([
        "/participants/0/identity identity.empty",
      ]);
    }
  });
  it("accepts any one identity (user, application, guest, phone, ...)", () => {
    for (const kind of ["user", "application", "guest", "applicationInstance", "encrypted"]) {
      expect(found(body([withIdentity({ [kind]: { id: "x" } })])), kind).toEqual([]);
    }
  });
});

describe("phone.e164", () => {
  const phone = (id: unknown) => body([withIdentity({ phone: { id } })]);
  it("accepts + then 1 to 15 digits, the first not 0", () => {
    for (const id of ["+12345678901", "+1", "+123456789012345"]) expect(found(phone(id)), id).toEqual([]);
  });
  it("refuses anything else", () => {
    for (const id of ["12345678901", "+012345678", "+1234567890123456", "+1 234 567", "+", "", null]) {
      expect(found(phone(id)), String(id)).toEqual(["/participants/0/identity/phone/id phone.e164"]);
    }
  });
  it("refuses a phone without id", () => {
    expect(found(body([withIdentity({ phone: { displayName: "x" } })]))).toEqual([
      "/participants/0/identity/phone/id phone.e164",
    ]);
  });
  it("refuses an id that is not a string, even one that prints as an E.164 number", () => {
    expect(found(phone(["+12345678901"]))).toContain("/participants/0/identity/phone/id phone.e164");
  });
  it("checks the participants the array holds, not an item inherited past its end", () => {
    const participants = [withIdentity({ phone: { id: "+12345678901" } })];
    Object.setPrototypeOf(participants, Object.assign([], { 1: withIdentity({ phone: { id: "555" } }) }));
    expect(found(body(participants))).toEqual([]);
  });
});

describe("application.singleBot", () => {
  const bot = (id: string) => withIdentity({ application: { id } });
  it("accepts one bot among users", () => {
    expect(found(body([user("a"), bot("b1"), user("c")]))).toEqual([]);
  });
  it("refuses a second and third bot", () => {
    expect(found(body([bot("b1"), user("a"), bot("b2"), bot("b3")]))).toEqual([
      "/participants/2/identity/application application.singleBot",
      "/participants/3/identity/application application.singleBot",
    ]);
  });
});

describe("rule messages", () => {
  const messages = (input: unknown) => {
    const result = validateInviteRequest(input);
    return result.ok ? [] : result.issues.map((i) => i.message);
  };
  const phone = (id: unknown) => body([withIdentity({ phone: { id } })]);
  const bot = (id: string) => withIdentity({ application: { id } });

  it("say what was found and what is expected", () => {
    const e164 = 'must be an E.164 number ("+" then 1 to 15 digits, the first not 0, e.g. "+12345678901"), found';
    expect(messages(phone("tel:+12345678901"))).toEqual([`${e164} "tel:+12345678901"`]);
    expect(messages(phone(12345678901)).at(-1)).toBe(`${e164} a number`);
    expect(messages(body([withIdentity({ phone: {} })]))).toEqual([`${e164} missing`]);
    expect(messages(body([{ ...user(), participantId: "p" }]))).toEqual([
      "participantId moves a participant from another call: set replacesCallId to that call's id",
    ]);
    expect(messages(body([withIdentity({})]))).toEqual([
      "names no identity: set one of user, application, phone, guest, applicationInstance, ...",
    ]);
  });

  it("call a second bot the second, and later ones second or later", () => {
    expect(messages(body([bot("b1"), bot("b2")]))).toEqual([
      "is the second bot in this request; Graph does not allow inviting more than one bot",
    ]);
    expect(messages(body([bot("b1"), bot("b2"), bot("b3")]))).toEqual([
      "is the second or later bot in this request; Graph does not allow inviting more than one bot",
      "is the second or later bot in this request; Graph does not allow inviting more than one bot",
    ]);
  });
});

describe("schema", () => {
  it("names the missing field", () => {
    expect(found({ clientContext: "x" })).toEqual(["/participants schema"]);
    expect(found(body([{ "@odata.type": "#microsoft.graph.invitationParticipantInfo" }]))).toEqual([
      "/participants/0/identity schema",
    ]);
  });
  it("names the keyword and the expected value in the message", () => {
    const result = validateInviteRequest(body([{ ...user(), "@odata.type": "#microsoft.graph.participantInfo" }]));
    expect(!result.ok && result.issues).toEqual([
      {
        path: "/participants/0/@odata.type",
        rule: "schema",
        message: 'must be "#microsoft.graph.invitationParticipantInfo" (const)',
      },
    ]);
  });
  it("reports a wrong nullable reference once, without the null branch's noise", () => {
    const result = validateInviteRequest(body([withIdentity({ user: "someone" })]));
    expect(!result.ok && result.issues).toEqual([
      { path: "/participants/0/identity", rule: "identity.empty", message: expect.any(String) },
      { path: "/participants/0/identity/user", rule: "schema", message: "must be object (type)" },
    ]);
  });
  it("refuses bodies that are not objects, at the root", () => {
    for (const input of [null, [], "x", 42, true, undefined]) {
      expect(found(input), String(input)).toEqual([" schema"]);
    }
  });
});

describe("all issues, in a deterministic order", () => {
  const messy = () =>
    body(
      [
        withIdentity({ phone: { id: "555" } }, { participantId: "p" }),
        withIdentity({ application: { id: "b1" } }, { replacesCallId: "c" }),
        withIdentity({ application: { id: "b2" } }),
        withIdentity({}),
        { ...user(), "@odata.type": "#microsoft.graph.x" },
        user(),
      ],
      { clientContext: "x".repeat(300) },
    );

  it("reports every issue, ordered by path then rule", () => {
    expect(found(messy())).toEqual([
      "/clientContext clientContext.maxLength",
      "/participants participants.maxItems",
      "/participants/0/identity/phone/id phone.e164",
      "/participants/0/participantId participantId.requiresReplacesCallId",
      "/participants/1/replacesCallId replacesCallId.singleParticipant",
      "/participants/2/identity/application application.singleBot",
      "/participants/3/identity identity.empty",
      "/participants/4/@odata.type schema",
    ]);
  });

  it("gives the same answer every time and leaves the input untouched", () => {
    const input = messy();
    const copy = structuredClone(input);
    expect(validateInviteRequest(input)).toEqual(validateInviteRequest(messy()));
    expect(input).toEqual(copy);
  });
});

describe("assertInviteRequest", () => {
  it("passes a valid body through", () => {
    const input: unknown = docsPayload(1, "request");
    assertInviteRequest(input);
    expect(input.participants).toHaveLength(1); // narrowed to InvitePostRequestBody
  });
  it("throws InviteValidationError with every issue, listed in the message", () => {
    let error: unknown;
    try {
      assertInviteRequest(docsPayload(2, "request"));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InviteValidationError);
    expect(error).toBeInstanceOf(Error);
    const e = error as InviteValidationError;
    expect(e.name).toBe("InviteValidationError");
    expect(e.issues.map((i: InviteIssue) => i.path)).toEqual([
      "/participants/0/replacesCallId",
      "/participants/1/replacesCallId",
    ]);
    expect(e.message).toContain("Invalid invite request body (2 issues)");
    expect(e.message).toContain("/participants/1/replacesCallId replacesCallId.singleParticipant");
  });
});

describe("INVITE_RULES", () => {
  it("lists the spec's runtime-carried rules (x-invite-rules), and only documented ones", () => {
    const documented = loadSpec().components.schemas.InvitePostRequestBody["x-invite-rules"] as Array<{
      id: string;
      carriedBy: string[];
    }>;
    const ids = documented.map((r) => r.id);
    for (const r of documented.filter((r) => r.carriedBy.includes("runtime"))) expect(INVITE_RULES).toContain(r.id);
    for (const id of INVITE_RULES.filter((id) => id !== "schema")) expect(ids).toContain(id);
  });
});
