// Every notification kind a bot's callback URL receives, parsed once into the event it means, with
// the ids a bot needs (Microsoft's own notifications: test/fixtures/graph/, each with its source).
import { describe, expect, it } from "vitest";
import {
  callIdOf,
  parseCommsNotifications,
  type CallbackEvent,
  type CallEvent,
  type OperationEvent,
  type OtherEvent,
  type RosterEvent,
  type ToneEvent,
} from "../../src/index.js";
import { graphSentPayloads } from "../fixtures/graph.js";

type Json = Record<string, any>;
const fixture = (name: string) => structuredClone(graphSentPayloads.find((p) => p.name === name)!.body) as Json;
const only = <E extends CallbackEvent>(name: string) => {
  const events = parseCommsNotifications(fixture(name));
  expect(events).toHaveLength(1);
  return events[0] as E;
};
const notification = (name: string) => fixture(name).value[0];

describe("call notifications", () => {
  it("an incoming call: kind call, its state and direction (call-answer.md)", () => {
    const event = only<CallEvent>("call-incoming");
    expect(event).toMatchObject({
      kind: "call",
      changeType: "created",
      callId: "57DAB8B1894C409AB240BD8BEAE78896",
      state: "incoming",
      direction: "incoming",
      resultInfo: null,
      terminationReason: null,
    });
    expect(event.call).toEqual(notification("call-incoming").resourceData);
  });

  it("a terminated call: its resultInfo as numbers though call-delete.md sends strings, and the reason", () => {
    const event = only<CallEvent>("call-terminated-string-codes");
    expect(event).toMatchObject({ kind: "call", changeType: "deleted", state: "terminated" });
    expect(event.resultInfo).toEqual({
      "@odata.type": "#microsoft.graph.resultInfo",
      code: 200,
      subcode: 5001,
      message: "The conversation has ended.",
    });
    expect(event.terminationReason).toBe("The conversation has ended.");
    // what arrived is kept as it arrived
    expect(event.call.resultInfo).toMatchObject({ code: "200", subcode: "5001" });
  });

  it("terminating: a state, no reason yet", () => {
    expect(only<CallEvent>("call-terminating")).toMatchObject({ state: "terminating", terminationReason: null });
  });

  it("a termination reason only for a terminated call, and none when it carries no resultInfo", () => {
    const withState = (state: string, resultInfo?: unknown) => {
      const body = fixture("call-terminated-string-codes");
      body.value[0].resourceData.state = state;
      if (resultInfo === undefined) delete body.value[0].resourceData.resultInfo;
      else body.value[0].resourceData.resultInfo = resultInfo;
      return parseCommsNotifications(body)[0] as CallEvent;
    };
    const info = { code: 200, subcode: 0, message: "m" };
    expect(withState("established", info)).toMatchObject({ state: "established", terminationReason: null });
    expect(withState("terminated")).toMatchObject({ state: "terminated", resultInfo: null, terminationReason: null });
    expect(withState("terminated", { code: 200, subcode: 5001 })).toMatchObject({ terminationReason: null });
  });
});

describe("tone notifications", () => {
  it("a call notification with toneInfo is a tone event (call-subscribetotone.md)", () => {
    const event = only<ToneEvent>("tone-subscribe-to-tone");
    expect(event).toMatchObject({
      kind: "tone",
      callId: "57dab8b1-894c-409a-b240-bd8beae78896",
      tone: "tone1",
      sequenceId: 1,
    });
    expect(event.call.state).toBe("established");
  });

  it("a tone without a sequenceId: sequenceId null", () => {
    const body = fixture("tone-subscribe-to-tone");
    delete body.value[0].resourceData.toneInfo.sequenceId;
    expect(parseCommsNotifications(body)[0]).toMatchObject({ kind: "tone", tone: "tone1", sequenceId: null });
  });
});

