// The callback endpoint's decisions, shared by every host adapter (node:http, Fetch API): which
// path, method, type and size it takes, what verify's verdict means, and the answer to each case.
// The adapters only move bytes between their host and these functions.
import { CallbackAuthError, NotificationValidationError } from "../errors.js";
import { isThenable } from "../internal/thenable.js";
import type { CallbackHandler } from "../notifications/handler.js";
import { remoteCallbackKeys } from "../auth/keys.js";
import { parseCommsNotifications, type CallbackEvent } from "../notifications/parse.js";
import type { ReplayGuard } from "./replay.js";
import type { VerifiedTokenCache } from "../auth/token-cache.js";
import {
  verifyCallbackToken,
  type CallbackJsonWebKeySet,
  type CallbackKeyResolver,
  type VerifyCallbackTokenOptions,
} from "../auth/verify.js";
import { telemetryOption, type Intake, type Telemetry } from "../telemetry/hooks.js";

/**
 * How the endpoint knows a callback comes from Graph: one of `appId` (Microsoft's published keys),
 * `verify` (your own check), or, for local tests only, `dangerouslyAcceptUnverifiedCallbacks`.
 */
export interface CallbackEndpointOptions {
  /** The callback path. Default `/api/calls`; `null` takes any path (the host routes to the endpoint). */
  path?: string | null;
  /**
   * The bot's application id: verify each callback's token with `verifyCallbackToken` against
   * Microsoft's published keys (`remoteCallbackKeys()`, or `keys`). The secure default.
   */
  appId?: string;
  /** With `appId`: the token's `tid` must be this tenant. */
  tenantId?: string;
  /** With `appId`: the keys to verify with. Default `remoteCallbackKeys()`. */
  keys?: CallbackJsonWebKeySet | CallbackKeyResolver;
  /**
   * With `appId`, opt-in: `createVerifiedTokenCache()`, so a token Graph sends again is accepted
   * without another signature check, until its own `exp` (see verifyCallbackToken's `cache`).
   */
  cache?: VerifiedTokenCache;
  /**
   * Checks the Authorization header instead of `appId`. A throw, a rejected promise or a falsy
   * result refuses the request with 401. E.g. `(h) => verifyCallbackToken(h, opts)`.
   */
  verify?: (authorizationHeader: string | undefined) => unknown;
  /** Accept callbacks without checking who sent them. Local tests only: anyone can forge a callback. */
  dangerouslyAcceptUnverifiedCallbacks?: boolean;
  /** Refuse (409) an exact callback body seen before (`createReplayGuard()`). Off by default. */
  replayGuard?: ReplayGuard;
  /**
   * Records the events before the 202, e.g. `(events) => tracker.observe(events)` with the Redis
   * tracker: when it throws or rejects, the endpoint answers 503 and acknowledges nothing, so Graph
   * sends the callback again. Default: nothing recorded before the answer.
   */
  record?: (events: CallbackEvent[]) => unknown;
  /** Larger bodies get 413 without being buffered. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Errors of handlers that ran after the 202 (an AggregateError). Default: logged to stderr by name and message. */
  onError?: (error: unknown) => void;
  /** `createTelemetry()`: a `callback` span, metrics and log records per request (and the default keys' fetches). Default: none. */
  telemetry?: Telemetry;
}

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
    replayed: answer(409, odataError("DuplicateNotification", "This callback body was already received.")),
    unreadable: answer(400, odataError("BadRequest", "The request body could not be read.")),
    // record() failed: nothing is acknowledged, so the sender tries again.
    notRecorded: answer(503, odataError("ServiceUnavailable", "The callback could not be recorded."), {
      "retry-after": "5",
    }),
  }) as const)();

export const tooLarge = (limit: number) =>
  answer(413, odataError("PayloadTooLarge", `The body exceeds ${limit} bytes.`), { connection: "close" });

/** A 500 that tells the bot's developer what to change (it never reaches Graph in a working setup). */
export const misconfigured = (message: string) => answer(500, odataError("EndpointMisconfigured", message));

/** The parse verdict: events to dispatch after a 202, or the 400 to answer. */
export type BodyVerdict = { events: CallbackEvent[]; answer: EndpointAnswer };

export interface CallbackEndpoint {
  readonly limit: number;
  /** The telemetry of one request that matched (undefined without the `telemetry` option); the adapter passes it to the calls below. */
  begin(method: string | undefined, path: string): Intake | undefined;
  /** Whether `pathname` is this endpoint's. */
  matches(pathname: string): boolean;
  /** 405, 415 or 413 for a request that cannot be taken, before verify and before any byte is read; else null. */
  screen(
    method: string | undefined,
    contentType: string | null | undefined,
    contentLength: string | null | undefined,
  ): EndpointAnswer | null;
  /**
   * The verification's verdict: null to go on, else the answer (401, or 503 when the signing keys
   * cannot be had); a promise of it when verification is async. Never throws.
   */
  authorize(authorization: string | undefined, intake?: Intake): EndpointAnswer | null | Promise<EndpointAnswer | null>;
  /** Parses the body (bytes, text or a body a framework already parsed): 202 with events, or 400 with issues. */
  judge(body: unknown, intake?: Intake): BodyVerdict;
  /** With a replay guard: 409 when this body was seen before, else null (and the body is remembered). */
  replayed: ((body: unknown) => Promise<EndpointAnswer | null>) | null;
  /**
   * Runs `record` on accepted events: null when recorded (or nothing to record), 503 when it failed,
   * or a promise of either when it is async. Never throws.
   */
  recorded(events: CallbackEvent[], intake?: Intake): EndpointAnswer | null | Promise<EndpointAnswer | null>;
  /** Runs the handlers after the answer; their failures go to onError. */
  dispatch(events: CallbackEvent[]): Promise<void>;
  /** Reports an unexpected failure (the adapter answers 500 when it still can). */
  onError(error: unknown): void;
}

