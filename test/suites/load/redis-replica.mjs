// One bot replica for test/suites/load/redis-replicas.test.ts, in its own process: the Node callback
// endpoint recording into the Redis tracker, and track() calls the test sends over IPC. Reports its
// port, then each settlement.
import { createCallbackHandler } from "../../../dist/index.js";
import { createCallbackServer, createNodeMiddleware } from "../../../dist/node.js";
import { createRedisOperationTracker } from "../../../dist/redis.js";

const [url, keyPrefix] = process.argv.slice(2);
const tracker = createRedisOperationTracker({ url, keyPrefix, timeoutMs: 60_000 });
const endpoint = createNodeMiddleware(createCallbackHandler(), {
  dangerouslyAcceptUnverifiedCallbacks: true, // the load test measures tracking, not token checks
  record: (events) => tracker.observe(events),
  onError: () => {}, // a 503 while Redis restarts is expected; the sender retries
});
const server = createCallbackServer(endpoint, { maxConnections: 4_096 });
server.listen(0, "127.0.0.1", () =>
  process.send?.({ port: /** @type {import("node:net").AddressInfo} */ (server.address()).port }),
);

process.on("message", (/** @type {{ track: Array<{ clientContext: string, operationId: string }> }} */ message) => {
  for (const target of message.track) {
    tracker.track(target).then(
      (operation) => process.send?.({ settled: target.clientContext, status: operation.status }),
      (error) =>
        process.send?.({ settled: target.clientContext, status: "failed", code: error.resultInfo?.code ?? error.name }),
    );
  }
});
