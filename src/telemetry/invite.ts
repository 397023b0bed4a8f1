// The invite span and metrics: createInviteClient().invite() from the call to Graph's final answer,
// every attempt and retry wait in between.
import { context, SpanKind, SpanStatusCode, trace, type Attributes } from "@opentelemetry/api";
import { GRAPH_V1 } from "../client/options.js";
import { GraphRequestError, GraphTokenError, InviteValidationError } from "../errors.js";
import type { InviteSpan } from "./hooks.js";
import { ATTR, LOG, SEMCONV, SPAN } from "./names.js";
import { errorType, secondsSince, type Signals } from "./signals.js";

/** What an invite result carries that the span records (InviteResult's shape; no import, no cycle). */
interface InviteResultLike {
  operation?: { id?: string | null } | null;
  status?: string;
  clientContext?: string;
  requestId?: string | null;
}

/** The outcome of a failed invite: low-cardinality, and error.type as the conventions want it. */
function failure(error: unknown): { outcome: string; type: string; status?: number; requestId?: string | null } {
  if (error instanceof GraphRequestError) {
    return error.status > 0
      ? { outcome: "refused", type: String(error.status), status: error.status, requestId: error.requestId }
      : { outcome: "no_answer", type: errorType((error as { cause?: unknown }).cause ?? error), requestId: null };
  }
  if (error instanceof InviteValidationError || error instanceof TypeError)
    return { outcome: "invalid", type: errorType(error) };
  if (error instanceof GraphTokenError) return { outcome: "token_error", type: errorType(error) };
  const type = errorType(error);
  if (type === "AbortError" || type === "TimeoutError") return { outcome: "aborted", type };
  return { outcome: "error", type };
}

export function traceInvites(signals: Signals) {
  return <I, O, R>(
    send: (callId: string, input: I, options?: O, span?: InviteSpan) => Promise<R>,
    baseUrl: string | undefined,
    path: string,
  ) => {
    // The client's option as given: left out, it is Graph's v1.0 (the client's default too).
    const base = new URL(baseUrl ?? GRAPH_V1);
    const fixed: Attributes = {
      [SEMCONV.httpMethod]: "POST",
      [SEMCONV.serverAddress]: base.hostname,
      [SEMCONV.serverPort]: Number(base.port) || (base.protocol === "http:" ? 80 : 443),
      [SEMCONV.urlTemplate]: `${base.pathname.replace(/\/$/, "")}${path}`,
    };

    return (callId: string, input: I, options?: O): Promise<R> => {
      const start = performance.now();
      const attributes: Attributes = { ...fixed, [ATTR.callId]: typeof callId === "string" ? callId : undefined };
      const given = (input as { clientContext?: unknown } | null | undefined)?.clientContext;
      if (signals.recordClientContext && typeof given === "string") attributes[ATTR.clientContext] = given;
      const span = signals.tracer.startSpan(SPAN.invite, { kind: SpanKind.CLIENT, attributes });
      let attempts = 0;
      let waited = 0;
      let status: number | undefined;
      let requestId: string | null = null;
      const progress: InviteSpan = {
        answered(attempt, response) {
          attempts = attempt;
          status = response.status;
          requestId = response.headers.get("request-id") ?? response.headers.get("client-request-id");
        },
        retrying(delayMs) {
          waited += delayMs;
          const fields: Attributes = {
            [ATTR.callId]: callId,
            [SEMCONV.httpStatus]: status,
            [ATTR.requestId]: requestId ?? undefined,
            [ATTR.attempts]: attempts,
            [ATTR.retryDelay]: delayMs / 1000,
          };
          span.addEvent("retry", fields);
          signals.retries.add(1, { [SEMCONV.httpStatus]: status });
          signals.log(
            "warn",
            LOG.inviteRetry,
            fields,
            `invite: Graph answered ${status}; retrying in ${delayMs} ms`,
            span,
          );
        },
      };
      const finish = (outcome: string, extra: Attributes) => {
        const fields: Attributes = {
          [ATTR.callId]: attributes[ATTR.callId],
          [ATTR.attempts]: Math.max(attempts, 1),
          [SEMCONV.resendCount]: attempts > 1 ? attempts - 1 : undefined,
          [ATTR.retryWait]: waited / 1000,
          [ATTR.outcome]: outcome,
          ...extra,
        };
        span.setAttributes(fields);
        span.end();
        const dimensions: Attributes = { [ATTR.outcome]: outcome, [SEMCONV.httpStatus]: extra[SEMCONV.httpStatus] };
        if (extra[SEMCONV.errorType] !== undefined) dimensions[SEMCONV.errorType] = extra[SEMCONV.errorType];
        signals.invites.add(1, dimensions);
        signals.inviteDuration.record(secondsSince(start), dimensions);
        return fields;
      };

      const sent = context.with(trace.setSpan(context.active(), span), () => send(callId, input, options, progress));
      return sent.then(
        (result) => {
          const r = result as InviteResultLike;
          const extra: Attributes = {
            [SEMCONV.httpStatus]: status,
            [ATTR.requestId]: r.requestId ?? undefined, // the same headers' as the last answer's
            [ATTR.operationId]: r.operation?.id ?? undefined,
            [ATTR.operationStatus]: r.status,
          };
          if (signals.recordClientContext && typeof r.clientContext === "string")
            extra[ATTR.clientContext] = r.clientContext;
          const fields = finish("accepted", extra);
          signals.inviteSpans.set(result as object, span.spanContext()); // an InviteResult: always an object
          const id = r.operation?.id;
          if (typeof id === "string") {
            signals.inviteSpansById.set(id, span.spanContext());
            if (signals.inviteSpansById.size > 1_000)
              signals.inviteSpansById.delete(signals.inviteSpansById.keys().next().value as string);
          }
          signals.log(
            "info",
            LOG.inviteSent,
            fields,
            `invite: Graph accepted it (operation ${r.operation?.id ?? "without id"})`,
            span,
          );
          return result;
        },
        (error: unknown) => {
          const f = failure(error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: f.type });
          const fields = finish(f.outcome, {
            [SEMCONV.httpStatus]: f.status ?? status,
            [ATTR.requestId]: f.requestId ?? requestId ?? undefined,
            [SEMCONV.errorType]: f.type,
          });
          signals.log("warn", LOG.inviteFailed, fields, `invite: ${f.outcome} (${f.type})`, span);
          throw error;
        },
      );
    };
  };
}
