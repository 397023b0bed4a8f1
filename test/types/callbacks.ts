// Type-level tests for the callback API, checked by `npm run typecheck`.
import { createCallbackHandler, type CallbackEvent, type NormalizedOperationStatus } from "../../src/index.js";

createCallbackHandler()
  .on("operation.failed", (event) => {
    const status: "failed" = event.status; // narrowed by the event name
    const code: number | undefined = event.resultInfo?.code;
    void [status, code];
  })
  .on("operation", (event) => {
    const status: NormalizedOperationStatus = event.status;
    // @ts-expect-error the status is normalised: PascalCase never reaches a handler
    const pascal: typeof event.status = "Completed";
    void [status, pascal];
  })
  .on("roster", (event) => {
    const count: number = event.participants.length;
    // @ts-expect-error a roster event has no operation
    void event.operation;
    void count;
  })
  .on("*", (event: CallbackEvent) => {
    if (event.kind === "other") void event.notification.resourceUrl;
  });

// @ts-expect-error unknown event names do not compile
createCallbackHandler().on("operation.done", () => {});
