// The Graph simulator, used the way a bot's own test uses it: the real client sends invites to it,
// the real Node endpoint (verifying the simulator's tokens) receives its callbacks, the tracker
// settles each invite with its own outcome.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { connect } from "node:net";
import { decodeJwt, decodeProtectedHeader } from "jose";
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

/** One callback as a bot received it. */
interface Arrival {
  headers: IncomingHttpHeaders;
  body: unknown;
  at: number;
}

/** A bot that records each callback and answers it with `status(n)` (202), after `delay(n)` ms (none). */
async function recordingBot(status: (n: number) => number = () => 202, delay: (n: number) => number = () => 0) {
  const arrivals: Arrival[] = [];
  bot = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const n = arrivals.push({
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString("utf8")),
        at: Date.now(),
      });
      setTimeout(() => res.writeHead(status(n - 1)).end(), delay(n - 1));
    });
  });
  return { url: `${await listen(bot)}/api/calls`, arrivals };
}

const invitePath = `/communications/calls/${CALL}/participants/invite`;
const oneUser = { participants: [{ identity: { user: { id: "u-1" } } }] };

/** A raw request to the simulator: no client, the answer as Graph's caller sees it. */
async function call(path: string, init: RequestInit = {}) {
  const res = await fetch(`${sim!.baseUrl}${path}`, {
    method: "POST",
    ...init,
    headers: { "content-type": "application/json", authorization: "Bearer t", ...init.headers },
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? (JSON.parse(text) as any) : undefined };
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
    const expected = new TypeError("createGraphSimulator: `appId` (the bot's application id) is required");
    await expect(createGraphSimulator({ appId: "" })).rejects.toThrow(expected);
    await expect(createGraphSimulator({} as GraphSimulatorOptions)).rejects.toThrow(expected);
  });
});

