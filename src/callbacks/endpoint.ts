// The callback endpoint's decisions, shared by every host adapter (node:http, Fetch API): which
// path, method, type and size it takes, what verify's verdict means, and the answer to each case.
// The adapters only move bytes between their host and these functions.
import { NotificationValidationError } from "../errors.js";
import { isThenable } from "../thenable.js";
import { parseCommsNotifications, type CallbackEvent } from "./parse.js";
import type { CallbackHandler } from "./handler.js";

export interface CallbackEndpointOptions {
  /** The callback path. Default `/api/calls`; `null` takes any path (the host routes to the endpoint). */
  path?: string | null;
  /** Checks the Authorization header; throwing, or a rejected promise, refuses the request with 401. E.g. `(h) => verifyCallbackToken(h, opts)`. */
  verify?: (authorizationHeader: string | undefined) => unknown;
  /** Larger bodies get 413 without being buffered. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Errors of handlers that ran after the 202 (an AggregateError). Default: logged to stderr by name and message. */
  onError?: (error: unknown) => void;
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

/** The fixed answers, built once. */
export const ANSWERS = {
  accepted: answer(202),
  notFound: answer(404, odataError("NotFound", "No callback endpoint here.")),
  methodNotAllowed: answer(405, odataError("MethodNotAllowed", "Use POST."), { allow: "POST" }),
  unsupportedMediaType: answer(415, odataError("UnsupportedMediaType", "The body must be application/json.")),
  // The reason stays server-side: never echo token details to the caller.
  unauthorized: answer(401, odataError("Unauthorized", "The callback token was refused."), { "www-authenticate": "Bearer" }),
  internalError: answer(500, odataError("InternalServerError", "The callback could not be processed.")),
} as const;

export const tooLarge = (limit: number) =>
  answer(413, odataError("PayloadTooLarge", `The body exceeds ${limit} bytes.`), { connection: "close" });

/** A 500 that tells the bot's developer what to change (it never reaches Graph in a working setup). */
export const misconfigured = (message: string) => answer(500, odataError("EndpointMisconfigured", message));

/** The parse verdict: events to dispatch after a 202, or the 400 to answer. */
export type BodyVerdict = { events: CallbackEvent[]; answer: EndpointAnswer };

export interface CallbackEndpoint {
  readonly limit: number;
  /** Whether `pathname` is this endpoint's. */
  matches(pathname: string): boolean;
  /** 405, 415 or 413 for a request that cannot be taken, before verify and before any byte is read; else null. */
  screen(method: string | undefined, contentType: string | null | undefined, contentLength: string | null | undefined): EndpointAnswer | null;
  /**
   * verify's verdict: true to go on, false for 401, or a promise of either when verify is async.
   * Never throws.
   */
  authorize(authorization: string | undefined): boolean | Promise<boolean>;
  /** Parses the body (bytes, text or a body a framework already parsed): 202 with events, or 400 with issues. */
  judge(body: unknown): BodyVerdict;
  /** Runs the handlers after the answer; their failures go to onError. */
  dispatch(events: CallbackEvent[]): Promise<void>;
  /** Reports an unexpected failure (the adapter answers 500 when it still can). */
  onError(error: unknown): void;
}

const defaultOnError = (error: unknown) =>
  console.error(`graph-invite-contract: callback handler failed: ${(error as Error)?.name}: ${(error as Error)?.message}`);

export function createCallbackEndpoint(handler: CallbackHandler, options: CallbackEndpointOptions = {}): CallbackEndpoint {
  const path = options.path === undefined ? "/api/calls" : options.path;
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  const { verify } = options;
  const onError = options.onError ?? defaultOnError;

  return {
    limit,
    matches: (pathname) => path === null || pathname === path,

    screen(method, contentType, contentLength) {
      if (method !== "POST") return ANSWERS.methodNotAllowed;
      const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
      if (type !== "application/json") return ANSWERS.unsupportedMediaType;
      const declared = Number(contentLength);
      if (contentLength != null && contentLength !== "" && Number.isFinite(declared) && declared > limit) return tooLarge(limit);
      return null;
    },

    authorize(authorization) {
      if (!verify) return true;
      let verdict: unknown;
      try {
        verdict = verify(authorization);
      } catch {
        return false;
      }
      // Awaited only when verify returned a promise: a synchronous verify costs no microtask.
      if (!isThenable(verdict)) return true;
      return Promise.resolve(verdict).then(
        () => true,
        () => false,
      );
    },

    judge(body) {
      try {
        return { events: parseCommsNotifications(body), answer: ANSWERS.accepted };
      } catch (error) {
        if (!(error instanceof NotificationValidationError)) throw error;
        // The first issues only: a hostile body must not buy a large answer.
        const { issues } = error;
        const detail = { issueCount: issues.length, issues: issues.slice(0, RESPONSE_ISSUES) };
        return { events: [], answer: answer(400, odataError("InvalidNotification", "The body is not a valid commsNotifications payload.", detail)) };
      }
    },

    dispatch: (events) => handler.dispatch(events).catch(onError),
    onError,
  };
}
