import type { InviteParticipantsOperation, InvitationParticipantInfo } from "@microsoft/msgraph-sdk/models/index.js";

export const body: { participants: InvitationParticipantInfo[]; clientContext?: string } = {
  participants: [{ identity: { user: { id: "u1" } } }],
  clientContext: "ctx",
};
// Its OperationStatus is PascalCase only: the lowercase value callbacks send needs a cast.
export const done = (op: InviteParticipantsOperation): boolean =>
  op.status === "Completed" || (op.status as string) === "completed";
