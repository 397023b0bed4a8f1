// A callback endpoint for the intake benchmark, in its own process. Prints its port. Modes:
//   bare          node:http that only JSON.parses the body (the floor)
//   bare-jose     the same plus jose's jwtVerify of the bearer token, with the same keys and checks
//   bare-crypto   the same checks by hand with node:crypto (a KeyObject imported once): the CPU ceiling
//   ours          createNodeMiddleware with a dispatching handler, no token verification
//   ours-verify   the same, verifying every token (appId + keys: the secure default)
//   ours-cached   the same, with createVerifiedTokenCache (a token sent again is not checked again)
// The public JWKS comes in BENCH_JWKS, the bot's app id in BENCH_APP_ID. GET /__cpu answers the
// process's CPU time so far (µs), so the bench can state CPU per callback.
import { createPublicKey, verify } from "node:crypto";
import { createServer } from "node:http";
import { createLocalJWKSet, jwtVerify } from "jose";
import { createCallbackHandler, createVerifiedTokenCache } from "../dist/index.js";
import { createNodeMiddleware } from "../dist/node.js";

const mode = process.argv[2];
const appId = process.env.BENCH_APP_ID ?? "";
const keys = process.env.BENCH_JWKS ? JSON.parse(process.env.BENCH_JWKS) : undefined;

let dispatched = 0;
const handler = createCallbackHandler().on("*", () => void dispatched++);

/** node:http reading the whole body, then `check(req, text)`: 202 when it resolves, else 400/401. */
function bare(check) {
  return (req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      Promise.resolve()
        .then(() => check(req, Buffer.concat(chunks).toString("utf8")))
        .then(
          () => res.writeHead(202).end(),
          (error) => res.writeHead(error instanceof SyntaxError ? 400 : 401).end(),
        );
    });
  };
}

const joseKeys = keys && createLocalJWKSet(keys);
const keyObjects = new Map((keys?.keys ?? []).map((jwk) => [jwk.kid, createPublicKey({ key: jwk, format: "jwk" })]));
const ISSUERS = ["https://graph.microsoft.com", "https://api.botframework.com"];
const json = (segment) => JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));

/** Every check verifyCallbackToken makes, written out with node:crypto. */
function verifyByHand(authorization) {
  const [head, body, sig] = (/^Bearer (.+)$/i.exec(authorization ?? "")?.[1] ?? "").split(".");
  const header = json(head);
  if (header.alg !== "RS256" || header.crit !== undefined) throw new Error("alg");
  const key = keyObjects.get(header.kid);
  if (!key || !verify("sha256", Buffer.from(`${head}.${body}`), key, Buffer.from(sig, "base64url")))
    throw new Error("signature");
  const claims = json(body);
  const now = Math.floor(Date.now() / 1000);
  if (!ISSUERS.includes(claims.iss)) throw new Error("iss");
  if (claims.aud !== appId && !(Array.isArray(claims.aud) && claims.aud.includes(appId))) throw new Error("aud");
  if (typeof claims.exp !== "number" || claims.exp <= now - 300) throw new Error("exp");
  if (claims.nbf !== undefined && (typeof claims.nbf !== "number" || claims.nbf > now + 300)) throw new Error("nbf");
  if (typeof claims.tid !== "string" || !claims.tid) throw new Error("tid");
}
const servers = {
  bare: () => bare((_req, text) => JSON.parse(text)),
  // What a careful hand-written endpoint does: the same checks verifyCallbackToken makes.
  "bare-jose": () =>
    bare(async (req, text) => {
      const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1] ?? "";
      await jwtVerify(token, joseKeys, {
        algorithms: ["RS256"],
        issuer: ["https://graph.microsoft.com", "https://api.botframework.com"],
        audience: appId,
        clockTolerance: 300,
        requiredClaims: ["exp"],
      });
      JSON.parse(text);
    }),
  "bare-crypto": () =>
    bare((req, text) => {
      verifyByHand(req.headers.authorization);
      JSON.parse(text);
    }),
  ours: () => createNodeMiddleware(handler, { dangerouslyAcceptUnverifiedCallbacks: true }),
  "ours-verify": () => createNodeMiddleware(handler, { appId, keys }),
  "ours-cached": () => createNodeMiddleware(handler, { appId, keys, cache: createVerifiedTokenCache() }),
};

const listener = servers[mode]();
const server = createServer((req, res) => {
  if (req.method === "GET" && req.url === "/__cpu") {
    const { user, system } = process.cpuUsage();
    return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ cpuMicros: user + system }));
  }
  return listener(req, res);
});
server.listen(0, "127.0.0.1", () => console.log(/** @type {import("node:net").AddressInfo} */ (server.address()).port));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
