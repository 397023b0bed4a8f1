// 4. Request overhead: invites per second through client.invite() against a local node:http server,
// vs a bare fetch of the same request. One request at a time, keep-alive on both.
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import createClient from "openapi-fetch";
import { createInviteClient, invitePhone } from "../dist/index.js";
import { compareAsync, row } from "./lib.mjs";

const operation = readFileSync(new URL("../test/fixtures/docs/example4-response.json", import.meta.url), "utf8");

export async function benchRequest() {
  const server = createServer((req, res) => {
    req.resume().on("end", () => {
      res.writeHead(200, {
        "content-type": "application/json",
        location: "https://graph.microsoft.com/v1.0/communications/calls/c/operations/o",
      });
      res.end(operation);
    });
  });
  await /** @type {Promise<void>} */ (new Promise((r) => server.listen(0, "127.0.0.1", () => r())));
  const base = `http://127.0.0.1:${/** @type {import("node:net").AddressInfo} */ (server.address()).port}/v1.0`;
  try {
    const client = createInviteClient({ baseUrl: base, getToken: () => "token" });
    const body = invitePhone("+12345678901", { clientContext: "f2fa86af-3c51-4bc2-8fc0-475452d9764f" });
    const init = () => ({
      method: "POST",
      headers: { authorization: "Bearer token", "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const url = `${base}/communications/calls/c/participants/invite`;
    const bare = () => fetch(url, init()).then((r) => r.json());
    // What openapi-fetch does underneath: build a Request, then fetch it.
    const viaRequest = () => fetch(new Request(url, init())).then((r) => r.json());
    /** @type {import("openapi-fetch").Client<import("../generated/schema.js").paths>} */
    const openapiFetch = createClient({ baseUrl: base });
    const rates = await compareAsync(
      {
        fetch: bare,
        viaRequest,
        openapiFetch: () =>
          openapiFetch.POST("/communications/calls/{call-id}/participants/invite", {
            params: { path: { "call-id": "c" } },
            headers: { authorization: "Bearer token" },
            body,
          }),
        ours: () => client.invite("c", body),
      },
      // Short rounds, interleaved: the machine drifts within seconds, and longer rounds caught
      // that drift as ±10 % on the ratios.
      { iterations: 250, rounds: 25 },
    );
    const section = "Request overhead (invites/s, one at a time, against a local node:http server)";
    return [
      row(section, "bare fetch (reference)", rates.fetch, "req/s", rates.fetch),
      row(
        section,
        "bare fetch of a new Request(...) (what openapi-fetch sends)",
        rates.viaRequest,
        "req/s",
        rates.fetch,
      ),
      row(section, "bare openapi-fetch", rates.openapiFetch, "req/s", rates.fetch),
      row(section, "client.invite() (validates, clientContext, openapi-fetch)", rates.ours, "req/s", rates.fetch, {
        target: 0.9,
        extra: { vsBareOpenapiFetch: rates.ours / rates.openapiFetch },
      }),
    ];
  } finally {
    await new Promise((r) => server.close(r));
  }
}
