// The properties each object of an invite body declares, and one walk over a body that visits each
// property none of them declares. Small on purpose: the invite client asks it, on every invite,
// whether there is any (unknown-properties.ts names them and suggests the closest, loaded only then).
import { isObject } from "../internal/is-object.js";

/**
 * The declared properties of each object of the invite body, by schema (openapi.yaml's
 * InvitePostRequestBody, InvitationParticipantInfo, InvitationIdentitySet, InvitationIdentity;
 * test/request/unknown-properties.test.ts checks they match).
 */
export const DECLARED_PROPERTIES = {
  invitePostRequestBody: ["participants", "clientContext"],
  invitationParticipantInfo: [
    "@odata.type",
    "identity",
    "hidden",
    "participantId",
    "removeFromDefaultAudioRoutingGroup",
    "replacesCallId",
    "endpointType",
  ],
  identitySet: [
    "@odata.type",
    "application",
    "device",
    "user",
    "applicationInstance",
    "assertedIdentity",
    "azureCommunicationServicesUser",
    "encrypted",
    "guest",
    "onPremises",
    "phone",
    "endpointType",
  ],
  identity: ["@odata.type", "id", "displayName", "identityProvider", "tenantId"],
} as const satisfies Record<string, readonly string[]>;
export type Schema = keyof typeof DECLARED_PROPERTIES;

/**
 * Calls `visit` with each property of `body` that its schemas do not declare (its schema, the path of
 * its object, the key). Reads arrays by index (a caller's array may have a replaced prototype or an
 * own forEach). Never throws.
 */
export function walkUndeclared(
  body: unknown,
  visit: (schema: Schema, path: Array<string | number>, key: string) => void,
): void {
  const keys = (value: unknown, schema: Schema, path: Array<string | number>): void => {
    if (!isObject(value)) return;
    const declared: readonly string[] = DECLARED_PROPERTIES[schema];
    for (const key of Object.keys(value)) {
      // OData annotations (`@odata.type`, `name@odata.type`) are not properties.
      if (!declared.includes(key) && !key.includes("@")) visit(schema, path, key);
    }
  };
  keys(body, "invitePostRequestBody", []);
  if (!isObject(body) || !Array.isArray(body.participants)) return;
  const list: unknown[] = body.participants;
  for (let i = 0; i < list.length; i++) {
    const participant = list[i];
    keys(participant, "invitationParticipantInfo", ["participants", i]);
    const identity = isObject(participant) ? participant.identity : undefined;
    keys(identity, "identitySet", ["participants", i, "identity"]);
    if (!isObject(identity)) continue;
    for (const slot of DECLARED_PROPERTIES.identitySet) {
      if (slot !== "@odata.type" && slot !== "endpointType")
        keys(identity[slot], "identity", ["participants", i, "identity", slot]);
    }
  }
}

/**
 * Whether `body` has any property its schemas do not declare. The whole body is walked: when there
 * is one, the caller's next step (naming them all) walks it again anyway.
 */
export function hasUndeclaredProperties(body: unknown): boolean {
  let found = false;
  walkUndeclared(body, () => {
    found = true;
  });
  return found;
}
