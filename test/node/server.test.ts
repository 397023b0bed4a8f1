// The Node endpoint's connection hygiene over real sockets: a refused request's unread body is not
// drained without bound, and createCallbackServer cuts slow clients off.
import { connect, type Socket } from "node:net";
import type { Server } from "node:http";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createCallbackHandler, EndpointOptionsError } from "../../src/index.js";
import { createCallbackServer, createNodeMiddleware } from "../../src/node/index.js";
import { docsPayload } from "../fixtures/docs.js";
import { listen } from "../support/listen.js";

const CALLBACK = JSON.stringify(docsPayload(1, "notification-operation-completed"));

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? (server.closeAllConnections(), server.close(() => r())) : r())));

const middleware = () => createNodeMiddleware(createCallbackHandler(), { verify: (h) => h === "Bearer good" });
// (CALLBACK is ASCII: its length is its byte length)

const bases = new WeakMap<Server, Promise<string>>();

/** A client socket; `allowHalfOpen`: it goes on sending after the server's FIN, as an upload does. */
async function open(allowHalfOpen = false) {
  const base = await (bases.get(server!) ?? bases.set(server!, listen(server!)).get(server!)!);
  const socket = connect({ port: Number(new URL(base).port), host: "127.0.0.1", allowHalfOpen });
  let text = "";
  socket.on("data", (d) => (text += d.toString("latin1")));
  const started = Date.now();
  const closed = new Promise<number>((r) => socket.on("close", () => r(Date.now() - started)));
  const errors: string[] = [];
  socket.on("error", (error: NodeJS.ErrnoException) => errors.push(error.code ?? error.message));
  const ended = new Promise<void>((r) => socket.once("end", r)); // the server's FIN
  await new Promise((r) => socket.once("connect", r));
  return { socket, received: () => text, closed, ended, errors };
}

