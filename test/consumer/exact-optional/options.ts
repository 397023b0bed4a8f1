// A bot compiled with `exactOptionalPropertyTypes: true` (tsconfig.exact-optional.json; type-checked by
// test/package/consumer.test.ts). An option written as `undefined` is refused at run time
// (EndpointOptionsError rule `undefined`, InvalidOptionError), so that an unset variable never skips a
// check; under exactOptionalPropertyTypes it does not compile either. The idiom docs/security.md
// documents, a conditional spread, compiles: the key is there with a value, or not there at all.
import {
  createCallbackHandler,
  createFetchHandler,
  createVerifiedTokenCache,
  verifyCallbackToken,
  type CallbackJsonWebKeySet,
  type VerifiedTokenCache,
} from "graph-invite-contract";
import { createNodeMiddleware } from "graph-invite-contract/node";

/** What a bot's configuration holds: the optional settings may be unset. */
declare const config: {
  appId: string;
  keys?: CallbackJsonWebKeySet | undefined;
  tenantId?: string | undefined;
  cache?: VerifiedTokenCache | undefined;
  maxBodyBytes?: number | undefined;
};
declare const header: string | undefined;
const handler = createCallbackHandler();
const { appId } = config;
const keys: CallbackJsonWebKeySet = { keys: [{ kty: "RSA", kid: "k", n: "AQAB", e: "AQAB" }] };

// An option that may be undefined does not compile (at run time it would be a construction error).
// @ts-expect-error keys may be undefined: EndpointOptionsError keys (undefined)
createNodeMiddleware(handler, { appId, keys: config.keys });
// @ts-expect-error tenantId may be undefined: EndpointOptionsError tenantId (undefined)
createNodeMiddleware(handler, { appId, tenantId: config.tenantId });
// @ts-expect-error keys may be undefined
createFetchHandler(handler, { appId, keys: config.keys });
// @ts-expect-error cache may be undefined
createFetchHandler(handler, { appId, cache: config.cache });
// @ts-expect-error a common option too: maxBodyBytes may be undefined
createFetchHandler(handler, { appId, maxBodyBytes: config.maxBodyBytes });
// @ts-expect-error tenantId may be undefined: InvalidOptionError tenantId (required)
await verifyCallbackToken(header, { appId, keys, tenantId: config.tenantId });
// @ts-expect-error verifyCallbackToken's keys are required
await verifyCallbackToken(header, { appId, keys: config.keys });

// The idiom: write the key only when there is a value.
createNodeMiddleware(handler, { appId, ...(config.keys ? { keys: config.keys } : {}) });
createNodeMiddleware(handler, {
  appId,
  ...(config.keys ? { keys: config.keys } : {}),
  ...(config.tenantId ? { tenantId: config.tenantId } : {}),
  cache: config.cache ?? createVerifiedTokenCache(),
});
createFetchHandler(handler, {
  appId,
  ...(config.keys ? { keys: config.keys } : {}),
  ...(config.maxBodyBytes !== undefined ? { maxBodyBytes: config.maxBodyBytes } : {}),
  waitUntil: () => {},
});
await verifyCallbackToken(header, { appId, keys, ...(config.tenantId ? { tenantId: config.tenantId } : {}) });
// The options keep their union: a conditional spread cannot add a second way to verify.
// @ts-expect-error keys belong to appId
createFetchHandler(handler, { verify: () => true, ...(config.keys ? { keys: config.keys } : {}) });

export {};
