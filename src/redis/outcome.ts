// What the Redis tracker stores and publishes for one final operation event, its key names, and
// the check every record read back from Redis passes before use (a publication or a stored value
// may come from another program, an older version or a hand-typed PUBLISH).
import { validateInviteParticipantsOperation } from "../../generated/validators.js";
import { isObject } from "../internal/is-object.js";
import { graphIdKey } from "../notifications/graph-id.js";
import { isFinal } from "../tracking/pending-tracks.js";
import type { InviteParticipantsOperation, NumericResultInfo } from "../schema-types.js";

/** What is stored and published for one final operation event. */
export interface Outcome {
  operationId: string | null;
  clientContext: string | null;
  operation: InviteParticipantsOperation;
}

/** What is stored and published when a call ends: its pending invites fail on every replica. */
export interface CallEnd {
  terminatedCallId: string;
  resultInfo: NumericResultInfo | null;
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
    // ids as GUID keys: Graph spells one id in upper case or without dashes on some pages
    byOperationId: (id: string) => `${tag}op:${graphIdKey(id)}`,
    byClientContext: (ctx: string) => `${tag}ctx:${ctx}`,
    byEndedCall: (callId: string) => `${tag}ended:${graphIdKey(callId)}`,
  };
}

const idOrNull = (v: unknown) => v === null || typeof v === "string";

/** The ids a record names, as an outcome carries them; null when they are not ids. */
export function idsOf(value: Record<string, unknown>): Pick<Outcome, "operationId" | "clientContext"> | null {
  const { operationId, clientContext } = value;
  if (!idOrNull(operationId) || !idOrNull(clientContext)) return null;
  return { operationId: operationId as string | null, clientContext: clientContext as string | null };
}

/** The outcome in a record, or null when it is not one this tracker writes (wrong shape, not final). */
export function outcomeOf(value: Record<string, unknown>): Outcome | null {
  if (!idsOf(value)) return null;
  const { operation } = value;
  if (!validateInviteParticipantsOperation(operation)) return null;
  const op = operation as InviteParticipantsOperation;
  return isFinal(op.status) ? (value as unknown as Outcome) : null;
}

const optionalNumber = (v: unknown) => v === undefined || v === null || Number.isInteger(v);

/** The call end in a record that is one (`terminatedCallId`), or null. */
export function callEndOf(value: Record<string, unknown>): CallEnd | null {
  const { terminatedCallId, resultInfo } = value;
  if (typeof terminatedCallId !== "string" || terminatedCallId === "") return null;
  if (resultInfo !== null) {
    if (!isObject(resultInfo) || !optionalNumber(resultInfo.code) || !optionalNumber(resultInfo.subcode)) return null;
    if (resultInfo.message !== undefined && resultInfo.message !== null && typeof resultInfo.message !== "string")
      return null;
  }
  return value as unknown as CallEnd;
}

/**
 * A record read back from Redis (a publication or a stored value, which may come from another
 * program, an older version or a hand-typed PUBLISH): an outcome, a call end, or null when it is neither.
 */
export function parseRecord(text: string): Outcome | CallEnd | null {
  const value = recordOf(text);
  if (value === null) return null;
  return "terminatedCallId" in value ? callEndOf(value) : outcomeOf(value);
}

/** A record's JSON object, not yet checked; null when the text is not a JSON object. */
export function recordOf(text: string): Record<string, unknown> | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // not JSON: value stays undefined, which is not an object either
  }
  return isObject(value) ? value : null;
}
