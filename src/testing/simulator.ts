// createGraphSimulator: Graph's side of the invite flow on 127.0.0.1, for a bot's own tests. It serves
// the invite action as Graph v1.0 does (checked against this contract and its rules), then posts the
// callbacks Graph would post to the bot, signed RS256 with claims shaped like Microsoft's, so the bot
// verifies them with verifyCallbackToken(h, { appId, keys: sim.jwks }) exactly as in production.
// It fits a bot's own tests as they are: the callback URL may be given after the bot listens
// (setCallbackUri), and endpointOptions() / clientOptions() hand the bot the pieces to wire it.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { validateInviteRequest } from "../request/validate.js";
import type { CallbackJsonWebKeySet } from "../auth/verify.js";
import type { InvitationParticipantInfo, InvitePostRequestBody } from "../schema-types.js";
import {
  FAILURES,
  operation,
  operationCallback,
  rosterCallback,
  type InviteOutcome,
  type SimulatorQuirks,
} from "./payloads.js";

/** The options of createGraphSimulator: `appId` is required, the rest optional. */
export interface GraphSimulatorOptions {
  /** The bot's application id: the callback tokens' audience. */
  appId: string;
  /**
   * Where the callbacks go (the bot's endpoint), an http(s) URL. Or set it later, once the bot
   * listens: `sim.setCallbackUri(url)`. Until one is set, invites are answered and nothing is posted.
   */
  callbackUri?: string;
  /** The tenant in the callback tokens (`tid`). Default a fixed test tenant. */
  tenantId?: string;
  /** How each invited identity answers, by its id (a user's object id, a phone number, ...). Default accept. */
  outcomes?: Record<string, InviteOutcome>;
  /** When an unanswered invite is reported as failed. Graph takes about 60 s; tests shorten it. Default 60,000 ms. */
  noAnswerAfterMs?: number;
  /** The delay before each callback. Default 20 ms. */
  callbackDelayMs?: number;
  /** Seeds the ids (operations, request ids, generated clientContexts): the same seed, the same ids. Default 1. */
  seed?: number;
  /** The docs' quirks, on request. */
  quirks?: SimulatorQuirks;
}

/** A fault the next invite request gets instead of its answer. */
export interface SimulatorFault {
  /** 429, 500, 503, 504, ... */
  status: number;
  /** Sent as `Retry-After`, in seconds. */
  retryAfterSeconds?: number;
  /** Answer after this long. */
  delayMs?: number;
}

/** One request the simulator received (the bearer token is not kept). */
export interface SimulatorRequest {
  /** The HTTP method, as sent. */
  method: string;
  /** The request's path and query, as sent (`/v1.0/communications/calls/{id}/participants/invite`). */
  path: string;
  /** The call id from the invite path; null for a path the simulator does not serve. */
  callId: string | null;
  /** The parsed JSON body; null when the request was refused before its body was parsed, or the body is not JSON. */
  body: unknown;
  /** The status the simulator answered; 0 while the request is still being answered. */
  status: number;
  /** The `request-id` the simulator answered with (as Graph does): what GraphRequestError's `requestId` holds. */
  requestId: string;
  /** The id of the operation an accepted invite created; null when no invite was accepted (refused, or a fault answered). */
  operationId: string | null;
}

/** One callback the simulator posted, and how the bot answered it. */
export interface SimulatorCallback {
  /** What it reported: `roster` (the participant joined) or `operation` (the invite's final status). */
  kind: "roster" | "operation";
  /** The call the invite was sent on. */
  callId: string;
  /** The id of the invite's operation. */
  operationId: string;
  /** The commsNotifications body posted, as an object. */
  body: unknown;
  /** The bot's HTTP status, or 0 when the post failed (`error` says why). */
  status: number;
  /** Why the post failed (the fetch error's message), when `status` is 0. */
  error?: string;
}

/** The options a bot's endpoint verifies the simulator's callbacks with (spread them into its own). */
export interface SimulatorEndpointOptions {
  /** The simulator's `appId`: its callback tokens' audience. */
  appId: string;
  /** The simulator's public keys (`sim.jwks`), instead of Microsoft's, which a test cannot reach offline. */
  keys: CallbackJsonWebKeySet;
}

/** The options an invite client sends to the simulator with. */
export interface SimulatorClientOptions {
  /** The simulator's base URL (`sim.baseUrl`), `http://127.0.0.1:<port>/v1.0`. */
  baseUrl: string;
  /** Returns a fixed token: the simulator checks only that a Bearer token is there. */
  getToken: () => string;
}

