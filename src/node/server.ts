// createCallbackServer: a node:http server with limits for an endpoint the internet can reach.
// Node's defaults suit a trusted network: a 300 s request timeout, unbounded connections, a 60 s
// wait for headers, 2,000 headers. A callback endpoint answers in milliseconds, so its limits can be
// tight. Against a connection flood: a connection that sends nothing is closed quickly, and the
// connection cap never locks genuine callbacks out: at the cap, the oldest connection that is not
// being answered makes room (one that never sent a request first, then an idle keep-alive one).
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { EndpointOptionsError } from "../errors.js";
import { isObject } from "../internal/is-object.js";

/**
 * The limits of createCallbackServer, each overriding one default. Times are in milliseconds; each
 * limit, when written, is an integer from 1 to 2^31 - 1 (undefined, another type or out of range is
 * an EndpointOptionsError), and `headersTimeoutMs` must not exceed `requestTimeoutMs`.
 */
export interface CallbackServerLimits {
  /** A new connection that sends no byte within this is closed. Default 2 s. */
  firstByteTimeoutMs?: number;
  /** The whole request headers must arrive within this. Default 10 s (Node: 60 s). */
  headersTimeoutMs?: number;
  /** The whole request, body included, must arrive within this. Default 30 s (Node: 300 s). */
  requestTimeoutMs?: number;
  /** An idle keep-alive connection closes after this. Default 5 s (Node's own). */
  keepAliveTimeoutMs?: number;
  /**
   * How many connections at once. At the cap, a new connection closes the oldest one that is not
   * being answered (one that never sent a request first, then an idle keep-alive one); it is refused
   * only when every connection is being answered. Default 1,024 (Node: no limit).
   */
  maxConnections?: number;
  /** A request with more headers is refused with 431 (Node would drop the rest silently). Default 128 (Node: 2,000). */
  maxHeadersCount?: number;
  /** How often Node checks the header and request timeouts. Default 1 s (Node: 30 s). */
  connectionsCheckingIntervalMs?: number;
}

const DEFAULTS = {
  firstByteTimeoutMs: 2_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1_024,
  maxHeadersCount: 128,
  connectionsCheckingIntervalMs: 1_000,
} as const satisfies Required<CallbackServerLimits>;

const MAX_TIMER_MS = 2 ** 31 - 1;

function limitsFrom(limits: unknown): Required<CallbackServerLimits> {
  if (!isObject(limits)) throw new EndpointOptionsError("limits", "type", "must be an object of limits");
  const valid: Record<string, number> = { ...DEFAULTS };
  for (const [key, value] of Object.entries(limits)) {
    if (!(key in DEFAULTS)) throw new EndpointOptionsError(key, "unknown", "is not a limit of createCallbackServer");
    if (value === undefined) throw new EndpointOptionsError(key, "undefined", "is undefined: set it, or leave it out");
    if (typeof value !== "number") throw new EndpointOptionsError(key, "type", "must be a number");
    if (!Number.isSafeInteger(value) || value < 1 || value > MAX_TIMER_MS)
      throw new EndpointOptionsError(key, "range", `must be an integer from 1 to ${MAX_TIMER_MS}`);
    valid[key] = value;
  }
  if (valid.headersTimeoutMs! > valid.requestTimeoutMs!)
    throw new EndpointOptionsError("headersTimeoutMs", "conflict", "must not exceed requestTimeoutMs");
  return valid as Required<CallbackServerLimits>;
}

const TOO_MANY_HEADERS = JSON.stringify({
  error: { code: "RequestHeaderFieldsTooLarge", message: "The request has too many headers." },
});

/**
 * A node:http server for `listener` (the middleware, or an Express app) with the limits above; an
 * EndpointOptionsError for a limit that is not a positive integer, or unknown.
 * @example
 * ```ts
 * createCallbackServer(createNodeMiddleware(handler, { appId })).listen(3978);
 * ```
 */
export function createCallbackServer(listener: RequestListener, limits: CallbackServerLimits = {}): Server {
  if (typeof listener !== "function")
    throw new EndpointOptionsError("listener", "type", "must be a request listener (the middleware, or an app)");
  const valid = limitsFrom(limits);
  const { maxHeadersCount, maxConnections, firstByteTimeoutMs } = valid;

  function guarded(req: IncomingMessage, res: ServerResponse) {
    // Node keeps at most maxHeadersCount + 1 (set below): one more than the limit means too many.
    if (req.rawHeaders.length / 2 > maxHeadersCount) {
      // (`connection: close`: Node ends the connection itself once the answer is out)
      res.writeHead(431, {
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(TOO_MANY_HEADERS)),
        connection: "close",
      });
      return void res.end(TOO_MANY_HEADERS);
    }
    listener(req, res);
  }

  const server = createServer(
    {
      connectionsCheckingInterval: valid.connectionsCheckingIntervalMs,
      headersTimeout: valid.headersTimeoutMs,
      requestTimeout: valid.requestTimeoutMs,
      keepAliveTimeout: valid.keepAliveTimeoutMs,
    },
    guarded,
  );
  server.maxHeadersCount = maxHeadersCount + 1;

  // The connections that could make room, oldest first: never sent a request; idle between requests.
  const fresh = new Set<Socket>();
  const idle = new Set<Socket>();
  const answering = new Map<Socket, number>();
  let open = 0;

  /** Closes the oldest connection not being answered; false when every one is. */
  function makeRoom(): boolean {
    const oldest = fresh.values().next().value ?? idle.values().next().value;
    if (oldest === undefined) return false;
    fresh.delete(oldest);
    idle.delete(oldest);
    oldest.destroy();
    return true;
  }

  server.on("connection", (socket: Socket) => {
    open++;
    const quiet = setTimeout(() => socket.bytesRead === 0 && socket.destroy(), firstByteTimeoutMs).unref();
    socket.once("close", () => {
      open--;
      clearTimeout(quiet);
      fresh.delete(socket);
      idle.delete(socket);
      answering.delete(socket);
    });
    if (open > maxConnections && !makeRoom()) return void socket.destroy();
    fresh.add(socket);
  });

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const { socket } = req;
    fresh.delete(socket);
    idle.delete(socket);
    answering.set(socket, (answering.get(socket) ?? 0) + 1);
    res.once("close", () => {
      const left = (answering.get(socket) ?? 1) - 1;
      if (left > 0) return void answering.set(socket, left);
      answering.delete(socket);
      if (!socket.destroyed) idle.add(socket);
    });
  });

  return server;
}
