// The start-up check that Redis will not evict acknowledged outcomes: `maxmemory-policy` must be
// `noeviction` on every master (BullMQ requires the same, for the same reason). Under allkeys-* a
// full Redis drops outcomes whose track() has not come yet; under volatile-* it drops exactly those,
// the tracker's keys being the ones with a TTL. Managed services that forbid CONFIG are tolerated,
// and reported as unchecked.
import type { Cluster, Redis } from "ioredis";
import { RedisTrackerError, trackerFailure } from "./errors.js";
import { within } from "./connection.js";

export async function checkEvictionPolicy(
  client: Redis | Cluster,
  mode: "refuse" | "warn",
  deadline: number,
  report: (error: RedisTrackerError, always?: boolean) => void,
): Promise<void> {
  const masters = client.isCluster ? (client as Cluster).nodes("master") : [client as Redis];
  for (const node of masters) {
    let reply: unknown;
    try {
      reply = await within(node.config("GET", "maxmemory-policy"), deadline);
    } catch (e) {
      const failure = trackerFailure(e);
      // NOPERM (an ACL without CONFIG), or ERR unknown command (CONFIG renamed or disabled). Only a
      // reply's code is ERR (Node's codes are never that), and trackerFailure calls it a command.
      if (failure.reason !== "permission" && failure.redisCode !== "ERR") throw failure;
      const message = "Could not read maxmemory-policy (CONFIG GET is not allowed): make sure it is noeviction";
      report(new RedisTrackerError("eviction-policy-unchecked", message, failure.redisCode), true);
      continue;
    }
    const policy = Array.isArray(reply) ? reply[1] : undefined;
    if (policy === "noeviction") continue;
    const error = new RedisTrackerError(
      "eviction-policy",
      `maxmemory-policy is ${typeof policy === "string" ? policy : "unknown"}, not noeviction: Redis could evict acknowledged outcomes`,
    );
    if (mode === "refuse") throw error;
    report(error, true);
  }
}
