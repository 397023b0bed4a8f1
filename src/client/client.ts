// createInviteClient: invite() on openapi-fetch: local validation, clientContext, retries within an
// overall timeout, bounded reads, typed errors. The attempt loop is in invite() below, one named step
// per line: prepare, send, decide, report, wait.
import type { InvitePostRequestBody } from "../schema-types.js";
import { GraphRequestError, type GraphRequestErrorReason } from "../errors.js";
import { isThenable } from "../internal/thenable.js";
import { traceInvites, type InviteSpan, type Telemetry } from "../telemetry/hooks.js";
import { readLimited } from "../internal/read-limited.js";
import { checkInviteRequest } from "../request/check.js";
import { errorStatusError, successResult, type InviteResult } from "./invite-answer.js";
import {
  checkConnection,
  checkFlag,
  checkHook,
  checkInvitePolicy,
  type GraphConnectionOptions,
  type InvitePolicy,
} from "./options.js";
import { backoffMs, RETRYABLE_STATUSES, sleep, type RetryOptions } from "./retry.js";
import { authorization, bounded, isTokenError } from "./token.js";
import { startDeadline, type Deadline } from "./deadline.js";
import { createTransport, guardedFetch, SUCCESS_BODY_LIMIT, tooLargeError } from "./transport.js";

/** How one attempt of an invite ended (`InviteAttempt.outcome`). */
export type InviteAttemptOutcome =
  /** Graph returned the operation. */
  | "operation"
  /** Graph accepted the invite without an operation body (e.g. 202). */
  | "accepted"
  /** getToken() failed or returned a token that cannot be sent. */
  | "token"
  /** The caller's signal aborted. */
  | "aborted"
  /** Anything else the fetch threw. */
  | "error"
  | GraphRequestErrorReason;

/**
 * One attempt of an invite, as `onAttempt` sees it: never the token, the body or the base URL.
 */
export interface InviteAttempt {
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** The HTTP status Graph answered; null when no answer arrived (network, timeout, token, abort). */
  readonly status: number | null;
  /** How the attempt ended. */
  readonly outcome: InviteAttemptOutcome;
  /** The wait before the next attempt, in ms; null when none follows (success, or a final failure). */
  readonly retryInMs: number | null;
  /** Graph's request id for this attempt, when it sent one. */
  readonly requestId: string | null;
  /** How long the attempt took, in ms (its wait before a retry not included). */
  readonly durationMs: number;
}

/** The options of {@link createInviteClient}. Each is checked at once: a wrong one is a TypeError or RangeError naming it. */
export interface InviteClientOptions extends GraphConnectionOptions {
  /** When to retry 429, 503 and 504: `maxAttempts` 3, `maxDelayMs` 30,000, `baseDelayMs` 500 by default. */
  retry?: RetryOptions;
  /**
   * The most one `invite()` may take, in ms (1 to 2^31 - 1), getToken(), every attempt, every wait
   * and every body read included; past it, `invite()` rejects with GraphRequestError `timeout`.
   * Combined with the caller's `signal`, whichever ends first. Default 60,000.
   */
  timeoutMs?: number;
  /** Use the deprecated `/app/calls/{id}/participants/invite` path instead of `/communications/...`. Default false. */
  legacyAppPath?: boolean;
  /**
   * Called after each attempt with its number, status or outcome and the wait before the next one
   * (for logs and metrics). What it throws or rejects with is ignored: the invite's outcome never
   * depends on it. Default none.
   */
  onAttempt?: (attempt: InviteAttempt) => void;
  /** `createTelemetry()`: an `invite` span per call, with its attempts and waits, and the invite metrics. Default: none. */
  telemetry?: Telemetry;
}

/** The per-call options of `invite()`. */
export interface InviteCallOptions {
  /** Aborts the invite at any point, getToken() and retry waits included; `invite()` rejects with its reason. */
  signal?: AbortSignal;
}

/** Sends invites: what `createInviteClient()` returns. */
export interface InviteClient {
  /**
   * Validates `body`, sends it to `POST /communications/calls/{callId}/participants/invite`, retries
   * 429/503/504, and resolves with the operation Graph returned (or an accepted invite whose
   * operation is not known yet: `status: null`). Rejects with InviteValidationError (nothing sent),
   * GraphTokenError, GraphRequestError, or the signal's reason.
   */
  invite(callId: string, body: InvitePostRequestBody, options?: InviteCallOptions): Promise<InviteResult>;
}

