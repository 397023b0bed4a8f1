// Every error class the package throws.
import type { InviteIssue, NotificationIssue, NotificationRule, ValidationIssue } from "./issues.js";
import type { InviteParticipantsOperation, ODataError, ResultInfo } from "./schema-types.js";

const MESSAGE_ISSUES = 20;

/** The base of the validation errors: carries the issues found in a payload and lists them in its message. */
export abstract class PayloadValidationError<Rule extends string = string> extends Error {
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
  override readonly name = "InviteValidationError";

  constructor(issues: readonly InviteIssue[]) {
    super("Invalid invite request body", issues);
  }
}

/** A callback body is not JSON or breaks the commsNotifications schema. */
export class NotificationValidationError extends PayloadValidationError<NotificationRule> {
  override readonly name = "NotificationValidationError";

  constructor(issues: readonly NotificationIssue[]) {
    super("Invalid commsNotifications payload", issues);
  }
}

/** Graph reported the invite's operation as failed (declined, unanswered, not allowed, ...). */
export class InviteOperationFailedError extends Error {
  override readonly name = "InviteOperationFailedError";
  readonly resultInfo: ResultInfo | null;
  readonly operation: InviteParticipantsOperation;
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

/** No final callback arrived for a tracked invite operation within the timeout. */
export class InviteOperationTimeoutError extends Error {
  override readonly name = "InviteOperationTimeoutError";

  constructor(
    readonly clientContext: string,
    readonly operationId: string | null,
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
  override readonly name = "OperationTrackerError";

  constructor(
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
  override readonly name = "CallbackAuthError";

  constructor(
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
  override readonly name = "InvalidOptionError";
  /** The same for every InvalidOptionError, for code that tells errors apart by `code`. */
  readonly code = "ERR_INVALID_OPTION";

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
  override readonly name = "GraphTokenError";

  constructor(readonly reason: GraphTokenErrorReason) {
    const why = {
      not_string: "is not a string",
      empty: "is empty",
      illegal_characters: "has characters a header cannot carry",
    }[reason];
    super(`The token from getToken() ${why}; nothing was sent`);
  }
}

/**
 * Graph answered the invite with an error status (after any retries) or with a body that is not an
 * operation, or the connection failed before a usable answer (status 0; not retried, since the
 * invite may have been received).
 */
export class GraphRequestError extends Error {
  override readonly name = "GraphRequestError";
  /** The HTTP status; 0 when no usable answer arrived (connection reset or closed, truncated or non-JSON body). */
  readonly status: number;
  /** The OData error code (`error.code`), when the body had one. */
  readonly code: string | null;
  /** Graph's `request-id` (or the echoed `client-request-id`): quote it to Microsoft support. */
  readonly requestId: string | null;
  /** What `Retry-After` asked for, in milliseconds, when present. */
  readonly retryAfterMs: number | null;
  /** The parsed OData error body, when the body was one. */
  readonly body: ODataError | null;

  constructor(fields: {
    status: number;
    message: string;
    code?: string | null;
    requestId?: string | null;
    retryAfterMs?: number | null;
    body?: ODataError | null;
    /** The network or parse error behind a status 0. */
    cause?: unknown;
  }) {
    super(fields.message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.status = fields.status;
    this.code = fields.code ?? null;
    this.requestId = fields.requestId ?? null;
    this.retryAfterMs = fields.retryAfterMs ?? null;
    this.body = fields.body ?? null;
  }
}
