// Identity helpers: an identity set with one identity, typed the way Graph's docs send it.
import type { InvitationIdentity, InvitationIdentitySet } from "../schema-types.js";

/** The identity kinds an invited participant can have (slots of an invitation identity set). */
export type IdentityKind =
  | "user"
  | "application"
  | "applicationInstance"
  | "guest"
  | "phone"
  | "encrypted"
  | "onPremises"
  | "azureCommunicationServicesUser";

/** Optional details of an identity; only the ones given are sent. */
export type IdentityDetails = Pick<InvitationIdentity, "displayName" | "tenantId" | "identityProvider">;

/** An identity set naming one identity of `kind`, e.g. `identity("user", id, { displayName })`. */
export function identity(kind: IdentityKind, id: string, details: IdentityDetails = {}): InvitationIdentitySet {
  const one: InvitationIdentity = { "@odata.type": "#microsoft.graph.identity", id };
  for (const key of ["displayName", "identityProvider", "tenantId"] as const) {
    if (details[key] !== undefined) one[key] = details[key];
  }
  return { "@odata.type": "#microsoft.graph.identitySet", [kind]: one };
}

/** A Teams / Entra user, by object id. */
export function userIdentity(id: string, details?: IdentityDetails): InvitationIdentitySet {
  return identity("user", id, details);
}

/** A bot, by application id. */
export function applicationIdentity(id: string, details?: IdentityDetails): InvitationIdentitySet {
  return identity("application", id, details);
}

/** A phone number (E.164, e.g. `+12345678901`); needs an application instance with a PSTN number. */
export function phoneIdentity(e164: string): InvitationIdentitySet {
  return identity("phone", e164);
}