/** One invite, ready to send on every attempt. */
interface PreparedInvite {
  callId: string;
  body: InvitePostRequestBody;
  clientContext: string;
  clientRequestId: string;
}

function prepareInvite(callId: string, input: InvitePostRequestBody): PreparedInvite {
  if (typeof callId !== "string" || callId.trim() === "") {
    throw new TypeError("invite(callId, ...): callId must be a non-empty string");
  }
  // "." and ".." are dot-segments: URL parsing would remove them and send the invite elsewhere.
  if (callId === "." || callId === "..") throw new TypeError(`invite(callId, ...): callId cannot be "${callId}"`);
  const clientContext = input?.clientContext ?? crypto.randomUUID();
  const body: InvitePostRequestBody = { ...input, clientContext };
  // The same on every attempt of this invite; checkInviteRequest runs before any is sent.
  return { callId, body, clientContext, clientRequestId: crypto.randomUUID() };
}

/** "fetch failed (ECONNRESET)", "terminated (other side closed)": the message and its cause's code or message. */
function networkReason(error: TypeError): string {
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const detail =
    typeof cause?.code === "string" ? cause.code : typeof cause?.message === "string" ? cause.message : null;
  return detail ? `${error.message} (${detail})` : error.message;
}

/** What one attempt gave: a result, or the error invite() would throw, with what onAttempt reports. */
type AttemptOutcome =
  | { result: InviteResult; error?: undefined; status: number; requestId: string | null }
  | {
      result?: undefined;
      error: unknown;
      status: number | null;
      requestId: string | null;
      outcome: InviteAttemptOutcome;
    };

/** What a thrown error means for the attempt: the abort's or timeout's reason, getToken()'s error, or a network failure. */
function failed(error: unknown, signal: AbortSignal): AttemptOutcome & { result?: undefined } {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    const timeout = reason instanceof GraphRequestError && reason.reason === "timeout";
    return { error: reason, status: null, requestId: null, outcome: timeout ? "timeout" : "aborted" };
  }
  if (isTokenError(error)) return { error, status: null, requestId: null, outcome: "token" };
  if (error instanceof GraphRequestError) {
    return { error, status: error.status || null, requestId: error.requestId, outcome: error.reason };
  }
  // fetch reports a refused, reset or cut connection (or a body cut mid-read) as a TypeError
  if (error instanceof TypeError) {
    const network = new GraphRequestError({
      reason: "network",
      status: 0,
      message: `The invite got no usable answer: ${networkReason(error)}`,
      cause: error,
    });
    return { error: network, status: null, requestId: null, outcome: "network" };
  }
  return { error, status: null, requestId: null, outcome: "error" };
}

function report(hook: ((attempt: InviteAttempt) => void) | null, attempt: InviteAttempt): void {
  // Stryker disable next-line ConditionalExpression: calling a null hook throws a TypeError, which the catch below ignores
  if (hook === null) return;
  try {
    const returned: unknown = hook(attempt);
    // Stryker disable next-line ConditionalExpression: undefined.then throws a TypeError, which the catch below ignores
    if (isThenable(returned)) returned.then(undefined, () => {}); // a rejected hook is no unhandled rejection
  } catch {
    // ignored: the invite may already be at Graph, so a logging hook must not turn it into a failure
  }
}

/**
 * A client for Graph's participant invite. Options are checked here, before anything is sent.
 *
 * @example
 * ```ts
 * import { createInviteClient, inviteParticipants, userIdentity } from "graph-invite-contract";
 *
 * const client = createInviteClient({
 *   getToken: () => tokenCache.get(), // per attempt: an app token with Calls.InitiateGroupCall.All
 *   timeoutMs: 30_000,
 *   onAttempt: (a) => log.info({ attempt: a.attempt, status: a.status, outcome: a.outcome, retryInMs: a.retryInMs }),
 * });
 * const result = await client.invite(callId, inviteParticipants([userIdentity(userId)]));
 * await tracker.track(result); // the final callback settles it
 * ```
 */
