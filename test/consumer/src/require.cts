// CommonJS: require() of the ESM package (Node >= 20.19 loads ES modules through require).
import contract = require("graph-invite-contract");

const body = contract.invitePhone("+12345678901", { clientContext: "cjs" });
console.log(JSON.stringify({ valid: contract.validateInviteRequest(body).ok, rules: contract.INVITE_RULES.length }));
