// What a browser or edge bundle imports: the runtime-neutral entry only.
import { createFetchHandler, createCallbackHandler, parseCommsNotifications, validateInviteRequest, invitePhone } from "graph-invite-contract";

export const endpoint = createFetchHandler(createCallbackHandler());
export const ok = validateInviteRequest(invitePhone("+12345678901")).ok;
export const parse = parseCommsNotifications;
