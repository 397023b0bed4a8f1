// Starts a node:http (or net) server on an ephemeral port on 127.0.0.1 and returns its base URL.
import type { Server } from "node:net";

export async function listen(server: Server, scheme = "http"): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("the server has no TCP address");
  return `${scheme}://127.0.0.1:${address.port}`;
}
