// Friendly names over the types openapi-typescript generates from openapi.yaml.
import type { components } from "../generated/schema.js";

/** The body of `POST /communications/calls/{call-id}/participants/invite`. */
export type InvitePostRequestBody = components["schemas"]["InvitePostRequestBody"];
/** One participant to invite (request side: identities from a closed list of types). */
export type InvitationParticipantInfo = components["schemas"]["InvitationParticipantInfo"];
/** The identities of a participant to invite (request side). */
export type InvitationIdentitySet = components["schemas"]["InvitationIdentitySet"];
/** One identity in a request body: `@odata.type` from the closed list the invite takes. */
export type InvitationIdentity = components["schemas"]["InvitationIdentity"];
/** An invited participant as Graph echoes it in an operation (receive side). */
export type InvitedParticipantInfo = components["schemas"]["InvitedParticipantInfo"];
/** A set of identities as Graph sends it (Graph's `identitySet`: application, device, user). */
export type IdentitySet = components["schemas"]["IdentitySet"];
/** `identitySet` with the cloud-communications identities (`phone`, `guest`, ...), as Graph sends it. */
export type CommunicationsIdentitySet = components["schemas"]["CommunicationsIdentitySet"];
/** One identity as Graph sends it: `identity` or any v1.0 subtype (`email`, `applicationType`, ... typed). */
export type Identity = components["schemas"]["Identity"];
/** The operation an invite creates, as the 200 response and the callbacks carry it. */
export type InviteParticipantsOperation = components["schemas"]["InviteParticipantsOperation"];
/** The base of every comms operation. */
export type CommsOperation = components["schemas"]["CommsOperation"];
/** Operation status, in either casing Graph sends (`completed` and `Completed`). */
export type OperationStatus = components["schemas"]["OperationStatus"];
/** The outcome of an operation (`code`, `subcode`, `message`). */
export type ResultInfo = components["schemas"]["ResultInfo"];
/** Graph's error body for 4XX and 5XX responses. */
export type ODataError = components["schemas"]["ODataError"];
/** The batch Graph posts to the bot's callback URL. */
export type CommsNotifications = components["schemas"]["CommsNotifications"];
/** One notification in a batch. */
export type CommsNotification = components["schemas"]["CommsNotification"];
/** What happened to a notification's resource, in either casing. */
export type ChangeType = components["schemas"]["ChangeType"];
/** A participant in a roster notification. */
export type Participant = components["schemas"]["Participant"];
/** Who a participant is. */
export type ParticipantInfo = components["schemas"]["ParticipantInfo"];
/** One media stream of a participant. */
export type MediaStream = components["schemas"]["MediaStream"];
/** The kind of endpoint. */
export type EndpointType = components["schemas"]["EndpointType"];
/** An Edm.Int32 as Graph may write it in resultInfo: a number, or its decimal string (call-delete.md). */
export type Int32String = components["schemas"]["Int32String"];
/** `resultInfo` as events and tracker errors carry it: `code` and `subcode` always numbers. */
export type NumericResultInfo = Omit<ResultInfo, "code" | "subcode"> & { code?: number; subcode?: number | null };
/** A call, as call notifications carry it (state, direction, resultInfo, toneInfo, ...). */
export type Call = components["schemas"]["Call"];
/** The state of a call (`establishing`, `established`, `terminated`, ...). */
export type CallState = components["schemas"]["CallState"];
/** Whether a call came in to the bot or went out from it. */
export type CallDirection = components["schemas"]["CallDirection"];
/** A DTMF tone a participant pressed (after subscribeToTone). */
export type ToneInfo = components["schemas"]["ToneInfo"];
/** A DTMF key (`tone0` ... `tone9`, `star`, `pound`, `a` ... `d`, `flash`). */
export type Tone = components["schemas"]["Tone"];
/** The participants changed since the last roster update, with its sequence number. */
export type DeltaParticipants = components["schemas"]["DeltaParticipants"];
/** The operation a playPrompt creates. */
export type PlayPromptOperation = components["schemas"]["PlayPromptOperation"];
/** The operation a recordResponse creates (recordingLocation, recordingAccessToken once completed). */
export type RecordOperation = components["schemas"]["RecordOperation"];
/** The operation a subscribeToTone creates. */
export type SubscribeToToneOperation = components["schemas"]["SubscribeToToneOperation"];
/** The operation a cancelMediaProcessing creates. */
export type CancelMediaProcessingOperation = components["schemas"]["CancelMediaProcessingOperation"];
/** The operation an addLargeGalleryView creates. */
export type AddLargeGalleryViewOperation = components["schemas"]["AddLargeGalleryViewOperation"];
/** The operation a startHoldMusic creates. */
export type StartHoldMusicOperation = components["schemas"]["StartHoldMusicOperation"];
/** The operation a stopHoldMusic creates. */
export type StopHoldMusicOperation = components["schemas"]["StopHoldMusicOperation"];
/** The operation a mute creates. */
export type MuteParticipantOperation = components["schemas"]["MuteParticipantOperation"];
/** The operation an unmute creates. */
export type UnmuteParticipantOperation = components["schemas"]["UnmuteParticipantOperation"];
/** The operation an updateRecordingStatus creates. */
export type UpdateRecordingStatusOperation = components["schemas"]["UpdateRecordingStatusOperation"];
/** The operation a sendDtmfTones creates. */
export type SendDtmfTonesOperation = components["schemas"]["SendDtmfTonesOperation"];
/** Why a sendDtmfTones operation ended. */
export type SendDtmfCompletionReason = components["schemas"]["SendDtmfCompletionReason"];
