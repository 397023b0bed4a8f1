// Fidelity: every payload Microsoft's own definitions allow (test/fixtures/graph/, each with its
// source) is accepted by the schema, by parseCommsNotifications, by the CLI and by both endpoints
// (Node and Fetch), and classified as the kind of event it is.
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { validateCommsNotifications } from "../../generated/validators.js";
import {
  createCallbackHandler,
  createFetchHandler,
  parseCommsNotifications,
  type CallbackEvent,
} from "../../src/index.js";
import { createNodeMiddleware } from "../../src/node/index.js";
import { graphSentPayloads } from "../fixtures/graph.js";
import { listen } from "../support/listen.js";
import { runInProcess as cli } from "../support/cli.js";

const received: CallbackEvent[][] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  const handler = createCallbackHandler();
  handler.on("*", () => {});
  const middleware = createNodeMiddleware(
    { ...handler, dispatch: async (events) => void received.push([...events]) },
    { dangerouslyAcceptUnverifiedCallbacks: true },
  );
  server = createServer((req, res) => middleware(req, res));
  base = await listen(server);
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const fetched: CallbackEvent[][] = [];
const fetchHandler = createFetchHandler(
  { ...createCallbackHandler(), dispatch: async (events) => void fetched.push([...events]) },
  { dangerouslyAcceptUnverifiedCallbacks: true },
);

describe("payloads Graph may send beyond the docs' examples", () => {
  it("covers every kind of event", () => {
    const kinds = new Set(graphSentPayloads.flatMap((p) => p.events.map((e) => e.kind)));
    expect([...kinds].sort()).toEqual(["call", "operation", "other", "roster", "tone"]);
  });

  it("has a source for every fixture", () => {
    expect(graphSentPayloads.length).toBeGreaterThanOrEqual(24);
    for (const payload of graphSentPayloads) expect(payload.source, payload.name).toMatch(/CSDL|Learn|sample/);
  });

  for (const { name, events, body } of graphSentPayloads) {
    describe(name, () => {
      it("validates against CommsNotifications", () => {
        const ok = validateCommsNotifications(body);
        expect(validateCommsNotifications.errors ?? null).toBeNull();
        expect(ok).toBe(true);
      });

      it("parses, and the CLI lists the expected events", () => {
        expect(parseCommsNotifications(body)).toHaveLength(events.length);
        const run = cli(["validate-notification", "--json", "-"], JSON.stringify(body));
        expect(run.code, run.stdout).toBe(0);
        expect(JSON.parse(run.stdout)).toEqual({ valid: true, issues: [], events });
      });

      it("is acknowledged 202 by the Node endpoint and dispatched", async () => {
        const before = received.length;
        const res = await fetch(`${base}/api/calls`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
        expect(res.status).toBe(202);
        await vi.waitFor(() => expect(received.length).toBe(before + 1));
        expect(received[before]!.map((e) => e.kind)).toEqual(events.map((e) => e.kind));
      });

      it("is acknowledged 202 by the Fetch endpoint and dispatched", async () => {
        const before = fetched.length;
        const res = await fetchHandler(
          new Request("http://127.0.0.1/api/calls", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(body),
          }),
        );
        expect(res.status).toBe(202);
        await vi.waitFor(() => expect(fetched.length).toBe(before + 1));
        expect(fetched[before]!.map((e) => e.kind)).toEqual(events.map((e) => e.kind));
      });
    });
  }
});

describe("what stays refused on receive", () => {
  const roster = () =>
    structuredClone(graphSentPayloads.find((p) => p.name === "roster-identity-subtypes")!.body) as {
      value: Array<Record<string, unknown> & { resourceData: Array<Record<string, any>> }>;
    };
  const refused = (body: unknown) =>
    expect(() => parseCommsNotifications(body)).toThrow(/Invalid commsNotifications payload/);

  it("a nonsense enum word, a number where a string belongs, a missing value or resourceUrl", () => {
    const badMedia = roster();
    badMedia.value[0]!.resourceData[0]!.mediaStreams[0].mediaType = "hologram";
    refused(badMedia);
    const badChange = roster();
    badChange.value[0]!.changeType = "renamed";
    refused(badChange);
    const badRestriction = roster();
    badRestriction.value[0]!.resourceData[0]!.restrictedExperience = { videoDisabled: "none" }; // no source names it
    refused(badRestriction);
    const numberId = roster();
    numberId.value[0]!.resourceData[0]!.info.identity.user.id = 42;
    refused(numberId);
    const numberEmail = roster();
    numberEmail.value[0]!.resourceData[0]!.info.identity.guest.email = 42;
    refused(numberEmail);
    refused({});
    const noUrl = roster();
    delete noUrl.value[0]!.resourceUrl;
    refused(noUrl);
  });

  it("an identity type outside Microsoft Graph's namespace", () => {
    const foreign = roster();
    foreign.value[0]!.resourceData[0]!.info.identity.user["@odata.type"] = "#contoso.identity";
    refused(foreign);
  });
});
