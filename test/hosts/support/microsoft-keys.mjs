// Preloaded (`node --import`) into a recipe's process: stands in for Microsoft's callback-key endpoint,
// the one service a test cannot reach offline. The OpenID configuration and the key set it names are
// answered from GIC_TEST_JWKS (the Graph simulator's public keys); every other request goes out as is.
const CONFIGURATION = "https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration";
const KEYS = "https://login.botframework.com/v1/.well-known/keys";
const jwks = process.env.GIC_TEST_JWKS;
if (!jwks) throw new Error("microsoft-keys.mjs: GIC_TEST_JWKS is not set");
const realFetch = globalThis.fetch;
const json = (body) => new Response(body, { status: 200, headers: { "content-type": "application/json" } });
globalThis.fetch = (input, init) => {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  if (url === CONFIGURATION) return Promise.resolve(json(JSON.stringify({ jwks_uri: KEYS })));
  if (url === KEYS) return Promise.resolve(json(jwks));
  return realFetch(input, init);
};
