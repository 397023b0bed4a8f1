// The callback endpoint's intake, shared by every host adapter (node:http, Fetch API): the whole
// sequence match → screen → authorize → read → judge → replay → record → 202 → dispatch, and the
// answer to each case. An adapter supplies only I/O (the request's head, reading the body, writing
// the answer), synchronously or not: a step that answers at once costs no promise or microtask.
import type { Intake, Telemetry, TelemetryHooks } from "../telemetry/hooks.js";
import { CallbackAuthError, EndpointOptionsError, IntakeTimeoutError, NotificationValidationError } from "../errors.js";
import { isThenable } from "../internal/thenable.js";
import type { CallbackHandler } from "../notifications/handler.js";
import { remoteCallbackKeys } from "../auth/keys.js";
import { parseCommsNotifications, type CallbackEvent } from "../notifications/parse.js";
import type { ReplayClaim } from "./replay.js";
import { verifyCallbackToken, type CallbackTokenClaims, type VerifyCallbackTokenOptions } from "../auth/verify.js";
import { validateEndpointOptions, type ValidAuth } from "./options.js";

export type { CallbackEndpointOptions } from "./options.js";

/** What the endpoint answers: a status, headers, and a JSON body or none. */
export interface EndpointAnswer {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

const RESPONSE_ISSUES = 20;

function answer(status: number, body?: object, headers: Record<string, string> = {}): EndpointAnswer {
  if (body === undefined) return { status, headers: { ...headers, "content-length": "0" } };
  return { status, headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(body) };
}

const odataError = (code: string, message: string, extra: object = {}) => ({ error: { code, message, ...extra } });

/** The fixed answers, built once (pure: a bundle without an endpoint, an invite-only one, drops them). */
export const ANSWERS = /* @__PURE__ */ (() =>
  ({
    accepted: answer(202),
    // A body acknowledged before (replay guard): 2xx, so Graph neither retries nor drops it; not dispatched again.
    duplicate: answer(202),
    notFound: answer(404, odataError("NotFound", "No callback endpoint here.")),
    methodNotAllowed: answer(405, odataError("MethodNotAllowed", "Use POST."), { allow: "POST" }),
    unsupportedMediaType: answer(415, odataError("UnsupportedMediaType", "The body must be application/json.")),
    // The reason stays server-side: never echo token details to the caller.
    unauthorized: answer(401, odataError("Unauthorized", "The callback token was refused."), {
      "www-authenticate": "Bearer",
    }),
    internalError: answer(500, odataError("InternalServerError", "The callback could not be processed.")),
    // The signing keys could not be fetched: not the sender's fault, and worth a retry.
    keysUnavailable: answer(503, odataError("ServiceUnavailable", "The callback token cannot be checked right now."), {
      "retry-after": "30",
    }),
    unreadable: answer(400, odataError("BadRequest", "The request body could not be read.")),
    readTimeout: answer(408, odataError("RequestTimeout", "The request body did not arrive in time."), {
      connection: "close",
    }),
    // record() failed, or a step took too long: nothing is acknowledged, so the sender tries again.
    notRecorded: answer(503, odataError("ServiceUnavailable", "The callback could not be recorded."), {
      "retry-after": "5",
    }),
    // A step (verify, the keys, the replay guard, record) took longer than timeoutMs: acknowledge nothing.
    timedOut: answer(503, odataError("ServiceUnavailable", "The callback could not be taken in time."), {
      "retry-after": "5",
    }),
    // The same body is being taken by another request: its outcome decides; ask for a resend later.
    inFlight: answer(503, odataError("ServiceUnavailable", "This callback body is being processed."), {
      "retry-after": "5",
    }),
  }) as const)();

export const tooLarge = (limit: number) =>
  answer(413, odataError("PayloadTooLarge", `The body exceeds ${limit} bytes.`), { connection: "close" });

/** A 500 that tells the bot's developer what to change (it never reaches Graph in a working setup). */
export const misconfigured = (message: string) => answer(500, odataError("EndpointMisconfigured", message));

/** The intake's steps, in order. */
export type IntakeStep =
  "match" | "screen" | "authorize" | "read" | "judge" | "replay" | "record" | "acknowledge" | "dispatch";

/** The request line and the headers the endpoint reads, as the adapter found them. */
export interface IntakeRequest {
  method: string | undefined;
  /** The path, without the query. */
  path: string;
  contentType: string | null | undefined;
  contentLength: string | null | undefined;
  authorization: string | null | undefined;
}

/**
 * What reading the body gave: the body (bytes, text, or what a framework already parsed), `too-large`
 * (the adapter stopped reading past the limit), `unreadable` (the stream failed: 400), `aborted` (the
 * client went away: no answer), or an answer of the adapter's own (a misconfiguration).
 */
export type ReadOutcome = { body: unknown } | "too-large" | "unreadable" | "aborted" | { answer: EndpointAnswer };

/** The adapter's I/O: each may complete synchronously. */
export interface IntakeIO {
  /** Reads the body up to `limit` bytes, then calls `done` once, at once or later. */
  read(limit: number, done: (outcome: ReadOutcome) => void): void;
  /** Writes the answer. `bodyUnread`: the body was not (wholly) read; the adapter closes, drains or cancels it. */
  respond(answer: EndpointAnswer, bodyUnread: boolean): void;
  /** The path is not the endpoint's: hand the request on (Express' `next`). Default: answer 404. */
  unmatched?(): void;
  /**
   * Calls `listener` if the client goes away before the answer (the intake then stops, acknowledging
   * nothing). Asked for once the intake waits on a promise; `read` reports a client gone mid-body itself.
   */
  closed?(listener: () => void): void;
  /** Runs the handlers' work after the answer (e.g. into a host's `waitUntil`). Default: now. */
  afterAnswer?(work: () => Promise<void>): void;
}

export interface CallbackEndpoint {
  /** The body size limit (`maxBodyBytes`). */
  readonly limit: number;
  /** Takes one request through the whole sequence. Never throws; failures reach onError and answer 500. */
  intake(request: IntakeRequest, io: IntakeIO): void;
  /** Reports an error to onError, safely (an onError that throws is logged by name). */
  report(error: unknown): void;
}

interface Deadline {
  at: number;
  expire(): void;
}

/**
 * The requests waiting on a step, checked by one interval while any waits: cheaper than a timer per
 * request on the hot path (a body is always read asynchronously on Node). One timeout for all, so
 * insertion order is deadline order. A request expires between timeoutMs and 1.5 × timeoutMs
 * (at most timeoutMs + 1 s).
 */
function createDeadlines(timeoutMs: number) {
  const waiting = new Set<Deadline>();
  let sweeper: ReturnType<typeof setInterval> | undefined;
  const sweep = () => {
    const now = Date.now();
    for (const deadline of waiting) {
      if (deadline.at > now) break;
      waiting.delete(deadline);
      deadline.expire();
    }
    if (waiting.size === 0) {
      clearInterval(sweeper);
      sweeper = undefined;
    }
  };
  return {
    add(deadline: Deadline) {
      waiting.add(deadline);
      if (sweeper !== undefined) return;
      sweeper = setInterval(sweep, Math.min(1_000, Math.max(1, Math.ceil(timeoutMs / 2))));
      // Node and Deno: a quiet endpoint must not keep the process alive
      (sweeper as { unref?: () => void }).unref?.();
    },
    /** Done with `deadline` (answered), or with none (the request never waited). */
    delete: (deadline: Deadline | undefined) => waiting.delete(deadline as Deadline),
  };
}

const nameOf = (error: unknown) => (error instanceof Error ? error.name : typeof error);

/** Default onError: the name only, as a message may carry callback content (numbers, clientContext). */
const logByName = (error: unknown) =>
  console.error(
    `graph-invite-contract: callback endpoint error: ${nameOf(error)} (pass onError to the endpoint to handle it)`,
  );

/**
 * How a host verifies a token: verifyCallbackToken (jose), or the Node entry's node:crypto check,
 * which answers at once when it can.
 */
export type TokenVerifier = (
  authorizationHeader: string | null | undefined,
  options: VerifyCallbackTokenOptions,
) => CallbackTokenClaims | Promise<CallbackTokenClaims>;

function verifierFrom(
  auth: ValidAuth,
  verifyToken: TokenVerifier,
  telemetry: TelemetryHooks | undefined,
): ((authorization: string | undefined) => unknown) | null {
  if (auth.kind === "unverified") return null;
  if (auth.kind === "custom") return auth.verify;
  const verification: VerifyCallbackTokenOptions = {
    appId: auth.appId,
    keys: auth.keys ?? remoteCallbackKeys(undefined, telemetry ? { telemetry: telemetry as unknown as Telemetry } : {}),
  };
  if (auth.tenantId !== undefined) verification.tenantId = auth.tenantId;
  if (auth.cache !== undefined) verification.cache = auth.cache;
  return (authorization) => verifyToken(authorization, verification);
}

const refusal = (error: unknown): EndpointAnswer =>
  error instanceof CallbackAuthError && error.reason === "keys_unavailable"
    ? ANSWERS.keysUnavailable
    : ANSWERS.unauthorized;

/** 400 with the first issues only: a hostile body must not buy a large answer. */
function invalid(error: NotificationValidationError): EndpointAnswer {
  const { issues } = error;
  const detail = { issueCount: issues.length, issues: issues.slice(0, RESPONSE_ISSUES) };
  return answer(400, odataError("InvalidNotification", "The body is not a valid commsNotifications payload.", detail));
}

/**
 * The endpoint for `handler` with checked options (an EndpointOptionsError for any option that would
 * skip a check). `extraOptions`: the adapter's own option names; `verifyToken`: how it checks tokens.
 */
export function createCallbackEndpoint(
  handler: CallbackHandler,
  options: unknown,
  extraOptions: readonly string[],
  verifyToken: TokenVerifier = verifyCallbackToken,
): CallbackEndpoint {
  // Checked now: a handler without dispatch would fail only after the 202, losing every callback.
  if (typeof (handler as Partial<CallbackHandler> | null)?.dispatch !== "function")
    throw new EndpointOptionsError("handler", "type", "must be a handler from createCallbackHandler()");
  const { path, auth, replayGuard, record, limit, timeoutMs, onError, telemetry } = validateEndpointOptions(
    options,
    extraOptions,
  );
  const verify = verifierFrom(auth, verifyToken, telemetry);
  const deadlines = createDeadlines(timeoutMs);

  function report(error: unknown) {
    try {
      const result = onError ? onError(error) : logByName(error);
      void Promise.resolve(result).catch(reportThrown); // an async onError's rejection too
    } catch (thrown) {
      reportThrown(thrown);
    }
  }
  function reportThrown(thrown: unknown) {
    console.error(`graph-invite-contract: onError threw ${nameOf(thrown)}; the error it was given was dropped`);
  }

  function intake(request: IntakeRequest, io: IntakeIO): void {
    let answered = false;
    let bodyRead = false;
    let claim: ReplayClaim | null = null;
    let deadline: Deadline | undefined;
    let step: IntakeStep; // the step that waits, for the timeout's answer and report
    let span: Intake | undefined; // the callback span, when the options ask for telemetry
    let watched = false; // whether io.closed watches for the client going away

    /**
     * Answers once (a later continuation, after a timeout, finds the request answered and stops).
     * Whether the answer was written: a 202 that could not be is a 500, and acknowledges nothing.
     */
    function finish(reply: EndpointAnswer | null): boolean {
      // Stryker disable next-line BooleanLiteral: the one caller that reads it, acknowledge(), never runs once answered
      if (answered) return false;
      answered = true;
      deadlines.delete(deadline);
      let written = false;
      if (reply !== null) {
        try {
          io.respond(reply, !bodyRead);
          written = true;
          span?.answered(reply.status);
        } catch (error) {
          report(error);
          try {
            io.respond(ANSWERS.internalError, !bodyRead);
            // Stryker disable next-line OptionalChaining: without a span, its TypeError lands in the catch below, after the 500 was written
            span?.answered(ANSWERS.internalError.status);
          } catch {
            // the connection is gone: nothing more to tell
          }
        }
      }
      // Stryker disable next-line ConditionalExpression: answered() ends the span, a later call does nothing (Intake)
      if (!written) span?.answered(0); // the client went away before any answer
      settle(claim, written && reply === ANSWERS.accepted);
      return written;
    }

    /** Acknowledges (after a 202) or releases a new claim. A guard that throws is reported; the answer stands. */
    function settle(claimed: ReplayClaim | null, acknowledged: boolean) {
      if (claimed?.state !== "new") return;
      try {
        if (acknowledged) claimed.acknowledge();
        else claimed.release();
      } catch (error) {
        report(error);
      }
    }

    function fail(error: unknown) {
      report(error);
      finish(ANSWERS.internalError);
    }

    /** The deadline for steps that do not answer at once: set by the first of them, one per request. */
    function wait() {
      if (deadline) return;
      deadline = { at: Date.now() + timeoutMs, expire };
      deadlines.add(deadline);
    }

    // Only while unanswered: finish() takes the deadline out before the sweep can reach it.
    function expire() {
      // A body that does not arrive is the client's doing; any other step is the bot's (or its keys').
      span?.because(step === "read" ? "read_timeout" : "timed_out");
      if (step === "read") return void finish(ANSWERS.readTimeout);
      report(new IntakeTimeoutError(step, timeoutMs));
      finish(ANSWERS.timedOut);
    }

    /**
     * `next(value)` at once for a plain value, after it settles for a promise; `failed` for a
     * rejection. While a promise is pending the client may go away: watched from the first one on
     * (the body's read reports that itself, so a callback that only waits for its body never pays
     * for the watch). `late`: what becomes of a value that settles after the answer (a timeout).
     */
    function then<T>(
      value: T | PromiseLike<T>,
      next: (value: T) => void,
      failed: (error: unknown) => void = fail,
      late?: (value: T) => void,
    ) {
      if (!isThenable(value)) return next(value);
      wait();
      if (!watched) {
        watched = true;
        io.closed?.(() => void finish(null));
      }
      value.then(
        (settled) => {
          if (answered) return void late?.(settled);
          try {
            next(settled);
          } catch (error) {
            fail(error);
          }
        },
        (error: unknown) => (answered ? undefined : failed(error)),
      );
    }

    // 1. match: the endpoint's path, or the host's next handler.
    function match() {
      if (path !== null && request.path !== path) return io.unmatched ? io.unmatched() : finish(ANSWERS.notFound);
      span = telemetry?.intakeStarted(request.method, request.path, verify !== null);
      screen();
    }

    // 2. screen: method, type and declared size, before verify and before any byte is read.
    function screen() {
      if (request.method !== "POST") return finish(ANSWERS.methodNotAllowed);
      const type = request.contentType?.split(";")[0]!.trim().toLowerCase();
      if (type !== "application/json") return finish(ANSWERS.unsupportedMediaType);
      // No header (NaN), an empty one (0): nothing declared. A size that is no number is not trusted either way.
      const declared = Number(request.contentLength);
      if (Number.isFinite(declared) && declared > limit) return finish(tooLarge(limit));
      authorize();
    }

    // 3. authorize: the token's verdict (401, or 503 when the signing keys cannot be had), before the body.
    function authorize() {
      step = "authorize";
      if (!verify) return read();
      let verdict: unknown;
      const refused = (error: unknown) => {
        span?.refused(error);
        finish(refusal(error));
      };
      try {
        verdict = verify(request.authorization ?? undefined);
      } catch (error) {
        return refused(error);
      }
      then(verdict, (result) => (result ? read() : refused(null)), refused);
    }

    // 4. read: the body, within the size limit and the deadline.
    function read() {
      step = "read";
      let done = false;
      io.read(limit, (outcome) => {
        if (done || answered) return;
        done = true;
        try {
          judge(outcome);
        } catch (error) {
          fail(error);
        }
      });
      if (!done) wait(); // (nothing answers before the read reports, but the read itself)
    }

    // 5. judge: parse and validate the body (400 with the first issues).
    function judge(outcome: ReadOutcome) {
      if (outcome === "aborted") return finish(null);
      if (outcome === "too-large") return finish(tooLarge(limit));
      bodyRead = true;
      if (outcome === "unreadable") return finish(ANSWERS.unreadable);
      if ("answer" in outcome) return finish(outcome.answer);
      const { body } = outcome;
      let events: CallbackEvent[];
      try {
        events = parseCommsNotifications(body);
      } catch (error) {
        if (!(error instanceof NotificationValidationError)) throw error;
        span?.parsed(null, error.issues.length);
        return finish(invalid(error));
      }
      span?.parsed(events);
      if (replayGuard) {
        step = "replay";
        // A claim that comes after the answer (the guard took longer than timeoutMs) is released:
        // held in flight, it would refuse every resend of this body.
        return then(
          replayGuard.claim(body),
          (claimed) => replay(claimed, events),
          fail,
          (claimed) => settle(claimed, false),
        );
      }
      recordEvents(events);
    }

    // 6. replay: a body acknowledged before gets 202 again without a second dispatch.
    function replay(claimed: ReplayClaim, events: CallbackEvent[]) {
      if (claimed.state !== "new") span?.because(claimed.state === "acknowledged" ? "replayed" : "in_flight");
      if (claimed.state === "acknowledged") return void finish(ANSWERS.duplicate);
      if (claimed.state === "in-flight") return void finish(ANSWERS.inFlight);
      claim = claimed;
      recordEvents(events);
    }

    // 7. record: `record(events)` before the answer; 503 when it fails.
    function recordEvents(events: CallbackEvent[]) {
      step = "record";
      if (!record) return acknowledge(events);
      const failed = (error: unknown) => {
        span?.recordFailed(error);
        report(error);
        finish(ANSWERS.notRecorded);
      };
      let result: unknown;
      try {
        result = record(events);
      } catch (error) {
        return failed(error);
      }
      then(result, () => acknowledge(events), failed);
    }

    // 8. acknowledge (202), then 9. dispatch to the handlers, after the answer; their errors reach onError.
    function acknowledge(events: CallbackEvent[]) {
      if (!finish(ANSWERS.accepted)) return;
      const work = () => handler.dispatch(events).catch(report);
      if (io.afterAnswer) io.afterAnswer(work);
      else void work();
    }

    try {
      match();
    } catch (error) {
      fail(error);
    }
  }

  return { limit, intake, report };
}
