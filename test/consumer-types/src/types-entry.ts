// graph-invite-contract/types: the contract's types with no Node and no DOM types in the program.
import type {
  CallbackEvent,
  InvitePostRequestBody,
  NotificationIssue,
  OperationStatus,
  paths,
  webhooks,
} from "graph-invite-contract/types";

export const body: InvitePostRequestBody = {
  participants: [
    { identity: { user: { "@odata.type": "#microsoft.graph.identity", id: "278405a3-f568-4b3e-b684-009193463064" } } },
  ],
  clientContext: "types-only",
};

export type InviteResponse =
  paths["/communications/calls/{call-id}/participants/invite"]["post"]["responses"]["200"]["content"]["application/json"];
export type Callback = webhooks["commsNotifications"]["post"]["requestBody"]["content"]["application/json"];

export const done = (status: OperationStatus | null | undefined): boolean =>
  status === "completed" || status === "Completed";
export const describe = (event: CallbackEvent): string => (event.kind === "operation" ? event.status : event.kind);
export const where = (issue: NotificationIssue): string => `${issue.path} ${issue.rule}`;
