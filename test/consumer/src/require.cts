// CommonJS: require() of the package's CommonJS build (any Node 20, Jest, TypeScript's node16 CJS), each
// entry's main functions used end to end (flow.cts), not only loaded. REDIS_URL adds the /redis entry.
import contract = require("graph-invite-contract");
import node = require("graph-invite-contract/node");
import testing = require("graph-invite-contract/testing");
import redis = require("graph-invite-contract/redis");
import { flow } from "./flow.cjs";

const body = contract.invitePhone("+12345678901", { clientContext: "cjs" });
void flow({ contract, node, testing, redis }, process.env.REDIS_URL).then((seen) =>
  console.log(
    JSON.stringify({
      valid: contract.validateInviteRequest(body).ok,
      rules: contract.INVITE_RULES.length,
      ...seen,
    }),
  ),
);
