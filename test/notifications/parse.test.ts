// parseCommsNotifications: every docs callback parses and classifies; malformed input is refused
// with NotificationValidationError naming path and rule, and nothing else is ever thrown.
import { describe, expect, it } from "vitest";
import { NotificationValidationError, parseCommsNotifications, type CallbackEvent } from "../../src/index.js";
import { docsPayload } from "../fixtures/docs.js";

type Json = Record<string, any>;
const opCallback = (n: number) => docsPayload(n, "notification-operation-completed") as { value: Json[] };
const rosterCallback = (n: number) => docsPayload(n, "notification-roster-updated") as { value: Json[] };
const batchOf = (...notifications: Json[]) => ({ value: notifications });

function refusal(input: unknown): string[] {
  try {
    parseCommsNotifications(input);
  } catch (error) {
    expect(error).toBeInstanceOf(NotificationValidationError);
    return (error as NotificationValidationError).issues.map((i) => `${i.path} ${i.rule}`);
  }
  throw new Error("expected NotificationValidationError");
}

describe("the docs' callbacks", () => {
  const operations: Array<[number, string, string | null]> = [
    [1, "ab6233a5-20b7-4c5e-bea2-ce56c9776429", "eec3812a-fdc3-4fb4-825c-a06c9f35414e"],
    [2, "7531d31f-d10d-44de-802f-c569dbca451c", null],
    [3, "ab6233a5-20b7-4c5e-bea2-ce56c9776429", "278405a3-f568-4b3e-b684-009193463064"],
    [4, "ab6233a5-20b7-4c5e-bea2-ce56c9776429", "eec3812a-fdc3-4fb4-825c-a06c9f35414e"],
    [5, "ab6233a5-20b7-4c5e-bea2-ce56c9776429", "278405a3-f568-4b3e-b684-009193463064"],
  ];
  for (const [n, callId, operationId] of operations) {
    it(`example ${n}: operation completed`, () => {
      const input = opCallback(n);
      const [event, ...rest] = parseCommsNotifications(input);
      expect(rest).toEqual([]);
      expect(event).toMatchObject({
        kind: "operation",
        changeType: "deleted",
        callId,
        operationId,
        clientContext: "f2fa86af-3c51-4bc2-8fc0-475452d9764f",
        status: "completed",
        resultInfo: null,
        resourceUrl: input.value[0]!.resourceUrl,
      });
      expect(event?.kind === "operation" && event.operation).toEqual(input.value[0]!.resourceData);
    });
  }

  const rosters: Array<[number, string, number]> = [
    [1, "ab6233a5-20b7-4c5e-bea2-ce56c9776429", 1],
    [2, "7531d31f-d10d-44de-802f-c569dbca451c", 2],
    [3, "a7ebfb2d-871e-419c-87af-27290b22e8db", 1],
    [4, "ab6233a5-20b7-4c5e-bea2-ce56c9776429", 1],
    [5, "ab6233a5-20b7-4c5e-bea2-ce56c9776429", 1],
  ];
  for (const [n, callId, count] of rosters) {
    it(`example ${n}: roster updated`, () => {
      const input = rosterCallback(n);
      const [event] = parseCommsNotifications(input);
      expect(event).toMatchObject({ kind: "roster", changeType: "updated", callId });
      expect(event?.kind === "roster" && event.participants).toEqual(input.value[0]!.resourceData);
      expect(event?.kind === "roster" && event.participants.length).toBe(count);
    });
  }
});

