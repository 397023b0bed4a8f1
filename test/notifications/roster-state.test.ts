// createRosterState: the roster a bot keeps. `deleted` lists the participants that LEFT; replacing a
// list with each event's participants would keep only the leavers.
import { describe, expect, it } from "vitest";
import { createRosterState, parseCommsNotifications, type Participant } from "../../src/index.js";
import { docsPayload } from "../fixtures/docs.js";

const roster = (changeType: string, participants: Array<Partial<Participant>>, callId = "c1") =>
  parseCommsNotifications({
    value: [
      {
        changeType,
        resourceUrl: `/communications/calls/${callId}/participants`,
        resourceData: participants.map((p) => ({ "@odata.type": "#microsoft.graph.participant", ...p })),
      },
    ],
  })[0]!;
const alice = { id: "2765eb15-01f8-47c6-b12b-c32111a4a86f", isMuted: false };
const bob = { id: "5810cede-f3cc-42eb-b2c1-e9bd5d53ec96", isMuted: false };

describe("createRosterState", () => {
  it("adds joiners, replaces changed participants, removes the ones a deleted event lists", () => {
    const state = createRosterState();
    expect(state.apply(roster("updated", [alice, bob]))).toMatchObject({ joined: [alice, bob], updated: [], left: [] });
    const aliceMuted = { ...alice, isMuted: true };
    expect(state.apply(roster("updated", [aliceMuted]))).toMatchObject({ joined: [], updated: [aliceMuted] });
    expect(state.apply(roster("deleted", [bob]))).toMatchObject({ joined: [], updated: [], left: [bob] });
    expect(state.participants()).toMatchObject([aliceMuted]);
    expect(state.size).toBe(1);
  });

  it("matches ids as GUIDs, and participants without an id by their identity (the docs' rosters send id null)", () => {
    const state = createRosterState();
    state.apply(roster("updated", [alice]));
    state.apply(roster("deleted", [{ id: alice.id.toUpperCase().replaceAll("-", "") }]));
    expect(state.size).toBe(0);
    const docs = parseCommsNotifications(docsPayload(2, "notification-roster-updated"))[0]!;
    expect(state.apply(docs).joined).toHaveLength(2);
    expect(state.size).toBe(2);
    expect(state.apply(docs).updated).toHaveLength(2);
    expect(state.size).toBe(2);
  });

  it("matches a participant without an id by the identity it has, a phone number as well as a user", () => {
    const state = createRosterState();
    const caller = { id: null, info: { identity: { phone: { id: "+12345678901" } } } };
    expect(state.apply(roster("updated", [caller])).joined).toHaveLength(1);
    expect(state.apply(roster("updated", [caller])).updated).toHaveLength(1);
    expect(state.apply(roster("deleted", [caller])).left).toHaveLength(1);
    expect(state.size).toBe(0);
  });

  it("reports a participant with neither an id nor an identity's id in the change, and does not hold it", () => {
    const state = createRosterState();
    const unkeyed = [
      { id: "" },
      { id: null },
      { id: null, info: { identity: { user: { displayName: "no id" } } } },
      { id: null, info: { identity: { user: { id: "" } } } },
    ];
    expect(state.apply(roster("updated", unkeyed))).toMatchObject({ joined: unkeyed, updated: [], left: [] });
    expect(state.size).toBe(0);
    expect(state.apply(roster("updated", unkeyed))).toMatchObject({ joined: unkeyed, updated: [] });
    expect(state.apply(roster("deleted", unkeyed))).toMatchObject({ joined: [], left: unkeyed });
    expect(state.participants()).toEqual([]);
  });

  it("ignores an update older than the one held (rosterSequenceNumber)", () => {
    const state = createRosterState();
    state.apply(roster("updated", [{ ...alice, isMuted: true, rosterSequenceNumber: 5 }]));
    expect(state.apply(roster("updated", [{ ...alice, rosterSequenceNumber: 4 }]))).toMatchObject({ updated: [] });
    expect(state.participants()[0]!.isMuted).toBe(true);
  });

  it("applies an update as new as the one held or newer, and one without a rosterSequenceNumber", () => {
    const state = createRosterState();
    state.apply(roster("updated", [{ ...alice, rosterSequenceNumber: 5 }]));
    for (const next of [
      { ...alice, isMuted: true, rosterSequenceNumber: 5 },
      { ...alice, isMuted: false, rosterSequenceNumber: 6 },
      { ...alice, isMuted: true, rosterSequenceNumber: null },
    ]) {
      expect(state.apply(roster("updated", [next]))).toMatchObject({ joined: [], updated: [next] });
      expect(state.participants()).toMatchObject([next]);
    }
  });

  it("with a callId, applies only that call's roster events; other events change nothing", () => {
    const state = createRosterState({ callId: "C1" });
    state.apply(roster("updated", [alice], "c2"));
    expect(state.size).toBe(0);
    const operation = parseCommsNotifications(docsPayload(1, "notification-operation-completed"))[0]!;
    expect(state.apply(operation)).toEqual({ joined: [], updated: [], left: [] });
    expect(createRosterState().apply(operation)).toEqual({ joined: [], updated: [], left: [] });
  });

  it("refuses a callId that is not a non-empty string", () => {
    expect(() => createRosterState({ callId: "" })).toThrow(
      new TypeError("createRosterState: callId must be a non-empty string when given"),
    );
    expect(() => createRosterState({ callId: 42 as unknown as string })).toThrow(TypeError);
    expect(() => createRosterState({ callId: null as unknown as string })).toThrow(TypeError);
  });
});
