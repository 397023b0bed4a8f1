// How a Graph call goes out and its answer comes in: openapi-fetch typed with the spec's paths, a
// Bearer token per attempt, redirects never followed (Graph's invite never redirects; a followed one
// would re-post the body, participant ids and all, to wherever Location points), and every body
// read up to a cap, streamed and cancelled past it.
import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { paths } from "../../generated/schema.js";
import { GraphRequestError } from "../errors.js";
import { readLimited } from "../internal/read-limited.js";
import type { Connection } from "./options.js";
import { startDeadline } from "./deadline.js";
import { authorization, bounded } from "./token.js";

/** The most of an error body read (Graph's OData errors are a few hundred bytes). */
export const ERROR_BODY_LIMIT = 64 * 1024;
/** The most of a successful body read (an invite operation lists at most a few participants). */
export const SUCCESS_BODY_LIMIT = 1024 * 1024;

// Statuses whose Response cannot carry a body (the Fetch standard's null body statuses).
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** Graph's request id: the `request-id` header, the echoed `client-request-id`, else the error's `innerError`. */
export function requestIdOf(response: Response, body?: unknown): string | null {
  const header = response.headers.get("request-id") ?? response.headers.get("client-request-id");
  if (header !== null) return header;
  const error = (body as { error?: { innerError?: unknown; innererror?: unknown } } | null | undefined)?.error;
  const inner = (error?.innerError ?? error?.innererror) as { "request-id"?: unknown } | null | undefined;
  return typeof inner?.["request-id"] === "string" ? inner["request-id"] : null;
}

/** "HTTP 502 Bad Gateway" */
export const statusLine = (response: Response) =>
  `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;

function redirectError(response: Response): GraphRequestError {
  // The Location is not quoted: its query may carry anything.
  const what = response.type === "opaqueredirect" ? "A redirect" : statusLine(response);
  return new GraphRequestError({
    reason: "redirect",
    status: response.status,
    message: `${what}: not followed (Graph calls never redirect)`,
    requestId: requestIdOf(response),
  });
}

export function tooLargeError(response: Response, limit: number): GraphRequestError {
  return new GraphRequestError({
    reason: "too_large",
    status: response.status,
    message: `${statusLine(response)}: the body is over ${limit} bytes, not read further`,
    requestId: requestIdOf(response),
  });
}

/**
 * `fetchImpl`, guarded: a redirect (3xx, an opaque redirect, or a fetch that followed one anyway) is a
 * GraphRequestError `redirect`; an error body is read up to ERROR_BODY_LIMIT, a successful one up to
 * `successLimit` (null: left to the caller, which reads it bounded itself), else `too_large`.
 */
export function guardedFetch(fetchImpl: typeof fetch, successLimit: number | null): typeof fetch {
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    if (
      response.type === "opaqueredirect" ||
      response.redirected ||
      (response.status >= 300 && response.status < 400)
    ) {
      await response.body?.cancel().catch(() => {});
      throw redirectError(response);
    }
    const limit = response.ok ? successLimit : ERROR_BODY_LIMIT;
    if (limit === null) return response;
    const bytes = await readLimited(response.body, limit);
    if (bytes === null) throw tooLargeError(response, limit);
    const { status, statusText, headers } = response;
    return new Response(NULL_BODY_STATUSES.has(status) ? null : (bytes as Uint8Array<ArrayBuffer>), {
      status,
      statusText,
      headers,
    });
  };
}

/** The openapi-fetch client of the contract's paths: redirects never followed, bodies bounded. */
export function createTransport(connection: Connection, fetchImpl: typeof fetch): Client<paths> {
  return createClient<paths>({ baseUrl: connection.baseUrl, fetch: fetchImpl, redirect: "manual" });
}

const timeoutError = (timeoutMs: number) => () =>
  new GraphRequestError({
    reason: "timeout",
    status: 0,
    message: `The Graph request did not finish within timeoutMs (${timeoutMs} ms)`,
  });

/** `fetchImpl` within `timeoutMs` (combined with the request's own signal), the answer and its body read included. */
export function timedFetch(fetchImpl: typeof fetch, timeoutMs: number): typeof fetch {
  return async (input, init) => {
    const deadline = startDeadline(timeoutMs, init?.signal ?? (input as Request).signal, timeoutError(timeoutMs));
    try {
      return await bounded(fetchImpl(input, { ...init, signal: deadline.signal }), deadline.signal);
    } finally {
      deadline.clear();
    }
  };
}

/** A middleware that sets the Bearer token (from getToken(), per request, within `timeoutMs`) and the User-Agent. */
export function authMiddleware(connection: Connection, timeoutMs: number): Middleware {
  return {
    async onRequest({ request }) {
      // Fetched per attempt so a refreshed token is used on retries; never logged or kept.
      const deadline = startDeadline(timeoutMs, request.signal, timeoutError(timeoutMs));
      try {
        request.headers.set("authorization", await authorization(connection.getToken, deadline.signal));
      } finally {
        deadline.clear();
      }
      if (connection.userAgent !== null) request.headers.set("user-agent", connection.userAgent);
      return request;
    },
  };
}
