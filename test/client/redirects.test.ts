// Graph's invite never redirects. A redirect (to another origin or the same one) is not followed:
// nothing is re-sent, the foreign answer is never returned, and the error names the status but
// not the Location (its query may carry anything).
import { describe, expect, it } from "vitest";
import { createInviteClient, GraphRequestError, invitePhone } from "../../src/index.js";
import { createGraphClient } from "../../src/graph/index.js";
import { docsPayload } from "../fixtures/docs.js";
import { loopback, reply } from "./loopback.js";

const TOKEN = "token-5d1c";
const PHONE = "+12345678901";

async function redirectToForeign(status: number) {
  const foreign = await loopback(reply(200, docsPayload(4, "response"), { "request-id": "foreign" }));
  const graph = await loopback((res) =>
    res.writeHead(status, { location: `${foreign.base}/steal?code=leak-7f3a`, "request-id": "r-redirect" }).end(),
  );
  return { graph, foreign };
}

describe("invite() and redirects", () => {
  for (const status of [300, 301, 302, 303, 307, 308]) {
    it(`refuses a ${status} to another origin: nothing is re-posted there, and the error names the status only`, async () => {
      const { graph, foreign } = await redirectToForeign(status);
      const client = createInviteClient({ baseUrl: `${graph.base}/v1.0`, getToken: () => TOKEN });
      const error = (await client.invite("c", invitePhone(PHONE)).catch((e: unknown) => e)) as GraphRequestError;
      expect(error).toBeInstanceOf(GraphRequestError);
      expect(error).toMatchObject({ reason: "redirect", status, requestId: "r-redirect" });
      expect(error.message).toMatch(new RegExp(`^HTTP ${status} `));
      expect(error.message).not.toContain("leak-7f3a");
      expect(error.message).not.toContain(foreign.base);
      expect(foreign.seen).toHaveLength(0);
      expect(graph.seen).toHaveLength(1); // and not retried
    });
  }

  it("refuses a redirect to the same origin too, and a fetch that followed one anyway", async () => {
    const graph = await loopback((res, req) =>
      req.url === "/v1.0/elsewhere"
        ? reply(200, docsPayload(4, "response"))(res, req, 0)
        : res.writeHead(307, { location: "/v1.0/elsewhere" }).end(),
    );
    const client = createInviteClient({ baseUrl: `${graph.base}/v1.0`, getToken: () => TOKEN });
    await expect(client.invite("c", invitePhone(PHONE))).rejects.toMatchObject({ reason: "redirect", status: 307 });
    expect(graph.seen.map((s) => s.url)).toEqual(["/v1.0/communications/calls/c/participants/invite"]);

    // A custom fetch that ignores redirect: "manual" and follows: its answer is still refused.
    const following = createInviteClient({
      baseUrl: `${graph.base}/v1.0`,
      getToken: () => TOKEN,
      fetch: (input, init) => fetch(new Request(input as Request, { ...init, redirect: "follow" })),
    });
    await expect(following.invite("c", invitePhone(PHONE))).rejects.toMatchObject({ reason: "redirect" });
  });

  it("refuses an opaque redirect (a browser fetch's answer to redirect: manual), which has no status or body", async () => {
    const opaque = Object.defineProperties(new Response(null), {
      type: { value: "opaqueredirect" },
      status: { value: 0 },
      ok: { value: false },
    });
    const client = createInviteClient({
      baseUrl: "https://graph.example/v1.0",
      getToken: () => TOKEN,
      fetch: () => Promise.resolve(opaque),
    });
    const error = (await client.invite("c", invitePhone(PHONE)).catch((e: unknown) => e)) as GraphRequestError;
    expect(error).toBeInstanceOf(GraphRequestError);
    expect(error).toMatchObject({ reason: "redirect", status: 0, requestId: null });
    expect(error.message).toBe("A redirect: not followed (Graph calls never redirect)");
  });

  it("createGraphClient does not follow a redirect either", async () => {
    const { graph, foreign } = await redirectToForeign(307);
    const client = createGraphClient({ baseUrl: `${graph.base}/v1.0`, getToken: () => TOKEN });
    await expect(
      client.POST("/communications/calls/{call-id}/participants/invite", {
        params: { path: { "call-id": "c" } },
        body: invitePhone(PHONE),
      }),
    ).rejects.toMatchObject({ name: "GraphRequestError", reason: "redirect", status: 307 });
    expect(foreign.seen).toHaveLength(0);
  });
});
