// The script that records final outcomes: every SET and the PUBLISH of one observe() in one round
// trip (EVALSHA, through ioredis's defineCommand), run as one unit like the MULTI/EXEC it replaces. Its
// keys share the tracker's hash tag, so on a Cluster it runs on one node.
//   KEYS: the keys of every outcome, in order
//   ARGV: ttl (ms), channel, then per outcome: how many of KEYS are its keys, its record
export const RECORD_COMMAND = "graphInviteRecord";

export const RECORD_SCRIPT = `
local k = 1
for i = 3, #ARGV, 2 do
  local record = ARGV[i + 1]
  for _ = 1, tonumber(ARGV[i]) do
    redis.call("SET", KEYS[k], record, "PX", ARGV[1])
    k = k + 1
  end
  redis.call("PUBLISH", ARGV[2], record)
end
return k - 1
`;
