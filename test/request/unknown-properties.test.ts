// property.unknown: a property the invite body's open types do not declare. Graph ignores it, so a
// typo is sent with no effect; the check names the path and the closest declared property, warns by
// default (validateInviteRequest's `warnings`, one console line from assertInviteRequest and so from
// the builders and the client), and refuses on request.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import {
  assertInviteRequest,
  createInviteClient,
  findUnknownProperties,
  InviteValidationError,
  UNKNOWN_PROPERTY_RULE,
  validateInviteRequest,
} from "../../src/index.js";
import { DECLARED_PROPERTIES } from "../../src/request/unknown-properties.js";

const user = (id: string) => ({ identity: { user: { id } } });
afterEach(() => vi.restoreAllMocks());

describe("findUnknownProperties", () => {
  it("names replaceCallId's path and the property meant, replacesCallId", () => {
    const found = findUnknownProperties({ participants: [{ ...user("u"), replaceCallId: "c" }] });
    expect(found).toEqual([
      {
        path: "/participants/0/replaceCallId",
        rule: "property.unknown",
        message: expect.stringContaining(
          'is not a property of invitationParticipantInfo; did you mean "replacesCallId"?',
        ),
      },
    ]);
    expect(found[0]!.message).toContain("Graph ignores unknown properties");
  });

  it("looks at every open object: the body, each participant, its identity set and each identity", () => {
    const found = findUnknownProperties({
      participants: [
        { identity: { usr: { id: "u" } } },
        { identity: { phone: { id: "+12345678901", displayname: "x" } } },
      ],
      clientContxt: "c",
    });
    expect(found.map((i) => [i.path, i.message.match(/did you mean "([^"]+)"/)?.[1] ?? null])).toEqual([
      ["/clientContxt", "clientContext"],
      ["/participants/0/identity/usr", "user"],
      ["/participants/1/identity/phone/displayname", "displayName"],
    ]);
  });

  it("suggests nothing for a property close to none, and takes OData annotations and every declared property", () => {
    const [far] = findUnknownProperties({ participants: [{ ...user("u"), favouriteColour: "blue" }] });
    expect(far!.message).toBe(
      "is not a property of invitationParticipantInfo Graph ignores unknown properties of this open type, so it would have no effect",
    );
    expect(
      findUnknownProperties({
        clientContext: "c",
        participants: [
          {
            "@odata.type": "#microsoft.graph.invitationParticipantInfo",
            "identity@odata.type": "#microsoft.graph.identitySet",
            identity: {
              "@odata.type": "#microsoft.graph.identitySet",
              user: { "@odata.type": "#microsoft.graph.identity", id: "u", displayName: "d", tenantId: "t" },
            },
            hidden: false,
            replacesCallId: "c",
            participantId: "p",
            removeFromDefaultAudioRoutingGroup: true,
            endpointType: null,
          },
        ],
      }),
    ).toEqual([]);
  });

  it("suggests the property a typo means: a letter missing, extra, wrong or swapped with the next, in either case", () => {
    const suggested = (body: unknown) =>
      findUnknownProperties(body).map((i) => [i.path, i.message.match(/did you mean "([^"]+)"/)?.[1] ?? null]);
    expect(
      suggested({
        participanst: [],
        clientContest: "c",
        participants: [
          { identity: { guset: { id: "g" }, user: { id: "u", di: "x" } }, hiddne: true, dinetity: {} },
          { ...user("u"), removeFromDefaultAudioRouting: true, HIXXEN: true },
        ],
      }),
    ).toEqual([
      ["/participanst", "participants"],
      ["/clientContest", "clientContext"],
      ["/participants/0/hiddne", "hidden"],
      ["/participants/0/dinetity", "identity"],
      // a swap is one edit: guest, where counting it as two would tie with user (listed first)
      ["/participants/0/identity/guset", "guest"],
      ["/participants/0/identity/user/di", "id"],
      // a long name allows a third of its length: five letters missing
      ["/participants/1/removeFromDefaultAudioRouting", "removeFromDefaultAudioRoutingGroup"],
      ["/participants/1/HIXXEN", "hidden"],
    ]);
  });

  it("suggests nothing beyond a third of the key's length (and at least two edits): a guess would mislead", () => {
    const [participant, identitySet] = [
      // each three edits from hidden or identity, which allow two
      { ...user("u"), hxxxen: 1, dabntity: 1, enditity: 1, adenatty: 1 },
      // `id` belongs in the identity: no property of the identity set is within two edits of it
      { identity: { id: "u" } },
    ];
    const found = findUnknownProperties({ participants: [participant, identitySet] });
    expect(found.map((i) => i.path)).toEqual([
      "/participants/0/hxxxen",
      "/participants/0/dabntity",
      "/participants/0/enditity",
      "/participants/0/adenatty",
      "/participants/1/identity/id",
    ]);
    for (const issue of found) expect(issue.message, issue.path).not.toContain("did you mean");
  });

  it("reads the identities of an identity set only: an object under its @odata.type or endpointType is not one", () => {
    const body = {
      participants: [
        { identity: { "@odata.type": { tenant: "t" }, endpointType: { tenant: "t" }, user: { id: "u" } } },
      ],
    };
    expect(findUnknownProperties(body)).toEqual([]);
  });

  it("reads the participants the array holds, not an item inherited past its end", () => {
    const participants = [user("u")];
    Object.setPrototypeOf(participants, Object.assign([], { 1: { ...user("v"), replaceCallId: "c" } }));
    expect(Array.isArray(participants) && participants.length).toBe(1);
    expect(findUnknownProperties({ participants })).toEqual([]);
  });

  it("never throws, and stays bounded on hostile input", () => {
    for (const body of [null, 7, "x", [], { participants: "x" }, { participants: [null, 1, { identity: [] }] }])
      expect(() => findUnknownProperties(body)).not.toThrow();
    // A 4 MiB key in each open object: no property is within a third of its length, so no distance
    // table is built (each would cost 4 Mi x the property's length).
    const long = "r".repeat(4 * 2 ** 20);
    const started = performance.now();
    const found = findUnknownProperties({
      [long]: 1,
      participants: [{ [long]: 1, identity: { [long]: 1, user: { id: "u", [long]: 1 } } }],
    });
    expect(found).toHaveLength(4);
    for (const issue of found) expect(issue.message).not.toContain("did you mean");
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("declares exactly the properties openapi.yaml's request schemas declare", () => {
    const spec = parse(readFileSync(join(import.meta.dirname, "../../openapi.yaml"), "utf8")) as {
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    const props = (name: string) => Object.keys(spec.components.schemas[name]!.properties).sort();
    expect([...DECLARED_PROPERTIES.invitePostRequestBody].sort()).toEqual(props("InvitePostRequestBody"));
    expect([...DECLARED_PROPERTIES.invitationParticipantInfo].sort()).toEqual(props("InvitationParticipantInfo"));
    expect([...DECLARED_PROPERTIES.identitySet].sort()).toEqual(props("InvitationIdentitySet"));
    expect([...DECLARED_PROPERTIES.identity].sort()).toEqual(props("InvitationIdentity"));
  });
});

describe("validateInviteRequest's unknownProperties", () => {
  const typo = { participants: [{ ...user("u"), replaceCallId: "c" }] };

  it("warns by default: the body is valid, the warning is in `warnings`", () => {
    const result = validateInviteRequest(typo);
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => [w.path, w.rule])).toEqual([
      ["/participants/0/replaceCallId", UNKNOWN_PROPERTY_RULE],
    ]);
  });

  it('refuses with "refuse": an issue with rule property.unknown, and assertInviteRequest throws', () => {
    const result = validateInviteRequest(typo, { unknownProperties: "refuse" });
    expect(result).toMatchObject({
      ok: false,
      warnings: [],
      issues: [{ path: "/participants/0/replaceCallId", rule: "property.unknown" }],
    });
    const error = (() => {
      try {
        assertInviteRequest(typo, { unknownProperties: "refuse" });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InviteValidationError);
    expect((error as InviteValidationError).message).toContain(
      '/participants/0/replaceCallId property.unknown: is not a property of invitationParticipantInfo; did you mean "replacesCallId"?',
    );
  });

  it('ignores them with "ignore", and refuses any other mode (a TypeError, never a skipped check)', () => {
    expect(validateInviteRequest(typo, { unknownProperties: "ignore" })).toMatchObject({ ok: true, warnings: [] });
    for (const bad of [null, "", "strict", true, 1])
      expect(() => validateInviteRequest(typo, { unknownProperties: bad as never })).toThrow(
        /`unknownProperties` must be one of "warn", "refuse", "ignore"/,
      );
  });

  it("assertInviteRequest warns on the console once per path and property, naming no value", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const body = { participants: [{ identity: { user: { id: "secret-user-id" } }, replacesCalId: "secret-call" }] };
    assertInviteRequest(body);
    assertInviteRequest(body);
    expect(warn).toHaveBeenCalledTimes(1);
    const line = String(warn.mock.calls[0]![0]);
    expect(line).toMatch(
      /^graph-invite-contract: \/participants\/0\/replacesCalId property\.unknown: .*did you mean "replacesCallId"\?/,
    );
    expect(line).not.toMatch(/secret/);
  });

  it("is what client.invite() sends through: the typo warns, and with nothing sent refused in strict mode", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const sent: string[] = [];
    const client = createInviteClient({
      getToken: () => "t",
      fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
        sent.push(String(input instanceof Request ? input.url : input));
        void init;
        return new Response(
          JSON.stringify({
            "@odata.type": "#microsoft.graph.inviteParticipantsOperation",
            id: "op",
            status: "Running",
          }),
          {
            status: 200,
            headers: { "content-type": "application/json" },
          },
        );
      },
    });
    // Not a literal at the call: TypeScript's excess-property check (which would catch it) does not apply.
    const body = { participants: [{ ...user("u"), hiden: true }] };
    await client.invite("call", body);
    expect(sent).toHaveLength(1);
    expect(String(warn.mock.calls.at(-1)![0])).toContain(
      '/participants/0/hiden property.unknown: is not a property of invitationParticipantInfo; did you mean "hidden"?',
    );
  });

  it("remembers at most 1,000 warnings: past that, a new one is warned each time rather than the memory growing", async () => {
    vi.resetModules(); // a process that has warned nothing yet
    const { findUnknownProperties: find, warnUnknownProperties: warnOf } =
      await import("../../src/request/unknown-properties.js");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const keys = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`unknownProperty${i}`, 1]));
    const thousand = find({ participants: [{ ...user("u"), ...keys }] });
    warnOf(thousand);
    warnOf(thousand);
    expect(warn).toHaveBeenCalledTimes(1000);
    const late = find({ participants: [{ ...user("u"), hiden: true }] });
    warnOf(late);
    warnOf(late);
    expect(warn).toHaveBeenCalledTimes(1002);
  });
});
