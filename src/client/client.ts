// createGraphClient: openapi-fetch typed with the spec's paths, plus a Bearer-token middleware.
// createInviteClient: invite() on top: local validation, clientContext, retries, typed errors.
import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { paths } from "../../generated/schema.js";
import { isObject } from "../internal/is-object.js";
import { operationStatus, type NormalizedOperationStatus } from "../notifications/operation-status.js";
import { GraphRequestError, GraphTokenError } from "../errors.js";
import { assertInviteRequest } from "../request/validate.js";
import { isThenable } from "../internal/thenable.js";
import type { InviteParticipantsOperation, InvitePostRequestBody, ODataError } from "../schema-types.js";
import { backoffMs, parseRetryAfter, RETRYABLE_STATUSES, sleep, type RetryOptions } from "./retry.js";
import { traceInvites, type InviteSpan, type Telemetry } from "../telemetry/hooks.js";

export const GRAPH_V1 = "https://graph.microsoft.com/v1.0";
export const GRAPH_BETA = "https://graph.microsoft.com/beta";

export interface GraphClientOptions {
  /** Called for every attempt; return a Graph application token (Calls.InitiateGroupCall.All). */
  getToken: () => string | Promise<string>;
  /** Default https://graph.microsoft.com/v1.0 (GRAPH_BETA for beta). */
  baseUrl?: string;
  fetch?: typeof fetch;
  userAgent?: string;
}

export interface InviteClientOptions extends GraphClientOptions {
  retry?: RetryOptions;
  /** Use the deprecated `/app/calls/{id}/participants/invite` path instead of `/communications/...`. */
  legacyAppPath?: boolean;
  /** `createTelemetry()`: an `invite` span, metrics and log records per invite. Default: none. */
  telemetry?: Telemetry;
}

export interface InviteResult {
  /** The created operation, as Graph sent it: pass the whole result to `tracker.track()`. */
  operation: InviteParticipantsOperation;
  /**
   * The operation's status in lowercase camelCase: usually `running`, and `running` too when Graph
   * sent `null` or none (Learn's commsOperation: the outcome follows as a callback).
   */
  status: NormalizedOperationStatus;
  /** The operation's URI, from `Location`. */
  location: string | null;
  /** The clientContext sent (generated when the body had none): callbacks are correlated by it. */
  clientContext: string;
  /** Graph's `request-id` (or the echoed `client-request-id`). */
  requestId: string | null;
}

export interface InviteClient {
  invite(callId: string, body: InvitePostRequestBody, options?: { signal?: AbortSignal }): Promise<InviteResult>;
  /** The underlying typed openapi-fetch client. */
  readonly graph: Client<paths>;
}

// A Bearer token is a token68 (RFC 9110 §11.2); a token with other characters would break the header
// (and undici's error would quote it).
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

function bearer(token: unknown): string {
  if (typeof token !== "string") throw new GraphTokenError("not_string");
  if (token === "") throw new GraphTokenError("empty");
  if (!TOKEN68.test(token)) throw new GraphTokenError("illegal_characters");
  return `Bearer ${token}`;
}

/** The errors getToken() threw (or its token's refusal): invite() passes them on as they are. */
const tokenErrors = new WeakSet<object>();

/** `promise`, or the signal's reason as soon as it aborts: a hung getToken() cannot outlive the caller's signal. */
function bounded<T>(promise: T | Promise<T>, signal: AbortSignal | null | undefined): Promise<T> {
  if (!signal) return Promise.resolve(promise);
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener("abort", abort, { once: true });
    Promise.resolve(promise)
      .then(resolve, reject)
      .finally(() => signal.removeEventListener("abort", abort));
  });
}

export function createGraphClient(options: GraphClientOptions): Client<paths> {
  const client = createClient<paths>({ baseUrl: options.baseUrl ?? GRAPH_V1, fetch: options.fetch });
  const auth: Middleware = {
    async onRequest({ request }) {
      // Fetched per attempt so a refreshed token is used on retries; never logged or kept.
      let header: string;
      try {
        const token = options.getToken();
        // A token at hand needs no race with the signal (and no abort listener per request).
        header = bearer(isThenable(token) ? await bounded(token, request.signal) : token);
      } catch (error) {
        if (typeof error === "object" && error !== null && !request.signal?.aborted) tokenErrors.add(error);
        throw error;
      }
      request.headers.set("authorization", header);
      if (options.userAgent) request.headers.set("user-agent", options.userAgent);
      return request;
    },
  };
  client.use(auth);
  return client;
}