const defaultOnError = (error: unknown) =>
  console.error(
    `graph-invite-contract: callback handler failed: ${(error as Error)?.name}: ${(error as Error)?.message}`,
  );

/** The verification the options ask for; a TypeError naming the options when they ask for none (fail closed). */
function verifierFrom(options: CallbackEndpointOptions): ((authorization: string | undefined) => unknown) | null {
  const { appId, verify, dangerouslyAcceptUnverifiedCallbacks: unverified } = options;
  const ways = [appId !== undefined, verify !== undefined, unverified === true].filter(Boolean).length;
  if (ways !== 1) {
    throw new TypeError(
      ways === 0
        ? "A callback endpoint needs a way to verify callbacks: pass `appId` (Microsoft's published keys), `verify`, or, for local tests only, `dangerouslyAcceptUnverifiedCallbacks: true`."
        : "Pass only one of `appId`, `verify` and `dangerouslyAcceptUnverifiedCallbacks`.",
    );
  }
  if (unverified) return null;
  if (verify) return verify;
  if (typeof appId !== "string" || appId === "")
    throw new TypeError("`appId` must be the bot's application id (a non-empty string).");
  const keys = options.keys ?? remoteCallbackKeys(undefined, { telemetry: options.telemetry });
  const verification: VerifyCallbackTokenOptions = { appId, keys };
  if (options.tenantId !== undefined) verification.tenantId = options.tenantId;
  if (options.cache !== undefined) verification.cache = options.cache;
  return (authorization) => verifyCallbackToken(authorization, verification);
}

const refusal = (error: unknown, intake?: Intake): EndpointAnswer => {
  intake?.refused(error);
  return error instanceof CallbackAuthError && error.reason === "keys_unavailable"
    ? ANSWERS.keysUnavailable
    : ANSWERS.unauthorized;
};

export function createCallbackEndpoint(
  handler: CallbackHandler,
  options: CallbackEndpointOptions = {},
): CallbackEndpoint {
  const path = options.path === undefined ? "/api/calls" : options.path;
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  const verify = verifierFrom(options);
  const onError = options.onError ?? defaultOnError;
  const { replayGuard, record } = options;
  const telemetry = telemetryOption(options.telemetry);

  return {
    limit,
    begin: (method, path) => telemetry?.intakeStarted(method, path, verify !== null),
    matches: (pathname) => path === null || pathname === path,

    screen(method, contentType, contentLength) {
      if (method !== "POST") return ANSWERS.methodNotAllowed;
      const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
      if (type !== "application/json") return ANSWERS.unsupportedMediaType;
      const declared = Number(contentLength);
      if (contentLength != null && contentLength !== "" && Number.isFinite(declared) && declared > limit)
        return tooLarge(limit);
      return null;
    },

    authorize(authorization, intake) {
      if (!verify) return null;
      let verdict: unknown;
      try {
        verdict = verify(authorization);
      } catch (error) {
        return refusal(error, intake);
      }
      // Awaited only when verify returned a promise: a synchronous verify costs no microtask.
      if (!isThenable(verdict)) return verdict ? null : refusal(null, intake);
      return Promise.resolve(verdict).then(
        (result) => (result ? null : refusal(null, intake)),
        (error: unknown) => refusal(error, intake),
      );
    },

    judge(body, intake) {
      try {
        const events = parseCommsNotifications(body);
        intake?.parsed(events);
        return { events, answer: ANSWERS.accepted };
      } catch (error) {
        if (!(error instanceof NotificationValidationError)) throw error;
        // The first issues only: a hostile body must not buy a large answer.
        const { issues } = error;
        intake?.parsed(null, issues.length);
        const detail = { issueCount: issues.length, issues: issues.slice(0, RESPONSE_ISSUES) };
        return {
          events: [],
          answer: answer(
            400,
            odataError("InvalidNotification", "The body is not a valid commsNotifications payload.", detail),
          ),
        };
      }
    },

    replayed: replayGuard ? async (body) => ((await replayGuard.seen(body)) ? ANSWERS.replayed : null) : null,

    recorded(events, intake) {
      if (!record) return null;
      const failed = (error: unknown) => {
        intake?.recordFailed(error);
        onError(error);
        return ANSWERS.notRecorded;
      };
      let result: unknown;
      try {
        result = record(events);
      } catch (error) {
        return failed(error);
      }
      return isThenable(result) ? Promise.resolve(result).then(() => null, failed) : null;
    },

    dispatch: (events) => handler.dispatch(events).catch(onError),
    onError,
  };
}
