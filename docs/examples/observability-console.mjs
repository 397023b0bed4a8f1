// docs/observability.md's example: an invite and its callbacks against the Graph simulator, with
// the OpenTelemetry SDK exporting spans and metrics to the console and a console logger.
// Run it after `npm run build`: `node docs/examples/observability-console.mjs` (test/telemetry runs it).
import { metrics, trace } from "@opentelemetry/api";
import { ConsoleMetricExporter, MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, ConsoleSpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import {
  createCallbackHandler,
  createInviteClient,
  createOperationTracker,
  createTelemetry,
  inviteParticipants,
  userIdentity,
} from "graph-invite-contract";
import { createCallbackServer, createNodeMiddleware } from "graph-invite-contract/node";
import { createGraphSimulator } from "graph-invite-contract/testing";

// 1. The SDK first: OpenTelemetry's metrics API has no proxy for a meter provider registered later.
const tracerProvider = new BasicTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())],
});
const reader = new PeriodicExportingMetricReader({
  exporter: new ConsoleMetricExporter(),
  exportIntervalMillis: 60_000,
});
const meterProvider = new MeterProvider({ readers: [reader] });
trace.setGlobalTracerProvider(tracerProvider);
metrics.setGlobalMeterProvider(meterProvider);

// 2. One telemetry for every component (the global providers by default), logging to the console.
const telemetry = createTelemetry({ logger: console });

// 3. The bot's endpoint listens first: the simulated Graph needs its URL.
const appId = "b6ba4e3c-1a9a-4c9e-8b8b-6b9a0c2f4d11";
let endpoint;
const server = createCallbackServer((req, res) => endpoint(req, res)).listen(0, "127.0.0.1");
await new Promise((resolve) => server.once("listening", resolve));

// 4. Graph, simulated on 127.0.0.1: it answers the invite and posts the signed callbacks.
const graph = await createGraphSimulator({ appId, callbackUri: `http://127.0.0.1:${server.address().port}/api/calls` });

// 5. The endpoint records into a tracker; the client sends the invite. All three emit.
const tracker = createOperationTracker({ telemetry, timeoutMs: 10_000 });
endpoint = createNodeMiddleware(createCallbackHandler(), {
  appId,
  keys: graph.jwks, // in production: leave `keys` out (Microsoft's, fetched: their fetches emit too)
  record: (events) => tracker.observe(events),
  telemetry,
});
const client = createInviteClient({ baseUrl: graph.baseUrl, getToken: () => "a-graph-token", telemetry });

const result = await client.invite(
  "7531d31f-d10d-44de-802f-c569dbca451c",
  inviteParticipants([userIdentity("278405a3-f568-4b3e-b684-009193463064")]),
);
const operation = await tracker.track(result); // the settle span, linked to the invite span
console.log(`invite ${operation.id}: ${operation.status}`);

await graph.idle();
await reader.forceFlush(); // the metrics, now rather than in a minute
tracker.close();
await graph.close();
await new Promise((resolve) => server.close(resolve));
await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
