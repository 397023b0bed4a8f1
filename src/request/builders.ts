// Scenario builders for the documented invite cases. Each returns a body that passed
// assertInviteRequest, or throws InviteValidationError naming the field and the rule.
import type { InvitationIdentitySet, InvitationParticipantInfo, InvitePostRequestBody } from "../schema-types.js";
import { phoneIdentity } from "./identities.js";
import { assertInviteRequest } from "./validate.js";

/** What the builders (inviteParticipants, invitePhone, ...) set on each participant and the body besides the identity; all optional. */
export interface InviteOptions {
  /** Echoed in the operation and its callbacks; what callbacks are correlated by. At most 256 chars. */
  clientContext?: string;
  /** Hide the invited participants from the roster. */
  hidden?: boolean;
  /** Remove the invited participants from the main mixer. */
  removeFromDefaultAudioRoutingGroup?: boolean;
}

function participant(
  identity: InvitationIdentitySet,
  options: InviteOptions,
  extra: Pick<InvitationParticipantInfo, "replacesCallId" | "participantId"> = {},
): InvitationParticipantInfo {
  const info: InvitationParticipantInfo = {
    "@odata.type": "#microsoft.graph.invitationParticipantInfo",
    ...extra,
    identity,
  };
  if (options.hidden !== undefined) info.hidden = options.hidden;
  if (options.removeFromDefaultAudioRoutingGroup !== undefined) {
    info.removeFromDefaultAudioRoutingGroup = options.removeFromDefaultAudioRoutingGroup;
  }
  return info;
}

function body(participants: InvitationParticipantInfo[], options: InviteOptions): InvitePostRequestBody {
  const built: InvitePostRequestBody = { participants };
  if (options.clientContext !== undefined) built.clientContext = options.clientContext;
  assertInviteRequest(built);
  return built;
}

/**
 * Invite 1 to 5 participants to a group call or meeting (at most one of them a bot). Throws
 * InviteValidationError, naming the field and the rule, for a body Graph would refuse.
 * @example
 * ```ts
 * const body = inviteParticipants([userIdentity("7e1b4346-85a6-4bdd-abe3-d11c5d420efe")], { clientContext: "c-1" });
 * const result = await client.invite(callId, body);
 * ```
 */
export function inviteParticipants(
  identities: InvitationIdentitySet[],
  options: InviteOptions = {},
): InvitePostRequestBody {
  return body(
    identities.map((id) => participant(id, options)),
    options,
  );
}

/** Invite the other party of a peer-to-peer call into this group call, replacing that call. One participant only. */
export function replacePeerToPeerCall(
  identity: InvitationIdentitySet,
  replacesCallId: string,
  options: InviteOptions = {},
): InvitePostRequestBody {
  return body([participant(identity, options, { replacesCallId })], options);
}

/** Move one participant from another meeting created by the same app into this one. */
export function moveParticipant(
  move: { identity: InvitationIdentitySet; fromCallId: string; participantId: string },
  options: InviteOptions = {},
): InvitePostRequestBody {
  const { identity, fromCallId, participantId } = move;
  return body([participant(identity, options, { replacesCallId: fromCallId, participantId })], options);
}

/**
 * Invite a phone number (E.164: `+`, then 1 to 15 digits) to the call; the bot needs an application
 * instance with a PSTN number. Throws InviteValidationError (rule `phone.e164`) for another form.
 * @example
 * ```ts
 * const result = await client.invite(callId, invitePhone("+12345678901", { clientContext: "c-2" }));
 * ```
 */
export function invitePhone(e164: string, options: InviteOptions = {}): InvitePostRequestBody {
  return body([participant(phoneIdentity(e164), options)], options);
}
