// graph-invite-contract/graph: the request side's client alone. Nothing here reaches Ajv's request
// validator statically (the invite client loads it only to report a refused body), so an app
// bundled from this entry carries just the client, the rules and the verdict-only validator.
export {
  createInviteClient,
  GRAPH_V1,
  GRAPH_BETA,
  type InviteClientOptions,
  type InviteClient,
  type InviteResult,
} from "../client/client.js";
export { RETRYABLE_STATUSES, type RetryOptions } from "../client/retry.js";