describe("what arrives in the wild", () => {
  it("normalises PascalCase Completed and capitalised Updated", () => {
    const op = opCallback(1);
    op.value[0]!.resourceData.status = "Completed";
    op.value[0]!.changeType = "Deleted";
    const roster = rosterCallback(1).value[0]!;
    roster.changeType = "Updated";
    const events = parseCommsNotifications(batchOf(op.value[0]!, roster));
    expect(events.map((e) => e.kind !== "other" && [e.kind, e.changeType, e.kind === "operation" && e.status])).toEqual(
      [
        ["operation", "deleted", "completed"],
        ["roster", "updated", false],
      ],
    );
  });

  it("reports a failed operation with its resultInfo (412 / 9999: PSTN without a PSTN-enabled app instance)", () => {
    const op = opCallback(4);
    Object.assign(op.value[0]!.resourceData, {
      status: "failed",
      resultInfo: {
        "@odata.type": "#microsoft.graph.resultInfo",
        code: 412,
        subcode: 9999,
        message: "PSTN not enabled",
      },
    });
    const [event] = parseCommsNotifications(op);
    expect(event).toMatchObject({ kind: "operation", status: "failed", resultInfo: { code: 412, subcode: 9999 } });
  });

  it("takes ids from the legacy /app resource when resourceUrl names none, and decodes them", () => {
    const op = opCallback(1).value[0]!;
    op.resourceData.id = null;
    op.resourceUrl = "/communications/calls/c%201";
    op.resource = "/app/calls/c%201/operations/op-9";
    const [event] = parseCommsNotifications(batchOf(op));
    expect(event).toMatchObject({ callId: "c 1", operationId: "op-9" });
  });

  it("keeps a resourceUrl segment that is not valid percent-encoding as sent", () => {
    const op = opCallback(1).value[0]!;
    op.resourceUrl = "/communications/calls/%E0%A4%A/operations/x";
    const [event] = parseCommsNotifications(batchOf(op));
    expect(event).toMatchObject({ callId: "%E0%A4%A" });
  });

  it("classifies types it does not model as other, with their ids, without error", () => {
    const sharing = {
      changeType: "created",
      resourceUrl: "/communications/calls/c1/contentSharingSessions/s1",
      resourceData: { "@odata.type": "#microsoft.graph.contentSharingSession" },
    };
    const noData = { changeType: "deleted", resourceUrl: "/communications/calls/c1" };
    const events = parseCommsNotifications(batchOf(sharing, noData));
    expect(events).toEqual([
      {
        kind: "other",
        changeType: "created",
        callId: "c1",
        operationId: null,
        odataType: "#microsoft.graph.contentSharingSession",
        notification: sharing,
        resourceUrl: sharing.resourceUrl,
      },
      {
        kind: "other",
        changeType: "deleted",
        callId: "c1",
        operationId: null,
        odataType: null,
        notification: noData,
        resourceUrl: noData.resourceUrl,
      },
    ]);
  });

  it("accepts an empty batch and an empty roster", () => {
    expect(parseCommsNotifications({ value: [] })).toEqual([]);
    const [event] = parseCommsNotifications(
      batchOf({ changeType: "updated", resourceUrl: "/communications/calls/c1/participants", resourceData: [] }),
    );
    expect(event).toMatchObject({ kind: "roster", participants: [] });
  });

  it("parses a JSON string and UTF-8 bytes the same as the object", () => {
    const input = opCallback(2);
    const text = JSON.stringify(input);
    const expected = parseCommsNotifications(input);
    expect(parseCommsNotifications(text)).toEqual(expected);
    expect(parseCommsNotifications(new TextEncoder().encode(text))).toEqual(expected);
  });

  it("tolerates unknown fields", () => {
    const op = opCallback(1);
    op.value[0]!.newField = { x: 1 };
    op.value[0]!.resourceData.anotherField = [1, 2];
    expect(parseCommsNotifications(op)).toHaveLength(1);
  });
});

