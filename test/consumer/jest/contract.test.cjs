// Jest in its default CommonJS mode loads the package through require().
const { createCallbackHandler, parseCommsNotifications, validateInviteRequest, invitePhone, NotificationValidationError } = require("graph-invite-contract");
const { createNodeMiddleware } = require("graph-invite-contract/node");

test("validates, parses and refuses through the CommonJS build", async () => {
  expect(validateInviteRequest(invitePhone("+12345678901")).ok).toBe(true);
  const events = parseCommsNotifications({ value: [{ changeType: "updated", resourceUrl: "/communications/calls/c/participants", resourceData: [] }] });
  expect(events).toEqual([expect.objectContaining({ kind: "roster", callId: "c" })]);
  expect(() => parseCommsNotifications("{")).toThrow(NotificationValidationError);
  expect(typeof createNodeMiddleware(createCallbackHandler())).toBe("function");
});
