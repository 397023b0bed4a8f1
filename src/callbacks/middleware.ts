// createNodeMiddleware: the callback endpoint for node:http, Express or Connect. Answers fast, maps
// each refusal to one status code, and runs the handlers after answering 202.
import type { IncomingMessage, ServerResponse } from "node:http";
import { NotificationValidationError } from "../errors.js";
import type { CallbackHandler } from "./handler.js";
import { parseCommsNotifications } from "./parse.js";

export interface NodeMiddlewareOptions {
  /** The callback path. Default `/api/calls`. */
  path?: string;
  /** Checks the Authorization header; throwing refuses the request with 401. E.g. `(h) => verifyCallbackToken(h, opts)`. */
  verify?: (authorizationHeader: string | undefined) => unknown;
  /** Larger bodies get 413 without being buffered. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Errors of handlers that ran after the 202 (an AggregateError). Default: logged to stderr by name and message. */
  onError?: (error: unknown) => void;
}

export type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

function reply(res: ServerResponse, status: number, body?: object, headers: Record<string, string> = {}) {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    ...(body === undefined ? {} : { "content-type": "application/json" }),
    "content-length": String(Buffer.byteLength(text)),
  });
  res.end(text);
}

const RESPONSE_ISSUES = 20;

const odataError = (code: string, message: string, extra: object = {}) => ({ error: { code, message, ...extra } });

/** Reads the body up to `limit` bytes; resolves null (and stops reading) past it. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData);
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks, size)));
    req.once("error", reject);
  });
}

/** Refuses the rest of an oversized body: 413, then the connection is closed instead of read. */
function tooLarge(req: IncomingMessage, res: ServerResponse, limit: number) {
  res.once("finish", () => req.destroy());
  reply(res, 413, odataError("PayloadTooLarge", `The body exceeds ${limit} bytes.`), { connection: "close" });
}

export function createNodeMiddleware(handler: CallbackHandler, options: NodeMiddlewareOptions = {}): NodeMiddleware {
  const path = options.path ?? "/api/calls";
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  const onError =
    options.onError ??
    ((error: unknown) => console.error(`graph-invite-contract: callback handler failed: ${(error as Error).name}: ${(error as Error).message}`));

  async function handle(req: IncomingMessage, res: ServerResponse) {
    if (req.method !== "POST") return reply(res, 405, odataError("MethodNotAllowed", "Use POST."), { allow: "POST" });
    const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/json") {
      return reply(res, 415, odataError("UnsupportedMediaType", "The body must be application/json."));
    }
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) return tooLarge(req, res, limit);
    if (options.verify) {
      try {
        await options.verify(req.headers.authorization);
      } catch {
        // The reason stays server-side: never echo token details to the caller.
        return reply(res, 401, odataError("Unauthorized", "The callback token was refused."), { "www-authenticate": "Bearer" });
      }
    }
    const body = await readBody(req, limit);
    if (body === null) return tooLarge(req, res, limit);
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

  return (req, res, next) => {
    const requestPath = (req.url ?? "/").split("?")[0];
    if (requestPath !== path) {
      if (next) return next();
      return reply(res, 404, odataError("NotFound", "No callback endpoint here."));
    }
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) reply(res, 500, odataError("InternalServerError", "The callback could not be processed."));
      onError(error);
    });
  };
}
