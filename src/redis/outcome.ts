// What the Redis tracker stores and publishes for one final operation event, its key names, and
// the check every record read back from Redis passes before use (a publication or a stored value
// may come from another program, an older version or a hand-typed PUBLISH).
import { validateInviteParticipantsOperation } from "../../generated/validators.js";
import { isObject } from "../internal/is-object.js";
import { isFinal } from "../tracking/pending-tracks.js";
import type { InviteParticipantsOperation } from "../schema-types.js";

/** What is stored and published for one final operation event. */
export interface Outcome {
  operationId: string | null;
  clientContext: string | null;
  operation: InviteParticipantsOperation;
}

/**
 * The tracker's key and channel names. Every name starts with `{prefix}`, a Redis Cluster hash tag:
 * all of them hash to one slot, so the script that records an outcome and the look-up that reads its
 * two keys never span slots (CROSSSLOT), on a Cluster as on one server.
 */
export function names(prefix: string) {
  const tag = `{${prefix}}`;
  return {
    channel: `${tag}final`,
    byOperationId: (id: string) => `${tag}op:${id}`,
    byClientContext: (ctx: string) => `${tag}ctx:${ctx}`,
  };
}

const idOrNull = (v: unknown) => v === null || typeof v === "string";

/** The outcome in `text`, or null when it is not one this tracker writes (not JSON, wrong shape, not final). */
export function parseOutcome(text: string): Outcome | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(value) || !idOrNull(value.operationId) || !idOrNull(value.clientContext)) return null;
  const { operation } = value;
  if (!validateInviteParticipantsOperation(operation)) return null;
  const op = operation as InviteParticipantsOperation;
  return isFinal(op.status) ? (value as unknown as Outcome) : null;
}
