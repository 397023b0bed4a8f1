// createRosterState: the roster a bot keeps from roster events. A roster notification lists only the
// participants that changed, and `changeType: deleted` lists the ones that LEFT: a bot that replaces
// its list with each event's participants keeps only the leavers. This applies each event instead.
import type { Participant } from "../schema-types.js";
import type { CallbackEvent } from "./classify.js";
import { graphIdKey, sameGraphId } from "./graph-id.js";

/** What one roster event changed. */
export interface RosterChange {
  /** Participants not held before (`created`/`updated` events). */
  joined: Participant[];
  /** Participants held before, now replaced by their newer state. */
  updated: Participant[];
  /** Participants a `deleted` event removed (held or not). */
  left: Participant[];
}

/** The participants of one call, kept from its roster events. */
export interface RosterState {
  /**
   * Applies one event: a roster event of the state's call changes the roster and returns what
   * changed; any other event (or another call's) changes nothing and returns an empty change.
   */
  apply(event: CallbackEvent): RosterChange;
  /** The participants present now, in the order they joined. */
  participants(): Participant[];
  /** How many participants are present. */
  readonly size: number;
}

/** The options of createRosterState. */
export interface RosterStateOptions {
  /** Only roster events of this call apply (compared as GUIDs). Default: every roster event. */
  callId?: string;
}

const IDENTITY_KINDS = ["user", "application", "applicationInstance", "phone", "guest", "encrypted", "device"] as const;

/**
 * The key a participant is held by: its id as a GUID key, else its identity's id (the docs' roster
 * notifications send `"id": null`); null when it has neither.
 */
function participantKey(p: Participant): string | null {
  if (typeof p.id === "string" && p.id !== "") return `id:${graphIdKey(p.id)}`;
  const identity = p.info?.identity as Record<string, { id?: unknown } | null | undefined> | undefined;
  for (const kind of IDENTITY_KINDS) {
    const id = identity?.[kind]?.id;
    if (typeof id === "string" && id !== "") return `${kind}:${graphIdKey(id)}`;
  }
  return null;
}

/** A roster update older than the one held (rosterSequenceNumber, when both carry one) is stale. */
const isStale = (held: Participant | undefined, next: Participant) =>
  typeof held?.rosterSequenceNumber === "number" &&
  typeof next.rosterSequenceNumber === "number" &&
  next.rosterSequenceNumber < held.rosterSequenceNumber;

/**
 * Keeps a call's roster from its roster events: `created`/`updated` add or replace the listed
 * participants, `deleted` removes them. Participants are matched by id (as GUIDs), else by their
 * identity's id; one with neither is reported in the change but not held. An update older than the
 * held one (lower rosterSequenceNumber) is ignored: roster notifications may arrive out of order.
 *
 * @example
 * ```ts
 * const roster = createRosterState({ callId });
 * handler.on("roster", (event) => {
 *   const { joined, left } = roster.apply(event);
 *   console.log(`${joined.length} joined, ${left.length} left, ${roster.size} present`);
 * });
 * ```
 */
export function createRosterState(options: RosterStateOptions = {}): RosterState {
  const { callId } = options;
  if (callId !== undefined && (typeof callId !== "string" || callId === "")) {
    throw new TypeError("createRosterState: callId must be a non-empty string when given");
  }
  const held = new Map<string, Participant>();

  return {
    apply(event) {
      const change: RosterChange = { joined: [], updated: [], left: [] };
      if (event.kind !== "roster") return change;
      if (callId !== undefined && !sameGraphId(callId, event.callId)) return change;
      for (const participant of event.participants) {
        const key = participantKey(participant);
        if (key === null) {
          // reported, not held: nothing would match it again
          (event.participantsLeft ? change.left : change.joined).push(participant);
        } else if (event.participantsLeft) {
          held.delete(key);
          change.left.push(participant);
        } else {
          const before = held.get(key);
          if (isStale(before, participant)) continue;
          held.set(key, participant);
          (before ? change.updated : change.joined).push(participant);
        }
      }
      return change;
    },
    participants: () => [...held.values()],
    get size() {
      return held.size;
    },
  };
}