/** A running Graph simulator: what `createGraphSimulator()` resolves with. Close it when the test ends. */
export interface GraphSimulator {
  /** The Graph v1.0 base URL to give the client: `createInviteClient({ baseUrl: sim.baseUrl, ... })`. */
  readonly baseUrl: string;
  /** The public keys the callback tokens are signed with: `verifyCallbackToken(h, { appId, keys: sim.jwks })`. */
  readonly jwks: CallbackJsonWebKeySet;
  /** The `appId` it was given: the callback tokens' `aud`. */
  readonly appId: string;
  /** The callback tokens' `tid`: the `tenantId` it was given, else its fixed test tenant. */
  readonly tenantId: string;
  /** The callback tokens' issuer (one of CALLBACK_TOKEN_ISSUERS). */
  readonly issuer: string;
  /** Every request received, in order. */
  readonly received: readonly SimulatorRequest[];
  /** Every callback posted, in order. */
  readonly sent: readonly SimulatorCallback[];
  /** The callback URL now in use, or null when none is set. */
  readonly callbackUri: string | null;
  /**
   * Sets where the callbacks of the invites accepted from now on go: e.g. the bot's URL once it
   * listens on port 0. A TypeError unless an http(s) URL.
   */
  setCallbackUri(url: string): void;
  /**
   * What a bot's callback endpoint needs to verify this simulator's callbacks: `{ appId, keys }` for
   * `createNodeMiddleware(handler, sim.endpointOptions())`, `createFetchHandler`, or
   * `verifyCallbackToken`. With `appId` alone the endpoint would fetch Microsoft's keys, which a test
   * cannot reach offline, and answer every simulated callback 503.
   */
  endpointOptions(): SimulatorEndpointOptions;
  /** What an invite client needs to send to this simulator: `createInviteClient(sim.clientOptions())`. */
  clientOptions(): SimulatorClientOptions;
  /** Queues a fault: the next invite request gets it instead of its answer. */
  fail(fault: SimulatorFault): void;
  /** Resolves once every callback scheduled so far has been posted and answered. */
  idle(): Promise<void>;
  /** Stops the server and every pending callback. */
  close(): Promise<void>;
}

const INVITE = /^\/v1\.0\/(?:communications|app)\/calls\/([^/]+)\/participants\/invite$/;
const MAX_BODY = 1024 * 1024;
const DEFAULT_TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const ISSUER = "https://graph.microsoft.com";

/** A seeded generator of UUID-shaped ids (mulberry32). */
function idsFrom(seed: number): () => string {
  let state = seed >>> 0;
  const next = () => {
    // Stryker disable next-line ArithmeticOperator: the ids promise only "the same seed, the same ids"; any such step keeps that
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    // Stryker disable next-line ArithmeticOperator: as above, another mix of the same seed still gives the same ids
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0).toString(16).padStart(8, "0");
  };
  return () => {
    const hex = next() + next() + next() + next();
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  };
}

/** The id an outcome is keyed by: the first identity of the participant's identity set that has one. */
function identityId(participant: InvitationParticipantInfo): string | null {
  for (const one of Object.values(participant.identity ?? {})) {
    // its @odata.type is a string, another member may be null: neither has an id
    const id = (one as { id?: unknown } | null)?.id;
    if (typeof id === "string") return id;
  }
  return null;
}

const odataError = (code: string, message: string, extra: object = {}) =>
  JSON.stringify({ error: { code, message, ...extra } });

