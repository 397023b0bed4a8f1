// npm start: the whole story with no account and no network.
// 1. The Graph simulator (graph-invite-contract/testing) plays Graph on 127.0.0.1: it checks each
//    invite against the contract and its rules, answers as Graph v1.0 does, and posts the callbacks
//    Graph would post, signed RS256 with claims like Microsoft's.
// 2. The docs' invite scenarios go through createInviteClient; each operation and Location is printed.
// 3. The callbacks reach a local endpoint (createCallbackServer + createNodeMiddleware, verifying the
//    tokens); the operation tracker settles each invite: completed, or failed with resultInfo.
// 4. The docs' Example 2 body is refused locally, with its rule ids; nothing is sent. An unsigned
//    callback is refused.
// The simulators and the endpoint are stopped before exit.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  createCallbackHandler,
  createInviteClient,
  createOperationTracker,
  InviteOperationFailedError,
  InviteValidationError,
  inviteParticipants,
  invitePhone,
  moveParticipant,
  replacePeerToPeerCall,
  userIdentity,
} from "../../dist/index.js";
import { createCallbackServer, createNodeMiddleware } from "../../dist/node.js";
import { createGraphSimulator } from "../../dist/testing.js";
import { root } from "../generate/spec.mjs";

const CALL_ID = "7531d31f-d10d-44de-802f-c569dbca451c";
const BOT_APP_ID = "b6ba4e3c-1a9a-4c9e-8b8b-6b9a0c2f4d11";
const docs = (file) => JSON.parse(readFileSync(join(root, "test/fixtures/docs", file), "utf8"));
const started = Date.now();
const log = (...parts) => console.log(...parts);

// The invites: the docs' scenarios, built with the package's builders. Example 2 goes to a simulator
// that plays the docs' quirks (its operation callback has `id: null`, correlated by clientContext).
const scenarios = [
  {
    example: 1,
    title: "Invite one participant, replacing a peer-to-peer call",
    body: (ctx) =>
      replacePeerToPeerCall(
        userIdentity("278405a3-f568-4b3e-b684-009193463064", { displayName: "string" }),
        "a7ebfb2d-871e-419c-87af-27290b22e8db",
        { clientContext: ctx },
      ),
  },
  {
    example: 2,
    title: "Invite two participants to a group call",
    docsQuirks: true,
    body: (ctx) =>
      inviteParticipants(
        [userIdentity("7e1b4346-85a6-4bdd-abe3-d11c5d420efe"), userIdentity("1e126418-44a0-4a94-a6f8-0efe1ad71acb")],
        { clientContext: ctx },
      ),
  },
  {
    example: 4,
    title: "Invite a PSTN number (the app instance has no PSTN number: Graph fails it)",
    body: (ctx) => invitePhone("+12345678901", { clientContext: ctx }),
  },
  {
    example: 5,
    title: "Move a participant from another meeting",
    body: (ctx) =>
      moveParticipant(
        {
          identity: userIdentity("682b6c37-0729-4fab-ace6-d730d5d9137e", { identityProvider: "AAD" }),
          fromCallId: "a7ebfb2d-871e-419c-87af-27290b22e8db",
          participantId: "7d501bf1-5ee4-4605-ba92-0ae4513c611c",
        },
        { clientContext: ctx },
      ),
  },
];

// The bot's side listens first: the simulators need its URL.
/** @type {import("node:http").RequestListener} */
let endpoint = (_req, res) => void res.writeHead(503).end();
const receiver = createCallbackServer((req, res) => endpoint(req, res));
await /** @type {Promise<void>} */ (new Promise((resolve) => receiver.listen(0, "127.0.0.1", () => resolve())));
const callbackUri = `http://127.0.0.1:${/** @type {import("node:net").AddressInfo} */ (receiver.address()).port}/api/calls`;
/** @type {import("../../dist/testing.js").GraphSimulatorOptions} */
const options = { appId: BOT_APP_ID, callbackUri, outcomes: { "+12345678901": "pstnUnavailable" } };
const graph = await createGraphSimulator({ ...options, seed: 1 });
const docsGraph = await createGraphSimulator({
  ...options,
  seed: 2,
  quirks: { nullOperationId: true, rosterInfoAsInvitation: true },
});
try {
  log(`Simulated Graph (graph-invite-contract/testing): ${graph.baseUrl}\n`);

  // The endpoint verifies the simulators' tokens as it verifies Microsoft's in production, dispatches
  // events, and feeds the tracker.
  const tracker = createOperationTracker({ timeoutMs: 10_000 });
  const handler = createCallbackHandler()
    .on("operation", (event) => tracker.observe([event]))
    .on("roster", (event) =>
      log(`    roster update: ${event.participants.length} participant(s) in call ${event.callId}`),
    );
  endpoint = createNodeMiddleware(handler, {
    appId: BOT_APP_ID,
    keys: { keys: [...graph.jwks.keys, ...docsGraph.jwks.keys] },
  });
  log(`Callback endpoint (createCallbackServer + createNodeMiddleware, appId: verifyCallbackToken): ${callbackUri}\n`);

  const clientFor = (sim) => createInviteClient({ baseUrl: sim.baseUrl, getToken: () => "demo-token" });
  for (const scenario of scenarios) {
    const sim = scenario.docsQuirks ? docsGraph : graph;
    log(`▶ Example ${scenario.example}: ${scenario.title}`);
    const result = await clientFor(sim).invite(CALL_ID, scenario.body(crypto.randomUUID()));
    log(`    200 OK  operation ${result.operation?.id}  status ${result.operation?.status}`);
    log(`    Location: ${result.location}`);
    log(`    clientContext ${result.clientContext}  request-id ${result.requestId}`);
    const outcome = await tracker.track(scenario.docsQuirks ? { clientContext: result.clientContext } : result).then(
      (operation) => `operation ${operation.id ?? "(id null: correlated by clientContext)"} ${operation.status}`,
      (error) => {
        if (!(error instanceof InviteOperationFailedError)) throw error;
        return `operation failed, resultInfo ${JSON.stringify(error.resultInfo)}`;
      },
    );
    await sim.idle(); // the roster update and the final operation, both answered
    log(`    callback: ${outcome}\n`);
  }

  log("▶ Example 2 as the docs print it (two participants, each with replacesCallId)");
  try {
    await clientFor(graph).invite(CALL_ID, docs("example2-request.json"));
    throw new Error("the docs' Example 2 body was not refused");
  } catch (error) {
    if (!(error instanceof InviteValidationError)) throw error;
    for (const issue of error.issues) log(`    refused locally, nothing sent: ${issue.path} ${issue.rule}`);
  }

  const unauthenticated = await fetch(callbackUri, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(docs("example1-notification-operation-completed.json")),
  });
  log(`\n▶ A callback without a valid token is refused: ${unauthenticated.status}`);
  log(
    `▶ Callbacks the simulated Graph posted and the endpoint answered: ${[...graph.sent, ...docsGraph.sent].map((c) => c.status).join(" ")}`,
  );
  tracker.close();
} finally {
  await graph.close();
  await docsGraph.close();
  await /** @type {Promise<void>} */ (new Promise((resolve) => receiver.close(() => resolve())));
}
log(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s; the simulated Graph and the endpoint are stopped.`);
