// graphCallbacksFastify: the callback endpoint as a Fastify plugin, `app.register(graphCallbacksFastify,
// { handler, appId })`. Encapsulated on purpose (no fastify-plugin wrapper): inside its own context it
// replaces Fastify's body parsers with one that leaves the body unread, so the endpoint makes every
// decision as on node:http (415, 413 before buffering, 401 before the body is read), and the app's
// own JSON parser and routes are untouched. Typed structurally: the /node entry loads no Fastify and
// its declarations name none, so a bot without Fastify type-checks.
import type { IncomingMessage, ServerResponse } from "node:http";
import { createNodeMiddleware, type NodeMiddlewareOptions } from "../endpoint/node-adapter.js";
import type { CallbackHandler } from "../notifications/handler.js";

/** The options: the endpoint's, with the handler and the route's path. */
export type FastifyCallbacksOptions = Omit<NodeMiddlewareOptions, "path"> & {
  /** The callback handler (createCallbackHandler()). */
  handler: CallbackHandler;
  /** The route, under the plugin's prefix. Default `/api/calls`. */
  path?: string;
};

/** The parts of a Fastify instance the plugin uses (Fastify 4 and 5). */
export interface FastifyCallbacksInstance {
  /** Fastify's own: the plugin drops the inherited body parsers inside its encapsulated context. */
  removeAllContentTypeParsers(): void;
  /** Fastify's own: the plugin adds one parser for every content type, which leaves the body unread for the endpoint. */
  addContentTypeParser(
    contentType: string,
    parser: (request: unknown, payload: unknown, done: (error: Error | null, body?: unknown) => void) => void,
  ): void;
  /** Fastify's own: the plugin routes every method on its path to the endpoint (which answers 405 to all but POST). */
  all(
    path: string,
    handler: (request: { raw: IncomingMessage }, reply: { raw: ServerResponse; hijack(): void }) => void,
  ): unknown;
}

/**
 * The callback endpoint as a Fastify plugin: `await app.register(graphCallbacksFastify, { handler, appId })`.
 * Options are the endpoint's (`appId`, `verify`, `maxBodyBytes`, ...); `path` defaults to `/api/calls`.
 * Encapsulated: its body parser (which leaves the body to the endpoint) applies to its route only.
 *
 * @example
 * ```ts
 * const app = Fastify({ connectionTimeout: 30_000, requestTimeout: 30_000 });
 * await app.register(graphCallbacksFastify, { handler, appId: process.env.BOT_APP_ID! });
 * ```
 */
export async function graphCallbacksFastify(
  fastify: FastifyCallbacksInstance,
  options: FastifyCallbacksOptions,
): Promise<void> {
  if (typeof options !== "object" || options === null)
    throw new TypeError("graphCallbacksFastify: pass the options ({ handler, appId, ... })");
  // Fastify hands its own register options (prefix, logLevel, logSerializers) to the plugin with
  // ours: they are Fastify's, and the endpoint would refuse them as unknown options.
  const {
    handler,
    path = "/api/calls",
    prefix: _prefix,
    logLevel: _logLevel,
    logSerializers: _logSerializers,
    ...endpointOptions
  } = options as FastifyCallbacksOptions & Record<"prefix" | "logLevel" | "logSerializers", unknown>;
  if (typeof path !== "string" || !path.startsWith("/"))
    throw new TypeError("graphCallbacksFastify: `path` must be a route path starting with /");
  // Built at registration: a missing way to verify fails app.ready(), not the first callback.
  // (a spread loses the union's discriminant; the endpoint checks the options at run time all the same)
  const middleware = createNodeMiddleware(handler, { ...endpointOptions, path: null } as NodeMiddlewareOptions);
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser("*", (_request, _payload, done) => done(null));
  fastify.all(path, (request, reply) => {
    reply.hijack(); // the middleware writes the answer on the raw response
    middleware(request.raw, reply.raw);
  });
}
