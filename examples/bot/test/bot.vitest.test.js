// The bot's own vitest test: Graph simulated on 127.0.0.1, the bot unchanged (its own server, its own
// endpoint verifying the simulator's signed callbacks). `npx vitest run`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGraphSimulator } from "graph-invite-contract/testing";
import { createBot } from "../bot.js";

let sim;
let bot;
let url;

beforeAll(async () => {
  sim = await createGraphSimulator({
    appId: "b6ba4e3c-1a9a-4c9e-8b8b-6b9a0c2f4d11",
    outcomes: { "declining-user": "decline", "silent-user": "noAnswer" },
    noAnswerAfterMs: 200, // Graph takes about 60 s to report an unanswered invite
  });
  bot = createBot({ ...sim.endpointOptions(), ...sim.clientOptions() }); // appId, keys, baseUrl, getToken
  url = await bot.listen(); // any free port
  sim.setCallbackUri(`${url}/api/calls`); // now that the bot listens
});

afterAll(async () => {
  await bot.close();
  await sim.close();
});

const invite = async (who) => {
  const res = await fetch(`${url}/invite`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ callId: "call-1", ...who }),
  });
  return { status: res.status, ...(await res.json()) };
};

describe("the bot's invites", () => {
  it("reports completed when the user accepts", async () => {
    expect(await invite({ userId: "accepting-user" })).toMatchObject({ status: 200, outcome: "completed" });
  });

  it("reports the decline's code", async () => {
    expect(await invite({ userId: "declining-user" })).toEqual({ status: 200, outcome: "failed", code: 603 });
  });

  it("reports when nobody answers", async () => {
    expect(await invite({ userId: "silent-user" })).toEqual({ status: 200, outcome: "failed", code: 408 });
  });

  it("refuses a phone number Graph would refuse, before sending anything", async () => {
    expect(await invite({ phone: "555-0100" })).toEqual({ status: 400, outcome: "invalid", rules: ["phone.e164"] });
  });

  it("verified every callback the simulator posted", async () => {
    await sim.idle();
    expect(sim.sent.length).toBeGreaterThan(0);
    expect(sim.sent.every((callback) => callback.status === 202)).toBe(true);
  });
});