describe("the simulator's answers, as Graph's", () => {
  it("serves the invite action only: 404 for another path, 405 with Allow: POST for another method", async () => {
    sim = await createGraphSimulator({ appId: APP_ID });
    const other = await call("/communications/calls?top=1", { method: "GET" });
    expect(other.status).toBe(404);
    expect(other.headers.get("content-type")).toBe("application/json");
    expect(other.json.error).toEqual({ code: "NotFound", message: "This simulator serves participant: invite only." });
    const get = await call(invitePath, { method: "GET" });
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    expect(get.json.error).toEqual({ code: "MethodNotAllowed", message: "Use POST." });
    expect(sim.received).toEqual([
      {
        method: "GET",
        path: "/v1.0/communications/calls?top=1",
        callId: null,
        body: null,
        status: 404,
        requestId: other.headers.get("request-id"),
        operationId: null,
      },
      expect.objectContaining({ method: "GET", path: `/v1.0${invitePath}`, callId: CALL, status: 405 }),
    ]);
    expect(sim.received[1]!.requestId).toBe(get.headers.get("request-id"));
  });

  it("answers 401 with WWW-Authenticate: Bearer unless the request carries one Bearer token", async () => {
    sim = await createGraphSimulator({ appId: APP_ID });
    for (const authorization of ["", "Basic dXNlcjpwdw==", "Bearer ", "Bearer two tokens", "NotBearer t"]) {
      const refused = await call(invitePath, { body: JSON.stringify(oneUser), headers: { authorization } });
      expect(refused.status, authorization).toBe(401);
      expect(refused.headers.get("www-authenticate"), authorization).toBe("Bearer");
      expect(refused.json.error, authorization).toEqual({
        code: "InvalidAuthenticationToken",
        message: "Access token is empty.",
      });
    }
    expect(
      (await call(invitePath, { body: JSON.stringify(oneUser), headers: { authorization: "bearer t" } })).status,
    ).toBe(200);
    expect(sim.received.map((r) => r.body)).toEqual([null, null, null, null, null, oneUser]); // tokens are not kept
  });

  it("reads a body of up to 1 MiB, answers 413 past it and 400 to one that is not JSON", async () => {
    sim = await createGraphSimulator({ appId: APP_ID });
    const sized = (bytes: number) => {
      const text = JSON.stringify({ ...oneUser, clientContext: "" });
      return `${text.slice(0, -2)}${"x".repeat(bytes - text.length)}"}`;
    };
    expect(Buffer.byteLength(sized(1024 * 1024))).toBe(1024 * 1024);
    const whole = await call(invitePath, { body: sized(1024 * 1024) });
    expect(whole.status).toBe(400); // read whole, and refused for what it says
    expect(whole.json.error.message).toBe("The invite breaks: clientContext.maxLength.");
    const over = await call(invitePath, { body: sized(1024 * 1024 + 1) });
    expect(over.status).toBe(413);
    expect(over.json.error).toEqual({ code: "RequestEntityTooLarge", message: "The body exceeds 1048576 bytes." });
    const notJson = await call(invitePath, { body: "{participants" });
    expect(notJson.status).toBe(400);
    expect(notJson.json.error).toEqual({ code: "BadRequest", message: "The body is not JSON." });
    expect(sim.received.map((r) => [r.status, r.body])).toEqual([
      [400, expect.any(Object)],
      [413, null],
      [400, null],
    ]);
  });

  it("names each rule an invalid body breaks once, and lists every issue in details", async () => {
    sim = await createGraphSimulator({ appId: APP_ID });
    const body = {
      clientContext: "c".repeat(300),
      participants: [
        { identity: { user: { id: "a" } }, replacesCallId: "x" },
        { identity: { user: { id: "b" } }, replacesCallId: "x" },
      ],
    };
    const refused = await call(invitePath, { body: JSON.stringify(body) });
    expect(refused.json.error.message).toBe(
      "The invite breaks: clientContext.maxLength, replacesCallId.singleParticipant.",
    );
    expect(refused.json.error.details.map((d: { target: string }) => d.target)).toEqual([
      "/clientContext",
      "/participants/0/replacesCallId",
      "/participants/1/replacesCallId",
    ]);
  });

  it("listens on 127.0.0.1 only", async () => {
    sim = await createGraphSimulator({ appId: APP_ID });
    const { port } = new URL(sim.baseUrl);
    expect((await call(invitePath, { body: JSON.stringify(oneUser) })).status).toBe(200);
    // another loopback address of the same machine: nothing listens there
    await expect(fetch(`http://127.0.0.2:${port}/v1.0${invitePath}`)).rejects.toMatchObject({
      cause: { code: "ECONNREFUSED" },
    });
  });

  it("answers 500 with the failure when it cannot handle a request, and records a body cut short as 500", async () => {
    sim = await createGraphSimulator({ appId: APP_ID });
    const undecodable = await call("/communications/calls/%E0%A4%A/participants/invite", { body: "{}" });
    expect(undecodable.status).toBe(500);
    expect(undecodable.json.error).toEqual({ code: "InternalServerError", message: "URI malformed" });
    const socket = connect(Number(new URL(sim.baseUrl).port), "127.0.0.1");
    socket.write(
      `POST /v1.0${invitePath} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\nContent-Length: 100\r\n\r\n{"parti`,
    );
    await expect.poll(() => sim!.received.length).toBe(2);
    socket.destroy();
    await expect.poll(() => sim!.received[1]!.status).toBe(500); // not left at 0, "still being answered"
  });

  it("answers with a request-id, and echoes the client-request-id it was sent, as Graph does", async () => {
    sim = await createGraphSimulator({ appId: APP_ID });
    const echoed = await call(invitePath, {
      body: JSON.stringify(oneUser),
      headers: { "client-request-id": "mine-1" },
    });
    expect(echoed.headers.get("client-request-id")).toBe("mine-1");
    expect(echoed.headers.get("request-id")).toBe(sim.received[0]!.requestId);
    const none = await call(invitePath, { body: JSON.stringify(oneUser) });
    expect(none.headers.has("client-request-id")).toBe(false);
    expect(none.headers.get("content-type")).toBe("application/json");
  });

  it("answers a queued fault with its status, its ODataError code and Retry-After, after delayMs", async () => {
    const { url, arrivals } = await recordingBot();
    sim = await createGraphSimulator({ appId: APP_ID, callbackUri: url, callbackDelayMs: 5 });
    sim.fail({ status: 503, delayMs: 80 });
    sim.fail({ status: 429, retryAfterSeconds: 2 });
    const started = Date.now();
    const unavailable = await call(invitePath, { body: JSON.stringify(oneUser) });
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.has("retry-after")).toBe(false);
    expect(unavailable.json.error).toEqual({ code: "ServiceUnavailable", message: "Injected by the simulator." });
    const throttled = await call(invitePath, { body: JSON.stringify(oneUser) });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe("2");
    expect(throttled.json.error.code).toBe("TooManyRequests");
    expect(sim.received.map((r) => [r.status, r.operationId])).toEqual([
      [503, null],
      [429, null],
    ]);
    await sim.idle();
    expect(arrivals).toEqual([]); // a fault accepts nothing
  });
});

