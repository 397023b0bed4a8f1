// createFetchHandler: the callback endpoint for hosts that speak the Fetch API (Request → Response):
// Cloudflare Workers, Deno, Bun, Hono, Next.js route handlers, Azure Functions v4. Supplies the
// endpoint core's I/O only (the request's head, the body stream, the Response); the core decides.
import { createCallbackEndpoint, type CallbackEndpointOptions, type EndpointAnswer } from "./core.js";
import { EndpointOptionsError } from "../errors.js";
import { readLimited } from "../internal/read-limited.js";
import type { CallbackHandler } from "../notifications/handler.js";

/** A host's hook that keeps the work of a promise alive after the response (Workers' `ctx.waitUntil`). */
export interface WaitUntilContext {
  /** Keeps the host working until `promise` settles: the handlers' work, after the 202. */
  waitUntil(promise: Promise<unknown>): void;
}

/** The endpoint's options (exactly one way to verify), plus `waitUntil`. */
export type FetchHandlerOptions = CallbackEndpointOptions & {
  /**
   * Keeps the handlers' work alive after the 202 on hosts that stop at the response, e.g.
   * `(p) => ctx.waitUntil(p)`. A `context` passed per request (Workers' `ctx`) is used first.
   */
  waitUntil?: (promise: Promise<unknown>) => void;
};

/**
 * The callback endpoint for Fetch API hosts: what `createFetchHandler()` returns. Give it each
 * request on the callback path (and `context`, Workers' `ctx`, where the host has one); it resolves
 * with the answer: 202, or the refusal's status (401, 400, 413, 503, ...).
 */
export type FetchHandler = (request: Request, context?: Partial<WaitUntilContext>) => Promise<Response>;

const respond = ({ status, headers, body }: EndpointAnswer) => new Response(body ?? null, { status, headers });

/**
 * The callback endpoint as a Fetch handler. Options are checked here: an EndpointOptionsError names
 * any that would skip a check.
 * @example
 * ```ts
 * const endpoint = createFetchHandler(handler, { appId: env.BOT_APP_ID });
 * export default { fetch: (request, env, ctx) => endpoint(request, ctx) };
 * ```
 */
export function createFetchHandler(handler: CallbackHandler, options: FetchHandlerOptions): FetchHandler {
  const endpoint = createCallbackEndpoint(handler, options, ["waitUntil"]);
  const { waitUntil } = options;
  if (waitUntil !== undefined && typeof waitUntil !== "function")
    throw new EndpointOptionsError("waitUntil", "type", "must be a function of the handlers' promise");

  return (request, context) =>
    new Promise<Response>((resolve) => {
      const { headers } = request;
      let reading: AbortController | undefined; // while the body is being read (a timeout cancels it)
      endpoint.intake(
        {
          method: request.method,
          path: new URL(request.url).pathname, // a Request's url is always absolute
          contentType: headers.get("content-type"),
          contentLength: headers.get("content-length"),
          authorization: headers.get("authorization"),
        },
        {
          read(limit, done) {
            reading = new AbortController();
            // A body stream that fails is the client going away: not the bot's error, so not onError's.
            void readLimited(request.body, limit, reading.signal).then(
              (body) => done(body === null ? "too-large" : { body }),
              () => done("unreadable"),
            );
          },
          respond(answer) {
            // A refusal that leaves the body unread: cancel it rather than let the host buffer it.
            // (Once the body was read, aborting its finished read does nothing.)
            if (reading) reading.abort();
            else request.body?.cancel().catch(() => {});
            resolve(respond(answer));
          },
          afterAnswer(work) {
            // After the answer: a handler's synchronous work must not delay the 202.
            const later = new Promise((r) => setTimeout(r, 0)).then(work);
            if (context?.waitUntil) context.waitUntil(later);
            else waitUntil?.(later);
          },
        },
      );
    });
}
