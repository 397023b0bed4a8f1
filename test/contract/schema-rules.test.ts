// What the schema itself enforces (through the compiled validators): strict in what a client
// sends, tolerant in what Graph returns.
import { describe, expect, it } from "vitest";
import {
  validateCommsNotifications,
  validateInviteParticipantsOperation,
  validateInvitePostRequestBody,
  validateODataError,
  type SchemaValidator,
} from "../../generated/validators.js";
import { docsPayload } from "../fixtures/docs.js";

/** The (instancePath, keyword) pairs a validator reports, or [] when the data is valid. */
function failures(validate: SchemaValidator, data: unknown): string[] {
  return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`);
}

const participant = () => ({
  "@odata.type": "#microsoft.graph.invitationParticipantInfo",
  identity: {
    "@odata.type": "#microsoft.graph.identitySet",
    user: { "@odata.type": "#microsoft.graph.identity", id: "278405a3-f568-4b3e-b684-009193463064" },
  },
});
type Body = Record<string, unknown> & { participants: Array<Record<string, unknown>> };
const body = (extra: Record<string, unknown> = {}): Body => ({ participants: [participant()], ...extra });

describe("InvitePostRequestBody", () => {
  const v = validateInvitePostRequestBody;

  it("requires participants", () => {
    expect(failures(v, { clientContext: "x" })).toContain(" required");
  });

  it("accepts 1 to 5 participants and refuses 0 and 6", () => {
    expect(failures(v, { participants: [] })).toEqual(["/participants minItems"]);
    expect(failures(v, { participants: Array.from({ length: 5 }, participant) })).toEqual([]);
    expect(failures(v, { participants: Array.from({ length: 6 }, participant) })).toEqual(["/participants maxItems"]);
  });

  it("limits clientContext to 256 characters and accepts null", () => {
    expect(failures(v, body({ clientContext: "a".repeat(256) }))).toEqual([]);
    expect(failures(v, body({ clientContext: "a".repeat(257) }))).toEqual(["/clientContext maxLength"]);
    expect(failures(v, body({ clientContext: null }))).toEqual([]);
  });

  it("fixes @odata.type of the participant and its identitySet", () => {
    const wrongParticipant = body();
    wrongParticipant.participants[0]!["@odata.type"] = "#microsoft.graph.participantInfo";
    expect(failures(v, wrongParticipant)).toEqual(["/participants/0/@odata.type const"]);

    const wrongSet = body();
    (wrongSet.participants[0]!.identity as Record<string, unknown>)["@odata.type"] = "#microsoft.graph.identity";
    expect(failures(v, wrongSet)).toEqual(["/participants/0/identity/@odata.type enum"]);
  });

  it("requires each participant's identity", () => {
    expect(failures(v, { participants: [{ "@odata.type": "#microsoft.graph.invitationParticipantInfo" }] })).toEqual([
      "/participants/0 required",
    ]);
  });

  it("accepts communicationsIdentitySet identities under identitySet (the docs' PSTN example)", () => {
    expect(failures(v, docsPayload(4, "request"))).toEqual([]);
  });

  it("tolerates properties Graph may add (open types)", () => {
    const open = body({ futureFlag: true });
    open.participants[0]!.futureProperty = { nested: 1 };
    expect(failures(v, open)).toEqual([]);
  });
});

describe("InviteParticipantsOperation", () => {
  const v = validateInviteParticipantsOperation;
  const op = (extra: Record<string, unknown>) => ({ ...(docsPayload(1, "response") as object), ...extra });

  it("accepts lowercase and PascalCase status, refuses anything else", () => {
    for (const status of [
      "running",
      "Running",
      "completed",
      "Completed",
      "failed",
      "Failed",
      "notStarted",
      "NotStarted",
      "unknownFutureValue",
    ]) {
      expect(failures(v, op({ status })), status).toEqual([]);
    }
    expect(failures(v, op({ status: "done" }))).toContain("/status enum");
    expect(failures(v, op({ status: "RUNNING" }))).toContain("/status enum");
    expect(failures(v, op({ status: 1 }))).toContain("/status type");
  });

  it("accepts a null or absent status (Learn commsOperation: notStarted, running or null)", () => {
    const { status: _status, ...rest } = docsPayload(1, "response") as Record<string, unknown>;
    expect(failures(v, rest)).toEqual([]);
    expect(failures(v, op({ status: null }))).toEqual([]);
  });

  it("accepts resultInfo null and an int32 code, refuses a code beyond int32", () => {
    expect(failures(v, op({ resultInfo: null }))).toEqual([]);
    expect(failures(v, op({ status: "failed", resultInfo: { code: 412, subcode: 9999, message: "x" } }))).toEqual([]);
    // (a nullable $ref also reports its failed null branch: /resultInfo type + anyOf)
    expect(failures(v, op({ resultInfo: { code: 2 ** 31 } }))).toContain("/resultInfo/code maximum");
    expect(failures(v, op({ resultInfo: { code: 4.5 } }))).toContain("/resultInfo/code type");
  });

  it("refuses another operation type", () => {
    expect(failures(v, op({ "@odata.type": "#microsoft.graph.playPromptOperation" }))).toEqual(["/@odata.type const"]);
  });
});

describe("CommsNotifications", () => {
  const v = validateCommsNotifications;
  const batch = (notification: Record<string, unknown>) => ({ value: [notification] });
  const opNotification = () =>
    (docsPayload(1, "notification-operation-completed") as { value: Array<Record<string, unknown>> }).value[0]!;

  it("accepts an empty batch and requires value", () => {
    expect(failures(v, { value: [] })).toEqual([]);
    expect(failures(v, {})).toEqual([" required"]);
  });

  it("accepts capitalised changeType and refuses unknown ones", () => {
    expect(failures(v, batch({ ...opNotification(), changeType: "Deleted" }))).toEqual([]);
    expect(failures(v, batch({ ...opNotification(), changeType: "moved" }))).toEqual(["/value/0/changeType enum"]);
  });

  it("requires resourceUrl", () => {
    const { resourceUrl: _u, ...rest } = opNotification();
    expect(failures(v, batch(rest))).toEqual(["/value/0 required"]);
  });

  it("accepts entity types it does not model (forward compatible)", () => {
    const call = { "@odata.type": "#microsoft.graph.call", state: "established", anything: [1, 2] };
    expect(
      failures(v, batch({ changeType: "updated", resourceUrl: "/communications/calls/1", resourceData: call })),
    ).toEqual([]);
    const other = {
      ...opNotification(),
      resourceData: { "@odata.type": "#microsoft.graph.playPromptOperation", status: "completed" },
    };
    expect(failures(v, batch(other))).toEqual([]);
  });

  it("refuses an invite operation with a status no source names, and types outside #microsoft.graph.", () => {
    const broken = opNotification();
    (broken.resourceData as Record<string, unknown>).status = "done";
    expect(failures(v, batch(broken))).not.toEqual([]);
    const foreign = { ...opNotification(), resourceData: { "@odata.type": "#contoso.thing" } };
    expect(failures(v, batch(foreign))).not.toEqual([]);
  });

  it("refuses a roster participant whose info is null or not an object (CSDL: never null when present)", () => {
    const roster = docsPayload(1, "notification-roster-updated") as {
      value: Array<{ resourceData: Array<Record<string, unknown>> }>;
    };
    roster.value[0]!.resourceData[0]!.info = null;
    expect(failures(v, roster)).not.toEqual([]);
    roster.value[0]!.resourceData[0]!.info = "alice";
    expect(failures(v, roster)).not.toEqual([]);
  });

  it("accepts roster info typed as participantInfo or invitationParticipantInfo", () => {
    expect(failures(v, docsPayload(1, "notification-roster-updated"))).toEqual([]); // invitationParticipantInfo
    expect(failures(v, docsPayload(4, "notification-roster-updated"))).toEqual([]); // participantInfo
  });
});

describe("ODataError", () => {
  const v = validateODataError;

  it("requires error.code and error.message, tolerates innerError details", () => {
    expect(
      failures(v, { error: { code: "BadRequest", message: "x", innerError: { "request-id": "r", extra: 1 } } }),
    ).toEqual([]);
    expect(failures(v, { error: { code: "BadRequest" } })).toEqual(["/error required"]);
    expect(failures(v, { message: "x" })).toEqual([" required"]);
  });
});
