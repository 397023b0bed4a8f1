// The client against Prism started from openapi.yaml with request validation on: what the client
// sends is what the contract allows, and what the contract answers is what the client returns.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPrism } from "../../scripts/tools/prism.mjs";
import {
  createInviteClient,
  inviteParticipants,
  invitePhone,
  moveParticipant,
  replacePeerToPeerCall,
  userIdentity,
  validateInviteRequest,
} from "../../src/index.js";

let prism: Awaited<ReturnType<typeof startPrism>>;
beforeAll(async () => void (prism = await startPrism()), 60_000);
afterAll(() => prism?.stop());

const client = () =>
  createInviteClient({ baseUrl: prism.url, getToken: () => "test-token", retry: { maxAttempts: 1 } });
const CALL = "7531d31f-d10d-44de-802f-c569dbca451c";

describe("createInviteClient against the contract's own mock", () => {
  const scenarios = {
    "a group invite": inviteParticipants([
      userIdentity("7e1b4346-85a6-4bdd-abe3-d11c5d420efe"),
      userIdentity("1e126418-44a0-4a94-a6f8-0efe1ad71acb"),
    ]),
    "a peer-to-peer replacement": replacePeerToPeerCall(
      userIdentity("278405a3-f568-4b3e-b684-009193463064"),
      "a7ebfb2d-871e-419c-87af-27290b22e8db",
    ),
    "a phone invite": invitePhone("+12345678901"),
    "a move": moveParticipant({
      identity: userIdentity("682b6c37-0729-4fab-ace6-d730d5d9137e"),
      fromCallId: "a7eb",
      participantId: "7d50",
    }),
  };
  for (const [name, body] of Object.entries(scenarios)) {
    it(`sends ${name} that Prism's request validation accepts, and returns the operation and Location`, async () => {
      const result = await client().invite(CALL, body);
      expect(result.operation?.status).toMatch(/^(running|Running)$/);
      expect(result.location).toMatch(
        /^https:\/\/graph\.microsoft\.com\/v1\.0\/communications\/calls\/.+\/operations\/.+$/,
      );
      expect(result.requestId).not.toBeNull();
    });
  }

  it("the mock refuses (422) a body the contract forbids: the two layers agree", async () => {
    const res = await fetch(`${prism.url}/communications/calls/${CALL}/participants/invite`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer t" },
      body: JSON.stringify({ participants: [{ identity: { user: { id: "u" } } }], clientContext: "x".repeat(257) }),
    });
    expect(res.status).toBe(422);
    expect(
      validateInviteRequest({ participants: [{ identity: { user: { id: "u" } } }], clientContext: "x".repeat(257) }).ok,
    ).toBe(false);
  });

  it("a token the mock refuses (401) is surfaced as GraphRequestError; an empty one is never sent", async () => {
    const refused = createInviteClient({
      baseUrl: prism.url,
      getToken: () => "not-a-jwt",
      fetch: (input, init) => {
        const request = new Request(input, init);
        request.headers.delete("authorization"); // what the mock sees as no credentials
        return fetch(request);
      },
      retry: { maxAttempts: 1 },
    });
    await expect(refused.invite(CALL, invitePhone("+12345678901"))).rejects.toMatchObject({
      name: "GraphRequestError",
      status: 401,
    });
    const empty = createInviteClient({ baseUrl: prism.url, getToken: () => "", retry: { maxAttempts: 1 } });
    await expect(empty.invite(CALL, invitePhone("+12345678901"))).rejects.toMatchObject({
      name: "GraphTokenError",
      reason: "empty",
    });
  });
});
