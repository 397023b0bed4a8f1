// What the simulator sends: Graph's invite response and the callbacks that follow it, shaped like
// the docs' payloads (test/fixtures/docs/), with the quirks the docs show available on request.
import type {
  CommsNotifications,
  InvitationParticipantInfo,
  InviteParticipantsOperation,
  ResultInfo,
} from "../schema-types.js";

/** How one invited identity answers. */
export type InviteOutcome = "accept" | "decline" | "noAnswer" | "pstnUnavailable";

/** The docs' quirks, off by default. */
export interface SimulatorQuirks {
  /** The final operation callback has `id: null` and names `.../operations/participants` (docs Example 2). */
  nullOperationId?: boolean;
  /** Operation status in PascalCase (`Completed`), as the metadata and HTTP responses spell it. */
  pascalCaseStatus?: boolean;
  /** Roster participants' `info` typed as invitationParticipantInfo (docs Examples 1 to 3), not participantInfo. */
  rosterInfoAsInvitation?: boolean;
}

/**
 * The resultInfo of an invite that did not succeed. pstnUnavailable is the failure seen in the field
 * (412/9999, no PSTN-enabled application instance); the others are this simulator's choice, as SIP
 * names them (603 Decline, 408 Request Timeout): Graph documents no codes for them.
 */
export const FAILURES: Record<Exclude<InviteOutcome, "accept">, ResultInfo> = {
  decline: { code: 603, subcode: 0, message: "The invitation was declined." },
  noAnswer: { code: 408, subcode: 0, message: "The invitation was not answered." },
  pstnUnavailable: { code: 412, subcode: 9999, message: "No PSTN-enabled application instance." },
};

const status = (value: "running" | "completed" | "failed", quirks: SimulatorQuirks) =>
  (quirks.pascalCaseStatus ? value[0]!.toUpperCase() + value.slice(1) : value) as InviteParticipantsOperation["status"];

export function operation(
  id: string | null,
  clientContext: string,
  participants: InvitationParticipantInfo[],
  outcome: "running" | "completed" | "failed",
  resultInfo: ResultInfo | null,
  quirks: SimulatorQuirks,
): InviteParticipantsOperation {
  return {
    "@odata.type": "#microsoft.graph.inviteParticipantsOperation",
    id,
    status: status(outcome, quirks),
    clientContext,
    resultInfo,
    participants,
  };
}

const batch = (notification: CommsNotifications["value"][number]): CommsNotifications => ({
  "@odata.type": "#microsoft.graph.commsNotifications",
  value: [notification],
});

/** The roster update every participant gets after an accepted invite: the participants who joined. */
export function rosterCallback(
  callId: string,
  joined: InvitationParticipantInfo[],
  quirks: SimulatorQuirks,
): CommsNotifications {
  return batch({
    "@odata.type": "#microsoft.graph.commsNotification",
    changeType: "updated",
    resource: `/app/calls/${callId}/participants`,
    resourceUrl: `/communications/calls/${callId}/participants`,
    resourceData: joined.map((p) => ({
      "@odata.type": "#microsoft.graph.participant" as const,
      id: null,
      info: {
        "@odata.type": quirks.rosterInfoAsInvitation
          ? ("#microsoft.graph.invitationParticipantInfo" as const)
          : ("#microsoft.graph.participantInfo" as const),
        identity: p.identity,
        endpointType: "default" as const,
      },
      mediaStreams: [
        {
          "@odata.type": "#microsoft.graph.mediaStream" as const,
          mediaType: "audio" as const,
          sourceId: "1",
          direction: "sendReceive" as const,
          serverMuted: false,
        },
      ],
      isMuted: false,
      isInLobby: false,
    })),
  });
}

/** The final operation callback: `deleted` on the operation, its final status and resultInfo. */
export function operationCallback(
  callId: string,
  final: InviteParticipantsOperation,
  operationId: string,
  quirks: SimulatorQuirks,
): CommsNotifications {
  const path = quirks.nullOperationId ? "operations/participants" : `operations/${operationId}`;
  return batch({
    "@odata.type": "#microsoft.graph.commsNotification",
    changeType: "deleted",
    resource: `/app/calls/${callId}/${path}`,
    resourceUrl: `/communications/calls/${callId}/${path}`,
    resourceData: {
      ...final,
      "@odata.type": "#microsoft.graph.inviteParticipantsOperation",
      id: quirks.nullOperationId ? null : operationId,
    },
  });
}
