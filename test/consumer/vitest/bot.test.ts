// A bot's own test, as docs/testing.md tells a consumer to write it: Graph simulated on 127.0.0.1,
// the bot's real endpoint verifying the simulator's signed callbacks, the tracker's outcome asserted.
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createCallbackHandler,
  createInviteClient,
  createOperationTracker,
  InviteOperationFailedError,
  inviteParticipants,
  userIdentity,
  type OperationTracker,
} from "graph-invite-contract";
import { createCallbackServer, createNodeMiddleware } from "graph-invite-contract/node";
import { createGraphSimulator, type GraphSimulator } from "graph-invite-contract/testing";

const APP_ID = "b6ba4e3c-1a9a-4c9e-8b8b-6b9a0c2f4d11";
let sim: GraphSimulator;
let bot: Server;
let tracker: OperationTracker;

beforeAll(async () => {
  tracker = createOperationTracker({ timeoutMs: 5_000 });
  const handler = createCallbackHandler().on("operation", (event) => tracker.observe([event]));
  // The bot listens first (the simulator needs its URL); its endpoint verifies with the simulator's
  // keys exactly as it verifies with Microsoft's in production.
  let endpoint: ReturnType<typeof createNodeMiddleware> = (_req, res) => void res.writeHead(503).end();
  bot = createCallbackServer((req, res) => endpoint(req, res));
  await new Promise<void>((resolve) => bot.listen(0, "127.0.0.1", resolve));
  const { port } = bot.address() as { port: number };
  sim = await createGraphSimulator({
    appId: APP_ID,
    callbackUri: `http://127.0.0.1:${port}/api/calls`,
    outcomes: { "declines-user": "decline", "silent-user": "noAnswer" },
    noAnswerAfterMs: 200,
  });
  endpoint = createNodeMiddleware(handler, { appId: APP_ID, keys: sim.jwks });
});

afterAll(async () => {
  tracker.close();
  await sim.close();
  await new Promise<void>((resolve) => bot.close(() => resolve()));
});

const client = () => createInviteClient({ baseUrl: sim.baseUrl, getToken: () => "test-token" });
const invite = async (userId: string) =>
  tracker.track(await client().invite("call-1", inviteParticipants([userIdentity(userId)])));

describe("the bot's invite flow", () => {
  it("completes when the invitee accepts", async () => {
    await expect(invite("accepts-user")).resolves.toMatchObject({ status: "completed" });
  });

  it("fails with the decline's resultInfo", async () => {
    const error = await invite("declines-user").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InviteOperationFailedError);
    expect((error as InviteOperationFailedError).resultInfo?.code).toBe(603);
  });

  it("fails when nobody answers", async () => {
    await expect(invite("silent-user")).rejects.toMatchObject({ resultInfo: { code: 408 } });
  });

  it("gets a 400 naming the rule for a body Graph refuses", async () => {
    const res = await fetch(`${sim.baseUrl}/communications/calls/call-1/participants/invite`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer test-token" },
      body: JSON.stringify({ participants: [] }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("participants.minItems");
  });
});
