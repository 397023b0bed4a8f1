// graph-invite-contract/testing: Graph's side of the invite flow, for a bot's own tests (Node).
export {
  createGraphSimulator,
  type GraphSimulator,
  type GraphSimulatorOptions,
  type SimulatorCallback,
  type SimulatorClientOptions,
  type SimulatorEndpointOptions,
  type SimulatorFault,
  type SimulatorRequest,
} from "./simulator.js";
export { FAILURES, type InviteOutcome, type SimulatorQuirks } from "./payloads.js";
