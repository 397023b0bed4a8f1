// A final invite-operation callback, parsed: what the tracker tests observe, one per invite.
import { parseCommsNotifications } from "../../src/index.js";

/** The events of a `completed` inviteParticipantsOperation callback for operation `id` and `clientContext`. */
export const completedInvite = (id: string, clientContext: string) =>
  parseCommsNotifications({
    value: [
      {
        changeType: "deleted",
        resourceUrl: `/communications/calls/call-1/operations/${id}`,
        resourceData: {
          "@odata.type": "#microsoft.graph.inviteParticipantsOperation",
          id,
          clientContext,
          status: "completed",
        },
      },
    ],
  });
