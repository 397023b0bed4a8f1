// The invite client's check before sending (src/request/check.ts): the verdict-only validator and the
// documented rules decide a valid, clean body without Ajv's validator (a chunk loaded only on a
// refusal); a body they refuse or flag gets Ajv's verdict, every issue and the warnings, and nothing
// is sent for an invalid one.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createInviteClient, InviteValidationError, type InvitePostRequestBody } from "../../src/index.js";
import { checkInviteRequest, passesInviteRequestFast } from "../../src/request/check.js";
import { validateInviteRequest } from "../../src/request/validate.js";
import { docsPayload } from "../fixtures/docs.js";

// Ajv's validator as the check loads it (its lazy import gets this module): the real one, watched.
vi.mock("../../src/request/validate.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../src/request/validate.js")>();
  return { ...actual, validateInviteRequest: vi.fn(actual.validateInviteRequest) };
});
const ajvCalls = () => vi.mocked(validateInviteRequest).mock.calls.length;

const user = (id: string) => ({ identity: { user: { id } } });
const validBodies = [1, 3, 4, 5].map((example) => docsPayload(example, "request"));
// The schema takes it; only the phone.e164 rule refuses it.
const notE164 = { participants: [{ identity: { phone: { id: "555-0100" } } }] };

afterEach(() => {
  vi.mocked(validateInviteRequest).mockClear();
  vi.restoreAllMocks();
});

describe("passesInviteRequestFast", () => {
  it("accepts the docs' valid bodies", () => {
    for (const body of validBodies) expect(passesInviteRequestFast(body)).toBe(true);
  });

  it("refuses a body the schema refuses, and one that only a documented rule refuses", () => {
    expect(passesInviteRequestFast({ participants: [] })).toBe(false);
    expect(passesInviteRequestFast({ participants: [{ identity: { user: { id: 7 } } }] })).toBe(false);
    expect(validateInviteRequest(notE164)).toMatchObject({ ok: false, issues: [{ rule: "phone.e164" }] });
    expect(passesInviteRequestFast(notE164)).toBe(false);
    // docs example 2: replacesCallId on two participants (replacesCallId.singleParticipant)
    expect(passesInviteRequestFast(docsPayload(2, "request"))).toBe(false);
  });
});

describe("checkInviteRequest", () => {
  it("resolves for a valid body without a typo, and never loads Ajv's validator for it", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    for (const body of validBodies) await expect(checkInviteRequest(body)).resolves.toBeUndefined();
    expect(ajvCalls()).toBe(0);
    expect(warn).not.toHaveBeenCalled();
  });

  it("rejects a refused body with an InviteValidationError naming every issue, Ajv's as validateInviteRequest reports them", async () => {
    const body = { participants: [{ identity: { phone: { id: "555-0100" } } }, user("u"), { identity: 1 }] };
    const error = await checkInviteRequest(body).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InviteValidationError);
    const { issues } = error as InviteValidationError;
    expect(issues).toEqual((validateInviteRequest(body) as { issues: unknown }).issues);
    expect(issues.map((i) => `${i.path} ${i.rule}`)).toEqual(
      expect.arrayContaining(["/participants/0/identity/phone/id phone.e164", "/participants/2/identity schema"]),
    );
  });

  it("takes a valid body with a typo to the full check: it resolves and warns, naming the property meant", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    await expect(checkInviteRequest({ participants: [{ ...user("u"), hiddn: true }] })).resolves.toBeUndefined();
    expect(ajvCalls()).toBe(1);
    expect(String(warn.mock.calls[0]![0])).toContain("/participants/0/hiddn property.unknown");
    expect(String(warn.mock.calls[0]![0])).toContain('did you mean "hidden"?');
  });

  it("is client.invite()'s check: an invalid body rejects before anything is sent", async () => {
    const sent: string[] = [];
    const client = createInviteClient({
      getToken: () => "t",
      fetch: async (input: RequestInfo | URL) => {
        sent.push(String(input instanceof Request ? input.url : input));
        return new Response("{}", { status: 500 });
      },
    });
    await expect(client.invite("call", notE164 as InvitePostRequestBody)).rejects.toThrow(InviteValidationError);
    await expect(client.invite("call", { participants: [] })).rejects.toThrow(/participants\.minItems/);
    expect(sent).toEqual([]);
  });
});
