// graph-invite-contract/graph: the typed openapi-fetch client on its own entry. The main entry's
// declarations carry no openapi-fetch type (consumers type-check none of it), and the built entry
// works under import and require().
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { invitePhone } from "../../src/index.js";
import { loopback, reply } from "./loopback.js";

const dist = join(import.meta.dirname, "../../dist");
const require = createRequire(import.meta.url);
type GraphEntry = typeof import("../../src/graph/index.js");

describe("the graph entry", () => {
  it("keeps openapi-fetch's types out of the main entry's declarations, and in the graph entry's", () => {
    for (const file of ["index.d.ts", "index.d.cts"]) {
      // the code, not its doc comments (which may name openapi-fetch and createGraphClient)
      const declarations = readFileSync(join(dist, file), "utf8")
        .replace(/\/\*[\s\S]*?\*\//g, "")
        .replace(/^\s*\/\/.*$/gm, "");
      expect(declarations, file).not.toMatch(/openapi-fetch|openapi-typescript-helpers/);
      expect(declarations, file).not.toMatch(/\bcreateGraphClient\b/);
      expect(declarations, file).toMatch(/export declare function createInviteClient/);
    }
    expect(readFileSync(join(dist, "graph.d.ts"), "utf8")).toMatch(/from ['"]openapi-fetch['"]/);
  });

  for (const format of ["import", "require"] as const) {
    it(`sends a typed POST with the Bearer token (${format})`, async () => {
      const entry: GraphEntry =
        format === "import" ? await import(join(dist, "graph.js")) : (require(join(dist, "graph.cjs")) as GraphEntry);
      const graph = await loopback(reply(200, { id: "op-1", status: "running" }, { "request-id": "r-1" }));
      const client = entry.createGraphClient({ baseUrl: `${graph.base}/v1.0`, getToken: () => "t-1" });
      const { data, response } = await client.POST("/communications/calls/{call-id}/participants/invite", {
        params: { path: { "call-id": "c" } },
        body: invitePhone("+12345678901"),
      });
      expect(response.status).toBe(200);
      expect(data).toEqual({ id: "op-1", status: "running" });
      expect(graph.seen[0]!.headers.authorization).toBe("Bearer t-1");
      expect(() => entry.createGraphClient({ getToken: "t" as never })).toThrow(TypeError);
      expect(entry.GRAPH_V1).toBe("https://graph.microsoft.com/v1.0");
    });
  }
});
