// The floor: the types a bot author would write by hand for this one action.
export interface Identity {
  "@odata.type"?: string;
  id?: string | null;
  displayName?: string | null;
}
export interface IdentitySet {
  "@odata.type"?: string;
  user?: Identity | null;
  application?: Identity | null;
  phone?: Identity | null;
  guest?: Identity | null;
}
export interface InvitationParticipantInfo {
  "@odata.type"?: "#microsoft.graph.invitationParticipantInfo";
  identity: IdentitySet;
  replacesCallId?: string | null;
  participantId?: string | null;
  hidden?: boolean | null;
}
export interface InvitePostRequestBody {
  participants: InvitationParticipantInfo[];
  clientContext?: string | null;
}
export type OperationStatus =
  "notStarted" | "running" | "completed" | "failed" | "NotStarted" | "Running" | "Completed" | "Failed";
export interface ResultInfo {
  code?: number;
  subcode?: number | null;
  message?: string | null;
}
export interface InviteParticipantsOperation {
  "@odata.type"?: string;
  id?: string | null;
  clientContext?: string | null;
  status: OperationStatus;
  resultInfo?: ResultInfo | null;
  participants?: InvitationParticipantInfo[];
}
