// graph-invite-contract/node: what needs Node's own APIs (node:http). Everything else is in the
// runtime-neutral main entry.
export { createNodeMiddleware, type NodeMiddleware, type NodeMiddlewareOptions } from "../endpoint/node-adapter.js";
export { createCallbackServer, type CallbackServerLimits } from "./server.js";
export { verifyCallbackTokenOnNode } from "./signature.js";
export { graphCallbacksFastify, type FastifyCallbacksInstance, type FastifyCallbacksOptions } from "./fastify.js";
