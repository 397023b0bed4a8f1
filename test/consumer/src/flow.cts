// Each entry's main functions, used end to end, whatever way the caller loaded the package: the caller
// passes the entries it got from `import`, `require()` or Jest's transform (this file never loads the
// package itself). The invite client sends to the Graph simulator, the simulator posts signed callbacks
// to a node:http endpoint and to a Fetch-API endpoint, the trackers (in memory, and on Redis when
// `redisUrl` is given) settle each invite. Returns what it saw, the same in every loading mode.
import type * as Contract from "graph-invite-contract";
import type * as Node from "graph-invite-contract/node";
import type * as Redis from "graph-invite-contract/redis";
import type * as Testing from "graph-invite-contract/testing";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";

export interface Entries {
  contract: typeof Contract;
  node: typeof Node;
  testing: typeof Testing;
  redis?: typeof Redis;
}

const APP_ID = "b6ba4e3c-1a9a-4c9e-8b8b-6b9a0c2f4d11";

const listen = async (server: ReturnType<typeof createServer>) => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

/** node:http in front of a Fetch-API handler, as a host that speaks Fetch would be. */
const fetchHost = (endpoint: Contract.FetchHandler) =>
  createServer((req: IncomingMessage, res) => {
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method!,
      headers: req.headers as Record<string, string>,
      body: Readable.toWeb(req) as ReadableStream,
      duplex: "half",
    } as RequestInit);
    void endpoint(request).then(async (response) => {
      response.headers.forEach((value, name) => res.setHeader(name, value));
      res.writeHead(response.status).end(await response.text());
    });
  });

export async function flow({ contract, node, testing, redis }: Entries, redisUrl?: string) {
  const sim = await testing.createGraphSimulator({
    appId: APP_ID,
    outcomes: { "declines-user": "decline" },
    callbackDelayMs: 5,
  });
  const tracker = contract.createOperationTracker({ timeoutMs: 10_000 });
  const handler = contract.createCallbackHandler().on("operation", (event) => tracker.observe([event]));
  const nodeBot = node.createCallbackServer(node.createNodeMiddleware(handler, sim.endpointOptions()));
  const fetchBot = fetchHost(contract.createFetchHandler(handler, sim.endpointOptions()));
  const client = contract.createInviteClient(sim.clientOptions());
  const invite = async (userId: string) => {
    const result = await client.invite("call-1", contract.inviteParticipants([contract.userIdentity(userId)]));
    return tracker.track(result).then(
      (operation) => operation.status,
      (error: unknown) =>
        error instanceof contract.InviteOperationFailedError ? `failed ${error.resultInfo?.code}` : String(error),
    );
  };
  try {
    sim.setCallbackUri(`${await listen(nodeBot)}/api/calls`);
    const viaNode = [await invite("accepts-user"), await invite("declines-user")];
    sim.setCallbackUri(`${await listen(fetchBot)}/api/calls`);
    const viaFetch = [await invite("accepts-user")];
    await sim.idle();
    let refused = "";
    await client.invite("call-1", { participants: [] }).catch((error: unknown) => {
      if (error instanceof contract.InviteValidationError) refused = `${error.code} ${error.issues[0]!.rule}`;
    });
    let viaRedis: string[] | undefined;
    if (redis && redisUrl) {
      // Each run its own keys: the simulator's seeded ids repeat from run to run.
      const keyPrefix = `flow-${process.pid}-${Date.now()}:`;
      const shared = redis.createRedisOperationTracker({ url: redisUrl, keyPrefix, timeoutMs: 10_000 });
      const result = await client.invite("call-2", contract.invitePhone("+12345678901"));
      const outcome = shared.track(result);
      await sim.idle();
      const events = contract.parseCommsNotifications(sim.sent.at(-1)!.body);
      // observe() refuses while the connection is not up yet (an endpoint answers 503 and Graph sends
      // again): so does this, up to 50 times.
      for (let attempt = 1; ; attempt++) {
        const recorded = await shared.observe(events).then(
          () => true,
          (error: unknown) => (attempt < 50 ? false : Promise.reject(error)),
        );
        if (recorded) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      viaRedis = [String((await outcome).status)];
      await shared.close();
    }
    return {
      viaNode,
      viaFetch,
      callbacks: sim.sent.map((s) => s.status),
      refused,
      ...(viaRedis ? { viaRedis } : {}),
    };
  } finally {
    tracker.close();
    await sim.close();
    nodeBot.close();
    fetchBot.close();
  }
}
