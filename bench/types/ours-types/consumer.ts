import type { InviteParticipantsOperation, InvitePostRequestBody } from "graph-invite-contract/types";

export const body: InvitePostRequestBody = {
  participants: [
    {
      "@odata.type": "#microsoft.graph.invitationParticipantInfo",
      identity: {
        "@odata.type": "#microsoft.graph.identitySet",
        user: { "@odata.type": "#microsoft.graph.identity", id: "u1" },
      },
    },
  ],
  clientContext: "ctx",
};
export const done = (op: InviteParticipantsOperation): boolean =>
  op.status === "completed" || op.status === "Completed";
