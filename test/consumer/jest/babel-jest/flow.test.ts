// A bot's Jest test in TypeScript (Jest's default CommonJS mode): `import` compiles to require(), so
// each entry is the package's CommonJS build, used end to end (../../src/flow.cts), not only loaded.
import { expect, test } from "@jest/globals";
import * as contract from "graph-invite-contract";
import * as node from "graph-invite-contract/node";
import * as redis from "graph-invite-contract/redis";
import * as testing from "graph-invite-contract/testing";

// The shared flow, compiled by tsc to ../../dist/flow.cjs before Jest runs.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a local CommonJS helper, loaded as Jest loads it
const { flow } = require("../../dist/flow.cjs") as typeof import("../../src/flow.cjs");

test("invites against the simulator and settles each invite from its signed callbacks", async () => {
  expect(await flow({ contract, node, testing, redis }, process.env.REDIS_URL)).toEqual({
    viaNode: ["completed", "failed 603"],
    viaFetch: ["completed"],
    callbacks: [202, 202, 202, 202, 202, 202, 202],
    refused: "INVITE_INVALID participants.minItems",
    viaRedis: ["completed"],
  });
  expect(typeof require.resolve("graph-invite-contract")).toBe("string");
  expect(require.resolve("graph-invite-contract")).toMatch(/index\.cjs$/); // the CommonJS build
});
