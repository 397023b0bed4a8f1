// createNodeMiddleware: the callback endpoint for node:http, Express, Connect (and Fastify through
// its raw request; see the hosting docs). Translates between Node's request/response and the
// endpoint core, which makes every decision. Answers fast; handlers run after the 202.
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  ANSWERS,
  createCallbackEndpoint,
  misconfigured,
  tooLarge,
  type CallbackEndpoint,
  type CallbackEndpointOptions,
  type EndpointAnswer,
} from "./core.js";
import type { CallbackHandler } from "../notifications/handler.js";
import type { CallbackEvent } from "../notifications/parse.js";
import { isThenable } from "../internal/thenable.js";
import type { Intake } from "../telemetry/hooks.js";

export type NodeMiddlewareOptions = CallbackEndpointOptions;

/** A request as frameworks hand it over: Express and Connect add `originalUrl`, body parsers `body`. */
type FrameworkRequest = IncomingMessage & { originalUrl?: string; body?: unknown };

export type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

function send(res: ServerResponse, { status, headers, body }: EndpointAnswer) {
  if (body === undefined) return void res.writeHead(status, headers).end();
  res.writeHead(status, { ...headers, "content-length": String(Buffer.byteLength(body)) });
  res.end(body);
}

/**
 * Reads the body up to `limit` bytes, then calls `done` with it, or with null (having stopped
 * reading) past the limit. Callbacks, not a promise: intake is this package's hottest path. A
 * request stream that fails is the client going away (an abort, a reset): not the bot's error, so it
 * ends the exchange without reaching onError.
 */
function readBody(
  req: IncomingMessage,
  limit: number,
  done: (body: Buffer | null) => void,
  failed: (error: unknown) => void,
) {
  const chunks: Buffer[] = [];
  let size = 0;
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) {
      req.off("data", onData);
      req.pause();
      done(null);
      return;
    }
    chunks.push(chunk);
  };
  req.on("data", onData);
  req.on("end", () => {
    if (size > limit) return;
    try {
      done(Buffer.concat(chunks, size));
    } catch (error) {
      failed(error);
    }
  });
  req.on("error", () => req.destroy());
}

const ALREADY_READ =
  "The request body was already read by another middleware, which left no req.body: mount the callback " +
  "endpoint before body parsers such as express.json(), or keep their parsed req.body (see the hosting docs).";

export function createNodeMiddleware(handler: CallbackHandler, options: NodeMiddlewareOptions): NodeMiddleware {
  const endpoint: CallbackEndpoint = createCallbackEndpoint(handler, options);
  const { limit } = endpoint;

  function fail(res: ServerResponse, error: unknown) {
    if (!res.headersSent) send(res, ANSWERS.internalError);
    endpoint.onError(error);
  }

  /**
   * Answers a request whose body stays unread (a refusal, 413). Node would drain whatever the client
   * goes on sending to keep the connection: it may, for a declared body within the limit (a bounded
   * drain keeps Graph's keep-alive connections); any other body closes the connection instead.
   */
  function refuse(req: IncomingMessage, res: ServerResponse, answer: EndpointAnswer) {
    const declared = Number(req.headers["content-length"] ?? Number.NaN);
    if (answer.status !== 413 && Number.isSafeInteger(declared) && declared <= limit) return send(res, answer);
    res.once("finish", () => req.destroy());
    send(res, { ...answer, headers: { ...answer.headers, connection: "close" } });
  }

  /** 202 and the handlers, once recorded; 503 when recording failed. */
  function acknowledge(res: ServerResponse, events: CallbackEvent[], intake: Intake | undefined) {
    const recorded = endpoint.recorded(events, intake);
    const answer = (refusal: EndpointAnswer | null) => {
      send(res, refusal ?? ANSWERS.accepted);
      if (!refusal) void endpoint.dispatch(events);
    };
    if (!isThenable(recorded)) return answer(recorded);
    recorded.then(answer).catch((error: unknown) => fail(res, error));
  }

  function accept(res: ServerResponse, body: unknown, intake: Intake | undefined) {
    const { events, answer } = endpoint.judge(body, intake);
    if (answer !== ANSWERS.accepted) return send(res, answer);
    if (!endpoint.replayed) return acknowledge(res, events, intake);
    endpoint
      .replayed(body)
      .then((replay) => (replay ? send(res, replay) : acknowledge(res, events, intake)))
      .catch((error: unknown) => fail(res, error));
  }

  function receive(req: FrameworkRequest, res: ServerResponse, intake: Intake | undefined) {
    // A body parser (express.json(), express.raw(), Fastify) got there first: use what it left.
    if (req.body !== undefined) return accept(res, req.body, intake);
    if (req.readableEnded) return send(res, misconfigured(ALREADY_READ)); // never wait for bytes that are gone
    readBody(
      req,
      limit,
      (body) => (body === null ? refuse(req, res, tooLarge(limit)) : accept(res, body, intake)),
      (error) => fail(res, error),
    );
  }

  function handle(req: FrameworkRequest, res: ServerResponse, intake: Intake | undefined) {
    const refused = endpoint.screen(req.method, req.headers["content-type"], req.headers["content-length"]);
    if (refused) return refuse(req, res, refused);
    const verdict = endpoint.authorize(req.headers.authorization, intake);
    if (verdict === null) return receive(req, res, intake);
    if (!isThenable(verdict)) return refuse(req, res, verdict);
    verdict
      .then((answer) => (answer === null ? receive(req, res, intake) : refuse(req, res, answer)))
      .catch((error: unknown) => fail(res, error));
  }

  return (req: FrameworkRequest, res, next) => {
    // Express and Connect strip a mount path from req.url and keep the full one in originalUrl.
    const url = req.originalUrl ?? req.url ?? "/";
    const query = url.indexOf("?");
    const path = query === -1 ? url : url.slice(0, query);
    if (!endpoint.matches(path)) {
      if (next) return next();
      return refuse(req, res, ANSWERS.notFound);
    }
    const intake = endpoint.begin(req.method, path);
    // The status sent ends the span; 0 when the client went away before any answer.
    if (intake) res.once("close", () => intake.answered(res.headersSent ? res.statusCode : 0));
    try {
      handle(req, res, intake);
    } catch (error) {
      fail(res, error);
    }
  };
}
