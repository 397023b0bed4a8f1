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