/** Sends a chunked body without end (a `bytes` chunk each `everyMs`) until stopped; how much it wrote. */
function pumpBody(socket: Socket, bytes = 64 * 1024, everyMs = 1) {
  const chunk = `${bytes.toString(16)}\r\n${"x".repeat(bytes)}\r\n`;
  socket.write(
    "POST /api/calls HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
  );
  let sent = 0;
  const pump = setInterval(() => {
    if (socket.destroyed || !socket.writable) return;
    socket.write(chunk);
    sent += bytes;
  }, everyMs);
  return { sent: () => sent, stop: () => clearInterval(pump) };
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

  it("takes what a client goes on sending after a refusal, then closes without a reset (no lost answer)", async () => {
    const refusals: Array<[string, ReturnType<typeof middleware>, number]> = [
      ["a token refused at once", middleware(), 401],
      [
        "a token refused once part of the body arrived",
        createNodeMiddleware(createCallbackHandler(), {
          verify: async (h) => (await new Promise((r) => setTimeout(r, 30)), h === "Bearer good"),
        }),
        401,
      ],
      [
        "a body past maxBodyBytes",
        createNodeMiddleware(createCallbackHandler(), {
          dangerouslyAcceptUnverifiedCallbacks: true,
          maxBodyBytes: 1024,
        }),
        413,
      ],
    ];
    for (const [name, listener, status] of refusals) {
      server = createCallbackServer(listener);
      let taken = 0;
      const serverClosed = new Promise<number>((r) =>
        server!.on("connection", (socket: Socket) =>
          socket.on("close", () => {
            taken = socket.bytesRead;
            r(Date.now());
          }),
        ),
      );
      const { socket, received, ended, errors } = await open(true);
      const body = pumpBody(socket, 16 * 1024, 10); // about 0.5 MB in the 300 ms below
      await ended; // the answer, then the server's FIN
      expect(received(), name).toMatch(new RegExp(`^HTTP/1\\.1 ${status} [^]*connection: close`, "i"));
      const atFin = body.sent();
      await new Promise((r) => setTimeout(r, 300)); // the client goes on sending its body
      body.stop();
      expect(errors, name).toEqual([]); // not reset (EPIPE, ECONNRESET): what it sent was taken, and discarded
      expect(body.sent(), name).toBeGreaterThan(atFin);
      const stopped = Date.now();
      socket.end();
      expect((await serverClosed) - stopped, name).toBeLessThan(1_000); // once the client is done, not after 2 s
      expect(taken, name).toBeGreaterThan(body.sent()); // all it sent was read (and its headers)
      await new Promise<void>((r) => server!.close(() => r()));
      server = undefined;
    }
  });

  it("closes a connection whose client goes on sending after the answer within 2 s, taking 1 MiB at most", async () => {
    server = createCallbackServer(middleware());
    let taken = 0;
    server.on("connection", (socket: Socket) => socket.on("close", () => (taken = socket.bytesRead)));
    const { socket, received, closed, ended } = await open(true);
    const body = pumpBody(socket);
    await ended;
    const fin = Date.now();
    await Promise.race([closed, new Promise((r) => setTimeout(r, 3_000))]);
    body.stop();
    expect(received()).toMatch(/^HTTP\/1\.1 401 /);
    expect(socket.destroyed).toBe(true);
    expect(Date.now() - fin).toBeLessThan(2_500);
    expect(body.sent()).toBeGreaterThan(8 * 1024 * 1024); // the client went on sending
    await vi.waitFor(() => expect(taken).toBeGreaterThan(0));
    expect(taken).toBeLessThan(2 * 1024 * 1024); // the server took little of it
  });

  it("lingers after a 408 too: the rest of a body that came too late is taken without a reset", async () => {
    server = createCallbackServer(
      createNodeMiddleware(createCallbackHandler(), { dangerouslyAcceptUnverifiedCallbacks: true, timeoutMs: 200 }),
    );
    const { socket, received, closed, ended, errors } = await open(true);
    socket.write(
      `POST /api/calls HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${CALLBACK.length}\r\n\r\n${CALLBACK.slice(0, 10)}`,
    );
    await ended; // the 408, then the server's FIN
    expect(received()).toMatch(/^HTTP\/1\.1 408 /);
    const piece = Math.ceil((CALLBACK.length - 10) / 5);
    for (let at = 10; at < CALLBACK.length; at += piece) {
      socket.write(CALLBACK.slice(at, at + piece)); // the rest, late, in five writes
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(errors).toEqual([]);
    const stopped = Date.now();
    socket.end();
    await closed;
    expect(Date.now() - stopped).toBeLessThan(1_000);
  });

  it("keeps a keep-alive connection when the body was declared within the limit (a bounded drain)", async () => {
    server = createCallbackServer(
      // the limit is the body's size exactly: within it
      createNodeMiddleware(createCallbackHandler(), { verify: (h) => h === "Bearer good", maxBodyBytes: 12 }),
    );
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
  it("applies limits tighter than Node's defaults, and no hard connection cap of Node's", () => {
    server = createCallbackServer(middleware());
    expect(server).toMatchObject({
      headersTimeout: 10_000,
      requestTimeout: 30_000,
      keepAliveTimeout: 5_000,
      maxHeadersCount: 129, // one more than the limit, to tell "too many" from "exactly the limit"
    });
    // Node's maxConnections refuses new connections once full, which is what an idle flood fills
    expect(server.maxConnections ?? Number.POSITIVE_INFINITY).toBe(Number.POSITIVE_INFINITY);
  });

  it("refuses a limit that is not a positive integer, or unknown, with an EndpointOptionsError naming it", () => {
    const cases: Array<[unknown, string, string, RegExp]> = [
      [{ maxConnections: 0 }, "maxConnections", "range", /an integer from 1 to 2147483647/],
      [{ maxHeadersCount: -1 }, "maxHeadersCount", "range", /an integer from 1/],
      [{ firstByteTimeoutMs: Number.NaN }, "firstByteTimeoutMs", "range", /an integer from 1/],
      [{ requestTimeoutMs: 2 ** 31 }, "requestTimeoutMs", "range", /to 2147483647/],
      [{ headersTimeoutMs: "10" }, "headersTimeoutMs", "type", /must be a number/],
      [{ keepAliveTimeoutMs: undefined }, "keepAliveTimeoutMs", "undefined", /set it, or leave it out/],
      [{ maxconnections: 10 }, "maxconnections", "unknown", /not a limit of createCallbackServer/],
      [{ headersTimeoutMs: 20_000, requestTimeoutMs: 10_000 }, "headersTimeoutMs", "conflict", /requestTimeoutMs/],
      ["tight", "limits", "type", /an object of limits/],
    ];
    for (const [limits, option, rule, message] of cases) {
      let thrown: unknown;
      try {
        createCallbackServer(middleware(), limits as never);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, JSON.stringify(limits)).toBeInstanceOf(EndpointOptionsError);
      expect(thrown, JSON.stringify(limits)).toMatchObject({ option, rule, message: expect.stringMatching(message) });
    }
    expect(() => createCallbackServer("app" as never)).toThrow(
      expect.objectContaining({
        option: "listener",
        rule: "type",
        message: expect.stringMatching(/a request listener/),
      }),
    );
  });

  it("takes the extremes of each limit's range, and equal header and request timeouts", () => {
    for (const limits of [
      { maxConnections: 1 },
      { keepAliveTimeoutMs: 2 ** 31 - 1 },
      { headersTimeoutMs: 20_000, requestTimeoutMs: 20_000 },
    ]) {
      server = createCallbackServer(middleware(), limits);
      server.close();
    }
  });

  it("closes a connection that sends nothing within firstByteTimeoutMs (default 2 s), long before headersTimeoutMs", async () => {
    server = createCallbackServer(middleware());
    const { received, closed } = await open();
    const ms = await closed;
    expect(ms).toBeGreaterThan(1_500);
    expect(ms).toBeLessThan(5_000); // headersTimeoutMs is 10 s
    expect(received()).toBe("");
  }, 15_000);

  it("at the connection cap, makes room by closing the oldest idle connection, never one being answered", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    server = createCallbackServer(
      createNodeMiddleware(createCallbackHandler(), { dangerouslyAcceptUnverifiedCallbacks: true, record: () => gate }),
      { maxConnections: 3 },
    );
    const busy = await open();
    busy.socket.write(
      `POST /api/calls HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${CALLBACK.length}\r\n\r\n${CALLBACK}`,
    );
    await new Promise((r) => setTimeout(r, 100)); // it waits for record: being answered
    const quiet = [await open(), await open()];
    const late = await open(); // the cap is full: the oldest quiet one makes room
    await quiet[0]!.closed;
    expect(quiet[1]!.socket.destroyed).toBe(false);
    expect(late.socket.destroyed).toBe(false);
    release();
    await new Promise((r) => setTimeout(r, 100));
    expect(busy.received()).toMatch(/^HTTP\/1\.1 202 /);
    for (const { socket } of [busy, quiet[1]!, late]) socket.destroy();
  });

  it("keeps a connection that sent a request past firstByteTimeoutMs (it is for the quiet ones)", async () => {
    server = createCallbackServer(middleware(), { firstByteTimeoutMs: 100 });
    const { socket, received } = await open();
    const post = `POST /api/calls HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer good\r\nContent-Length: ${CALLBACK.length}\r\n\r\n${CALLBACK}`;
    socket.write(post);
    await new Promise((r) => setTimeout(r, 300)); // idle between requests, past firstByteTimeoutMs
    expect(socket.destroyed).toBe(false);
    socket.write(post);
    await vi.waitFor(() => expect(received().match(/HTTP\/1\.1 202/g)).toHaveLength(2));
    socket.destroy();
  });

  it("counts only open connections against the cap: one that closed frees its place", async () => {
    server = createCallbackServer(middleware(), { maxConnections: 2 });
    const first = await open();
    const gone = await open();
    gone.socket.destroy();
    await new Promise((r) => setTimeout(r, 50));
    const late = await open(); // two open: the cap, not past it
    await new Promise((r) => setTimeout(r, 50));
    expect(first.socket.destroyed).toBe(false);
    first.socket.write(
      `POST /api/calls HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer good\r\nContent-Length: ${CALLBACK.length}\r\n\r\n${CALLBACK}`,
    );
    await vi.waitFor(() => expect(first.received()).toMatch(/^HTTP\/1\.1 202 /));
    expect(late.socket.destroyed).toBe(false);
    for (const { socket } of [first, late]) socket.destroy();
  });

  it("at the cap with no connection that never sent a request, closes the oldest idle keep-alive one", async () => {
    server = createCallbackServer(middleware(), { maxConnections: 2 });
    const post = `POST /api/calls HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer good\r\nContent-Length: ${CALLBACK.length}\r\n\r\n${CALLBACK}`;
    const idle = [await open(), await open()];
    for (const { socket, received } of idle) {
      socket.write(post);
      await vi.waitFor(() => expect(received()).toMatch(/^HTTP\/1\.1 202 /)); // answered: idle, kept alive
    }
    const late = await open();
    await idle[0]!.closed;
    expect(idle[1]!.socket.destroyed).toBe(false);
    expect(late.socket.destroyed).toBe(false);
    for (const { socket } of [idle[1]!, late]) socket.destroy();
  });

  it("refuses a new connection only when every open one is being answered (a client gone holds no place)", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    server = createCallbackServer(
      createNodeMiddleware(createCallbackHandler(), { dangerouslyAcceptUnverifiedCallbacks: true, record: () => gate }),
      { maxConnections: 1 },
    );
    const post = `POST /api/calls HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${CALLBACK.length}\r\n\r\n${CALLBACK}`;
    const gone = await open();
    gone.socket.write(post);
    await new Promise((r) => setTimeout(r, 50));
    gone.socket.destroy(); // went away while being answered
    await new Promise((r) => setTimeout(r, 50));
    const busy = await open();
    busy.socket.write(post);
    await new Promise((r) => setTimeout(r, 50)); // being answered: it waits for record
    const refused = await open();
    expect(await refused.closed).toBeLessThan(1_000);
    expect(refused.received()).toBe("");
    expect(busy.socket.destroyed).toBe(false);
    release();
    await vi.waitFor(() => expect(busy.received()).toMatch(/^HTTP\/1\.1 202 /));
    busy.socket.destroy();
  });

  it("takes a connection answering a second pipelined request as being answered until that answer", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let records = 0;
    server = createCallbackServer(
      createNodeMiddleware(createCallbackHandler(), {
        dangerouslyAcceptUnverifiedCallbacks: true,
        record: () => (++records === 1 ? undefined : gate), // the first at once, the second waits
      }),
      { maxConnections: 1 },
    );
    const post = `POST /api/calls HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${CALLBACK.length}\r\n\r\n${CALLBACK}`;
    const busy = await open();
    busy.socket.write(post + post);
    await vi.waitFor(() => expect(busy.received()).toMatch(/^HTTP\/1\.1 202 /)); // the first answered
    await new Promise((r) => setTimeout(r, 50));
    const refused = await open();
    expect(await refused.closed).toBeLessThan(1_000);
    expect(busy.socket.destroyed).toBe(false);
    release();
    await vi.waitFor(() => expect(busy.received().match(/HTTP\/1\.1 202/g)).toHaveLength(2));
    busy.socket.destroy();
  });

  it("refuses a request with more than maxHeadersCount headers with 431, rather than dropping the rest", async () => {
    server = createCallbackServer(middleware());
    const post = async (extraHeaders: number) => {
      const { socket, received, closed } = await open();
      const padding = Array.from({ length: extraHeaders }, (_, i) => `X-Pad-${i}: ${i}\r\n`).join("");
      // Content-Type last: a server that dropped the headers past its limit would answer 415
      socket.write(
        `POST /api/calls HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer good\r\nContent-Length: ${CALLBACK.length}\r\n${padding}Content-Type: application/json\r\n\r\n${CALLBACK}`,
      );
      const closedByServer = await Promise.race([
        closed.then(() => true),
        new Promise((r) => setTimeout(r, 500, false)),
      ]);
      socket.destroy();
      return [received(), closedByServer] as const;
    };
    expect((await post(66))[0]).toMatch(/^HTTP\/1\.1 202 /); // 70 headers: within the limit now
    expect((await post(124))[0]).toMatch(/^HTTP\/1\.1 202 /); // exactly 128
    const [refused, closedByServer] = await post(125); // 129
    expect(closedByServer).toBe(true); // and the connection with it
    expect(refused).toMatch(/^HTTP\/1\.1 431 /);
    expect(refused).toMatch(/connection: close/i);
    expect(refused).toMatch(/content-type: application\/json/i);
    expect(refused).toContain("RequestHeaderFieldsTooLarge");
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