describe("malformed input", () => {
  it("refuses text that is not JSON and bytes that are not UTF-8 (rule json)", () => {
    expect(refusal("{nope")).toEqual([" json"]);
    expect(refusal(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))).toEqual([" json"]);
    expect(refusal("")).toEqual([" json"]);
  });

  it("names the field of each schema violation (rule schema)", () => {
    const cases: Array<[unknown, string[]]> = [
      [null, [" schema"]],
      [[], [" schema"]],
      [{}, ["/value schema"]],
      [{ value: {} }, ["/value schema"]],
      [{ value: [42] }, ["/value/0 schema"]],
      [batchOf({ changeType: "deleted" }), ["/value/0/resourceUrl schema"]],
      [batchOf({ changeType: "moved", resourceUrl: "/x" }), ["/value/0/changeType schema"]],
      [
        batchOf({ changeType: "deleted", resourceUrl: "/x", resourceData: { "@odata.type": "#contoso.thing" } }),
        ["/value/0/resourceData schema"],
      ],
      [batchOf({ changeType: "deleted", resourceUrl: "/x", resourceData: "text" }), ["/value/0/resourceData schema"]],
    ];
    for (const [input, expected] of cases) expect(refusal(input), JSON.stringify(input)).toEqual(expected);
  });

  it("checks a known entity against its own schema: a bad status, a participant whose info is null", () => {
    const op = opCallback(1);
    op.value[0]!.resourceData.status = "done";
    expect(refusal(op)).toEqual(["/value/0/resourceData/status schema"]);

    const roster = rosterCallback(2);
    roster.value[0]!.resourceData[1].info = null; // CSDL: Nullable="false", never null when present
    expect(refusal(roster)).toEqual(["/value/0/resourceData/1/info schema"]);
  });

  it("checks each item of a failing resourceData array on its own, with a message naming what is wrong", () => {
    const roster = rosterCallback(2);
    const [first, second] = roster.value[0]!.resourceData;
    second.info = null;
    roster.value[0]!.resourceData = [
      { "@odata.type": "#microsoft.graph.call" },
      first,
      second,
      { id: "no type" },
      "text",
    ];
    const error = (() => {
      try {
        parseCommsNotifications(roster);
      } catch (e) {
        return e as NotificationValidationError;
      }
      throw new Error("accepted");
    })();
    expect(error.issues).toEqual([
      { path: "/value/0/resourceData/2/info", rule: "schema", message: "must be object (type)" },
      {
        path: "/value/0/resourceData/3",
        rule: "schema",
        message: 'must have an "@odata.type" starting "#microsoft.graph." (oneOf)',
      },
      { path: "/value/0/resourceData/4", rule: "schema", message: "must be object (type)" },
    ]);
  });

  it("caps the issues of a body with very many bad items at MAX_SCHEMA_ERRORS, saying so at the root", () => {
    const roster = rosterCallback(2);
    roster.value[0]!.resourceData = new Array(5000).fill("text");
    let issues: readonly { path: string; message: string }[] = [];
    try {
      parseCommsNotifications(roster);
    } catch (e) {
      issues = (e as NotificationValidationError).issues;
    }
    expect(issues).toHaveLength(1001);
    expect(issues[0]).toMatchObject({
      path: "",
      message: "has more than 1000 errors; the first 1000 are listed (maxErrors)",
    });
  });

  it("reports every notification's issues, in order", () => {
    const good = opCallback(1).value[0]!;
    expect(refusal(batchOf({ changeType: "x", resourceUrl: "/a" }, good, { resourceUrl: "" }))).toEqual([
      "/value/0/changeType schema",
      "/value/2/changeType schema",
      "/value/2/resourceUrl schema",
    ]);
  });
});

describe("hostile input", () => {
  it("cannot pollute prototypes with __proto__, constructor or prototype keys", () => {
    const text = JSON.stringify(opCallback(1))
      .replace('"changeType"', '"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"changeType"')
      .replace('"status"', '"__proto__":{"isAdmin":true},"status"');
    const events = parseCommsNotifications(text);
    expect(events[0]).toMatchObject({ kind: "operation", status: "completed" });
    expect(({} as Json).polluted).toBeUndefined();
    expect(({} as Json).isAdmin).toBeUndefined();
    expect((events[0] as Json & CallbackEvent).isAdmin).toBeUndefined();
  });

  it("never mutates its input (deeply frozen input parses)", () => {
    const deepFreeze = (o: unknown): unknown => {
      if (o && typeof o === "object") Object.values(Object.freeze(o)).forEach(deepFreeze);
      return o;
    };
    const input = deepFreeze(rosterCallback(2));
    const copy = structuredClone(input);
    expect(() => parseCommsNotifications(input)).not.toThrow();
    expect(input).toEqual(copy);
  });
});
