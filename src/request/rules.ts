// The invite's documented rules that JSON Schema cannot carry: each is an id and a small function.
// They read the body defensively (it may also have failed the schema) and never throw.
import { isObject, type JsonObject as Json } from "../internal/is-object.js";
import { pointer, type InviteIssue } from "../issues.js";

/** "Max limit is 256 chars": the service counts UTF-16 code units, as JavaScript's `length` does. */
export const CLIENT_CONTEXT_MAX_LENGTH = 256;
/** E.164: `+`, then 1 to 15 digits, the first not 0. */
export const E164 = /^\+[1-9]\d{0,14}$/;

const isSet = (v: unknown) => v !== undefined && v !== null;

/** The body's participants that are objects, with their index. */
function participants(body: unknown): Array<[number, Json]> {
  if (!isObject(body) || !Array.isArray(body.participants)) return [];
  const found: Array<[number, Json]> = [];
  // An index loop: a caller's array may carry an own `constructor` (which flatMap would call) or a
  // replaced prototype without forEach; reading items by index needs neither.
  const list: unknown[] = body.participants;
  for (let i = 0; i < list.length; i++) {
    const p = list[i];
    if (isObject(p)) found.push([i, p]);
  }
  return found;
}

const identityOf = (participant: Json): Json | null => (isObject(participant.identity) ? participant.identity : null);

function clientContextMaxLength(body: unknown): InviteIssue[] {
  if (!isObject(body) || typeof body.clientContext !== "string") return [];
  const length = body.clientContext.length;
  if (length <= CLIENT_CONTEXT_MAX_LENGTH) return [];
  return [
    {
      path: "/clientContext",
      rule: "clientContext.maxLength",
      message: `is ${length} UTF-16 code units; Graph allows at most ${CLIENT_CONTEXT_MAX_LENGTH}`,
    },
  ];
}

function replacesCallIdSingleParticipant(body: unknown): InviteIssue[] {
  if (!isObject(body) || !Array.isArray(body.participants) || body.participants.length <= 1) return [];
  const count = body.participants.length;
  return participants(body)
    .filter(([, p]) => isSet(p.replacesCallId))
    .map(([i]) => ({
      path: pointer("participants", i, "replacesCallId"),
      rule: "replacesCallId.singleParticipant" as const,
      message: `replacesCallId allows one participant per request, this body has ${count} (Graph would silently ignore all but the first)`,
    }));
}

function participantIdRequiresReplacesCallId(body: unknown): InviteIssue[] {
  return participants(body)
    .filter(([, p]) => isSet(p.participantId) && !isSet(p.replacesCallId))
    .map(([i]) => ({
      path: pointer("participants", i, "participantId"),
      rule: "participantId.requiresReplacesCallId" as const,
      message: "participantId moves a participant from another call: set replacesCallId to that call's id",
    }));
}

/** Properties of an identity set that are not identities. */
const NOT_IDENTITIES = new Set(["@odata.type", "endpointType"]);

function identityEmpty(body: unknown): InviteIssue[] {
  return participants(body).flatMap(([i, p]) => {
    const identity = identityOf(p);
    if (!identity) return [];
    const named = Object.entries(identity).some(([key, value]) => !NOT_IDENTITIES.has(key) && isObject(value));
    if (named) return [];
    return [
      {
        path: pointer("participants", i, "identity"),
        rule: "identity.empty" as const,
        message: "names no identity: set one of user, application, phone, guest, applicationInstance, ...",
      },
    ];
  });
}

function phoneE164(body: unknown): InviteIssue[] {
  return participants(body).flatMap(([i, p]) => {
    const phone = identityOf(p)?.phone;
    if (!isObject(phone)) return [];
    const id = phone.id;
    if (typeof id === "string" && E164.test(id)) return [];
    const found = typeof id === "string" ? JSON.stringify(id) : isSet(id) ? `a ${typeof id}` : "missing";
    return [
      {
        path: pointer("participants", i, "identity", "phone", "id"),
        rule: "phone.e164" as const,
        message: `must be an E.164 number ("+" then 1 to 15 digits, the first not 0, e.g. "+12345678901"), found ${found}`,
      },
    ];
  });
}

function applicationSingleBot(body: unknown): InviteIssue[] {
  const bots = participants(body).filter(([, p]) => isObject(identityOf(p)?.application));
  return bots.slice(1).map(([i]) => ({
    path: pointer("participants", i, "identity", "application"),
    rule: "application.singleBot" as const,
    message: `is the ${bots.length > 2 ? "second or later" : "second"} bot in this request; Graph does not allow inviting more than one bot`,
  }));
}

/** The rules only the runtime carries, each a function of the body. */
export const SEMANTIC_RULES: ReadonlyArray<(body: unknown) => InviteIssue[]> = [
  clientContextMaxLength,
  replacesCallIdSingleParticipant,
  participantIdRequiresReplacesCallId,
  identityEmpty,
  phoneE164,
  applicationSingleBot,
];
