// graph-invite-contract/graph: the openapi-fetch client typed with the contract's paths. Its own entry
// so that openapi-fetch's `Client` type (costly to type-check) stays out of the main entry's
// declarations; createInviteClient, in the main entry, uses openapi-fetch at run time all the same.
export { createGraphClient, type GraphClientOptions } from "../client/graph-client.js";
export { GRAPH_V1, GRAPH_BETA, type GraphConnectionOptions } from "../client/options.js";
// The errors its calls throw, from this entry too: under require() each entry is its own bundle.
export {
  GraphRequestError,
  GraphTokenError,
  type GraphRequestErrorReason,
  type GraphTokenErrorReason,
} from "../errors.js";
export type { paths } from "../../generated/schema.js";