describe("operation notifications, of every commsOperation subtype", () => {
  it("playPrompt: its type, its ids from resourceUrl as Graph spelled them, status, resultInfo", () => {
    const event = only<OperationEvent>("operation-play-prompt-completed");
    expect(event).toMatchObject({
      kind: "operation",
      operationType: "playPrompt",
      odataType: "#microsoft.graph.playPromptOperation",
      callId: "57DAB8B1894C409AB240BD8BEAE78896",
      operationId: "0FE0623FD62842EDB4BD8AC290072CC5",
      clientContext: "d45324c1-fcb5-430a-902c-f20af696537c",
      status: "completed",
      resultInfo: { code: 200, subcode: 0, message: "Action completed successfully." },
      completionReason: null,
    });
  });

  it("record: its own fields typed, and completionReason when Graph gives one", () => {
    const done = only<OperationEvent>("operation-record-completed");
    if (done.operationType !== "record") throw new Error("not a record operation");
    expect(done.operation.recordingLocation).toBe("https://file.location/17e3b46c-f61d-4f4d-9635-c626ef18e6ad");
    const canceled = only<OperationEvent>("operation-record-canceled");
    expect(canceled).toMatchObject({
      operationType: "record",
      status: "failed",
      completionReason: "operationCanceled",
      resultInfo: { code: 400, subcode: 8508 },
    });
  });

  it("addLargeGalleryView and startHoldMusic (resourceUrl without its leading slash)", () => {
    expect(only<OperationEvent>("operation-add-large-gallery-view-completed")).toMatchObject({
      operationType: "addLargeGalleryView",
      operationId: "e33176d4-836a-4fd7-b95a-d11bda52811d",
    });
    expect(only<OperationEvent>("operation-start-hold-music-no-leading-slash")).toMatchObject({
      operationType: "startHoldMusic",
      callId: "e141b67c-90fd-455d-858b-b48a40b9cc8d",
      operationId: "0fe0623f-d628-42ed-b4bd-8ac290072cc5",
    });
  });

  it("every typed subtype by its short name; an untyped ...Operation as other, held to commsOperation", () => {
    const names = [
      "inviteParticipants",
      "playPrompt",
      "record",
      "subscribeToTone",
      "cancelMediaProcessing",
      "addLargeGalleryView",
      "startHoldMusic",
      "stopHoldMusic",
      "muteParticipant",
      "unmuteParticipant",
      "updateRecordingStatus",
      "sendDtmfTones",
      "futureThing",
    ];
    const batch = {
      value: names.map((name) => ({
        changeType: "deleted",
        resourceUrl: `/communications/calls/c1/operations/${name}-1`,
        resourceData: { "@odata.type": `#microsoft.graph.${name}Operation`, status: "Completed" },
      })),
    };
    const events = parseCommsNotifications(batch) as OperationEvent[];
    expect(events.map((e) => e.operationType)).toEqual([...names.slice(0, -1), "other"]);
    expect(events.every((e) => e.kind === "operation" && e.status === "completed")).toBe(true);
    expect(events.at(-1)).toMatchObject({
      odataType: "#microsoft.graph.futureThingOperation",
      operationId: "futureThing-1",
    });
    // an untyped operation still has commsOperation's fields checked
    batch.value[12]!.resourceData.status = "done";
    expect(() => parseCommsNotifications(batch)).toThrow(/\/value\/12\/resourceData\/status/);
  });

  it("sendDtmfTones: completionReason from the CSDL's sendDtmfCompletionReason, and nothing else", () => {
    const op = (completionReason: unknown) => ({
      value: [
        {
          changeType: "deleted",
          resourceUrl: "/communications/calls/c1/operations/o1",
          resourceData: {
            "@odata.type": "#microsoft.graph.sendDtmfTonesOperation",
            status: "completed",
            completionReason,
          },
        },
      ],
    });
    expect(parseCommsNotifications(op("completedSuccessfully"))[0]).toMatchObject({
      completionReason: "completedSuccessfully",
    });
    expect(() => parseCommsNotifications(op("finished"))).toThrow(/completionReason/);
  });
});

describe("roster notifications", () => {
  it("updated: participants that joined or changed, participantsLeft false", () => {
    const event = only<RosterEvent>("roster-participant-muted");
    expect(event).toMatchObject({
      kind: "roster",
      changeType: "updated",
      participantsLeft: false,
      sequenceNumber: null,
    });
    expect(event.participants[0]!.isMuted).toBe(true);
  });

  it("deleted: the participants listed are the ones that left", () => {
    const event = only<RosterEvent>("roster-participant-left");
    expect(event).toMatchObject({ kind: "roster", changeType: "deleted", participantsLeft: true });
    expect(event.participants.map((p) => p.id)).toEqual(["2765eb15-01f8-47c6-b12b-c32111a4a86f"]);
  });

  it("deltaParticipants: the same, with its sequence number", () => {
    const event = only<RosterEvent>("roster-delta-participants");
    expect(event).toMatchObject({ kind: "roster", sequenceNumber: 7, participantsLeft: false });
    expect(event.participants).toHaveLength(1);
  });

  it("deltaParticipants without participants or a sequence number: no participants, sequenceNumber null", () => {
    const body = fixture("roster-delta-participants");
    delete body.value[0].resourceData.participants;
    delete body.value[0].resourceData.sequenceNumber;
    expect(parseCommsNotifications(body)[0]).toMatchObject({ kind: "roster", participants: [], sequenceNumber: null });
  });
});

