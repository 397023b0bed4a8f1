// A bot's own vitest test, as docs/testing.md shows it: Graph simulated on 127.0.0.1; the bot builds
// its endpoint and server as in production, with the simulator's appId and keys; the simulator takes
// the bot's URL once it listens; the tracker's outcome is asserted.
import type { AddressInfo } from "node:net";
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

let sim: GraphSimulator;
let bot: ReturnType<typeof createCallbackServer>;
let tracker: OperationTracker;

beforeAll(async () => {
  sim = await createGraphSimulator({
    appId: "b6ba4e3c-1a9a-4c9e-8b8b-6b9a0c2f4d11",
    outcomes: { "declines-user": "decline", "silent-user": "noAnswer" },
    noAnswerAfterMs: 200, // Graph takes about 60 s to report an unanswered invite
  });
  tracker = createOperationTracker({ timeoutMs: 5_000 });
  const handler = createCallbackHandler().on("operation", (event) => tracker.observe([event]));
  // sim.endpointOptions() is { appId, keys }: the endpoint verifies the simulator's signed callbacks
  // exactly as it verifies Microsoft's in production (with appId alone it would fetch Microsoft's keys).
  bot = createCallbackServer(createNodeMiddleware(handler, { path: "/api/calls", ...sim.endpointOptions() }));
  await new Promise<void>((resolve) => bot.listen(0, "127.0.0.1", resolve));
  sim.setCallbackUri(`http://127.0.0.1:${(bot.address() as AddressInfo).port}/api/calls`);
});

afterAll(async () => {
  tracker.close();
  await sim.close();
  await new Promise<void>((resolve) => bot.close(() => resolve()));
});

const client = () => createInviteClient(sim.clientOptions()); // { baseUrl, getToken }
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
