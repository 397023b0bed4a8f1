// The Graph simulator, used the way a bot's own test uses it: the real client sends invites to it,
// the real Node endpoint (verifying the simulator's tokens) receives its callbacks, the tracker
// settles each invite with its own outcome.
import type { Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import {
  createCallbackHandler,
  createInviteClient,
  createOperationTracker,
  InviteOperationFailedError,
  inviteParticipants,
  invitePhone,
  userIdentity,
  verifyCallbackToken,
  type OperationTracker,
} from "../../src/index.js";
import { createCallbackServer, createNodeMiddleware } from "../../src/node/index.js";
import {
  createGraphSimulator,
  FAILURES,
  type GraphSimulator,
  type GraphSimulatorOptions,
} from "../../src/testing/index.js";
import { listen } from "../support/listen.js";

const APP_ID = "b6ba4e3c-1a9a-4c9e-8b8b-6b9a0c2f4d11";
const CALL = "7531d31f-d10d-44de-802f-c569dbca451c";
let sim: GraphSimulator | undefined;
let bot: Server | undefined;
let tracker: OperationTracker | undefined;
afterEach(async () => {
  tracker?.close();
  await sim?.close();
  await new Promise<void>((r) => (bot ? (bot.closeAllConnections(), bot.close(() => r())) : r()));
  sim = bot = tracker = undefined;
});

/** A bot: the Node endpoint verifying the simulator's tokens, feeding a tracker; and the simulator posting to it. */
async function setUp(options: Partial<GraphSimulatorOptions> = {}) {
  tracker = createOperationTracker({ timeoutMs: 5_000 });
  const handler = createCallbackHandler().on("operation", (e) => tracker!.observe([e]));
  let keys = { keys: [] as object[] } as GraphSimulator["jwks"];
  bot = createCallbackServer(
    createNodeMiddleware(handler, { verify: (h) => verifyCallbackToken(h, { appId: APP_ID, keys }) }),
  );
  const callbackUri = `${await listen(bot)}/api/calls`;
  sim = await createGraphSimulator({ appId: APP_ID, callbackUri, callbackDelayMs: 5, ...options });
  keys = sim.jwks;
  const client = createInviteClient({ baseUrl: sim.baseUrl, getToken: () => "app-token", retry: { baseDelayMs: 1 } });
  return { client, tracker, sim };
}

describe("createGraphSimulator", () => {
  it("answers an invite as Graph does, then posts a roster update and the completed operation, signed", async () => {
    const { client, tracker, sim } = await setUp();
    const result = await client.invite(CALL, inviteParticipants([userIdentity("u-1")], { clientContext: "ctx-1" }));
    expect(result).toMatchObject({ status: "running", clientContext: "ctx-1", requestId: sim.received[0]!.requestId });
    expect(result.operation).toMatchObject({
      "@odata.type": "#microsoft.graph.inviteParticipantsOperation",
      status: "Running",
      resultInfo: null,
    });
    expect(result.location).toBe(`${sim.baseUrl}/communications/calls/${CALL}/operations/${result.operation?.id}`);
    await expect(tracker.track(result)).resolves.toMatchObject({ id: result.operation?.id, status: "completed" });
    await sim.idle();
    expect(sim.sent.map((s) => [s.kind, s.status])).toEqual([
      ["roster", 202],
      ["operation", 202],
    ]);
  });

  it("reports each invited identity's outcome: decline, no answer (after noAnswerAfterMs), PSTN unavailable", async () => {
    const { client, tracker } = await setUp({
      outcomes: { "u-declines": "decline", "u-silent": "noAnswer", "+12345678901": "pstnUnavailable" },
      noAnswerAfterMs: 150,
    });
    const outcome = async (body: Parameters<typeof client.invite>[1]) => {
      const started = Date.now();
      const error = await tracker.track(await client.invite(CALL, body)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InviteOperationFailedError);
      return { resultInfo: (error as InviteOperationFailedError).resultInfo, ms: Date.now() - started };
    };
    expect((await outcome(inviteParticipants([userIdentity("u-declines")]))).resultInfo).toEqual(FAILURES.decline);
    const silent = await outcome(inviteParticipants([userIdentity("u-silent")]));
    expect(silent.resultInfo).toEqual(FAILURES.noAnswer);
    expect(silent.ms).toBeGreaterThanOrEqual(140);
    expect((await outcome(invitePhone("+12345678901"))).resultInfo).toMatchObject({ code: 412, subcode: 9999 });
  });

  it("refuses a body the contract refuses (400, an ODataError naming the rule) and a request without a token (401)", async () => {
    const { sim } = await setUp();
    const post = (body: unknown, headers: Record<string, string> = { authorization: "Bearer t" }) =>
      fetch(`${sim.baseUrl}/communications/calls/${CALL}/participants/invite`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      });
    const twoWithReplaces = {
      participants: [
        { identity: { user: { id: "a" } }, replacesCallId: "x" },
        { identity: { user: { id: "b" } }, replacesCallId: "x" },
      ],
    };
    const refused = await post(twoWithReplaces);
    expect(refused.status).toBe(400);
    const { error } = (await refused.json()) as {
      error: { code: string; message: string; details: Array<{ code: string; target: string }> };
    };
    expect(error.code).toBe("BadRequest");
    expect(error.message).toContain("replacesCallId.singleParticipant");
    expect(error.details[0]).toMatchObject({
      code: "replacesCallId.singleParticipant",
      target: "/participants/0/replacesCallId",
    });
    expect((await post({ participants: [{ identity: { user: { id: "a" } } }] }, {})).status).toBe(401);
    await sim.idle();
    expect(sim.sent).toEqual([]); // nothing accepted, nothing posted
  });

  it("injects faults: a 429 with Retry-After, then the invite goes through on the client's retry", async () => {
    const { client, sim } = await setUp();
    sim.fail({ status: 429, retryAfterSeconds: 0 });
    const result = await client.invite(CALL, inviteParticipants([userIdentity("u-1")]));
    expect(result.status).toBe("running");
    expect(sim.received.map((r) => r.status)).toEqual([429, 200]);
    sim.fail({ status: 503, delayMs: 50 });
    await expect(
      createInviteClient({ baseUrl: sim.baseUrl, getToken: () => "t", retry: { maxAttempts: 1 } }).invite(
        CALL,
        inviteParticipants([userIdentity("u-1")]),
      ),
    ).rejects.toMatchObject({
      name: "GraphRequestError",
      status: 503,
    });
  });

  it("gives the same ids for the same seed", async () => {
    const ids = async (seed: number) => {
      const one = await createGraphSimulator({ appId: APP_ID, seed });
      const client = createInviteClient({ baseUrl: one.baseUrl, getToken: () => "t" });
      const { operation, requestId } = await client.invite(
        CALL,
        inviteParticipants([userIdentity("u-1")], { clientContext: "c" }),
      );
      await one.close();
      return [operation?.id, requestId];
    };
    expect(await ids(7)).toEqual(await ids(7));
    expect(await ids(7)).not.toEqual(await ids(8));
  });

  it("plays the docs' quirks on request: an operation callback with id null, correlated by clientContext; PascalCase status", async () => {
    const { client, tracker, sim } = await setUp({
      quirks: { nullOperationId: true, pascalCaseStatus: true, rosterInfoAsInvitation: true },
    });
    const result = await client.invite(CALL, inviteParticipants([userIdentity("u-1")], { clientContext: "ctx-q" }));
    await expect(tracker.track({ clientContext: "ctx-q" })).resolves.toMatchObject({ id: null, status: "Completed" });
    await sim.idle();
    const [roster, final] = sim.sent.map((s) => s.body as { value: Array<{ resourceUrl: string; resourceData: any }> });
    expect(roster!.value[0]!.resourceData[0].info["@odata.type"]).toBe("#microsoft.graph.invitationParticipantInfo");
    expect(final!.value[0]!.resourceUrl).toBe(`/communications/calls/${CALL}/operations/participants`);
    expect(result.operation?.id).toEqual(expect.any(String));
  });

  it("refuses to start without appId", async () => {
    await expect(createGraphSimulator({ appId: "" })).rejects.toThrow(TypeError);
  });
});

