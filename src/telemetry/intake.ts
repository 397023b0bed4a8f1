// The callback span and metrics: one request through an endpoint (either adapter), from arrival to
// the status it answered, with what the endpoint decided on the way: verification, parse, record.
import { SpanKind, SpanStatusCode, type Attributes } from "@opentelemetry/api";
import { CallbackAuthError } from "../errors.js";
import type { CallbackEvent } from "../notifications/parse.js";
import type { Intake } from "./hooks.js";
import { ATTR, LOG, SEMCONV, SPAN } from "./names.js";
import { errorType, secondsSince, type Signals } from "./signals.js";

/** Ids listed on a span at most: a hostile body must not buy a large span. */
const MAX_LISTED = 20;

const STATUS_REASONS: Record<number, string> = {
  0: "client_closed", // the Node adapter: the connection closed before any answer
  202: "accepted",
  405: "method_not_allowed",
  413: "too_large",
  415: "unsupported_media_type",
  401: "unauthorized",
  500: "error",
};

/** A few distinct values, in order of arrival. */
function listed(values: Iterable<string | null>): string[] {
  const out = new Set<string>();
  for (const v of values) if (v !== null && out.size < MAX_LISTED) out.add(v);
  return [...out];
}

/** What `events` say on a span: counts by kind, the operations' and calls' ids, the statuses. */
function describeEvents(events: readonly CallbackEvent[], withContexts: boolean): Attributes {
  const counts = { operation: 0, roster: 0, call: 0, tone: 0, other: 0 };
  for (const e of events) counts[e.kind]++;
  const operations = events.filter((e) => e.kind === "operation");
  const attributes: Attributes = {
    [ATTR.eventsOperation]: counts.operation,
    [ATTR.eventsRoster]: counts.roster,
    [ATTR.eventsCall]: counts.call,
    [ATTR.eventsTone]: counts.tone,
    [ATTR.eventsOther]: counts.other,
    [ATTR.operationIds]: listed(operations.map((e) => e.operationId)),
    [ATTR.operationStatuses]: listed(operations.map((e) => e.status)),
    [ATTR.callIds]: listed(events.map((e) => e.callId)),
  };
  if (withContexts) attributes[ATTR.clientContexts] = listed(operations.map((e) => e.clientContext));
  return attributes;
}

/** The events of an accepted callback, counted by kind in one pass. */
function countEvents(signals: Signals, events: readonly CallbackEvent[]) {
  const counts = { operation: 0, roster: 0, call: 0, tone: 0, other: 0 };
  for (const e of events) counts[e.kind]++;
  for (const kind of ["operation", "roster", "call", "tone", "other"] as const)
    if (counts[kind] > 0) signals.callbackEvents.add(counts[kind], { [ATTR.eventKind]: kind });
}

const ignore = () => {};
const UNHEARD: Intake = { refused: ignore, parsed: ignore, recordFailed: ignore, because: ignore, answered: ignore };

export function intakes(signals: Signals) {
  return (method: string | undefined, path: string, verifies: boolean): Intake => {
    const start = signals.metered ? performance.now() : 0;
    const span = signals.tracer.startSpan(SPAN.callback, {
      kind: SpanKind.SERVER,
      attributes: { [SEMCONV.httpMethod]: method ?? "_OTHER", [SEMCONV.urlPath]: path },
    });
    // Nothing listens (no SDK, no logger): the API's no-op span, and nothing else to keep per request.
    if (!signals.metered && !signals.logging && !span.isRecording()) return UNHEARD;
    let verificationReason: string | undefined;
    let parse: "valid" | "invalid" | undefined;
    let notRecorded: string | undefined;
    let events: readonly CallbackEvent[] = [];
    let issues: number | undefined;
    let done = false;
    let noted: string | null = null; // a reason the core told, where the status does not say it

    /** Why the endpoint answered `status`: the status's own reason, told apart by what this request went through. */
    function reasonFor(status: number): string {
      if (noted !== null) return noted;
      if (status === 503) return verificationReason === "keys_unavailable" ? "keys_unavailable" : "not_recorded";
      if (status === 400) return parse === "invalid" ? "invalid" : "unreadable";
      return STATUS_REASONS[status] ?? String(status);
    }

    return {
      refused(error) {
        verificationReason =
          error === null ? "rejected" : error instanceof CallbackAuthError ? error.reason : "verify_threw";
      },
      parsed(parsed, issueCount) {
        parse = parsed ? "valid" : "invalid";
        if (parsed) events = parsed;
        else issues = issueCount ?? 0;
      },
      recordFailed(error) {
        notRecorded = errorType(error);
      },
      because(reason) {
        noted = reason;
      },
      answered(status) {
        if (done) return;
        done = true;
        const recording = span.isRecording();
        const outcome = status === 0 ? "aborted" : status < 300 ? "accepted" : status < 500 ? "refused" : "failed";
        const reason = reasonFor(status);
        const fields: Attributes = {
          [SEMCONV.urlPath]: path,
          [SEMCONV.httpStatus]: status,
          [ATTR.outcome]: outcome,
          [ATTR.reason]: reason,
          [ATTR.verification]:
            verificationReason !== undefined
              ? "refused"
              : parse !== undefined
                ? verifies
                  ? "passed"
                  : "skipped"
                : undefined,
          [ATTR.verificationReason]: verificationReason,
          [ATTR.parse]: parse,
          [ATTR.issueCount]: issues,
        };
        if (status >= 500) fields[SEMCONV.errorType] = notRecorded ?? String(status);
        const described =
          parse === "valid" && (recording || signals.logging)
            ? describeEvents(events, signals.recordClientContext)
            : null;
        if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
        span.setAttributes(fields);
        if (described) span.setAttributes(described);
        span.end();
        // Stryker disable next-line ConditionalExpression: true only spends work: the no-op meter's instruments drop every point
        if (signals.metered) {
          const dimensions: Attributes = {
            [ATTR.outcome]: outcome,
            [ATTR.reason]: reason,
            [SEMCONV.httpStatus]: status,
          };
          signals.callbackDuration.record(secondsSince(start), dimensions);
          if (outcome === "accepted" && noted !== "replayed") countEvents(signals, events); // a replay's events were counted
        }
        // Stryker disable next-line ConditionalExpression: false only spends work: signals.log() drops every record without a logger
        if (!signals.logging) return;
        if (outcome === "accepted") {
          signals.log("debug", LOG.callbackAccepted, { ...fields, ...described }, "callback accepted", span);
        } else if (notRecorded !== undefined) {
          signals.log(
            "error",
            LOG.callbackNotRecorded,
            fields,
            `callback not recorded (${notRecorded}): answered 503`,
            span,
          );
        } else {
          const level = outcome === "failed" ? "error" : "warn";
          signals.log(level, LOG.callbackRefused, fields, `callback refused: ${status} ${reason}`, span);
        }
      },
    };
  };
}
