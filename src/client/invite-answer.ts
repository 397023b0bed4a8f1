// What one invite answer means. participant-invite.md (microsoftgraph/microsoft-graph-docs-contrib,
// v1.0): "200 OK ... a Location header with a URI to the inviteParticipantsOperation ... The body of
// the response contains the inviteParticipantsOperation". Graph's long-running-operations pattern
// (microsoft/api-guidelines, graph/patterns/long-running-operations.md) answers 202 Accepted with a
// Location and no body. commsoperation.md: a returned status of notStarted, running or null means
// the outcome follows as a notification; completed or failed means none follows.
import { GraphRequestError } from "../errors.js";
import { isObject } from "../internal/is-object.js";
import { operationStatus, type NormalizedOperationStatus } from "../notifications/operation-status.js";
import type { InviteParticipantsOperation, ODataError } from "../schema-types.js";
import { parseRetryAfter } from "./retry.js";
import { requestIdOf, statusLine } from "./transport.js";

interface InviteResultFields {
  /** The operation's URI, from `Location`, when Graph sent one. */
  location: string | null;
  /** The clientContext sent (generated when the body had none): callbacks are correlated by it. */
  clientContext: string;
  /** Graph's `request-id` (or the echoed `client-request-id`). */
  requestId: string | null;
  /** The HTTP status Graph answered: 200 as documented, or another 2xx such as 202. */
  httpStatus: number;
}

/** Graph answered with the operation (200 as documented, or a 2xx with a body). */
export interface InviteOperationResult extends InviteResultFields {
  /** The created operation, as Graph sent it: pass the whole result to `tracker.track()`. */
  operation: InviteParticipantsOperation;
  /**
   * The operation's status in lowercase camelCase: usually `running`, and `running` too when Graph
   * sent `null` or none (Learn's commsOperation: the outcome follows as a callback). `completed` or
   * `failed`: no callback follows.
   */
  status: NormalizedOperationStatus;
}

/**
 * Graph accepted the invite without an operation (a 2xx, such as 202, with an empty body): the
 * operation is not known yet. Do not invite again: the outcome arrives as the operation callback,
 * correlated by `clientContext` (`tracker.track(result)` does that); `location` names the operation
 * when Graph sent one.
 */
export interface InviteAcceptedResult extends InviteResultFields {
  /** Absent: Graph sent no operation. Test `status === null` (or `"operation" in result`) to tell the results apart. */
  operation?: never;
  /** Not known yet: only the callback will say. */
  status: null;
}

/** What `invite()` resolves with: the operation Graph returned, or an accepted invite whose operation is not known yet. */
export type InviteResult = InviteOperationResult | InviteAcceptedResult;

const decoder = new TextDecoder();

/** The media type of the answer, without parameters, for a message ("text/html"); never the body. */
const mediaType = (response: Response) =>
  response.headers.get("content-type")?.split(";")[0]?.trim() || "no content type";

/** A 2xx answer (its body read, bounded) as the invite's result, or a GraphRequestError naming the real status. */
export function successResult(response: Response, bytes: Uint8Array, clientContext: string): InviteResult {
  const fields = {
    location: response.headers.get("location"),
    clientContext,
    requestId: requestIdOf(response),
    httpStatus: response.status,
  };
  const text = decoder.decode(bytes);
  if (text.trim() === "") return { ...fields, status: null };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // The SyntaxError is not kept as the cause: its message quotes the body.
    throw new GraphRequestError({
      reason: "not_json",
      status: response.status,
      message: `${statusLine(response)}: the invite response is not JSON (${mediaType(response)})`,
      requestId: fields.requestId,
    });
  }
  const status = isObject(data) ? data.status : undefined;
  // Learn's commsOperation: status may be null (or, tolerantly, absent); anything else is no operation
  if (!isObject(data) || (status !== undefined && status !== null && typeof status !== "string")) {
    throw new GraphRequestError({
      reason: "not_operation",
      status: response.status,
      message: `${statusLine(response)}: the invite response is not an operation`,
      requestId: fields.requestId,
    });
  }
  return {
    ...fields,
    operation: data as InviteParticipantsOperation,
    status: operationStatus(status as string | null | undefined),
  };
}

function isODataError(body: unknown): body is ODataError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return typeof error?.code === "string" && typeof error.message === "string";
}

/**
 * A 4xx or 5xx answer as a GraphRequestError `error_status`. The message names the status, Graph's
 * error code and the request id; Graph's own message stays in `body` (it may quote what was sent).
 */
export function errorStatusError(response: Response, body: unknown): GraphRequestError {
  const odata = isODataError(body) ? body : null;
  const requestId = requestIdOf(response, odata);
  const detail = odata
    ? odata.error.code
    : body === undefined || body === ""
      ? "empty body"
      : "the body is not a Graph error";
  return new GraphRequestError({
    reason: "error_status",
    status: response.status,
    message: `${statusLine(response)}: ${detail}${requestId === null ? "" : ` (request-id ${requestId})`}`,
    code: odata?.error.code ?? null,
    requestId,
    retryAfterMs: parseRetryAfter(response.headers.get("retry-after")),
    body: odata,
  });
}
