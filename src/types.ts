// Friendly names over the types openapi-typescript generates from openapi.yaml.
import type { components } from "../generated/schema.js";

type Schemas = components["schemas"];

/** The body of `POST /communications/calls/{call-id}/participants/invite`. */
export type InvitePostRequestBody = Schemas["InvitePostRequestBody"];
/** One participant to invite. */
export type InvitationParticipantInfo = Schemas["InvitationParticipantInfo"];
/** A set of identities (Graph's `identitySet`: application, device, user). */
export type IdentitySet = Schemas["IdentitySet"];
/** `identitySet` with the cloud-communications identities (`phone`, `guest`, ...). */
export type CommunicationsIdentitySet = Schemas["CommunicationsIdentitySet"];
/** One identity: `id`, `displayName`, ... */
export type Identity = Schemas["Identity"];
/** The operation an invite creates, as the 200 response and the callbacks carry it. */
export type InviteParticipantsOperation = Schemas["InviteParticipantsOperation"];
/** The base of every comms operation. */
export type CommsOperation = Schemas["CommsOperation"];
/** Operation status, in either casing Graph sends (`completed` and `Completed`). */
export type OperationStatus = Schemas["OperationStatus"];
/** The outcome of an operation (`code`, `subcode`, `message`). */
export type ResultInfo = Schemas["ResultInfo"];
/** Graph's error body for 4XX and 5XX responses. */
export type ODataError = Schemas["ODataError"];
/** The batch Graph posts to the bot's callback URL. */
export type CommsNotifications = Schemas["CommsNotifications"];
/** One notification in a batch. */
export type CommsNotification = Schemas["CommsNotification"];
/** What happened to a notification's resource, in either casing. */
export type ChangeType = Schemas["ChangeType"];
/** A participant in a roster notification. */
export type Participant = Schemas["Participant"];
/** Who a participant is. */
export type ParticipantInfo = Schemas["ParticipantInfo"];
/** One media stream of a participant. */
export type MediaStream = Schemas["MediaStream"];
/** The kind of endpoint. */
export type EndpointType = Schemas["EndpointType"];
