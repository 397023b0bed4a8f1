// Every error class the package throws. Each carries `code`: a stable, machine-readable string
// (ERROR_CODES lists them; docs/errors.md is the table), so code that cannot use `instanceof` (two
// copies of the package, a log pipeline, another language) can still tell them apart. A new class
// adds its code to ERROR_CODES and a row to docs/errors.md; test/error-codes.test.ts checks both.
import type { InviteIssue, NotificationIssue, NotificationRule, ValidationIssue } from "./issues.js";
import type { InviteParticipantsOperation, NumericResultInfo, ODataError, ResultInfo } from "./schema-types.js";

const MESSAGE_ISSUES = 20;

/**
 * Every error class's `code`, by class name. Stable: consumers may match on them. Each class writes
 * its own code as a literal rather than reading it from here, so a bundle carries only the codes of
 * the classes it uses (an invite-only app: three of them); test/error-codes.test.ts holds each class
 * to this table.
 */
export const ERROR_CODES = {
  InviteValidationError: "INVITE_INVALID",
  NotificationValidationError: "NOTIFICATION_INVALID",
  InviteOperationFailedError: "INVITE_OPERATION_FAILED",
  InviteOperationTimeoutError: "INVITE_OPERATION_TIMEOUT",
  OperationTrackerError: "TRACKER_REFUSED",
  CallbackAuthError: "CALLBACK_TOKEN_REFUSED",
  GraphTokenError: "GRAPH_TOKEN_INVALID",
  GraphRequestError: "GRAPH_REQUEST_FAILED",
  CallTerminatedError: "CALL_TERMINATED",
  EndpointOptionsError: "ENDPOINT_OPTION_INVALID",
  IntakeTimeoutError: "INTAKE_TIMEOUT",
  RedisTrackerError: "REDIS_TRACKER_FAILED",
  InvalidOptionError: "OPTION_INVALID",
} as const;

/** The `code` of an error this package throws. */
export type GraphInviteErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** The base of the validation errors: carries the issues found in a payload and lists them in its message. */
export abstract class PayloadValidationError<Rule extends string = string> extends Error {
  /** The class's stable code (ERROR_CODES). */
  abstract readonly code: GraphInviteErrorCode;
  /** Every issue found, in a stable order (by path, then rule): the message lists only the first 20. */
  readonly issues: ReadonlyArray<ValidationIssue<Rule>>;

  constructor(title: string, issues: ReadonlyArray<ValidationIssue<Rule>>) {
    // The message lists the first issues only: it is read by people and logged; `issues` has them all.
    const lines = issues.slice(0, MESSAGE_ISSUES).map((i) => `  ${i.path || "/"} ${i.rule}: ${i.message}`);
    if (issues.length > MESSAGE_ISSUES) lines.push(`  ... and ${issues.length - MESSAGE_ISSUES} more`);
    super(`${title} (${issues.length} issue${issues.length === 1 ? "" : "s"}):\n${lines.join("\n")}`);
    this.issues = issues;
  }
}

/** An invite request body broke the schema or a documented rule; nothing was sent. */
export class InviteValidationError extends PayloadValidationError<InviteIssue["rule"]> {
  /** `"InviteValidationError"`, the class's name, in stack traces and logs; a field, so minifying keeps it. */
  override readonly name = "InviteValidationError";
  /** `"INVITE_INVALID"`: the stable code of docs/errors.md's table (ERROR_CODES.InviteValidationError); match on it where `instanceof` cannot work. */
  override readonly code = "INVITE_INVALID" as const;

  constructor(issues: readonly InviteIssue[]) {
    super("Invalid invite request body", issues);
  }
}

/** A callback body is not JSON or breaks the commsNotifications schema. */
export class NotificationValidationError extends PayloadValidationError<NotificationRule> {
  /** `"NotificationValidationError"`, the class's name, in stack traces and logs; a field, so minifying keeps it. */
  override readonly name = "NotificationValidationError";
  /** `"NOTIFICATION_INVALID"`: the stable code of docs/errors.md's table (ERROR_CODES.NotificationValidationError); match on it where `instanceof` cannot work. */
  override readonly code = "NOTIFICATION_INVALID" as const;

  constructor(issues: readonly NotificationIssue[]) {
    super("Invalid commsNotifications payload", issues);
  }
}

