// The OpenTelemetry SDK's in-memory exporters and a capturing logger around one createTelemetry(),
// and the whole set of scenarios the privacy test and the signal tests run: the client against the
// Graph simulator, callbacks through both endpoints, key fetches, the in-memory tracker and (when a
// redis-server can start) the Redis tracker.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { spawnSync } from "node:child_process";
import { Redis } from "ioredis";
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type ResourceMetrics,
} from "@opentelemetry/sdk-metrics";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from "@opentelemetry/sdk-trace-base";
import {
  createCallbackHandler,
  createFetchHandler,
  createInviteClient,
  createOperationTracker,
  createReplayGuard,
  createTelemetry,
  invitePhone,
  inviteParticipants,
  remoteCallbackKeys,
  userIdentity,
  type TelemetryOptions,
} from "../../src/index.js";
import { createNodeMiddleware } from "../../src/node/index.js";
import { createRedisOperationTracker } from "../../src/redis/index.js";
import { createGraphSimulator } from "../../src/testing/index.js";
import { docsPayload } from "../fixtures/docs.js";
import { listen } from "../support/listen.js";
import { startRedis } from "../support/redis.js";

export interface LogRecord {
  level: string;
  fields: Record<string, unknown>;
  message: string;
}

/** A tracer and a meter provider with the SDK's in-memory exporters, and a logger that keeps its records. */
export function createKit(options: Omit<TelemetryOptions, "tracerProvider" | "meterProvider" | "logger"> = {}) {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const records: LogRecord[] = [];
  const keep = (level: string) => (fields: object, message: string) =>
    void records.push({ level, fields: fields as Record<string, unknown>, message });
  const logger = { debug: keep("debug"), info: keep("info"), warn: keep("warn"), error: keep("error") };
  const telemetry = createTelemetry({ tracerProvider, meterProvider, logger, ...options });
  return {
    telemetry,
    records,
    finished: (): ReadableSpan[] => spans.getFinishedSpans(),
    spansNamed: (name: string) => spans.getFinishedSpans().filter((s) => s.name === name),
    /** Every data point of the metric `name`, as { attributes, value }. */
    async points(name: string) {
      await reader.forceFlush();
      const last = metricExporter.getMetrics().at(-1);
      const metric = last?.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
      return (metric?.dataPoints ?? []).map((p) => ({ attributes: p.attributes, value: p.value as unknown }));
    },
    async allMetrics(): Promise<ResourceMetrics[]> {
      await reader.forceFlush();
      return metricExporter.getMetrics();
    },
    async shutdown() {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}

export type Kit = ReturnType<typeof createKit>;

/** Personal and secret values the scenarios put into their inputs: none may appear in any signal. */
export const SECRETS = {
  graphToken: "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.graph-token-for-the-privacy-test.c2lnbmF0dXJl",
  phone: "+12345678901",
  displayNames: ["Alice Privacy-Example", "Carol Personal-Name"],
  emails: ["alice.private@example.com", "carol.private@example.org"],
  /** clientContexts the caller chose: may hold personal data, so off spans by default. */
  clientContexts: ["alice.private@example.com", "ctx-carol-+447700900123"],
};

const BOT_APP_ID = "b6ba4e3c-1a9a-4c9e-8b8b-6b9a0c2f4d11";
const CALL_ID = "7531d31f-d10d-44de-802f-c569dbca451c";

const redisAvailable = () => spawnSync("redis-server", ["--version"]).status === 0;

async function serveNode(
  listener: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ server: Server; base: string }> {
  const server = createServer(listener);
  return { server, base: await listen(server) };
}

const close = (server: Server) => new Promise<void>((r) => server.close(() => r()));

/** A docs callback with personal values planted where Graph puts them (display names, an email, a phone number). */
function personalCallback(clientContext: string): string {
  const body = docsPayload(1, "notification-operation-completed") as {
    value: Array<{ resourceData: Record<string, unknown> }>;
  };
  const op = body.value[0]!.resourceData;
  op.clientContext = clientContext;
  op.participants = [
    {
      "@odata.type": "#microsoft.graph.invitationParticipantInfo",
      identity: {
        "@odata.type": "#microsoft.graph.identitySet",
        user: {
          "@odata.type": "#microsoft.graph.identity",
          id: "0f3b7c55-2a4e-4d8d-9c1e-7b7f4f7b2d11",
          displayName: SECRETS.displayNames[1],
        },
        phone: { "@odata.type": "#microsoft.graph.identity", id: SECRETS.phone, displayName: SECRETS.emails[1] },
      },
    },
  ];
  return JSON.stringify(body);
}

/** What the scenarios saw go by: every token and body, so the privacy test can look for them. */
export interface Seen {
  tokens: string[];
  bodies: string[];
  redis: boolean;
}

/**
 * Runs every scenario with `kit.telemetry`: invites (accepted, retried after 429, refused, invalid),
 * their callbacks through createNodeMiddleware (tokens verified with fetched keys), refusals of every
 * kind through createFetchHandler, a key fetch that fails, tracker outcomes (completed, failed, timeout,
 * unmatched), and the Redis tracker (settle, then a record failure) when redis-server is installed.
 */
export async function runScenarios(kit: Kit): Promise<Seen> {
  const { telemetry } = kit;
  const seen: Seen = { tokens: [SECRETS.graphToken], bodies: [], redis: false };
  const cleanup: Array<() => Promise<unknown> | unknown> = [];
  try {
    // The keys Microsoft publishes, served on 127.0.0.1: the endpoint fetches them (a key fetch).
    let jwks: unknown = null;
    const keysServer = await serveNode((req, res) => {
      const base = `http://${req.headers.host}`;
      if (req.url === "/openid")
        return void res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ jwks_uri: `${base}/keys` }));
      if (req.url === "/keys")
        return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(jwks));
      res.writeHead(500).end();
    });
    cleanup.push(() => close(keysServer.server));

    const tracker = createOperationTracker({ telemetry, timeoutMs: 10_000 });
    cleanup.push(() => tracker.close());
    const handler = createCallbackHandler();
    const middleware = createNodeMiddleware(handler, {
      appId: BOT_APP_ID,
      keys: remoteCallbackKeys(`${keysServer.base}/openid`, { telemetry }),
      record: (events) => tracker.observe(events),
      telemetry,
    });
    const bot = await serveNode((req, res) => {
      if (req.headers.authorization) seen.tokens.push(req.headers.authorization.replace(/^Bearer /, ""));
      middleware(req, res);
    });
    cleanup.push(() => close(bot.server));

    const sim = await createGraphSimulator({
      appId: BOT_APP_ID,
      callbackUri: `${bot.base}/api/calls`,
      outcomes: { [SECRETS.phone]: "pstnUnavailable" },
      callbackDelayMs: 5,
    });
    cleanup.push(() => sim.close());
    jwks = sim.jwks;

    const client = createInviteClient({
      baseUrl: sim.baseUrl,
      getToken: () => SECRETS.graphToken,
      retry: { baseDelayMs: 5 },
      telemetry,
    });
    const alice = inviteParticipants(
      [userIdentity("278405a3-f568-4b3e-b684-009193463064", { displayName: SECRETS.displayNames[0] })],
      { clientContext: SECRETS.clientContexts[0] },
    );
    seen.bodies.push(JSON.stringify(alice));
    const accepted = await client.invite(CALL_ID, alice);
    await tracker.track(accepted); // completed

    sim.fail({ status: 429, retryAfterSeconds: 0 });
    const phone = invitePhone(SECRETS.phone, { clientContext: SECRETS.clientContexts[1] });
    seen.bodies.push(JSON.stringify(phone));
    const retried = await client.invite(CALL_ID, phone);
    // A target built by hand (not the result object): linked to its invite span by operation id.
    const byHand = { clientContext: retried.clientContext, operationId: retried.operation?.id ?? null };
    await tracker.track(byHand).catch(() => {}); // failed: the PSTN number cannot be reached

    sim.fail({ status: 500 });
    await client
      .invite(CALL_ID, inviteParticipants([userIdentity("1e126418-44a0-4a94-a6f8-0efe1ad71acb")]))
      .catch(() => {});
    await client.invite(CALL_ID, { participants: [] } as never).catch(() => {}); // refused locally
    await sim.idle();
    for (const posted of sim.sent) seen.bodies.push(JSON.stringify(posted.body));

    // Refusals at the Node endpoint: no token, a forged one, the wrong type, the wrong method.
    const post = (headers: Record<string, string>, body = "{}", method = "POST") =>
      fetch(`${bot.base}/api/calls`, { method, headers, body: method === "GET" ? null : body });
    await post({ "content-type": "application/json" });
    await post({ "content-type": "application/json", authorization: "Bearer not.a.jwt" });
    await post({ "content-type": "text/plain", authorization: `Bearer ${SECRETS.graphToken}` });
    await post({}, "", "GET");

    // The Fetch-API endpoint, unverified (a local test set-up), recording into a tracker that fails once.
    let failRecord = false;
    const guard = createReplayGuard();
    const fetchEndpoint = createFetchHandler(createCallbackHandler(), {
      dangerouslyAcceptUnverifiedCallbacks: true,
      replayGuard: guard,
      maxBodyBytes: 64 * 1024,
      record: (events) => {
        if (failRecord) throw new Error(`store down while recording ${SECRETS.emails[0]}`);
        tracker.observe(events);
      },
      onError: () => {},
      telemetry,
    });
    const call = (
      body: string | null,
      headers: Record<string, string> = { "content-type": "application/json" },
      method = "POST",
    ) => {
      if (body) seen.bodies.push(body);
      return fetchEndpoint(new Request("http://127.0.0.1/api/calls", { method, headers, body }));
    };
    const carol = personalCallback(SECRETS.clientContexts[1]!);
    await call(carol); // 202, then early: no track() waits for it
    await call(carol); // seen and acknowledged before: 202 again, reason replayed, not dispatched
    await call(
      JSON.stringify({
        value: [
          { changeType: "deleted", resourceData: { displayName: SECRETS.displayNames[1], phone: SECRETS.phone } },
        ],
      }),
    ); // 400
    await call("x".repeat(70 * 1024)); // 413
    failRecord = true;
    await call(personalCallback("another-ctx")); // 503: not recorded
    await call(null, {}, "PUT"); // 405

    // A key fetch that fails: the endpoint answers 503 (keys unavailable).
    const noKeys = createFetchHandler(createCallbackHandler(), {
      appId: BOT_APP_ID,
      keys: remoteCallbackKeys(`${keysServer.base}/missing`, { telemetry, cooldownMs: 0 }),
      telemetry,
    });
    await noKeys(
      new Request("http://127.0.0.1/api/calls", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${SECRETS.graphToken}` },
        body: carol,
      }),
    );

    // Tracker outcomes without a callback: a timeout, and a final callback nobody waits for.
    const short = createOperationTracker({ telemetry, timeoutMs: 30, bufferMs: 30 });
    cleanup.push(() => short.close());
    await short.track({ clientContext: SECRETS.clientContexts[0]! }).catch(() => {});
    const lone = (await import("../../src/index.js")).parseCommsNotifications(personalCallback("lone-ctx"));
    short.observe(lone);
    await new Promise((r) => setTimeout(r, 80)); // the early callback expires: unmatched

    if (redisAvailable()) {
      seen.redis = true;
      const redis = await startRedis();
      cleanup.push(() => redis.dispose());
      const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
      client.on("error", () => {}); // the server is stopped below on purpose
      cleanup.push(() => client.disconnect());
      await client.ping(); // connected: the tracker's first write does not race the connection
      const shared = createRedisOperationTracker({ client, telemetry, timeoutMs: 10_000 });
      cleanup.push(() => shared.close());
      const events = lone;
      const settled = shared.track({
        clientContext: "lone-ctx",
        operationId: (events[0] as { operationId: string }).operationId,
      });
      await shared.observe(events);
      await settled;
      const replicaEndpoint = createFetchHandler(createCallbackHandler(), {
        dangerouslyAcceptUnverifiedCallbacks: true,
        record: (e) => shared.observe(e),
        onError: () => {},
        telemetry,
      });
      await redis.stop();
      await replicaEndpoint(
        new Request("http://127.0.0.1/api/calls", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: carol,
        }),
      ); // 503
    }
  } finally {
    for (const undo of cleanup.reverse()) await undo();
  }
  return seen;
}
