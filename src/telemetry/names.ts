// Every signal the package emits, named in one place: span names, attribute keys, metric names and
// units, log events. OpenTelemetry's semantic conventions where one fits (HTTP, error.type), else the
// `graph_invite.` namespace. Nothing here is a value taken from a payload: see docs/observability.md.

/** The instrumentation scope (tracer and meter name). */
// Stryker disable next-line StringLiteral: a module constant, which the vitest runner does not evaluate again per mutant; signals.test.ts asserts the scope (it fails when the mutant is applied by hand)
export const SCOPE = "graph-invite-contract";

export const SPAN = {
  /** createInviteClient().invite(): every attempt and retry wait, to Graph's answer. CLIENT kind. */
  invite: "invite",
  /** One callback request through an endpoint, to the status it answered. SERVER kind. */
  callback: "callback",
  /** tracker.track() to the invite's outcome. INTERNAL kind, linked to its invite span. */
  settle: "settle",
} as const;

/** OpenTelemetry semantic-convention attribute keys (test/telemetry checks them against the conventions' package). */
export const SEMCONV = {
  httpMethod: "http.request.method",
  httpStatus: "http.response.status_code",
  resendCount: "http.request.resend_count",
  serverAddress: "server.address",
  serverPort: "server.port",
  urlTemplate: "url.template",
  urlPath: "url.path",
  errorType: "error.type",
} as const;

/** This package's attribute keys. */
export const ATTR = {
  callId: "graph_invite.call.id",
  callIds: "graph_invite.call.ids",
  operationId: "graph_invite.operation.id",
  operationIds: "graph_invite.operation.ids",
  operationStatus: "graph_invite.operation.status",
  operationStatuses: "graph_invite.operation.statuses",
  /** Only with `createTelemetry({ recordClientContext: true })`: the value is the caller's. */
  clientContext: "graph_invite.client_context",
  clientContexts: "graph_invite.client_contexts",
  requestId: "graph_invite.request_id",
  attempts: "graph_invite.invite.attempts",
  retryWait: "graph_invite.invite.retry_wait",
  outcome: "graph_invite.outcome",
  retryDelay: "graph_invite.retry.delay",
  verification: "graph_invite.callback.verification",
  verificationReason: "graph_invite.callback.verification.reason",
  parse: "graph_invite.callback.parse",
  issueCount: "graph_invite.callback.issue_count",
  reason: "graph_invite.callback.reason",
  eventsOperation: "graph_invite.callback.events.operation",
  eventsRoster: "graph_invite.callback.events.roster",
  eventsCall: "graph_invite.callback.events.call",
  eventsTone: "graph_invite.callback.events.tone",
  eventsOther: "graph_invite.callback.events.other",
  eventKind: "graph_invite.event.kind",
  trackerKind: "graph_invite.tracker.kind",
  resultCode: "graph_invite.result.code",
  resultSubcode: "graph_invite.result.subcode",
  unmatchedReason: "graph_invite.unmatched.reason",
} as const;

/** Metric names, units (UCUM) and descriptions. */
export const METRIC = {
  invites: { name: "graph_invite.invites", unit: "{invite}", description: "Invites sent, by outcome." },
  inviteDuration: {
    name: "graph_invite.invite.duration",
    unit: "s",
    description: "invite() from the call to Graph's final answer, retries included.",
  },
  retries: { name: "graph_invite.invite.retries", unit: "{retry}", description: "Invite attempts retried." },
  /** Its count is the callbacks received, by outcome, reason and status (as http.server.request.duration's is requests). */
  callbackDuration: {
    name: "graph_invite.callback.duration",
    unit: "s",
    description: "Callback requests, from arrival to the answer, by outcome, reason and status.",
  },
  callbackEvents: {
    name: "graph_invite.callback.events",
    unit: "{event}",
    description: "Events in accepted callbacks, by kind.",
  },
  settleDuration: {
    name: "graph_invite.settle.duration",
    unit: "s",
    description: "tracker.track() to the invite's outcome, by outcome.",
  },
  pending: {
    name: "graph_invite.tracker.pending",
    unit: "{track}",
    description: "track() calls waiting for their outcome.",
  },
  early: {
    name: "graph_invite.tracker.early",
    unit: "{callback}",
    description: "Final callbacks waiting for their track() (in-memory tracker).",
  },
  unmatched: {
    name: "graph_invite.tracker.unmatched",
    unit: "{callback}",
    description: "Final operation callbacks that settled no track(), by reason.",
  },
  keyFetches: {
    name: "graph_invite.keys.fetches",
    unit: "{fetch}",
    description: "Fetches of Microsoft's callback signing keys, by outcome.",
  },
  recordFailures: {
    name: "graph_invite.redis.record_failures",
    unit: "{failure}",
    description: "Callbacks the Redis tracker could not record (the endpoint answered 503).",
  },
} as const;

/** Histogram buckets (s) for fast operations: intake is sub-millisecond, an invite ~100 ms, a settle up to 90 s. */
export const DURATION_BUCKETS = {
  callback: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
  invite: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  settle: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 45, 60, 90, 120],
} as const;

/** The `event` of each structured log record (the logger option). */
export const LOG = {
  inviteSent: "graph_invite.invite.sent",
  inviteRetry: "graph_invite.invite.retry",
  inviteFailed: "graph_invite.invite.failed",
  callbackAccepted: "graph_invite.callback.accepted",
  callbackRefused: "graph_invite.callback.refused",
  callbackNotRecorded: "graph_invite.callback.not_recorded",
  keysFetched: "graph_invite.keys.fetched",
  keysFetchFailed: "graph_invite.keys.fetch_failed",
  settled: "graph_invite.settle.completed",
  settleFailed: "graph_invite.settle.failed",
  unmatched: "graph_invite.tracker.unmatched",
  recordFailed: "graph_invite.redis.record_failed",
} as const;
