// The script that records final outcomes: every SET and the publication of one observe() in one
// round trip (EVALSHA, through ioredis's defineCommand), run as one unit like the MULTI/EXEC it
// replaces. Its keys share the tracker's hash tag, so on a Cluster it runs on one node; so does the
// channel, which SPUBLISH (sharded pub/sub) needs: Redis 7 lets a script SPUBLISH only to a channel
// of a slot the node owns, and the channel is in the keys' slot.
//   KEYS: the keys of every outcome, in order
//   ARGV: ttl (ms), channel, then per outcome: how many of KEYS are its keys, its record

/** The ioredis command name per pub/sub mode: one client may carry trackers of both. */
export const RECORD_COMMANDS = { classic: "graphInviteRecord", sharded: "graphInviteRecordSharded" } as const;

/** The script, publishing with PUBLISH (`classic`) or SPUBLISH (`sharded`). */
export const recordScript = (pubSub: "classic" | "sharded") => `
local k = 1
for i = 3, #ARGV, 2 do
  local record = ARGV[i + 1]
  for _ = 1, tonumber(ARGV[i]) do
    redis.call("SET", KEYS[k], record, "PX", ARGV[1])
    k = k + 1
  end
  redis.call("${pubSub === "sharded" ? "SPUBLISH" : "PUBLISH"}", ARGV[2], record)
end
return k - 1
`;
