// CommonJS: require() of the package's CommonJS build (any Node 20, Jest, TypeScript's node16 CJS).
import contract = require("graph-invite-contract");
import node = require("graph-invite-contract/node");

const body = contract.invitePhone("+12345678901", { clientContext: "cjs" });
const middleware = node.createNodeMiddleware(contract.createCallbackHandler());
console.log(JSON.stringify({ valid: contract.validateInviteRequest(body).ok, rules: contract.INVITE_RULES.length, node: typeof middleware === "function" }));
