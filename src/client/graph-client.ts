// createGraphClient (graph-invite-contract/graph): the openapi-fetch client typed with the spec's
// paths, for calls invite() does not make for you. Its own entry, so openapi-fetch's `Client` type
// is type-checked only by the programs that use it.
import type { Client } from "openapi-fetch";
import type { paths } from "../../generated/schema.js";
import { checkConnection, checkTimeoutMs, type GraphConnectionOptions } from "./options.js";
import { authMiddleware, createTransport, guardedFetch, SUCCESS_BODY_LIMIT, timedFetch } from "./transport.js";

/** The options of {@link createGraphClient}. Each is checked at once: a wrong one is a TypeError or RangeError naming it. */
export interface GraphClientOptions extends GraphConnectionOptions {
  /**
   * The most one request may take, in ms (1 to 2^31 - 1): the answer and its body read; getToken()
   * has the same bound of its own. Past it, the call rejects with GraphRequestError `timeout`.
   * Combined with the request's `signal`. Default 60,000.
   */
  timeoutMs?: number;
}

/**
 * The openapi-fetch client typed with the contract's `paths`, with a Bearer-token middleware
 * (`getToken` per request). Redirects are never followed: a 3xx throws GraphRequestError `redirect`.
 * Bodies are read up to 64 KiB (errors) and 1 MiB (success), else GraphRequestError `too_large`;
 * each request has `timeoutMs` (default 60 s), else GraphRequestError `timeout`.
 * Options are checked at once (TypeError naming the option). Nothing is validated or retried: for
 * invites, `createInviteClient` does that.
 *
 * @example
 * ```ts
 * import { createGraphClient } from "graph-invite-contract/graph";
 *
 * const graph = createGraphClient({ getToken: () => tokenCache.get() });
 * const { data, error, response } = await graph.POST("/communications/calls/{call-id}/participants/invite", {
 *   params: { path: { "call-id": callId } },
 *   body,
 * });
 * ```
 */
export function createGraphClient(options: GraphClientOptions): Client<paths> {
  const connection = checkConnection(options, "createGraphClient");
  const timeoutMs = checkTimeoutMs(options.timeoutMs, "createGraphClient");
  const client = createTransport(connection, timedFetch(guardedFetch(connection.fetch, SUCCESS_BODY_LIMIT), timeoutMs));
  client.use(authMiddleware(connection, timeoutMs));
  return client;
}
