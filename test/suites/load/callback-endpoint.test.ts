// The callback endpoint under load: autocannon sends LOAD_CALLBACKS (default 20,000) requests to
// createNodeMiddleware on 127.0.0.1, with RS256 token checks, mixing valid callbacks (distinct
// clientContexts) with malformed, schema-invalid, unauthenticated and forged ones. Every request is
// answered once with the right status, every valid notification reaches its handler exactly once,
// none is lost. Throughput, latency and peak memory are recorded for the README.
import { createServer, type Server } from "node:http";
import autocannon from "autocannon";
import { exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCallbackHandler, verifyCallbackToken } from "../../../src/index.js";
import { createNodeMiddleware } from "../../../src/node/index.js";
import { docsPayload } from "../../fixtures/docs.js";
import { recordFigure } from "../../support/figures.js";
import { listen } from "../../support/listen.js";

const CALLBACKS = Number(process.env.LOAD_CALLBACKS ?? 20_000);
const CONNECTIONS = 20;
const APP_ID = "b6ba4e3c-1a9a-4c9e-8b8b-6b9a0c2f4d11";

type Kind = "valid" | "malformed JSON" | "schema-invalid" | "no token" | "forged token";
const EXPECTED_STATUS: Record<Kind, number> = {
  valid: 202,
  "malformed JSON": 400,
  "schema-invalid": 400,
  "no token": 401,
  "forged token": 401,
};
// 7 in 10 valid; the rest one of each refusal
const kindOf = (seq: number): Kind =>
  (
    [
      "valid",
      "valid",
      "valid",
      "valid",
      "valid",
      "valid",
      "valid",
      "malformed JSON",
      "schema-invalid",
      seq % 20 === 19 ? "forged token" : "no token",
    ] as const
  )[seq % 10]!;

const template = JSON.stringify(docsPayload(1, "notification-operation-completed"));
const operationId = "eec3812a-fdc3-4fb4-825c-a06c9f35414e";
const clientContext = "f2fa86af-3c51-4bc2-8fc0-475452d9764f";
const bodyFor = (seq: number, kind: Kind) => {
  const valid = template.replaceAll(operationId, `op-${seq}`).replace(clientContext, `load-${seq}`);
  if (kind === "malformed JSON") return valid.slice(0, valid.length >> 1);
  if (kind === "schema-invalid") return valid.replace('"status":"completed"', '"status":"done"');
  return valid;
};

let server: Server;
let url = "";
let validToken = "";
let forgedToken = "";
const answered = new Map<number, number>(); // seq → status
const delivered = new Map<string, number>(); // clientContext → times its handler ran
const handlerErrors: unknown[] = [];

beforeAll(async () => {
  const ours = await generateKeyPair("RS256");
  const stranger = await generateKeyPair("RS256");
  const jwks: JSONWebKeySet = { keys: [{ ...(await exportJWK(ours.publicKey)), kid: "key-1", alg: "RS256" }] };
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: "https://api.botframework.com",
    aud: APP_ID,
    tid: "72f988bf-86f1-41af-91ab-2d7cd011db47",
    iat: now,
    nbf: now - 10,
    exp: now + 3600,
  };
  validToken = await new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "key-1" }).sign(ours.privateKey);
  forgedToken = await new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "key-1" }).sign(stranger.privateKey);

  const handler = createCallbackHandler().on("operation", (event) => {
    const key = event.clientContext ?? "(none)";
    delivered.set(key, (delivered.get(key) ?? 0) + 1);
  });
  const middleware = createNodeMiddleware(handler, {
    verify: (header) => verifyCallbackToken(header, { appId: APP_ID, keys: jwks }),
    onError: (error) => handlerErrors.push(error),
  });
  server = createServer((req, res) => {
    const seq = Number(req.headers["x-seq"]);
    res.on("finish", () => answered.set(seq, answered.has(seq) ? -1 : res.statusCode));
    middleware(req, res);
  });
  url = `${await listen(server)}/api/calls`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("the callback endpoint under load", () => {
  it(`answers ${CALLBACKS.toLocaleString("en-US")} mixed callbacks correctly and delivers each valid one exactly once`, async () => {
    let next = 0;
    const sent = new Map<number, Kind>();
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
    const started = performance.now();
    const result = await autocannon({
      url,
      method: "POST",
      connections: CONNECTIONS,
      amount: CALLBACKS,
      requests: [
        {
          setupRequest: (request) => {
            const seq = next++;
            const kind = kindOf(seq);
            sent.set(seq, kind);
            const token = kind === "no token" ? null : kind === "forged token" ? forgedToken : validToken;
            request.headers = {
              "content-type": "application/json",
              "x-seq": String(seq),
              ...(token ? { authorization: `Bearer ${token}` } : {}),
            };
            request.body = bodyFor(seq, kind);
            return request;
          },
        },
      ],
    });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    await new Promise((r) => setTimeout(r, 50)); // handlers run after the 202

    expect(result.errors).toBe(0);
    expect(result.timeouts).toBe(0);
    // (status classes, not result.requests: in a worker thread, as under Stryker, autocannon returns raw histograms)
    expect(result["2xx"] + result["4xx"]).toBe(CALLBACKS);
    // every request answered once, with its kind's status
    expect(answered.size).toBe(CALLBACKS);
    const wrong = [...answered].filter(([seq, status]) => status !== EXPECTED_STATUS[sent.get(seq)!]);
    expect(wrong).toEqual([]);
    // every valid callback delivered exactly once, nothing else delivered
    const valid = [...sent]
      .filter(([seq, kind]) => kind === "valid" && answered.has(seq))
      .map(([seq]) => `load-${seq}`);
    expect(delivered.size).toBe(valid.length);
    expect(valid.every((ctx) => delivered.get(ctx) === 1)).toBe(true);
    expect(handlerErrors).toEqual([]);

    const byStatus: Record<number, number> = {};
    for (const status of answered.values()) byStatus[status] = (byStatus[status] ?? 0) + 1;
    recordFigure("load", {
      callbacks: CALLBACKS,
      connections: CONNECTIONS,
      byStatus,
      delivered: delivered.size,
      lost: valid.length - delivered.size,
      perSecond: Math.round(CALLBACKS / seconds),
      p50ms: result.latency?.p50 ?? null, // absent in a worker thread (see above)
      p99ms: result.latency?.p99 ?? null,
      peakRssMB: Math.round(peakRss / 2 ** 20),
    });
  }, 120_000);
});
