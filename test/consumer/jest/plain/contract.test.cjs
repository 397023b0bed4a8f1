// Jest in its default CommonJS mode loads the package through require().
const {
  createCallbackHandler,
  parseCommsNotifications,
  validateInviteRequest,
  invitePhone,
  NotificationValidationError,
} = require("graph-invite-contract");
const { createNodeMiddleware } = require("graph-invite-contract/node");

test("validates, parses and refuses through the CommonJS build", async () => {
  expect(validateInviteRequest(invitePhone("+12345678901")).ok).toBe(true);
  const events = parseCommsNotifications({
    value: [{ changeType: "updated", resourceUrl: "/communications/calls/c/participants", resourceData: [] }],
  });
  expect(events).toEqual([expect.objectContaining({ kind: "roster", callId: "c" })]);
  expect(() => parseCommsNotifications("{")).toThrow(NotificationValidationError);
  expect(typeof createNodeMiddleware(createCallbackHandler(), { appId: "b6ba4e3c-1a9a-4c9e-8b8b-6b9a0c2f4d11" })).toBe(
    "function",
  );
  expect(() => createNodeMiddleware(createCallbackHandler(), {})).toThrow(TypeError);
});
