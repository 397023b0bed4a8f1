// The main entry, imported for its types by a repo without @types/node (the failing case).
import type { InvitePostRequestBody, InviteResult, FetchHandler } from "graph-invite-contract";

export const body: InvitePostRequestBody = { participants: [{ identity: { phone: { id: "+12345678901" } } }] };
export type Outcome = InviteResult["status"];
export type Endpoint = FetchHandler;
