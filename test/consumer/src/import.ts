// ESM: the same end-to-end use of each entry (flow.cts) as require.cts, from `import`.
import * as contract from "graph-invite-contract";
import * as node from "graph-invite-contract/node";
import * as redis from "graph-invite-contract/redis";
import * as testing from "graph-invite-contract/testing";
import { flow, type Entries } from "./flow.cjs";

// flow.cts is typed with the CommonJS declarations; the ES ones are the same API, but TypeScript keeps
// the two resolution modes' types apart, so they are told to match here.
const entries = { contract, node, testing, redis } as unknown as Entries;
console.log(JSON.stringify(await flow(entries, process.env.REDIS_URL)));
