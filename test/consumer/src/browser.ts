// What a browser or edge bundle imports: the runtime-neutral entry only.
import {
  createFetchHandler,
  createCallbackHandler,
  parseCommsNotifications,
  validateInviteRequest,
  invitePhone,
} from "graph-invite-contract";

export const endpoint = createFetchHandler(createCallbackHandler(), { appId: "b6ba4e3c-1a9a-4c9e-8b8b-6b9a0c2f4d11" });
export const ok = validateInviteRequest(invitePhone("+12345678901")).ok;
export const parse = parseCommsNotifications;
