// `npm run example` (or `node examples/bot/main.js` after `npm run build`): the bot against the Graph
// simulator, offline. One user accepts, one declines; prints each outcome as JSON, then stops.
import { createGraphSimulator } from "graph-invite-contract/testing";
import { createBot } from "./bot.js";

const sim = await createGraphSimulator({
  appId: "b6ba4e3c-1a9a-4c9e-8b8b-6b9a0c2f4d11",
  outcomes: { "declining-user": "decline" },
});
const bot = createBot({ ...sim.endpointOptions(), ...sim.clientOptions() });
const url = await bot.listen();
sim.setCallbackUri(`${url}/api/calls`);

for (const userId of ["accepting-user", "declining-user"]) {
  const res = await fetch(`${url}/invite`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ callId: "7531d31f-d10d-44de-802f-c569dbca451c", userId }),
  });
  console.log(JSON.stringify({ userId, status: res.status, ...(await res.json()) }));
}
await sim.idle();
await bot.close();
await sim.close();
