// createCallbackHandler: dispatch by event name, in order, errors aggregated without losing events.
import { describe, expect, it } from "vitest";
import { createCallbackHandler, NotificationValidationError, type CallbackEvent } from "../../src/index.js";
import { docsPayload } from "../fixtures/docs.js";

type Json = Record<string, any>;
const notification = (kind: "notification-operation-completed" | "notification-roster-updated", n = 1) =>
  (docsPayload(n, kind) as { value: Json[] }).value[0]!;
const failedOp = () => {
  const n = notification("notification-operation-completed", 3);
  n.resourceData.status = "failed";
  n.resourceData.resultInfo = { code: 403, subcode: 7504 };
  return n;
};
const other = {
  changeType: "created",
  resourceUrl: "/communications/calls/c1/contentSharingSessions/s1",
  resourceData: { "@odata.type": "#microsoft.graph.contentSharingSession" },
};
// call-playprompt.md's completed notification (ids upper-case without dashes, as it shows them)
const playPrompt = {
  changeType: "deleted",
  resourceUrl: "/communications/calls/57DAB8B1894C409AB240BD8BEAE78896/operations/0FE0623FD62842EDB4BD8AC290072CC5",
  resourceData: {
    "@odata.type": "#microsoft.graph.playPromptOperation",
    clientContext: "d45324c1-fcb5-430a-902c-f20af696537c",
    status: "completed",
    resultInfo: { code: 200, subcode: 0, message: "Action completed successfully." },
  },
};
const established = {
  changeType: "updated",
  resourceUrl: "/communications/calls/c1",
  resourceData: { "@odata.type": "#microsoft.graph.call", state: "established" },
};
const tone = {
  changeType: "updated",
  resourceUrl: "/communications/calls/c1",
  resourceData: {
    "@odata.type": "#microsoft.graph.call",
    state: "established",
    toneInfo: { sequenceId: 1, tone: "tone1" },
  },
};
const batch = () => ({
  value: [
    notification("notification-operation-completed"),
    notification("notification-roster-updated"),
    failedOp(),
    playPrompt,
    established,
    tone,
    other,
  ],
});

const label = (e: CallbackEvent) => (e.kind === "operation" ? `${e.operationType}.${e.status}` : e.kind);
const LABELS = [
  "inviteParticipants.completed",
  "roster",
  "inviteParticipants.failed",
  "playPrompt.completed",
  "call",
  "tone",
  "other",
];

describe("createCallbackHandler", () => {
  it("runs the handlers that match each event's name, in event order then registration order", async () => {
    const seen: string[] = [];
    const handler = createCallbackHandler()
      .on("*", (e) => void seen.push(`* ${label(e)}`))
      .on("operation", (e) => void seen.push(`operation ${e.operationType} ${e.status}`))
      .on("operation.completed", (e) => void seen.push(`completed ${e.operationId}`))
      .on("operation.failed", (e) => void seen.push(`failed ${e.resultInfo?.code}`))
      .on("operation.running", () => void seen.push("running"))
      .on("invite", (e) => void seen.push(`invite ${e.operation.participants?.length}`))
      .on("invite.completed", (e) => void seen.push(`invite completed ${e.clientContext}`))
      .on("call", (e) => void seen.push(`call ${e.state}`))
      .on("tone", (e) => void seen.push(`tone ${e.tone}`))
      .on("roster", (e) => void seen.push(`roster ${e.participants.length}`))
      .on("other", (e) => void seen.push(`other ${e.odataType}`));

    const events = await handler.receive(batch());
    expect(events.map(label)).toEqual(LABELS);
    expect(seen).toEqual([
      "* inviteParticipants.completed",
      "operation inviteParticipants completed",
      "completed eec3812a-fdc3-4fb4-825c-a06c9f35414e",
      "invite 1",
      "invite completed f2fa86af-3c51-4bc2-8fc0-475452d9764f",
      "* roster",
      "roster 1",
      "* inviteParticipants.failed",
      "operation inviteParticipants failed",
      "failed 403",
      "invite 1",
      "* playPrompt.completed",
      "operation playPrompt completed",
      "completed 0FE0623FD62842EDB4BD8AC290072CC5",
      "* call",
      "call established",
      "* tone",
      "tone tone1",
      "* other",
      "other #microsoft.graph.contentSharingSession",
    ]);
  });

  it("awaits each handler before the next, so one call's events stay in order", async () => {
    const seen: string[] = [];
    const handler = createCallbackHandler().on("*", async (e) => {
      await new Promise((r) => setTimeout(r, e.kind === "operation" ? 20 : 0));
      seen.push(label(e));
    });
    await handler.receive(batch());
    expect(seen).toEqual(LABELS);
  });

  it("reports handler errors together as an AggregateError, after running every other handler", async () => {
    const seen: string[] = [];
    const handler = createCallbackHandler()
      .on("operation", () => {
        throw new Error("first");
      })
      .on("roster", async () => {
        throw new Error("second");
      })
      .on("*", (e) => void seen.push(label(e)));

    const error = await handler.receive(batch()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors.map((e: Error) => e.message)).toEqual([
      "first",
      "second",
      "first",
      "first",
    ]);
    expect((error as AggregateError).message).toBe("4 callback handlers failed");
    expect(seen).toEqual(LABELS);
  });

  it("refuses a malformed body with NotificationValidationError and runs no handler", async () => {
    let ran = false;
    const handler = createCallbackHandler().on("*", () => void (ran = true));
    await expect(handler.receive({ value: [{ changeType: "deleted" }] })).rejects.toBeInstanceOf(
      NotificationValidationError,
    );
    expect(ran).toBe(false);
  });
});
