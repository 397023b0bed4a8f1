// 4. Request overhead. The package's own CPU per invite: client.invite() over bare openapi-fetch,
// both on the same in-process fetch (no network). Then invites per second against a local node:http
// server, one at a time, keep-alive: client.invite() vs bare openapi-fetch (the target), with bare
// fetch and fetch(new Request(...)) as context (openapi-fetch always sends a Request, which costs
// 0.81-0.86x of bare fetch on loopback by itself).
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import createClient from "openapi-fetch";
import { createInviteClient, invitePhone } from "../dist/index.js";
import { compareAsync, row } from "./lib.mjs";

const operation = readFileSync(new URL("../test/fixtures/docs/example4-response.json", import.meta.url), "utf8");

/**
 * The same invite through bare openapi-fetch: what a bot would write without this package.
 * @param {import("openapi-fetch").Client<import("../generated/schema.js").paths>} client
 */
const bareInvite = (client) => (body) =>
  client.POST("/communications/calls/{call-id}/participants/invite", {
    params: { path: { "call-id": "c" } },
    headers: { authorization: "Bearer token" },
    body,
  });

const locationHeader = "https://graph.microsoft.com/v1.0/communications/calls/c/operations/o";

/** µs per invite with an in-process fetch: bare openapi-fetch, and client.invite() with a token at hand and async. */
async function cpuPerInvite(body) {
  const headers = { "content-type": "application/json", location: locationHeader };
  const fetch = async () => new Response(operation, { status: 200, headers });
  const baseUrl = "https://graph.microsoft.com/v1.0";
  const openapiFetch = bareInvite(createClient({ baseUrl, fetch }));
  const client = createInviteClient({ baseUrl, fetch, getToken: () => "token" });
  const asyncToken = createInviteClient({ baseUrl, fetch, getToken: async () => "token" });
  const rates = await compareAsync(
    {
      openapiFetch: () => openapiFetch(body),
      ours: () => client.invite("c", body),
      oursAsyncToken: () => asyncToken.invite("c", body),
    },
    { iterations: 2_000, rounds: 15, warmup: 2_000 },
  );
  return Object.fromEntries(Object.entries(rates).map(([k, rate]) => [k, 1e6 / rate]));
}

export async function benchRequest() {
  const body = invitePhone("+12345678901", { clientContext: "f2fa86af-3c51-4bc2-8fc0-475452d9764f" });
  const cpu = await cpuPerInvite(body);
  const server = createServer((req, res) => {
    req.resume().on("end", () => {
      res.writeHead(200, {
        "content-type": "application/json",
        location: locationHeader,
      });
      res.end(operation);
    });
  });
  await /** @type {Promise<void>} */ (new Promise((r) => server.listen(0, "127.0.0.1", () => r())));
  const base = `http://127.0.0.1:${/** @type {import("node:net").AddressInfo} */ (server.address()).port}/v1.0`;
  try {
    const client = createInviteClient({ baseUrl: base, getToken: () => "token" });
    const init = () => ({
      method: "POST",
      headers: { authorization: "Bearer token", "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const url = `${base}/communications/calls/c/participants/invite`;
    const bare = () => fetch(url, init()).then((r) => r.json());
    // What openapi-fetch does underneath: build a Request, then fetch it.
    const viaRequest = () => fetch(new Request(url, init())).then((r) => r.json());
    const openapiFetch = bareInvite(createClient({ baseUrl: base }));
    const rates = await compareAsync(
      {
        fetch: bare,
        viaRequest,
        openapiFetch: () => openapiFetch(body),
        ours: () => client.invite("c", body),
      },
      // Short rounds, interleaved: the machine drifts within seconds, and longer rounds caught
      // that drift as ±10 % on the ratios.
      { iterations: 250, rounds: 25 },
    );
    const cpuSection = "Invite CPU (in-process fetch, no network; µs per invite, median of 15 interleaved rounds)";
    const section = "Request overhead (invites/s, one at a time, against a local node:http server)";
    return [
      row(cpuSection, "bare openapi-fetch (reference)", cpu.openapiFetch, "µs", cpu.openapiFetch),
      row(
        cpuSection,
        "client.invite() (validates, clientContext, retries, typed errors)",
        cpu.ours,
        "µs",
        cpu.openapiFetch,
        {
          maxExcess: 30,
        },
      ),
      row(cpuSection, "client.invite() with an async getToken (context)", cpu.oursAsyncToken, "µs", cpu.openapiFetch, {
        extra: { excess: cpu.oursAsyncToken - cpu.openapiFetch },
      }),
      row(section, "bare openapi-fetch (reference)", rates.openapiFetch, "req/s", rates.openapiFetch),
      row(
        section,
        "client.invite() (validates, clientContext, openapi-fetch)",
        rates.ours,
        "req/s",
        rates.openapiFetch,
        {
          target: 0.9,
          extra: { vsBareFetch: rates.ours / rates.fetch },
        },
      ),
      row(section, "bare fetch (context)", rates.fetch, "req/s", rates.openapiFetch),
      row(
        section,
        "bare fetch of a new Request(...) (what openapi-fetch sends; context)",
        rates.viaRequest,
        "req/s",
        rates.openapiFetch,
      ),
    ];
  } finally {
    await new Promise((r) => server.close(r));
  }
}