/** Graph reported the invite's operation as failed (declined, unanswered, not allowed, ...). */
export class InviteOperationFailedError extends Error {
  /** `"InviteOperationFailedError"`, the class's name, in stack traces and logs; a field, so minifying keeps it. */
  override readonly name = "InviteOperationFailedError";
  /** `"INVITE_OPERATION_FAILED"`: the stable code of docs/errors.md's table (ERROR_CODES.InviteOperationFailedError); match on it where `instanceof` cannot work. */
  readonly code = "INVITE_OPERATION_FAILED" as const;
  /** Why it failed, as Graph sent it (`code`, `subcode`, `message`; e.g. 603 declined); null when absent. */
  readonly resultInfo: ResultInfo | null;
  /** The failed operation, as the callback carried it. */
  readonly operation: InviteParticipantsOperation;
  /** The operation's clientContext, which the invite was sent with; null when Graph echoed none. */
  readonly clientContext: string | null;

  constructor(operation: InviteParticipantsOperation) {
    const info = operation.resultInfo ?? null;
    const detail = info
      ? `code ${info.code ?? "?"}, subcode ${info.subcode ?? "?"}${info.message ? `: ${info.message}` : ""}`
      : "no resultInfo";
    super(`Invite operation ${operation.id ?? "(no id)"} failed (${detail})`);
    this.resultInfo = info;
    this.operation = operation;
    this.clientContext = operation.clientContext ?? null;
  }
}

/**
 * The call ended while a tracked invite was waiting (a call notification with state `terminated`):
 * no final operation callback will come. `resultInfo` is the call's, the reason it ended
 * (call-delete.md's end reason codes, e.g. 200/5001 "The conversation has ended.").
 */
export class CallTerminatedError extends Error {
  /** `"CallTerminatedError"`, the class's name, in stack traces and logs; a field, so minifying keeps it. */
  override readonly name = "CallTerminatedError";
  /** `"CALL_TERMINATED"`: the stable code of docs/errors.md's table (ERROR_CODES.CallTerminatedError); match on it where `instanceof` cannot work. */
  readonly code = "CALL_TERMINATED" as const;

  constructor(
    /** The call that ended, as the track() named it (its `callId`, else the call id in its `location`). */
    readonly callId: string,
    /** The tracked invite's clientContext. */
    readonly clientContext: string,
    /** The tracked invite's operation id; null when the track() had none. */
    readonly operationId: string | null,
    /** The call's resultInfo, code and subcode as numbers: why it ended. Null when the notification carried none. */
    readonly resultInfo: NumericResultInfo | null,
  ) {
    const info = resultInfo
      ? `code ${resultInfo.code ?? "?"}, subcode ${resultInfo.subcode ?? "?"}${resultInfo.message ? `: ${resultInfo.message}` : ""}`
      : "no resultInfo";
    super(`Call ${callId} terminated (${info}) before invite operation ${operationId ?? "(no id)"} completed`);
  }
}

/** No final callback arrived for a tracked invite operation within the timeout. */
export class InviteOperationTimeoutError extends Error {
  /** `"InviteOperationTimeoutError"`, the class's name, in stack traces and logs; a field, so minifying keeps it. */
  override readonly name = "InviteOperationTimeoutError";
  /** `"INVITE_OPERATION_TIMEOUT"`: the stable code of docs/errors.md's table (ERROR_CODES.InviteOperationTimeoutError); match on it where `instanceof` cannot work. */
  readonly code = "INVITE_OPERATION_TIMEOUT" as const;

  constructor(
    /** The tracked invite's clientContext. */
    readonly clientContext: string,
    /** The tracked invite's operation id; null when the track() had none. */
    readonly operationId: string | null,
    /** How long it waited, in milliseconds: the tracker's `timeoutMs`. */
    readonly timeoutMs: number,
  ) {
    super(
      `No final callback for invite operation ${operationId ?? "(no id)"} (clientContext ${clientContext}) within ${timeoutMs} ms`,
    );
  }
}

/** Why the tracker refused a track(): the same invite tracked twice, too many pending, or closed. */
export type OperationTrackerErrorReason = "duplicate" | "full" | "closed";

/** A track() the tracker refused (it never waited for a callback). */
export class OperationTrackerError extends Error {
  /** `"OperationTrackerError"`, the class's name, in stack traces and logs; a field, so minifying keeps it. */
  override readonly name = "OperationTrackerError";
  /** `"TRACKER_REFUSED"`: the stable code of docs/errors.md's table (ERROR_CODES.OperationTrackerError); match on it where `instanceof` cannot work. */
  readonly code = "TRACKER_REFUSED" as const;

