// What a calling-bot author writes: build an invite, send it, parse Graph's callback, await the outcome.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createCallbackHandler,
  createInviteClient,
  createOperationTracker,
  inviteParticipants,
  InviteValidationError,
  userIdentity,
  validateInviteRequest,
  type InviteParticipantsOperation,
  type InviteResult,
} from "graph-invite-contract";

// A stand-in for Graph on 127.0.0.1: answers every invite with a running operation.
const graph = createServer((req, res) => {
  req.resume().on("end", () => {
    const operation: InviteParticipantsOperation = {
      "@odata.type": "#microsoft.graph.inviteParticipantsOperation",
      id: "op-1",
      status: "Running",
      resultInfo: null,
    };
    res.writeHead(200, {
      "content-type": "application/json",
      location: "https://graph.microsoft.com/v1.0/communications/calls/call-1/operations/op-1",
    });
    res.end(JSON.stringify(operation));
  });
});
await new Promise<void>((resolve) => graph.listen(0, "127.0.0.1", resolve));
const { port } = graph.address() as AddressInfo;

const client = createInviteClient({ baseUrl: `http://127.0.0.1:${port}/v1.0`, getToken: () => "token" });
const result: InviteResult = await client.invite(
  "call-1",
  inviteParticipants([userIdentity("7e1b4346-85a6-4bdd-abe3-d11c5d420efe")]),
);

const tracker = createOperationTracker({ timeoutMs: 5_000 });
const handler = createCallbackHandler().on("operation", (event) => tracker.observe([event]));
const outcome = tracker.track(result);
await handler.receive(
  JSON.stringify({
    value: [
      {
        changeType: "Deleted",
        resourceUrl: "/communications/calls/call-1/operations/op-1",
        resourceData: {
          "@odata.type": "#microsoft.graph.inviteParticipantsOperation",
          id: "op-1",
          clientContext: result.clientContext,
          status: "Completed",
        },
      },
    ],
  }),
);
const operation = await outcome;

let refused = "";
await client.invite("call-1", { participants: [] }).catch((error: unknown) => {
  if (error instanceof InviteValidationError) refused = error.issues.map((i) => i.rule).join(",");
});

console.log(
  JSON.stringify({
    status: operation.status,
    location: result.location,
    correlated: operation.clientContext === result.clientContext,
    refused,
    valid: validateInviteRequest(inviteParticipants([userIdentity("u")])).ok,
  }),
);
tracker.close();
graph.close();