describe("the simulator's callbacks", () => {
  it("posts a roster update and the final operation shaped like the docs' payloads", async () => {
    const { url, arrivals } = await recordingBot();
    sim = await createGraphSimulator({ appId: APP_ID, callbackUri: url, callbackDelayMs: 5 });
    const client = createInviteClient(sim.clientOptions());
    const result = await client.invite(CALL, inviteParticipants([userIdentity("u-1")], { clientContext: "ctx-1" }));
    await sim.idle();
    const id = result.operation!.id!;
    const identity = {
      "@odata.type": "#microsoft.graph.identitySet",
      user: { "@odata.type": "#microsoft.graph.identity", id: "u-1" },
    };
    expect(arrivals.map((a) => a.body)).toEqual([
      {
        "@odata.type": "#microsoft.graph.commsNotifications",
        value: [
          {
            "@odata.type": "#microsoft.graph.commsNotification",
            changeType: "updated",
            resource: `/app/calls/${CALL}/participants`,
            resourceUrl: `/communications/calls/${CALL}/participants`,
            // as each participant of docs/example2-notification-roster-updated.json
            resourceData: [
              {
                "@odata.type": "#microsoft.graph.participant",
                id: null,
                info: { "@odata.type": "#microsoft.graph.participantInfo", identity, endpointType: "default" },
                mediaStreams: [
                  {
                    "@odata.type": "#microsoft.graph.mediaStream",
                    mediaType: "audio",
                    sourceId: "1",
                    direction: "sendReceive",
                    serverMuted: false,
                  },
                ],
                isMuted: false,
                isInLobby: false,
              },
            ],
          },
        ],
      },
      {
        "@odata.type": "#microsoft.graph.commsNotifications",
        value: [
          {
            "@odata.type": "#microsoft.graph.commsNotification",
            changeType: "deleted",
            resource: `/app/calls/${CALL}/operations/${id}`,
            resourceUrl: `/communications/calls/${CALL}/operations/${id}`,
            resourceData: {
              "@odata.type": "#microsoft.graph.inviteParticipantsOperation",
              id,
              status: "completed",
              clientContext: "ctx-1",
              resultInfo: { code: 200, subcode: 0, message: "Success" },
              participants: [{ "@odata.type": "#microsoft.graph.invitationParticipantInfo", identity }],
            },
          },
        ],
      },
    ]);
    expect(sim.sent.map((s) => s.body)).toEqual(arrivals.map((a) => a.body));
    expect(sim.sent.map((s) => [s.kind, s.callId, s.operationId, s.status])).toEqual([
      ["roster", CALL, id, 202],
      ["operation", CALL, id, 202],
    ]);
  });

  it("lists only those who joined in the roster, and posts no roster when nobody did", async () => {
    const { url, arrivals } = await recordingBot();
    sim = await createGraphSimulator({
      appId: APP_ID,
      callbackUri: url,
      callbackDelayMs: 5,
      outcomes: { "u-declines": "decline", "+12345678901": "pstnUnavailable" },
    });
    const client = createInviteClient(sim.clientOptions());
    await client.invite(CALL, inviteParticipants([userIdentity("u-joins"), userIdentity("u-declines")]));
    await sim.idle();
    type Posted = { value: Array<{ resourceData: any }> };
    const [roster, final] = arrivals.map((a) => (a.body as Posted).value[0]!.resourceData);
    expect(roster.map((p: any) => p.info.identity.user.id)).toEqual(["u-joins"]);
    expect(final).toMatchObject({ status: "failed", resultInfo: FAILURES.decline });
    expect(final.participants).toHaveLength(2);

    arrivals.length = 0;
    // The outcome is keyed by the first identity that has an id, past a null one and one without an id.
    await client.invite(CALL, {
      participants: [{ identity: { user: null, guest: { displayName: "G" }, phone: { id: "+12345678901" } } }],
    } as never);
    await sim.idle();
    expect(arrivals.map((a) => (a.body as Posted).value[0]!.resourceData.status)).toEqual(["failed"]);
    expect((arrivals[0]!.body as Posted).value[0]!.resourceData.resultInfo).toEqual(FAILURES.pstnUnavailable);
  });

  it("takes an identity id that is one of Object's names (toString) as any other: accept unless told", async () => {
    const { url } = await recordingBot();
    sim = await createGraphSimulator({ appId: APP_ID, callbackUri: url, callbackDelayMs: 5 });
    await createInviteClient(sim.clientOptions()).invite(CALL, inviteParticipants([userIdentity("toString")]));
    await sim.idle();
    const final = sim.sent[1]!.body as { value: Array<{ resourceData: { status: string } }> };
    expect(sim.sent.map((s) => s.kind)).toEqual(["roster", "operation"]);
    expect(final.value[0]!.resourceData.status).toBe("completed");
  });

  it("signs each callback RS256 with its own key, with the claims of Microsoft's tokens, valid when sent", async () => {
    const { url, arrivals } = await recordingBot();
    const tenantId = "0b5c1a44-5e3f-4c2a-9d8e-000000000001";
    sim = await createGraphSimulator({ appId: APP_ID, callbackUri: url, callbackDelayMs: 5, tenantId });
    expect(sim.tenantId).toBe(tenantId);
    await createInviteClient(sim.clientOptions()).invite(CALL, inviteParticipants([userIdentity("u-1")]));
    await sim.idle();
    expect(arrivals).toHaveLength(2);
    for (const { headers, at } of arrivals) {
      expect(headers["content-type"]).toBe("application/json");
      const token = /^Bearer (\S+)$/.exec(headers.authorization ?? "")![1]!;
      expect(decodeProtectedHeader(token)).toEqual({ alg: "RS256", kid: sim.jwks.keys[0]!.kid, typ: "JWT" });
      const claims = decodeJwt(token);
      expect(claims).toMatchObject({ iss: "https://graph.microsoft.com", aud: APP_ID, tid: tenantId });
      expect(claims.nbf! * 1000).toBeLessThanOrEqual(at); // a verifier with no clock skew takes it
      expect(claims.exp! * 1000).toBeGreaterThan(at);
    }
  });

  it("waits callbackDelayMs before each callback, 20 ms unless told", async () => {
    const arrivalsAfter = async (options: Partial<GraphSimulatorOptions>) => {
      const { url, arrivals } = await recordingBot();
      sim = await createGraphSimulator({ appId: APP_ID, callbackUri: url, ...options });
      await call(invitePath, { body: JSON.stringify(oneUser) });
      const answered = Date.now();
      await sim.idle();
      await sim.close();
      await new Promise<void>((r) => bot!.close(() => r()));
      return arrivals.map((a) => a.at - answered);
    };
    const [roster, final] = await arrivalsAfter({});
    expect(roster).toBeGreaterThanOrEqual(18);
    expect(final).toBeGreaterThanOrEqual(38);
    // the roster after one delay, the final operation after a second one
    const [slowRoster, slowFinal] = await arrivalsAfter({ callbackDelayMs: 100 });
    expect(slowRoster).toBeGreaterThanOrEqual(95);
    expect(slowFinal).toBeGreaterThanOrEqual(195);
  });

  it("records the bot's status, whatever it is, and 0 with the reason when the post fails", async () => {
    const { url } = await recordingBot(() => 204);
    sim = await createGraphSimulator({ appId: APP_ID, callbackUri: url, callbackDelayMs: 5 });
    await call(invitePath, { body: JSON.stringify(oneUser) });
    await sim.idle();
    expect(sim.sent.map((s) => s.status)).toEqual([204, 204]);
    await new Promise<void>((r) => bot!.close(() => r()));
    bot = undefined;
    await call(invitePath, { body: JSON.stringify(oneUser) });
    await sim.idle();
    expect(sim.sent.slice(2)).toEqual([
      expect.objectContaining({ kind: "roster", status: 0, error: "fetch failed" }),
      expect.objectContaining({ kind: "operation", status: 0, error: "fetch failed" }),
    ]);
  });

  it("close() cancels the callbacks still waiting and waits for the one being answered", async () => {
    let closing: Promise<void> | undefined;
    // The bot holds the roster 150 ms: the operation's own delay is over by then, waiting for it.
    const { url, arrivals } = await recordingBot(
      () => 202,
      (n) => {
        if (n === 0) setTimeout(() => (closing = sim!.close()), 100);
        return n === 0 ? 150 : 0;
      },
    );
    sim = await createGraphSimulator({ appId: APP_ID, callbackUri: url, callbackDelayMs: 5, noAnswerAfterMs: 60_000 });
    sim.setCallbackUri(url);
    await call(invitePath, { body: JSON.stringify(oneUser) });
    await new Promise((r) => setTimeout(r, 120));
    await closing;
    expect(sim.sent.map((s) => [s.kind, s.status])).toEqual([["roster", 202]]); // answered before close() resolved
    await new Promise((r) => setTimeout(r, 50));
    expect(arrivals).toHaveLength(1); // the operation was never posted
    await expect(fetch(sim.baseUrl)).rejects.toThrow(); // and the server is down
  });

  it("close() drops a callback not yet due, at once", async () => {
    const { url, arrivals } = await recordingBot();
    sim = await createGraphSimulator({ appId: APP_ID, callbackUri: url, outcomes: { "u-1": "noAnswer" } });
    await call(invitePath, { body: JSON.stringify(oneUser) });
    const started = Date.now();
    await sim.close();
    await sim.idle();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(arrivals).toEqual([]);
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
    sim.setCallbackUri("https://bot.example/api/calls");
    expect(sim.callbackUri).toBe("https://bot.example/api/calls");
  });
});