  constructor(
    /** Why: `duplicate` (this invite is tracked already), `full` (`maxPending` reached) or `closed`. */
    readonly reason: OperationTrackerErrorReason,
    message: string,
  ) {
    super(message);
  }
}

/** Why a callback's Bearer token was refused. */
export type CallbackAuthReason =
  | "missing"
  | "malformed"
  | "algorithm"
  | "unknown_key"
  | "keys_unavailable"
  | "signature"
  | "expired"
  | "claim"
  | "tenant";

/** The callback's Authorization header is missing or its JWT does not verify. */
export class CallbackAuthError extends Error {
  /** `"CallbackAuthError"`, the class's name, in stack traces and logs; a field, so minifying keeps it. */
  override readonly name = "CallbackAuthError";
  /** `"CALLBACK_TOKEN_REFUSED"`: the stable code of docs/errors.md's table (ERROR_CODES.CallbackAuthError); match on it where `instanceof` cannot work. */
  readonly code = "CALLBACK_TOKEN_REFUSED" as const;

  constructor(
    /** Why the token was refused, to branch on; `keys_unavailable` means no signing keys could be had (the endpoints answer 503, not 401). */
    readonly reason: CallbackAuthReason,
    message: string,
    /**
     * With `keys_unavailable`: in how many seconds the next key fetch may start (at most 30), so a
     * 503's `Retry-After` can say when a retry will find the keys fetched again. Otherwise undefined.
     */
    readonly retryAfterSec?: number,
  ) {
    super(`Callback token refused (${reason}): ${message}`);
  }
}

/** What is wrong with an option: missing (undefined or null), the wrong type, empty, out of range, or insecure. */
export type InvalidOptionRule = "required" | "type" | "empty" | "range" | "insecure";

/**
 * A function was given an option it cannot work with safely (for example an `appId` that is
 * undefined because an environment variable is unset); nothing was checked, fetched or accepted.
 * A TypeError, so it is never mistaken for a refused token. The message names the function, the
 * option and the rule, and describes the value given by its type only, never by its content.
 */
export class InvalidOptionError extends TypeError {
  /** `"InvalidOptionError"`, the class's name, in stack traces and logs; a field, so minifying keeps it. */
  override readonly name = "InvalidOptionError";
  /** `"OPTION_INVALID"`: the stable code of docs/errors.md's table (ERROR_CODES.InvalidOptionError); match on it where `instanceof` cannot work. */
  readonly code = "OPTION_INVALID" as const;

  constructor(
    /** The function whose options were refused, e.g. `verifyCallbackToken`. */
    readonly functionName: string,
    /** The option, e.g. `appId` or `keys.keys[0]`. */
    readonly option: string,
    /** Which rule the value broke. */
    readonly rule: InvalidOptionRule,
    message: string,
  ) {
    super(`${functionName}: \`${option}\` ${message}`);
  }
}

/** Why a token from getToken() was not sent. */
export type GraphTokenErrorReason = "not_string" | "empty" | "illegal_characters";

/** getToken() returned something that cannot be a Bearer token; nothing was sent, and the token is not repeated here. */
export class GraphTokenError extends Error {
  /** `"GraphTokenError"`, the class's name, in stack traces and logs; a field, so minifying keeps it. */
  override readonly name = "GraphTokenError";
  /** `"GRAPH_TOKEN_INVALID"`: the stable code of docs/errors.md's table (ERROR_CODES.GraphTokenError); match on it where `instanceof` cannot work. */
  readonly code = "GRAPH_TOKEN_INVALID" as const;

  constructor(
    /** What is wrong with the token: `not_string`, `empty` or `illegal_characters` (a character a header cannot carry). */
    readonly reason: GraphTokenErrorReason,
  ) {
    const why = {
      not_string: "is not a string",
      empty: "is empty",
      illegal_characters: "has characters a header cannot carry",
    }[reason];
    super(`The token from getToken() ${why}; nothing was sent`);
  }
}

/**
 * Why a Graph call failed: `error_status` (Graph answered 4xx/5xx, after any retries), `redirect`
 * (a 3xx: Graph's invite never redirects, so it is not followed), `not_json` and `not_operation` (a
 * 2xx whose body is not JSON, or JSON that is not an operation), `too_large` (a body past its cap),
 * `network` (refused, reset or cut: the invite may have reached Graph), `timeout` (the client's
 * `timeoutMs` passed).
 */
