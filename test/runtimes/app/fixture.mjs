// One run of the runtime-neutral entry, the same on every runtime (Node, Deno, Bun, workerd):
// parse, verify a signed token, and the Fetch-API endpoint's decisions. Returns what it saw.
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import {
  createCallbackHandler,
  createFetchHandler,
  createOperationTracker,
  parseCommsNotifications,
  verifyCallbackToken,
} from "graph-invite-contract";

const APP_ID = "b6ba4e3c-1a9a-4c9e-8b8b-6b9a0c2f4d11";
const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const CALLBACK = {
  value: [
    {
      changeType: "deleted",
      resourceUrl: "/communications/calls/ab6233a5/operations/eec3812a",
      resourceData: {
        "@odata.type": "#microsoft.graph.inviteParticipantsOperation",
        id: "eec3812a",
        clientContext: "ctx-1",
        status: "completed",
        participants: [
          { identity: { user: { id: "278405a3", "@odata.type": "#microsoft.graph.teamworkUserIdentity" } } },
        ],
      },
    },
  ],
};

export async function run() {
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const keys = { keys: [{ ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256" }] };
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ tid: TENANT })
    .setProtectedHeader({ alg: "RS256", kid: "k1" })
    .setIssuer("https://graph.microsoft.com")
    .setAudience(APP_ID)
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(privateKey);
  const claims = await verifyCallbackToken(`Bearer ${token}`, { appId: APP_ID, keys });

  const tracker = createOperationTracker({ timeoutMs: 5_000 });
  const outcome = tracker.track({ clientContext: "ctx-1", operationId: "eec3812a" });
  const handler = createCallbackHandler().on("operation", () => {});
  handler.on("*", (event) => tracker.observe([event]));
  const pending = [];
  const endpoint = createFetchHandler(handler, {
    verify: (header) => verifyCallbackToken(header, { appId: APP_ID, keys }),
    maxBodyBytes: 64 * 1024,
  });
  const post = (body, headers = {}) =>
    endpoint(
      new Request("https://bot.example/api/calls", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...headers },
        body,
      }),
      { waitUntil: (promise) => pending.push(promise) },
    );
  const statuses = {
    accepted: (await post(JSON.stringify(CALLBACK))).status,
    forged: (await post(JSON.stringify(CALLBACK), { authorization: `Bearer ${token.slice(0, -4)}AAAA` })).status,
    malformed: (await post('{"value":[{"changeType":"renamed"}]}')).status,
    tooLarge: (await post(JSON.stringify({ value: [], pad: "x".repeat(70_000) }))).status,
    notJson: (await post("x", { "content-type": "text/plain" })).status,
    wrongMethod: (await endpoint(new Request("https://bot.example/api/calls"))).status,
    otherPath: (await endpoint(new Request("https://bot.example/elsewhere", { method: "POST" }))).status,
  };
  await Promise.all(pending);
  const settled = await outcome;
  tracker.close();
  return {
    parsed: parseCommsNotifications(JSON.stringify(CALLBACK)).map((e) => `${e.kind}:${e.status}`),
    tenant: claims.tid,
    statuses,
    settled: settled.status,
    waitedFor: pending.length,
  };
}
