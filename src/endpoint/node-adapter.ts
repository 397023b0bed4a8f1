// createNodeMiddleware: the callback endpoint for node:http, Express, Connect (and Fastify through
// its raw request; see the hosting docs). Supplies the endpoint core's I/O only (the request's head,
// reading the body with callbacks, writing the answer); the core decides. Answers fast; handlers run
// after the 202.
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  ANSWERS,
  createCallbackEndpoint,
  misconfigured,
  type CallbackEndpointOptions,
  type EndpointAnswer,
  type ReadOutcome,
} from "./core.js";
import type { CallbackHandler } from "../notifications/handler.js";
import { checkTokenOnNode } from "../node/signature.js";

/** createNodeMiddleware's options: the callback endpoint's (exactly one way to verify, then the common ones). */
export type NodeMiddlewareOptions = CallbackEndpointOptions;

/** How long a closing connection still takes what the client sends, and how much of it (discarded). */
const LINGER_MS = 2_000;
const LINGER_BYTES = 1024 * 1024;

/**
 * Closes the connection after an answer that leaves the body unread. Destroying the socket at once
 * would make the kernel reset it (unread data in its receive buffer), and a client still sending
 * could lose the answer already sent; so: FIN after the answer, what still arrives read and
 * discarded up to LINGER_BYTES (then no more is read), destroyed after LINGER_MS at most (or when
 * the client closes first). Node itself ends a `connection: close` answer's socket with
 * destroySoon, a FIN then a destroy once the FIN is out: that destroy is the reset, undone here.
 */
function closeLingering(req: IncomingMessage, res: ServerResponse) {
  let taken = 0;
  // A listener of its own, set before the answer: Node dumps a request never read (uncounted). And
  // none on the socket: one takes it from the HTTP parser, which may then never read it again.
  req.on("data", (chunk: Buffer) => {
    if ((taken += chunk.length) > LINGER_BYTES) req.pause();
  });
  req.resume(); // a refusal mid-body paused it
  res.once("finish", () => {
    const socket = req.socket as IncomingMessage["socket"] | null;
    if (!socket || socket.destroyed) return;
    socket.off("finish", socket.destroy); // destroySoon's
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  });
}

/** A request as frameworks hand it over: Express and Connect add `originalUrl`, body parsers `body`. */
type FrameworkRequest = IncomingMessage & { originalUrl?: string; body?: unknown };

/**
 * The callback endpoint as Node middleware: what `createNodeMiddleware()` returns. Serves as a
 * `node:http` listener, or in Express and Connect: a request to another path goes to `next()`, or is
 * answered 404 without one.
 */
export type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

function send(res: ServerResponse, { status, headers, body }: EndpointAnswer) {
  if (body === undefined) return void res.writeHead(status, headers).end();
  res.writeHead(status, { ...headers, "content-length": String(Buffer.byteLength(body)) });
  res.end(body);
}

const ALREADY_READ =
  "The request body was already read by another middleware, which left no req.body: mount the callback " +
  "endpoint before body parsers such as express.json(), or keep their parsed req.body (see the hosting docs).";

/**
 * Reads the body up to `limit` bytes with stream events, not a promise (intake is this package's
 * hottest path). A request stream that fails is the client going away (an abort, a reset): `aborted`,
 * not the bot's error.
 */
function readBody(req: FrameworkRequest, limit: number, done: (outcome: ReadOutcome) => void) {
  // A body parser (express.json(), express.raw(), Fastify) got there first: use what it left.
  if (req.body !== undefined) return done({ body: req.body });
  if (req.readableEnded) return done({ answer: misconfigured(ALREADY_READ) }); // never wait for bytes that are gone
  const chunks: Buffer[] = [];
  let size = 0;
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) {
      req.off("data", onData);
      req.pause();
      done("too-large");
      return;
    }
    chunks.push(chunk);
  };
  req.on("data", onData);
  // Stryker disable next-line ConditionalExpression: the core takes one outcome per read; after too-large, a second is ignored
  req.on("end", () => size <= limit && done({ body: Buffer.concat(chunks, size) }));
  req.on("error", () => {
    req.destroy();
    done("aborted");
  });
}

/**
 * The callback endpoint as Node middleware. Options are checked here: an EndpointOptionsError names
 * any that would skip a check.
 * @example
 * ```ts
 * createCallbackServer(createNodeMiddleware(handler, { appId: process.env.BOT_APP_ID ?? "" })).listen(3978);
 * ```
 */
export function createNodeMiddleware(handler: CallbackHandler, options: NodeMiddlewareOptions): NodeMiddleware {
  // node:crypto checks the token's signature: the same verdicts as jose's WebCrypto, at less CPU
  const endpoint = createCallbackEndpoint(handler, options, [], checkTokenOnNode);

  return (req: FrameworkRequest, res, next) => {
    try {
      // Express and Connect strip a mount path from req.url and keep the full one in originalUrl.
      const url = req.originalUrl ?? req.url ?? "/";
      const query = url.indexOf("?");
      const { headers } = req;
      endpoint.intake(
        {
          method: req.method,
          path: query === -1 ? url : url.slice(0, query),
          contentType: headers["content-type"],
          contentLength: headers["content-length"],
          authorization: headers.authorization,
        },
        {
          read: (limit, done) => readBody(req, limit, done),
          respond(answer, bodyUnread) {
            if (res.headersSent) return;
            if (!bodyUnread) return send(res, answer);
            // Node would drain whatever the client goes on sending to keep the connection: it may, for
            // a declared body within the limit (a bounded drain keeps Graph's keep-alive connections);
            // any other body, or an answer that closes (413, 408), closes the connection instead.
            // (NaN for no Content-Length; Node's parser refuses one that is not a whole number)
            const declared = Number(headers["content-length"]);
            if (answer.headers.connection !== "close" && declared <= endpoint.limit) return send(res, answer);
            closeLingering(req, res);
            send(res, { ...answer, headers: { ...answer.headers, connection: "close" } });
          },
          unmatched: next && (() => next()),
          // The client went away before the answer: its socket closed. (The response's own "close" can
          // come earlier, while a refused body is still arriving.) Unhooked once an answer is written.
          closed(listener) {
            const socket = req.socket as (typeof req.socket & { once?: unknown }) | undefined;
            if (typeof socket?.once !== "function") return;
            const onClose = () => res.headersSent || listener();
            socket.once("close", onClose);
            res.once("finish", () => socket.off("close", onClose));
          },
        },
      );
    } catch (error) {
      // Reading the request's head failed (a broken proxy object): the core never saw it.
      endpoint.report(error);
      if (!res.headersSent) send(res, ANSWERS.internalError);
    }
  };
}