export type GraphRequestErrorReason =
  "error_status" | "redirect" | "not_json" | "not_operation" | "too_large" | "network" | "timeout";

/**
 * Graph answered the invite with an error status (after any retries), a redirect or a body that is
 * not an operation, or no usable answer arrived (status 0; not retried, since the invite may have
 * been received). The message names the status, the reason and Graph's error code; it never carries
 * the token, the request or response body, or the base URL's credentials.
 */
export class GraphRequestError extends Error {
  /** `"GraphRequestError"`, the class's name, in stack traces and logs; a field, so minifying keeps it. */
  override readonly name = "GraphRequestError";
  /** `"GRAPH_REQUEST_FAILED"`: the stable code of docs/errors.md's table (ERROR_CODES.GraphRequestError); match on it where `instanceof` cannot work. */
  readonly code = "GRAPH_REQUEST_FAILED" as const;
  /** Why the call failed. */
  readonly reason: GraphRequestErrorReason;
  /** The HTTP status Graph answered; 0 when no answer arrived (connection refused, reset or cut, timeout). */
  readonly status: number;
  /** Graph's OData error code (the body's `error.code`, e.g. `Throttled`), when the body had one. */
  readonly graphCode: string | null;
  /** Graph's `request-id` (or the echoed `client-request-id`, or the error's `innerError['request-id']`): quote it to Microsoft support. */
  readonly requestId: string | null;
  /** What `Retry-After` asked for, in milliseconds, when present and valid. */
  readonly retryAfterMs: number | null;
  /** The parsed OData error body, when the body was one. */
  readonly body: ODataError | null;

  constructor(fields: {
    reason: GraphRequestErrorReason;
    status: number;
    message: string;
    /** Graph's OData error code (`error.code`): becomes `graphCode`. */
    code?: string | null;
    requestId?: string | null;
    retryAfterMs?: number | null;
    body?: ODataError | null;
    /** The network error behind a status 0. */
    cause?: unknown;
  }) {
    super(fields.message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.reason = fields.reason;
    this.status = fields.status;
    this.graphCode = fields.code ?? null;
    this.requestId = fields.requestId ?? null;
    this.retryAfterMs = fields.retryAfterMs ?? null;
    this.body = fields.body ?? null;
  }
}

/** Why an endpoint option was refused at construction. */
export type EndpointOptionsErrorRule = "required" | "type" | "empty" | "range" | "conflict" | "unknown" | "undefined";

/**
 * A callback endpoint (or server) was constructed with an option that would skip or break a check:
 * missing, undefined, empty, of the wrong type, out of range, unknown, or combined with another
 * way to verify. A TypeError, so `catch (e) { if (e instanceof TypeError) ... }` keeps working.
 */
export class EndpointOptionsError extends TypeError {
  /** `"EndpointOptionsError"`, the class's name, in stack traces and logs; a field, so minifying keeps it. */
  override readonly name = "EndpointOptionsError";
  /** `"ENDPOINT_OPTION_INVALID"`: the stable code of docs/errors.md's table (ERROR_CODES.EndpointOptionsError); match on it where `instanceof` cannot work. */
  readonly code = "ENDPOINT_OPTION_INVALID" as const;

  constructor(
    /** The option's path, e.g. `appId` or `keys.keys[0]`. */
    readonly option: string,
    /** What is wrong with it. */
    readonly rule: EndpointOptionsErrorRule,
    message: string,
  ) {
    super(`${option} (${rule}): ${message}`);
  }
}

/**
 * A step of the callback endpoint that the bot supplies (verify, the key fetch, the replay guard,
 * record) did not settle within the endpoint's `timeoutMs`; the endpoint answered 503. Given to onError.
 */
export class IntakeTimeoutError extends Error {
  /** `"IntakeTimeoutError"`, the class's name, in stack traces and logs; a field, so minifying keeps it. */
  override readonly name = "IntakeTimeoutError";
  /** `"INTAKE_TIMEOUT"`: the stable code of docs/errors.md's table (ERROR_CODES.IntakeTimeoutError); match on it where `instanceof` cannot work. */
  readonly code = "INTAKE_TIMEOUT" as const;

  constructor(
    /** The step: `authorize`, `replay` or `record`. */
    readonly step: string,
    /** The endpoint's `timeoutMs`. */
    readonly timeoutMs: number,
  ) {
    super(`The callback endpoint's ${step} step did not settle within ${timeoutMs} ms; it answered 503`);
  }
}
