// graph-invite-contract/redis: the operation tracker shared across bot replicas, on Redis (Node,
// with ioredis, an optional peer dependency: the other entries never load it).
export {
  createRedisOperationTracker,
  type RedisOperationTracker,
  type RedisOperationTrackerOptions,
} from "./tracker.js";
export { RedisTrackerError, type RedisTrackerErrorReason } from "./errors.js";