export function createInviteClient(options: InviteClientOptions): InviteClient {
  const where = "createInviteClient";
  const connection = checkConnection(options, where);
  const policy: InvitePolicy = checkInvitePolicy(options, where);
  const legacyAppPath = checkFlag(options.legacyAppPath, `${where}: options.legacyAppPath`);
  const onAttempt = checkHook<(attempt: InviteAttempt) => void>(options.onAttempt, `${where}: options.onAttempt`);
  // invite() reads successful bodies itself, bounded, and sets the token itself (no middleware)
  const guarded = guardedFetch(connection.fetch, null);
  const graph = createTransport(connection, guarded);
  const path = legacyAppPath
    ? ("/app/calls/{call-id}/participants/invite" as const)
    : ("/communications/calls/{call-id}/participants/invite" as const);

  /** One POST and its answer, read bounded: the result, or what went wrong. */
  async function send(
    invite: PreparedInvite,
    signal: AbortSignal,
    attempt: number,
    span: InviteSpan | undefined,
  ): Promise<AttemptOutcome> {
    try {
      const headers = {
        authorization: await authorization(connection.getToken, signal), // per attempt: a refreshed token on retries
        "client-request-id": invite.clientRequestId,
        "user-agent": connection.userAgent, // null: openapi-fetch leaves the header unset, fetch sends its own
      };
      const { data, error, response } = await graph.POST(path, {
        params: { path: { "call-id": invite.callId } },
        body: invite.body,
        headers,
        parseAs: "stream", // read below, bounded, with the real status at hand
        // The signal goes to fetch, not to openapi-fetch's Request: followed once, not twice.
        fetch: (request: Request) => guarded(request, { signal }),
      });
      span?.answered(attempt, response);
      if (!response.ok) {
        const failure = errorStatusError(response, error);
        return { error: failure, status: response.status, requestId: failure.requestId, outcome: "error_status" };
      }
      const bytes = await readLimited(data ?? null, SUCCESS_BODY_LIMIT);
      if (bytes === null) throw tooLargeError(response, SUCCESS_BODY_LIMIT);
      const result = successResult(response, bytes, invite.clientContext);
      return { result, status: response.status, requestId: result.requestId };
    } catch (error) {
      return failed(error, signal);
    }
  }

  /** The wait before the next attempt, or null when this failure is final. */
  function retryDelay(error: unknown, attempt: number, deadline: Deadline): number | null {
    if (!(error instanceof GraphRequestError) || error.reason !== "error_status") return null;
    if (!RETRYABLE_STATUSES.has(error.status) || attempt >= policy.maxAttempts) return null;
    const delay = error.retryAfterMs ?? backoffMs(attempt, policy.baseDelayMs);
    // A wait past maxDelayMs, or one that would outlast timeoutMs, ends the retries with Graph's error.
    return delay > policy.maxDelayMs || delay >= deadline.remainingMs() ? null : delay;
  }

  async function invite(
    callId: string,
    input: InvitePostRequestBody,
    { signal }: InviteCallOptions = {},
    span?: InviteSpan, // given by traceInvites when the options ask for telemetry
  ) {
    const prepared = prepareInvite(callId, input);
    await checkInviteRequest(prepared.body); // nothing is sent for an invalid body
    let attempt = 1;
    const deadline = startDeadline(
      policy.timeoutMs,
      signal,
      () =>
        new GraphRequestError({
          reason: "timeout",
          status: 0,
          message: `The invite did not finish within timeoutMs (${policy.timeoutMs} ms; attempt ${attempt})`,
        }),
    );
    try {
      for (; ; attempt++) {
        deadline.signal.throwIfAborted();
        const started = Date.now();
        // Raced with the deadline too: a fetch (or body) that ignores the signal cannot outlast it.
        const outcome = await bounded(send(prepared, deadline.signal, attempt, span), deadline.signal).catch(
          (error: unknown) => failed(error, deadline.signal),
        );
        const retryInMs = outcome.result ? null : retryDelay(outcome.error, attempt, deadline);
        report(onAttempt, {
          attempt,
          status: outcome.status,
          outcome: outcome.result ? (outcome.result.status === null ? "accepted" : "operation") : outcome.outcome,
          retryInMs,
          requestId: outcome.requestId,
          durationMs: Date.now() - started,
        });
        if (outcome.result) return outcome.result;
        if (retryInMs === null) throw outcome.error;
        span?.retrying(retryInMs);
        await sleep(retryInMs, deadline.signal);
      }
    } finally {
      deadline.clear();
    }
  }

  return { invite: traceInvites(options, invite, path) };
}
