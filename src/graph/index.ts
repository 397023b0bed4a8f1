// graph-invite-contract/graph: the request side alone. The openapi-fetch client typed with the
// contract's paths has its own entry so that openapi-fetch's `Client` type (costly to type-check)
// stays out of the main entry's declarations. createInviteClient is here too: nothing in this entry
// reaches Ajv's request validator statically (the invite client loads it only to report a refused
// body), so an app bundled from this entry carries just the client, the rules and the verdict-only
// validator.
export { createGraphClient, type GraphClientOptions } from "../client/graph-client.js";
export { GRAPH_V1, GRAPH_BETA, DEFAULT_TIMEOUT_MS, type GraphConnectionOptions } from "../client/options.js";
export {
  createInviteClient,
  type InviteAttempt,
  type InviteAttemptOutcome,
  type InviteCallOptions,
  type InviteClientOptions,
  type InviteClient,
} from "../client/client.js";
export type { InviteResult, InviteOperationResult, InviteAcceptedResult } from "../client/invite-answer.js";
export { RETRYABLE_STATUSES, type RetryOptions } from "../client/retry.js";
// The errors its calls throw, from this entry too: under require() each entry is its own bundle.
export {
  GraphRequestError,
  GraphTokenError,
  InviteValidationError,
  type GraphRequestErrorReason,
  type GraphTokenErrorReason,
} from "../errors.js";
export type { components, operations, paths } from "../../generated/schema.js";
