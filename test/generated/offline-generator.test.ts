// openapi-generator runs from the jar bundled in the npm alias, with no network: any attempt the
// wrapper made to download would go through the proxy trap below and be counted.
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runGenerator } from "../../scripts/generate/typescript-fetch.mjs";
import { listen } from "../support/listen.js";

let trap: Server;
let connections = 0;
let proxy = "";

beforeAll(async () => {
  trap = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  proxy = await listen(trap);
});
afterAll(() => new Promise<void>((resolve) => trap.close(() => resolve())));

it("validates the 3.0 derivative with `java -jar` on the local jar and no network access", () => {
  const env = { HTTP_PROXY: proxy, HTTPS_PROXY: proxy, http_proxy: proxy, https_proxy: proxy };
  const { stdout, javaCommands } = runGenerator(["validate", "-i", "generated/openapi.3.0.yaml"], { env });
  const jar = join(import.meta.dirname, "../../node_modules/openapi-generator-cli-jar/bin/openapi-generator.jar");
  expect(javaCommands).toContain(`[openapi-generator] java -jar ${jar} validate -i generated/openapi.3.0.yaml`);
  expect(stdout).toMatch(/Validating spec/);
  expect(stdout).not.toMatch(/Download/i);
  expect(connections).toBe(0);
});