const requestIdOf = (response: Response) =>
  response.headers.get("request-id") ?? response.headers.get("client-request-id");

function graphError(response: Response, body: unknown, retryAfterMs: number | null): GraphRequestError {
  const odata = isODataError(body) ? body : null;
  const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
  const message = odata
    ? `${status}: ${odata.error.code}: ${odata.error.message}`
    : `${status} (${body === undefined || body === "" ? "empty body" : "the body is not a Graph error"})`;
  return new GraphRequestError({
    status: response.status,
    message,
    code: odata?.error.code ?? null,
    requestId: requestIdOf(response),
    retryAfterMs,
    body: odata,
  });
}

/** "fetch failed (ECONNRESET)", "terminated (other side closed)": the message and its cause's code or message. */
function networkReason(error: TypeError): string {
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const detail =
    typeof cause?.code === "string" ? cause.code : typeof cause?.message === "string" ? cause.message : null;
  return detail ? `${error.message} (${detail})` : error.message;
}

function isODataError(body: unknown): body is ODataError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return typeof error?.code === "string" && typeof error.message === "string";
}

export function createInviteClient(options: InviteClientOptions): InviteClient {
  const graph = createGraphClient(options);
  const maxAttempts = Math.max(1, options.retry?.maxAttempts ?? 3);
  const maxDelayMs = options.retry?.maxDelayMs ?? 30_000;
  const baseDelayMs = options.retry?.baseDelayMs ?? 500;
  const path = options.legacyAppPath
    ? ("/app/calls/{call-id}/participants/invite" as const)
    : ("/communications/calls/{call-id}/participants/invite" as const);

  async function invite(
    callId: string,
    input: InvitePostRequestBody,
    { signal }: { signal?: AbortSignal } = {},
    span?: InviteSpan,
  ) {
    if (typeof callId !== "string" || callId.trim() === "") {
      throw new TypeError("invite(callId, ...): callId must be a non-empty string");
    }
    // "." and ".." are dot-segments: URL parsing would remove them and send the invite elsewhere.
    if (callId === "." || callId === "..") throw new TypeError(`invite(callId, ...): callId cannot be "${callId}"`);
    const clientContext = input?.clientContext ?? crypto.randomUUID();
    const body: InvitePostRequestBody = { ...input, clientContext };
    assertInviteRequest(body); // nothing is sent for an invalid body
    const clientRequestId = crypto.randomUUID(); // the same on every attempt of this invite

    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      let result;
      try {
        result = await graph.POST(path, {
          params: { path: { "call-id": callId } },
          body,
          signal,
          headers: { "client-request-id": clientRequestId },
        });
      } catch (error) {
        if (signal?.aborted) throw signal.reason; // the caller's abort or timeout, as the caller made it
        if (typeof error === "object" && error !== null && tokenErrors.has(error)) throw error; // getToken's, as it threw it
        if (error instanceof SyntaxError) {
          throw new GraphRequestError({
            status: 0,
            message: `The invite response is not JSON: ${error.message}`,
            cause: error,
          });
        }
        // fetch reports a refused, reset or cut connection as a TypeError; anything else passes
        if (error instanceof TypeError) {
          throw new GraphRequestError({
            status: 0,
            message: `The invite got no usable answer: ${networkReason(error)}`,
            cause: error,
          });
        }
        throw error;
      }
      const { data, error, response } = result;
      span?.answered(attempt, response);
      if (response.ok) {
        const status = isObject(data) ? (data as { status?: unknown }).status : undefined;
        // Learn's commsOperation: status may be null (or, tolerantly, absent); anything else is no operation
        if (!isObject(data) || (status !== undefined && status !== null && typeof status !== "string")) {
          throw new GraphRequestError({
            status: response.status,
            message: "The invite response is not an operation",
            requestId: requestIdOf(response),
          });
        }
        return {
          operation: data,
          status: operationStatus(status as string | null | undefined),
          location: response.headers.get("location"),
          clientContext,
          requestId: requestIdOf(response),
        };
      }
      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
      const failure = graphError(response, error, retryAfterMs);
      const delay = retryAfterMs ?? backoffMs(attempt, baseDelayMs);
      if (!RETRYABLE_STATUSES.has(response.status) || attempt >= maxAttempts || delay > maxDelayMs) throw failure;
      span?.retrying(delay);
      await sleep(delay, signal);
    }
  }

  return { invite: traceInvites(options, invite, path), graph };
}
