// Type-level tests, checked by `npm run typecheck` (part of `npm test`): each @ts-expect-error
// must stay an error, and each plain line must compile.
import type {
  IdentitySet,
  InvitePostRequestBody,
  InviteParticipantsOperation,
  CommsNotification,
  OperationStatus,
  paths,
  webhooks,
} from "../../src/index.js";

const user: IdentitySet = {
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

type InviteBody =
  paths["/communications/calls/{call-id}/participants/invite"]["post"]["requestBody"]["content"]["application/json"];
export const viaPaths: InviteBody = valid;

type Callback = webhooks["commsNotifications"]["post"]["requestBody"]["content"]["application/json"];
export function firstChange(batch: Callback): CommsNotification["changeType"] | undefined {
  return batch.value[0]?.changeType;
}
