// The Node endpoint's connection hygiene over real sockets: a refused request's unread body is not
// drained without bound, and createCallbackServer cuts slow clients off.
import { connect, type Socket } from "node:net";
import type { Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createCallbackHandler } from "../../src/index.js";
import { createCallbackServer, createNodeMiddleware } from "../../src/node/index.js";
import { listen } from "../support/listen.js";

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? (server.closeAllConnections(), server.close(() => r())) : r())));

const middleware = () => createNodeMiddleware(createCallbackHandler(), { verify: (h) => h === "Bearer good" });

async function open(): Promise<{ socket: Socket; received: () => string; closed: Promise<number> }> {
  const base = await listen(server!);
  const socket = connect(Number(new URL(base).port), "127.0.0.1");
  let text = "";
  socket.on("data", (d) => (text += d.toString("latin1")));
  const started = Date.now();
  const closed = new Promise<number>((r) => socket.on("close", () => r(Date.now() - started)));
  socket.on("error", () => {});
  await new Promise((r) => socket.once("connect", r));
  return { socket, received: () => text, closed };
}

describe("a refusal that leaves the body unread", () => {
  it("closes the connection for a chunked body instead of draining what the client goes on sending", async () => {
    server = createCallbackServer(middleware());
    const { socket, received, closed } = await open();
    socket.write(
      "POST /api/calls HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
    );
    let sent = 0;
    const chunk = `${(64 * 1024).toString(16)}\r\n${"x".repeat(64 * 1024)}\r\n`;
    const pump = setInterval(() => {
      if (socket.destroyed || !socket.writable) return;
      socket.write(chunk);
      sent += 64 * 1024;
    }, 1);
    const ms = await closed;
    clearInterval(pump);
    expect(received()).toMatch(/^HTTP\/1\.1 401 /);
    expect(received()).toMatch(/connection: close/i);
    expect(ms).toBeLessThan(2_000);
    expect(sent).toBeLessThan(256 * 1024 * 1024);
  });

  it("keeps a keep-alive connection when the body was declared within the limit (a bounded drain)", async () => {
    server = createCallbackServer(middleware());
    const { socket, received } = await open();
    const request = (auth: string) =>
      `POST /api/calls HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: ${auth}\r\nContent-Length: 12\r\n\r\n{"value":[]}`;
    socket.write(request("Bearer forged") + request("Bearer good"));
    await new Promise((r) => setTimeout(r, 200));
    expect(received().match(/HTTP\/1\.1 (\d+)/g)).toEqual(["HTTP/1.1 401", "HTTP/1.1 202"]);
    socket.destroy();
  });
});

describe("createCallbackServer", () => {
  it("applies limits tighter than Node's defaults", () => {
    server = createCallbackServer(middleware());
    expect(server).toMatchObject({
      headersTimeout: 10_000,
      requestTimeout: 30_000,
      keepAliveTimeout: 5_000,
      maxConnections: 1_024,
      maxHeadersCount: 64,
    });
  });

  it("cuts off a client that sends its headers too slowly (408), within headersTimeoutMs", async () => {
    server = createCallbackServer(middleware(), {
      headersTimeoutMs: 300,
      requestTimeoutMs: 600,
      connectionsCheckingIntervalMs: 100,
    });
    const { socket, received, closed } = await open();
    socket.write("POST /api/calls HTTP/1.1\r\nHost: x\r\n");
    const drip = setInterval(() => socket.writable && socket.write("X-Slow: 1\r\n"), 50);
    const ms = await closed;
    clearInterval(drip);
    expect(received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeLessThan(1_500);
  });
});
