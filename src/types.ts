// Friendly names over the types openapi-typescript generates from openapi.yaml.
import type { components } from "../generated/schema.js";

/** The body of `POST /communications/calls/{call-id}/participants/invite`. */
export type InvitePostRequestBody = components["schemas"]["InvitePostRequestBody"];
/** One participant to invite. */
export type InvitationParticipantInfo = components["schemas"]["InvitationParticipantInfo"];
/** A set of identities (Graph's `identitySet`: application, device, user). */
export type IdentitySet = components["schemas"]["IdentitySet"];
/** `identitySet` with the cloud-communications identities (`phone`, `guest`, ...). */
export type CommunicationsIdentitySet = components["schemas"]["CommunicationsIdentitySet"];
/** One identity: `id`, `displayName`, ... */
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
