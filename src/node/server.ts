// createCallbackServer: a node:http server with limits for an endpoint the internet can reach.
// Node's defaults suit a trusted network: a 300 s request timeout, unbounded connections, a 30 s
// check for slow headers. A callback endpoint answers in milliseconds, so its limits can be tight.
import { createServer, type RequestListener, type Server } from "node:http";

export interface CallbackServerLimits {
  /** The whole request headers must arrive within this. Default 10 s (Node: 60 s). */
  headersTimeoutMs?: number;
  /** The whole request, body included, must arrive within this. Default 30 s (Node: 300 s). */
  requestTimeoutMs?: number;
  /** An idle keep-alive connection closes after this. Default 5 s (Node's own). */
  keepAliveTimeoutMs?: number;
  /** How many connections at once; more are refused. Default 1,024 (Node: no limit). */
  maxConnections?: number;
  /** How many headers a request may have. Default 64 (Node: 2,000). */
  maxHeadersCount?: number;
  /** How often Node checks the two timeouts above. Default 1 s (Node: 30 s). */
  connectionsCheckingIntervalMs?: number;
}

/**
 * A node:http server for `listener` (the middleware, or an Express app) with the limits above.
 * `createCallbackServer(createNodeMiddleware(handler, { appId })).listen(3978)`.
 */
export function createCallbackServer(listener: RequestListener, limits: CallbackServerLimits = {}): Server {
  const server = createServer(
    {
      connectionsCheckingInterval: limits.connectionsCheckingIntervalMs ?? 1_000,
      headersTimeout: limits.headersTimeoutMs ?? 10_000,
      requestTimeout: limits.requestTimeoutMs ?? 30_000,
      keepAliveTimeout: limits.keepAliveTimeoutMs ?? 5_000,
    },
    listener,
  );
  server.maxConnections = limits.maxConnections ?? 1_024;
  server.maxHeadersCount = limits.maxHeadersCount ?? 64;
  return server;
}