describe("other", () => {
  it("keeps what nothing models, with its ids and type", () => {
    const event = only<OtherEvent>("other-content-sharing-session");
    expect(event).toEqual({
      kind: "other",
      changeType: "created",
      callId: "57dab8b1-894c-409a-b240-bd8beae78896",
      operationId: null,
      odataType: "#microsoft.graph.contentSharingSession",
      notification: notification("other-content-sharing-session"),
      resourceUrl: notification("other-content-sharing-session").resourceUrl,
    });
  });

  it("an array of entities other than participants is not a roster", () => {
    const body = fixture("other-content-sharing-session");
    body.value[0].resourceData = [body.value[0].resourceData];
    expect(parseCommsNotifications(body)[0]).toMatchObject({ kind: "other", odataType: null });
  });
});

describe("resultInfo code and subcode as strings (call-delete.md)", () => {
  const withCode = (code: unknown, subcode: unknown = 0) => {
    const body = fixture("call-terminated-string-codes");
    body.value[0].resourceData.resultInfo = { code, subcode };
    return body;
  };
  const invite = (code: unknown) => {
    const body = fixture("operation-invite-upper-case-ids");
    body.value[0].resourceData.status = "failed";
    body.value[0].resourceData.resultInfo = { code, subcode: "9999" };
    return body;
  };

  it("accepts decimal strings in the Int32 range, inside a call and inside an invite operation", () => {
    for (const code of ["0", "200", "-1", "2147483647", "-2147483648", "1999999999"]) {
      expect((parseCommsNotifications(withCode(code))[0] as CallEvent).resultInfo?.code).toBe(Number(code));
    }
    expect(parseCommsNotifications(invite("412"))[0]).toMatchObject({ resultInfo: { code: 412, subcode: 9999 } });
  });

  it("converts only what arrived as a string: a number, a null subcode and a missing field stay as sent", () => {
    const resultInfoOf = (resultInfo: unknown) => {
      const body = fixture("call-terminated-string-codes");
      body.value[0].resourceData.resultInfo = resultInfo;
      return (parseCommsNotifications(body)[0] as CallEvent).resultInfo;
    };
    expect(resultInfoOf({ code: 200, subcode: "5001" })).toStrictEqual({ code: 200, subcode: 5001 });
    expect(resultInfoOf({ code: "200", subcode: null })).toStrictEqual({ code: 200, subcode: null });
    expect(resultInfoOf({ code: "200" })).toStrictEqual({ code: 200 });
    expect(resultInfoOf({ subcode: "5001" })).toStrictEqual({ subcode: 5001 });
    expect(resultInfoOf(null)).toBeNull();
  });

  it("gives a resultInfo already in numbers as the notification's own object, not a copy", () => {
    const body = fixture("call-terminated-string-codes");
    body.value[0].resourceData.resultInfo = { code: 200, subcode: 5001, message: "m" };
    const event = parseCommsNotifications(body)[0] as CallEvent;
    expect(event.resultInfo).toBe(event.call.resultInfo);
  });

  it("refuses anything else: out of range, fractions, exponents, signs, spaces, leading zeros, empty", () => {
    for (const code of [
      "2147483648",
      "-2147483649",
      "9999999999",
      "1.5",
      "1e3",
      "+1",
      " 200",
      "200 ",
      "007",
      "-0",
      "",
      "0x10",
    ]) {
      expect(() => parseCommsNotifications(withCode(code)), code).toThrow(/resultInfo\/code/);
    }
    expect(() => parseCommsNotifications(withCode(200, "1.5"))).toThrow(/resultInfo\/subcode/);
    expect(() => parseCommsNotifications(withCode(2147483648))).toThrow(/resultInfo\/code/);
  });
});

describe("call ids", () => {
  it("callIdOf reads a resourceUrl with or without its leading slash, and the legacy resource", () => {
    expect(callIdOf("communications/calls/e141/operations/o")).toBe("e141");
    expect(callIdOf("calls/e141")).toBe("e141");
    expect(callIdOf("/communications/calls/e141")).toBe("e141");
    expect(callIdOf("/communications/x", "/app/calls/a1/operations/o")).toBe("a1");
    expect(callIdOf("/communications/recalls/x")).toBeNull();
  });
});
