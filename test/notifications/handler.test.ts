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
  changeType: "updated",
  resourceUrl: "/communications/calls/c1",
  resourceData: { "@odata.type": "#microsoft.graph.call" },
};
const batch = () => ({
  value: [
    notification("notification-operation-completed"),
    notification("notification-roster-updated"),
    failedOp(),
    other,
  ],
});

const label = (e: CallbackEvent) => (e.kind === "operation" ? `operation.${e.status}` : e.kind);

describe("createCallbackHandler", () => {
  it("runs the handlers that match each event's name, in event order then registration order", async () => {
    const seen: string[] = [];
    const handler = createCallbackHandler()
      .on("*", (e) => void seen.push(`* ${label(e)}`))
      .on("operation", (e) => void seen.push(`operation ${e.status}`))
      .on("operation.completed", (e) => void seen.push(`completed ${e.operationId}`))
      .on("operation.failed", (e) => void seen.push(`failed ${e.resultInfo?.code}`))
      .on("operation.running", () => void seen.push("running"))
      .on("roster", (e) => void seen.push(`roster ${e.participants.length}`))
      .on("other", (e) => void seen.push(`other ${e.notification.resourceUrl}`));

    const events = await handler.receive(batch());
    expect(events.map(label)).toEqual(["operation.completed", "roster", "operation.failed", "other"]);
    expect(seen).toEqual([
      "* operation.completed",
      "operation completed",
      "completed eec3812a-fdc3-4fb4-825c-a06c9f35414e",
      "* roster",
      "roster 1",
      "* operation.failed",
      "operation failed",
      "failed 403",
      "* other",
      "other /communications/calls/c1",
    ]);
  });

  it("awaits each handler before the next, so one call's events stay in order", async () => {
    const seen: string[] = [];
    const handler = createCallbackHandler().on("*", async (e) => {
      await new Promise((r) => setTimeout(r, e.kind === "operation" ? 20 : 0));
      seen.push(label(e));
    });
    await handler.receive(batch());
    expect(seen).toEqual(["operation.completed", "roster", "operation.failed", "other"]);
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
    expect((error as AggregateError).errors.map((e: Error) => e.message)).toEqual(["first", "second", "first"]);
    expect((error as AggregateError).message).toBe("3 callback handlers failed");
    expect(seen).toEqual(["operation.completed", "roster", "operation.failed", "other"]);
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