describe("the simulator in a bot's own test, unchanged", () => {
  it("takes the bot's URL after the bot listens, and hands it the endpoint's and the client's options", async () => {
    sim = await createGraphSimulator({ appId: APP_ID, callbackDelayMs: 5 });
    tracker = createOperationTracker({ timeoutMs: 5_000 });
    const handler = createCallbackHandler().on("operation", (e) => tracker!.observe([e]));
    // The bot builds its server as in production, with the simulator's appId and keys spread in.
    bot = createCallbackServer(createNodeMiddleware(handler, { path: "/api/calls", ...sim.endpointOptions() }));
    expect(sim.endpointOptions()).toEqual({ appId: APP_ID, keys: sim.jwks });
    const client = createInviteClient(sim.clientOptions());
    expect(sim.callbackUri).toBeNull();
    sim.setCallbackUri(`${await listen(bot)}/api/calls`);
    expect(sim.callbackUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/calls$/);
    const result = await client.invite(CALL, inviteParticipants([userIdentity("u-1")]));
    await expect(tracker.track(result)).resolves.toMatchObject({ status: "completed" });
    await sim.idle();
    expect(sim.sent.map((s) => s.status)).toEqual([202, 202]); // verified with the simulator's keys
  });

  it("posts nothing for an invite accepted before a callback URL was set, and posts for those after", async () => {
    const { sim: one } = await setUp();
    const later = await createGraphSimulator({ appId: APP_ID, callbackDelayMs: 5 });
    try {
      const client = createInviteClient(later.clientOptions());
      await client.invite(CALL, inviteParticipants([userIdentity("u-1")]));
      await later.idle();
      expect(later.sent).toEqual([]);
      later.setCallbackUri(one.callbackUri!);
      await client.invite(CALL, inviteParticipants([userIdentity("u-2")]));
      await later.idle();
      // The bot in setUp() verifies the other simulator's keys: these are refused, but they were posted.
      expect(later.sent.map((s) => [s.kind, s.status])).toEqual([
        ["roster", 401],
        ["operation", 401],
      ]);
    } finally {
      await later.close();
    }
  });

  it("refuses a callback URL that is not an http(s) URL, as an option and later", async () => {
    for (const bad of ["", "not a url", "ftp://127.0.0.1/x", 42, null])
      await expect(createGraphSimulator({ appId: APP_ID, callbackUri: bad as string })).rejects.toThrow(
        /`callbackUri` must be an http\(s\) URL/,
      );
    sim = await createGraphSimulator({ appId: APP_ID });
    for (const bad of ["", "/api/calls", undefined])
      expect(() => sim!.setCallbackUri(bad as string)).toThrow(/`setCallbackUri\(url\)` must be an http\(s\) URL/);
    expect(sim.callbackUri).toBeNull();
  });
});
