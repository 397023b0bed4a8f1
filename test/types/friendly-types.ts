// Type-level tests, checked by `npm run typecheck` (part of `npm test`): each @ts-expect-error
// must stay an error, and each plain line must compile.
import type {
  Identity,
  InvitationIdentitySet,
  InvitePostRequestBody,
  InviteParticipantsOperation,
  CommsNotification,
  OperationStatus,
  paths,
  webhooks,
} from "../../src/index.js";

const user: InvitationIdentitySet = {
  "@odata.type": "#microsoft.graph.identitySet",
  user: { "@odata.type": "#microsoft.graph.identity", id: "278405a3-f568-4b3e-b684-009193463064" },
};

export const valid: InvitePostRequestBody = {
  participants: [{ "@odata.type": "#microsoft.graph.invitationParticipantInfo", identity: user }],
  clientContext: "f2fa86af-3c51-4bc2-8fc0-475452d9764f",
};

export const phone: InvitePostRequestBody = {
  participants: [{ identity: { phone: { id: "+12345678901" } } }],
};

// @ts-expect-error a body without participants does not compile
export const noParticipants: InvitePostRequestBody = { clientContext: "x" };

export const wrongType: InvitePostRequestBody = {
  // @ts-expect-error a wrong @odata.type literal does not compile
  participants: [{ "@odata.type": "#microsoft.graph.participantInfo", identity: user }],
};

export const otherIdentityType: InvitePostRequestBody = {
  participants: [
    // @ts-expect-error strict in what we send: an identity type outside the invite's closed list does not compile
    { identity: { user: { "@odata.type": "#microsoft.graph.teamworkUserIdentity", id: "u" } } },
  ],
};

// tolerant in what Graph sends: any v1.0 identity subtype, with its own fields typed
export const received: Identity = {
  "@odata.type": "#microsoft.graph.communicationsGuestIdentity",
  id: "g",
  email: "g@example.com",
};
export const receivedApp: Identity = {
  "@odata.type": "#microsoft.graph.communicationsApplicationIdentity",
  applicationType: "bot",
  hidden: false,
};
// @ts-expect-error a typed subtype field keeps its type
export const wrongEmail: Identity = { email: 42 };

// @ts-expect-error a participant needs an identity
export const noIdentity: InvitePostRequestBody = { participants: [{ replacesCallId: "c" }] };

export function isDone(op: InviteParticipantsOperation): boolean {
  // both casings Graph sends compile
  return op.status === "completed" || op.status === "Completed";
}

export function isTypo(op: InviteParticipantsOperation): boolean {
  // @ts-expect-error "complete" is not an operation status
  return op.status === "complete";
}

export const pascal: OperationStatus = "Running";

export function statusOrNull(op: InviteParticipantsOperation): OperationStatus | null | undefined {
  // Learn's commsOperation: a status may be null; the type says so
  return op.status;
}

type InviteBody =
  paths["/communications/calls/{call-id}/participants/invite"]["post"]["requestBody"]["content"]["application/json"];
export const viaPaths: InviteBody = valid;

type Callback = webhooks["commsNotifications"]["post"]["requestBody"]["content"]["application/json"];
export function firstChange(batch: Callback): CommsNotification["changeType"] | undefined {
  return batch.value[0]?.changeType;
}
