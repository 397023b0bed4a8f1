// npm start: the whole story with no account and no network.
// 1. Prism mocks Graph from openapi.yaml on 127.0.0.1 (request validation on).
// 2. The docs' invite scenarios go through createInviteClient; each operation and Location is printed.
// 3. The docs' Example 2 body is refused locally, with its rule ids; nothing is sent.
// 4. Graph's callbacks (signed like Microsoft's) are posted to a local createNodeMiddleware
//    receiver; the operation tracker settles each invite: completed, or failed with resultInfo.
// Prism and the receiver are stopped before exit.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
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
import { startPrism } from "./prism.mjs";
import { root } from "../generate/spec.mjs";

const CALL_ID = "7531d31f-d10d-44de-802f-c569dbca451c";
const BOT_APP_ID = "b6ba4e3c-1a9a-4c9e-8b8b-6b9a0c2f4d11";
const docs = (file) => JSON.parse(readFileSync(join(root, "test/fixtures/docs", file), "utf8"));
const started = Date.now();
const log = (...parts) => console.log(...parts);

// The invites: the docs' scenarios, built with the package's builders. `example` picks the mock's
// answer (Prism's `Prefer: example=`) and the callback the demo posts afterwards.
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
    body: (ctx) =>
      inviteParticipants(
        [userIdentity("7e1b4346-85a6-4bdd-abe3-d11c5d420efe"), userIdentity("1e126418-44a0-4a94-a6f8-0efe1ad71acb")],
        { clientContext: ctx },
      ),
  },
  {
    example: 4,
    title: "Invite a PSTN number (the app instance has no PSTN number: Graph fails it)",
    fail: { code: 412, subcode: 9999, message: "No PSTN-enabled application instance." },
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

const prism = await startPrism();
let receiver;
try {
  log(`Mock of Graph (Prism, from openapi.yaml): ${prism.url}  pid ${prism.pid}\n`);

  // The callback side: a receiver that verifies Microsoft-style JWTs (a local key pair stands in
  // for Microsoft's), dispatches events, and feeds the tracker.
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const keys = { keys: [{ ...(await exportJWK(publicKey)), kid: "demo-key", alg: "RS256" }] };
  const tracker = createOperationTracker({ timeoutMs: 10_000 });
  const handler = createCallbackHandler()
    .on("operation", (event) => tracker.observe([event]))
    .on("roster", (event) =>
      log(`    roster update: ${event.participants.length} participant(s) in call ${event.callId}`),
    );
  receiver = createCallbackServer(createNodeMiddleware(handler, { appId: BOT_APP_ID, keys }));
  await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const callbackUrl = `http://127.0.0.1:${/** @type {import("node:net").AddressInfo} */ (receiver.address()).port}/api/calls`;
  const token = () =>
    new SignJWT({ tid: "72f988bf-86f1-41af-91ab-2d7cd011db47" })
      .setProtectedHeader({ alg: "RS256", kid: "demo-key" })
      .setIssuer("https://api.botframework.com")
      .setAudience(BOT_APP_ID)
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(privateKey);
  log(`Callback receiver (createCallbackServer + createNodeMiddleware, appId: verifyCallbackToken): ${callbackUrl}\n`);

  let preferExample = 1;
  const client = createInviteClient({
    baseUrl: prism.url,
    getToken: () => "demo-token",
    fetch: (request) => {
      request.headers.set("prefer", `example=example${preferExample}`);
      return fetch(request);
    },
  });

  for (const scenario of scenarios) {
    preferExample = scenario.example;
    const clientContext = crypto.randomUUID();
    log(`▶ Example ${scenario.example}: ${scenario.title}`);
    const result = await client.invite(CALL_ID, scenario.body(clientContext));
    log(`    200 OK  operation ${result.operation.id}  status ${result.operation.status}`);
    log(`    Location: ${result.location}`);
    log(`    clientContext ${result.clientContext}  request-id ${result.requestId}`);
    // Observe the outcome at once: it may settle while the callbacks are still being posted.
    const outcome = tracker.track(result).then(
      (operation) => `operation ${operation.id ?? "(id null: correlated by clientContext)"} ${operation.status}`,
      (error) => {
        if (!(error instanceof InviteOperationFailedError)) throw error;
        return `operation failed, resultInfo ${JSON.stringify(error.resultInfo)}`;
      },
    );

    // What Graph posts next: the roster, then the operation's final state, echoing our clientContext.
    const final = docs(`example${scenario.example}-notification-operation-completed.json`);
    Object.assign(final.value[0].resourceData, {
      clientContext,
      ...(scenario.fail ? { status: "failed", resultInfo: scenario.fail } : {}),
    });
    for (const body of [docs(`example${scenario.example}-notification-roster-updated.json`), final]) {
      const res = await fetch(callbackUrl, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${await token()}` },
        body: JSON.stringify(body),
      });
      if (res.status !== 202) throw new Error(`callback answered ${res.status}`);
    }
    log(`    callback: ${await outcome}\n`);
  }

  log("▶ Example 2 as the docs print it (two participants, each with replacesCallId)");
  try {
    await client.invite(CALL_ID, docs("example2-request.json"));
    throw new Error("the docs' Example 2 body was not refused");
  } catch (error) {
    if (!(error instanceof InviteValidationError)) throw error;
    for (const issue of error.issues) log(`    refused locally, nothing sent: ${issue.path} ${issue.rule}`);
  }

  const unauthenticated = await fetch(callbackUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(docs("example1-notification-operation-completed.json")),
  });
  log(`\n▶ A callback without a valid token is refused: ${unauthenticated.status}`);
  tracker.close();
} finally {
  await /** @type {Promise<void>} */ (
    new Promise((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()))
  );
  await prism.stop();
}
log(
  `\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s; Prism (pid ${prism.pid}) and the receiver are stopped.`,
);
