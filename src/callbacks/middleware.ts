// createNodeMiddleware: the callback endpoint for node:http, Express or Connect. Answers fast, maps
// each refusal to one status code, and runs the handlers after answering 202.
import type { IncomingMessage, ServerResponse } from "node:http";
import { NotificationValidationError } from "../errors.js";
import { isThenable } from "../thenable.js";
import type { CallbackHandler } from "./handler.js";
import { parseCommsNotifications } from "./parse.js";

export interface NodeMiddlewareOptions {
  /** The callback path. Default `/api/calls`. */
  path?: string;
  /** Checks the Authorization header; throwing, or a rejected promise, refuses the request with 401. E.g. `(h) => verifyCallbackToken(h, opts)`. */
  verify?: (authorizationHeader: string | undefined) => unknown;
  /** Larger bodies get 413 without being buffered. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Errors of handlers that ran after the 202 (an AggregateError). Default: logged to stderr by name and message. */
  onError?: (error: unknown) => void;
}

export type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

function reply(res: ServerResponse, status: number, body?: object, headers: Record<string, string> = {}) {
  if (body === undefined) {
    res.writeHead(status, { ...headers, "content-length": "0" }).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) });
  res.end(text);
}

const RESPONSE_ISSUES = 20;

const odataError = (code: string, message: string, extra: object = {}) => ({ error: { code, message, ...extra } });

/**
 * Reads the body up to `limit` bytes, then calls `done` with it, or with null (having stopped
 * reading) past the limit. Callbacks, not a promise: intake is this package's hottest path.
 */
function readBody(req: IncomingMessage, limit: number, done: (body: Buffer | null) => void, failed: (error: unknown) => void) {
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
  req.on("error", failed);
}

/** Refuses the rest of an oversized body: 413, then the connection is closed instead of read. */
function tooLarge(req: IncomingMessage, res: ServerResponse, limit: number) {
  res.once("finish", () => req.destroy());
  reply(res, 413, odataError("PayloadTooLarge", `The body exceeds ${limit} bytes.`), { connection: "close" });
}

export function createNodeMiddleware(handler: CallbackHandler, options: NodeMiddlewareOptions = {}): NodeMiddleware {
  const path = options.path ?? "/api/calls";
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  const { verify } = options;
  const onError =
    options.onError ??
    ((error: unknown) => console.error(`graph-invite-contract: callback handler failed: ${(error as Error).name}: ${(error as Error).message}`));

  function fail(res: ServerResponse, error: unknown) {
    if (!res.headersSent) reply(res, 500, odataError("InternalServerError", "The callback could not be processed."));
    onError(error);
  }

  // The reason stays server-side: never echo token details to the caller.
  const unauthorized = (res: ServerResponse) =>
    reply(res, 401, odataError("Unauthorized", "The callback token was refused."), { "www-authenticate": "Bearer" });

  function accept(res: ServerResponse, body: Buffer) {
    let events;
    try {
      events = parseCommsNotifications(body);
    } catch (error) {
      if (!(error instanceof NotificationValidationError)) throw error;
      // The first issues only: a hostile body must not buy a large answer.
      const { issues } = error;
      const detail = { issueCount: issues.length, issues: issues.slice(0, RESPONSE_ISSUES) };
      return reply(res, 400, odataError("InvalidNotification", "The body is not a valid commsNotifications payload.", detail));
    }
    reply(res, 202);
    handler.dispatch(events).catch(onError);
  }

  function receive(req: IncomingMessage, res: ServerResponse) {
    readBody(req, limit, (body) => (body === null ? tooLarge(req, res, limit) : accept(res, body)), (error) => fail(res, error));
  }

  function handle(req: IncomingMessage, res: ServerResponse) {
    if (req.method !== "POST") return reply(res, 405, odataError("MethodNotAllowed", "Use POST."), { allow: "POST" });
    const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/json") {
      return reply(res, 415, odataError("UnsupportedMediaType", "The body must be application/json."));
    }
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) return tooLarge(req, res, limit);
    if (!verify) return receive(req, res);
    let verdict: unknown;
    try {
      verdict = verify(req.headers.authorization);
    } catch {
      return unauthorized(res);
    }
    if (!isThenable(verdict)) return receive(req, res);
    Promise.resolve(verdict)
      .then(
        () => receive(req, res),
        () => unauthorized(res),
      )
      .catch((error: unknown) => fail(res, error));
  }

  return (req, res, next) => {
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    if ((query === -1 ? url : url.slice(0, query)) !== path) {
      if (next) return next();
      return reply(res, 404, odataError("NotFound", "No callback endpoint here."));
    }
    try {
      handle(req, res);
    } catch (error) {
      fail(res, error);
    }
  };
}