function answer(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(body);
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** `url` as a callback URL, or a TypeError naming `name`. */
function callbackUrl(url: unknown, name: string): string {
  const parsed = typeof url === "string" && URL.canParse(url) ? new URL(url) : null;
  if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:"))
    throw new TypeError(`createGraphSimulator: \`${name}\` must be an http(s) URL (the bot's callback endpoint)`);
  return parsed.href;
}

/**
 * Starts Graph's side of the invite flow on 127.0.0.1, for a bot's own tests: it answers invites as
 * Graph v1.0 does (checked against this contract and its rules) and posts the signed callbacks Graph
 * would post to the bot. Options: `appId` (required), `callbackUri` (or `setCallbackUri()` later),
 * `outcomes` (default accept), `noAnswerAfterMs` (default 60,000), `callbackDelayMs` (default 20),
 * `tenantId`, `seed` (default 1), `quirks`. A TypeError for a missing `appId` or a callback URL that
 * is not http(s).
 *
 * @example
 * ```ts
 * const sim = await createGraphSimulator({ appId, outcomes: { "user-id": "decline" } });
 * const endpoint = createNodeMiddleware(handler, sim.endpointOptions()); // { appId, keys }
 * const client = createInviteClient(sim.clientOptions()); // { baseUrl, getToken }
 * sim.setCallbackUri(`${botUrl}/api/calls`); // once the bot listens
 * ```
 */
export async function createGraphSimulator(options: GraphSimulatorOptions): Promise<GraphSimulator> {
  const { appId } = options;
  if (typeof appId !== "string" || appId === "")
    throw new TypeError("createGraphSimulator: `appId` (the bot's application id) is required");
  let callbackUri = options.callbackUri === undefined ? null : callbackUrl(options.callbackUri, "callbackUri");
  const tenantId = options.tenantId ?? DEFAULT_TENANT;
  const outcomes = options.outcomes ?? {};
  const noAnswerAfterMs = options.noAnswerAfterMs ?? 60_000;
  const callbackDelayMs = options.callbackDelayMs ?? 20;
  const quirks = options.quirks ?? {};
  const nextId = idsFrom(options.seed ?? 1);

  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const kid = nextId();
  const jwks: CallbackJsonWebKeySet = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" }] };

  const received: SimulatorRequest[] = [];
  const sent: SimulatorCallback[] = [];
  const faults: SimulatorFault[] = [];
  // Each pending callback's timer, and what ends its delivery when close() cancels it.
  const timers = new Map<ReturnType<typeof setTimeout>, () => void>();
  const deliveries = new Set<Promise<void>>();
  let closed = false;

  const token = () => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ tid: tenantId })
      .setProtectedHeader({ alg: "RS256", kid, typ: "JWT" })
      .setIssuer(ISSUER)
      .setAudience(appId)
      .setIssuedAt(now)
      .setNotBefore(now - 5)
      .setExpirationTime(now + 3600)
      .sign(privateKey);
  };

  async function post(to: string, record: Omit<SimulatorCallback, "status">) {
    try {
      const res = await fetch(to, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${await token()}` },
        body: JSON.stringify(record.body),
        signal: AbortSignal.timeout(10_000),
      });
      await res.body?.cancel();
      sent.push({ ...record, status: res.status });
    } catch (error) {
      sent.push({ ...record, status: 0, error: error instanceof Error ? error.message : String(error) });
    }
  }

  /**
   * Posts a callback after `ms`, and after `previous` was answered (Graph's callbacks of one invite
   * arrive in order), tracked so that idle() and close() know of it.
   */
  function later(
    ms: number,
    to: string,
    record: Omit<SimulatorCallback, "status">,
    previous: Promise<void> = Promise.resolve(),
  ): Promise<void> {
    let done!: () => void;
    const delivered = new Promise<void>((resolve) => (done = resolve));
    deliveries.add(delivered);
    const finish = () => {
      deliveries.delete(delivered);
      done();
    };
    const timer = setTimeout(() => {
      timers.delete(timer);
      void previous.then(() => (closed ? undefined : post(to, record))).finally(finish);
    }, ms);
    timers.set(timer, finish);
    return delivered;
  }

  /** Graph's callbacks for an accepted invite: the roster for those who joined, then the final operation. */
  function schedule(
    callId: string,
    operationId: string,
    clientContext: string,
    participants: InvitationParticipantInfo[],
  ) {
    // The URL when the invite was accepted: a later setCallbackUri() moves the invites after it only.
    const to = callbackUri;
    if (to === null) return;
    // Own keys only: an identity id such as "toString" is not one of Object's names.
    const answerOf = (id: string | null) => (id !== null && Object.hasOwn(outcomes, id) ? outcomes[id] : undefined);
    const answers = participants.map((p) => answerOf(identityId(p)) ?? "accept");
    const joined = participants.filter((_, i) => answers[i] === "accept");
    const failure = answers.find((a): a is Exclude<InviteOutcome, "accept"> => a !== "accept");
    const roster =
      joined.length > 0
        ? later(callbackDelayMs, to, {
            kind: "roster",
            callId,
            operationId,
            body: rosterCallback(callId, joined, quirks),
          })
        : undefined;
    const final = failure
      ? operation(operationId, clientContext, participants, "failed", FAILURES[failure], quirks)
      : operation(
          operationId,
          clientContext,
          participants,
          "completed",
          { code: 200, subcode: 0, message: "Success" },
          quirks,
        );
    const at = failure === "noAnswer" ? noAnswerAfterMs : callbackDelayMs * 2;
    const body = operationCallback(callId, final, operationId, quirks);
    later(at, to, { kind: "operation", callId, operationId, body }, roster);
  }

  async function handle(req: IncomingMessage, res: ServerResponse, request: SimulatorRequest) {
    const requestId = request.requestId;
    const headers = {
      "request-id": requestId,
      ...(req.headers["client-request-id"] ? { "client-request-id": String(req.headers["client-request-id"]) } : {}),
    };
    const send = (status: number, body: string, extra: Record<string, string> = {}) => {
      request.status = status;
      answer(res, status, body, { ...headers, ...extra });
    };
    const text = await readBody(req);
    const match = INVITE.exec(new URL(request.path, "http://x").pathname);
    if (!match) return send(404, odataError("NotFound", "This simulator serves participant: invite only."));
    request.callId = decodeURIComponent(match[1]!);
    if (req.method !== "POST") return send(405, odataError("MethodNotAllowed", "Use POST."), { allow: "POST" });
    // Stryker disable next-line StringLiteral: any text that is not "Bearer <token>" is refused alike
    if (!/^Bearer \S+$/i.test(req.headers.authorization ?? "")) {
      return send(401, odataError("InvalidAuthenticationToken", "Access token is empty."), {
        "www-authenticate": "Bearer",
      });
    }
    if (text === null) return send(413, odataError("RequestEntityTooLarge", `The body exceeds ${MAX_BODY} bytes.`));
    try {
      request.body = JSON.parse(text);
    } catch {
      return send(400, odataError("BadRequest", "The body is not JSON."));
    }
    const fault = faults.shift();
    if (fault) {
      await new Promise((r) => setTimeout(r, fault.delayMs ?? 0));
      const retry: Record<string, string> =
        fault.retryAfterSeconds === undefined ? {} : { "retry-after": String(fault.retryAfterSeconds) };
      return send(
        fault.status,
        odataError(fault.status === 429 ? "TooManyRequests" : "ServiceUnavailable", "Injected by the simulator."),
        retry,
      );
    }
    const checked = validateInviteRequest(request.body);
    if (!checked.ok) {
      const rules = [...new Set(checked.issues.map((i) => i.rule))].join(", ");
      const details = checked.issues.map((i) => ({ code: i.rule, message: i.message, target: i.path }));
      return send(400, odataError("BadRequest", `The invite breaks: ${rules}.`, { details }));
    }
    const body: InvitePostRequestBody = checked.value;
    const operationId = nextId();
    request.operationId = operationId;
    const clientContext = body.clientContext ?? nextId();
    const created = operation(operationId, clientContext, body.participants, "running", null, {
      ...quirks,
      pascalCaseStatus: true,
    });
    const location = `${baseUrl}/communications/calls/${encodeURIComponent(request.callId)}/operations/${operationId}`;
    send(200, JSON.stringify(created), { location });
    schedule(request.callId, operationId, clientContext, body.participants);
  }

  const server = createServer((req, res) => {
    const request: SimulatorRequest = {
      // A server's request always has both (node:http leaves them undefined on a client's only).
      method: req.method!,
      path: req.url!,
      callId: null,
      body: null,
      status: 0,
      requestId: nextId(),
      operationId: null,
    };
    received.push(request);
    handle(req, res, request).catch((error: unknown) => {
      request.status = 500;
      if (!res.headersSent)
        answer(res, 500, odataError("InternalServerError", error instanceof Error ? error.message : "failed"));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1.0`;

  return {
    baseUrl,
    jwks,
    appId,
    tenantId,
    issuer: ISSUER,
    received,
    sent,
    get callbackUri() {
      return callbackUri;
    },
    setCallbackUri(url) {
      callbackUri = callbackUrl(url, "setCallbackUri(url)");
    },
    endpointOptions: () => ({ appId, keys: jwks }),
    clientOptions: () => ({ baseUrl, getToken: () => "simulator-token" }),
    fail: (fault) => void faults.push(fault),
    async idle() {
      while (deliveries.size > 0) await Promise.all([...deliveries]);
    },
    async close() {
      closed = true;
      for (const [timer, finish] of timers) {
        clearTimeout(timer);
        finish();
      }
      timers.clear();
      await Promise.all([...deliveries]);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
