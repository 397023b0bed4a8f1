// Type-level tests for the endpoints' options, checked by `npm run typecheck`: exactly one way to
// verify, and the options of one way do not compile with another.
import {
  createCallbackHandler,
  createFetchHandler,
  createReplayGuard,
  createVerifiedTokenCache,
  verifyCallbackToken,
  type CallbackEndpointOptions,
  type CallbackJsonWebKeySet,
} from "../../src/index.js";
import { createNodeMiddleware } from "../../src/node/index.js";

const handler = createCallbackHandler();
const appId = "b6ba4e3c-1a9a-4c9e-8b8b-6b9a0c2f4d11";
const keys: CallbackJsonWebKeySet = { keys: [] };
declare const env: { BOT_APP_ID?: string };

// the three ways, each with its own options
createNodeMiddleware(handler, { appId });
createNodeMiddleware(handler, { appId, tenantId: "t", keys, cache: createVerifiedTokenCache(), record: () => {} });
createFetchHandler(handler, {
  verify: (h) => verifyCallbackToken(h, { appId, keys }),
  replayGuard: createReplayGuard(),
});
createFetchHandler(handler, { dangerouslyAcceptUnverifiedCallbacks: true, path: null, waitUntil: () => {} });

// @ts-expect-error no way to verify
createNodeMiddleware(handler, {});
// @ts-expect-error no way to verify, only common options
createFetchHandler(handler, { path: "/cb", maxBodyBytes: 1024 });
// @ts-expect-error an unset environment variable is not an app id (issue 22: it disabled the audience check)
createNodeMiddleware(handler, { appId: env.BOT_APP_ID });
// @ts-expect-error two ways at once
createNodeMiddleware(handler, { appId, verify: () => true });
// @ts-expect-error two ways at once
createFetchHandler(handler, { verify: () => true, dangerouslyAcceptUnverifiedCallbacks: true });
// @ts-expect-error tenantId belongs to appId: with verify it would be ignored (a skipped tenant check)
createNodeMiddleware(handler, { verify: () => true, tenantId: "t" });
// @ts-expect-error keys belong to appId
createFetchHandler(handler, { dangerouslyAcceptUnverifiedCallbacks: true, keys });
// @ts-expect-error cache belongs to appId
createNodeMiddleware(handler, { verify: () => true, cache: createVerifiedTokenCache() });
// @ts-expect-error false is not a way to verify
createNodeMiddleware(handler, { dangerouslyAcceptUnverifiedCallbacks: false });
// @ts-expect-error verify is a function
createFetchHandler(handler, { verify: "x" });
// @ts-expect-error maxBodyBytes is a number
createNodeMiddleware(handler, { appId, maxBodyBytes: "1" });
// @ts-expect-error a misspelled option does not compile (at run time it is an EndpointOptionsError)
createNodeMiddleware(handler, { appId, replayguard: createReplayGuard() });
// @ts-expect-error the Node middleware has no waitUntil
createNodeMiddleware(handler, { appId, waitUntil: () => {} });

// the union narrows by its way
export function describeAuth(options: CallbackEndpointOptions): string {
  if (options.appId !== undefined) return `Microsoft tokens for ${options.appId}, tenant ${options.tenantId ?? "any"}`;
  if (options.verify !== undefined) return "custom verify";
  const unverified: true = options.dangerouslyAcceptUnverifiedCallbacks;
  return `unverified: ${unverified}`;
}
