// CommonJS: require() of the package's CommonJS build (any Node 20, Jest, TypeScript's node16 CJS).
import contract = require("graph-invite-contract");
import node = require("graph-invite-contract/node");

const body = contract.invitePhone("+12345678901", { clientContext: "cjs" });
const middleware = node.createNodeMiddleware(contract.createCallbackHandler(), {
  appId: "b6ba4e3c-1a9a-4c9e-8b8b-6b9a0c2f4d11",
});
console.log(
  JSON.stringify({
    valid: contract.validateInviteRequest(body).ok,
    rules: contract.INVITE_RULES.length,
    node: typeof middleware === "function",
  }),
);
