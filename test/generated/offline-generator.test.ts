// openapi-generator runs from the jar bundled in the npm alias, with no network: any attempt the
// wrapper made to download would go through the proxy trap below and be counted.
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runGenerator } from "../../scripts/generate/typescript-fetch.mjs";

let trap: Server;
let connections = 0;
let proxy = "";

beforeAll(async () => {
  trap = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => trap.listen(0, "127.0.0.1", resolve));
  const address = trap.address();
  if (address === null || typeof address === "string") throw new Error("no trap address");
  proxy = `http://127.0.0.1:${address.port}`;
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
}, 60_000);
