// createNodeMiddleware over a real node:http server on 127.0.0.1: each refusal maps to its status,
// valid callbacks are answered 202 before their handlers finish.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { connect } from "node:net";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  createCallbackHandler,
  type CallbackEndpointCommonOptions,
  type CallbackEvent,
  type CustomVerifyAuth,
} from "../../src/index.js";
import { createNodeMiddleware } from "../../src/node/index.js";
import { docsPayload } from "../fixtures/docs.js";
import { listen } from "../support/listen.js";

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** The common options, and a `verify` or else no verification. */
type Options = CallbackEndpointCommonOptions & Partial<CustomVerifyAuth>;

async function serve(options: Options = {}, onEvent: (e: CallbackEvent) => unknown = () => {}, fallback = false) {
  const handler = createCallbackHandler().on("*", async (e) => void (await onEvent(e)));
  const { verify, ...common } = options;
  const middleware = createNodeMiddleware(
    handler,
    verify ? { ...common, verify } : { ...common, dangerouslyAcceptUnverifiedCallbacks: true },
  );
  server = createServer((req, res) =>
    middleware(req, res, fallback ? () => res.writeHead(299).end("next") : undefined),
  );
  return listen(server);
}

const json = { "content-type": "application/json" };
const body = (n = 1) => JSON.stringify(docsPayload(n, "notification-operation-completed"));

describe("createNodeMiddleware", () => {
  it("answers 202 and dispatches the events", async () => {
    const events: CallbackEvent[] = [];
    const base = await serve({}, (e) => events.push(e));
    const res = await fetch(`${base}/api/calls`, { method: "POST", headers: json, body: body() });
    expect(res.status).toBe(202);
    await vi.waitFor(() => expect(events).toHaveLength(1));
    expect(events[0]).toMatchObject({ kind: "operation", status: "completed" });
  });

  it("answers 202 before the handlers finish", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let finished = false;
    const base = await serve({}, async () => {
      await gate;
      finished = true;
    });
    const res = await fetch(`${base}/api/calls`, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: body(),
    });
    expect(res.status).toBe(202);
    expect(finished).toBe(false);
    release();
    await vi.waitFor(() => expect(finished).toBe(true));
  });

  it("reports handler failures to onError, not to Graph", async () => {
    const errors: unknown[] = [];
    const base = await serve({ onError: (e) => errors.push(e) }, () => {
      throw new Error("handler broke");
    });
    const res = await fetch(`${base}/api/calls`, { method: "POST", headers: json, body: body() });
    expect(res.status).toBe(202);
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0]).toBeInstanceOf(AggregateError);
  });

  it("refuses other methods with 405 and other content types with 415", async () => {
    const base = await serve();
    const get = await fetch(`${base}/api/calls`);
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    const text = await fetch(`${base}/api/calls`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: body(),
    });
    expect(text.status).toBe(415);
    const none = await fetch(`${base}/api/calls`, { method: "POST", body: new Uint8Array([123, 125]) });
    expect(none.status).toBe(415);
  });

  it("refuses malformed JSON and payloads with 400 and the issues", async () => {
    const base = await serve();
    const notJson = await fetch(`${base}/api/calls`, { method: "POST", headers: json, body: "{oops" });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({
      error: { code: "InvalidNotification", issues: [{ path: "", rule: "json" }] },
    });
    const bad = await fetch(`${base}/api/calls`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ value: [{ changeType: "deleted" }] }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { issues: [{ path: "/value/0/resourceUrl", rule: "schema" }] } });
  });

  it("refuses a 10 MB body with 413, by its Content-Length, without reading it", async () => {
    let bytesRead = 0;
    const base = await serve({});
    server!.on("connection", (socket) => socket.on("close", () => (bytesRead += socket.bytesRead)));
    const status = await rawPost(base, "x".repeat(10 * 1024 * 1024), true);
    expect(status).toBe(413);
    // closed once the client stops or the linger ends (2 s at most): the server reads 1 MiB of it at most
    await vi.waitFor(() => expect(bytesRead).toBeGreaterThan(0), { timeout: 3_000 });
    expect(bytesRead).toBeLessThan(2 * 1024 * 1024); // long before 10 MB arrived
  });

  it("refuses a chunked body once it passes maxBodyBytes, and stops reading", async () => {
    const base = await serve({ maxBodyBytes: 64 * 1024 });
    const status = await rawPost(base, "x".repeat(1024 * 1024), false);
    expect(status).toBe(413);
  });

  it("answers 408 and closes when a declared body stops arriving, within timeoutMs (not Node's 300 s)", async () => {
    const base = await serve({ timeoutMs: 200 });
    const { port } = new URL(base);
    const socket = connect(Number(port), "127.0.0.1");
    let text = "";
    socket.on("data", (d) => (text += d.toString("latin1")));
    const closed = new Promise((r) => socket.on("close", r));
    socket.write(
      'POST /api/calls HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"value":[',
    );
    await closed;
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(text).toMatch(/connection: close/i);
  });

  it("refuses with 401 when verify throws, before reading the body, and never echoes the token", async () => {
    const seen: Array<string | undefined> = [];
    const base = await serve({
      verify: (h) => {
        seen.push(h);
        if (h !== "Bearer good") throw new Error(`bad token ${h}`);
        return true;
      },
    });
    const refused = await fetch(`${base}/api/calls`, {
      method: "POST",
      headers: { ...json, authorization: "Bearer forged.token.x" },
      body: body(),
    });
    expect(refused.status).toBe(401);
    expect(await refused.text()).not.toContain("forged");
    const missing = await fetch(`${base}/api/calls`, { method: "POST", headers: json, body: body() });
    expect(missing.status).toBe(401);
    const ok = await fetch(`${base}/api/calls`, {
      method: "POST",
      headers: { ...json, authorization: "Bearer good" },
      body: body(),
    });
    expect(ok.status).toBe(202);
    expect(seen).toEqual(["Bearer forged.token.x", undefined, "Bearer good"]);
  });

  it("waits for an async verify: 401 when it rejects, 202 with the events when it resolves", async () => {
    const events: CallbackEvent[] = [];
    const base = await serve(
      {
        verify: async (h) => {
          await new Promise((r) => setTimeout(r, 20));
          if (h !== "Bearer good") throw new Error(`bad token ${h}`);
          return true;
        },
      },
      (e) => events.push(e),
    );
    const refused = await fetch(`${base}/api/calls`, {
      method: "POST",
      headers: { ...json, authorization: "Bearer forged.token.x" },
      body: body(),
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toBe("Bearer");
    expect(await refused.text()).not.toContain("forged");
    const ok = await fetch(`${base}/api/calls`, {
      method: "POST",
      headers: { ...json, authorization: "Bearer good" },
      body: body(),
    });
    expect(ok.status).toBe(202);
    await vi.waitFor(() => expect(events).toHaveLength(1));
    expect(events[0]).toMatchObject({ kind: "operation", status: "completed" });
  });

  it("leaves other paths to next(), or answers 404 without one; honours a custom path", async () => {
    const withNext = await serve({ path: "/callbacks" }, () => {}, true);
    expect((await fetch(`${withNext}/api/calls`, { method: "POST", headers: json, body: body() })).status).toBe(299);
    expect((await fetch(`${withNext}/callbacks?x=1`, { method: "POST", headers: json, body: body() })).status).toBe(
      202,
    );
    await new Promise<void>((r) => server!.close(() => r()));
    const without = await serve();
    expect((await fetch(`${without}/elsewhere`, { method: "POST", headers: json, body: body() })).status).toBe(404);
  });
});

describe("createNodeMiddleware answers", () => {
  it("each refusal with its OData error code, message and headers; a 202 with no body", async () => {
    const base = await serve({ maxBodyBytes: 64 * 1024, verify: (h) => h !== "Bearer bad" });
    const post = (headers: Record<string, string>, payload = body()) =>
      fetch(`${base}/api/calls`, { method: "POST", headers, body: payload });
    const cases: Array<[string, Promise<Response>, number, string | null, Record<string, string>]> = [
      ["GET", fetch(`${base}/api/calls`), 405, "MethodNotAllowed: Use POST.", { allow: "POST" }],
      [
        "text/plain",
        post({ "content-type": "text/plain" }),
        415,
        "UnsupportedMediaType: The body must be application/json.",
        {},
      ],
      [
        "too long by Content-Length",
        post(json, "x".repeat(64 * 1024 + 1)),
        413,
        "PayloadTooLarge: The body exceeds 65536 bytes.",
        { connection: "close" },
      ],
      [
        "a bad token",
        post({ ...json, authorization: "Bearer bad" }),
        401,
        "Unauthorized: The callback token was refused.",
        { "www-authenticate": "Bearer" },
      ],
      [
        "not JSON",
        post(json, "{"),
        400,
        "InvalidNotification: The body is not a valid commsNotifications payload.",
        {},
      ],
      [
        "elsewhere",
        fetch(`${base}/elsewhere`, { method: "POST", headers: json, body: body() }),
        404,
        "NotFound: No callback endpoint here.",
        {},
      ],
      ["valid", post(json), 202, null, {}],
    ];
    for (const [name, pending, status, code, headers] of cases) {
      const res = await pending;
      const text = await res.text();
      expect(res.status, name).toBe(status);
      expect(res.headers.get("content-length"), name).toBe(String(Buffer.byteLength(text)));
      for (const [header, value] of Object.entries(headers))
        expect(res.headers.get(header), `${name} ${header}`).toBe(value);
      if (code === null) {
        expect(text, name).toBe("");
        expect(res.headers.get("content-type"), name).toBeNull();
      } else {
        expect(res.headers.get("content-type"), name).toBe("application/json");
        const { error } = JSON.parse(text) as { error: { code: string; message: string } };
        expect(`${error.code}: ${error.message}`, name).toBe(code);
      }
    }
  });

  it("a body of exactly maxBodyBytes, by Content-Length or chunked, and refuses one byte more", async () => {
    const exact = body();
    const limit = Buffer.byteLength(exact);
    const base = await serve({ maxBodyBytes: limit });
    expect(await rawPost(base, exact, true)).toBe(202);
    expect(await rawPost(base, exact, false)).toBe(202);
    expect(await rawPost(base, `${exact} `, true)).toBe(413);
    expect(await rawPost(base, `${exact} `, false)).toBe(413);
  });

  it("400 with issueCount and the first 20 issues only", async () => {
    const base = await serve();
    const bad = JSON.stringify({ value: Array.from({ length: 30 }, () => ({ changeType: "x", resourceUrl: "/a" })) });
    const res = await fetch(`${base}/api/calls`, { method: "POST", headers: json, body: bad });
    const { error } = (await res.json()) as { error: { issueCount: number; issues: Array<{ path: string }> } };
    expect(error.issueCount).toBe(30);
    expect(error.issues).toHaveLength(20);
    expect(error.issues[19]!.path).toBe("/value/19/changeType");
  });

  it("answers within the call when verify and record answer at once (no promise on the hot path)", () => {
    const recorded: CallbackEvent[][] = [];
    const middleware = createNodeMiddleware(createCallbackHandler(), {
      verify: (h) => h === "Bearer good",
      record: (events) => void recorded.push(events),
    });
    const req = Object.assign(new PassThrough(), {
      method: "POST",
      url: "/api/calls",
      headers: { ...json, authorization: "Bearer good" },
      body: JSON.parse(body()) as unknown, // as express.json() leaves it
    }) as unknown as IncomingMessage;
    let status = 0;
    const res = { headersSent: false, writeHead: (s: number) => ((status = s), res), end: () => {} };
    middleware(req, res as unknown as ServerResponse);
    expect(status).toBe(202); // already answered: no step waited for a microtask
    expect(recorded).toHaveLength(1);
  });

  it("takes a client that aborts mid-body for what it is: no answer, and nothing reported as a handler failure", async () => {
    const errors: unknown[] = [];
    const middleware = createNodeMiddleware(createCallbackHandler(), {
      dangerouslyAcceptUnverifiedCallbacks: true,
      onError: (e) => errors.push(e),
      timeoutMs: 20,
    });
    const req = Object.assign(new PassThrough(), {
      method: "POST",
      url: "/api/calls",
      headers: json,
    }) as unknown as IncomingMessage;
    let status = 0;
    const res = { headersSent: false, writeHead: (s: number) => ((status = s), res), end: () => {} };
    middleware(req, res as unknown as ServerResponse);
    (req as unknown as PassThrough).write('{"value":[');
    (req as unknown as PassThrough).destroy(Object.assign(new Error("aborted"), { code: "ECONNRESET" }));
    await new Promise((r) => setTimeout(r, 100)); // past timeoutMs: the intake stopped, no 408 to nobody
    expect(status).toBe(0);
    expect(errors).toEqual([]);
    expect((req as unknown as PassThrough).destroyed).toBe(true);
  });

  it("500 and onError, never a throw into the server, when the request or the answer fails unexpectedly", async () => {
    const errors: unknown[] = [];
    const middleware = createNodeMiddleware(createCallbackHandler(), {
      dangerouslyAcceptUnverifiedCallbacks: true,
      onError: (e) => errors.push(e),
    });
    const answers: number[] = [];
    const fakeRes = (failOn: number | null) => {
      const res = {
        headersSent: false,
        writeHead: (s: number) => {
          if (res.headersSent) throw new Error("headers already sent"); // as Node's
          if (s === failOn) throw new Error(`cannot write ${s}`);
          answers.push(s);
          return res;
        },
        end: () => {},
      };
      return res as unknown as ServerResponse;
    };
    // reading the headers throws (a broken proxy object), before any body is read
    const brokenHeaders = Object.assign(new PassThrough(), { method: "POST", url: "/api/calls" });
    Object.defineProperty(brokenHeaders, "headers", {
      get: () => {
        throw new Error("no headers");
      },
    });
    expect(() => middleware(brokenHeaders as unknown as IncomingMessage, fakeRes(null))).not.toThrow();
    // the same with a response another middleware already answered: no second answer, no throw
    const answered = Object.assign(fakeRes(null), { headersSent: true });
    expect(() => middleware(brokenHeaders as unknown as IncomingMessage, answered)).not.toThrow();
    // answering 202 throws, after the body was read and parsed
    const req = Object.assign(new PassThrough(), { method: "POST", url: "/api/calls", headers: json });
    middleware(req as unknown as IncomingMessage, fakeRes(202));
    req.end(body());
    await vi.waitFor(() => expect(errors).toHaveLength(3));
    expect(errors).toEqual([new Error("no headers"), new Error("no headers"), new Error("cannot write 202")]);
    expect(answers).toEqual([500, 500]);
  });

  it("answers a request object without a socket (a framework's stub) once an async record settles", async () => {
    const recorded: CallbackEvent[][] = [];
    const middleware = createNodeMiddleware(createCallbackHandler(), {
      dangerouslyAcceptUnverifiedCallbacks: true,
      record: async (events) => void recorded.push(events),
    });
    const req = Object.assign(new PassThrough(), {
      method: "POST",
      url: "/api/calls",
      headers: json,
      socket: undefined,
    });
    let status = 0;
    const res = { headersSent: false, writeHead: (s: number) => ((status = s), res), end: () => {} };
    middleware(req as unknown as IncomingMessage, res as unknown as ServerResponse);
    req.end(body());
    await vi.waitFor(() => expect(status).toBe(202));
    expect(recorded).toHaveLength(1);
  });

  it("acknowledges nothing to a client that went away while record was pending: its handlers never run", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const events: CallbackEvent[] = [];
    const base = await serve({ record: () => gate }, (e) => events.push(e));
    const { port } = new URL(base);
    const socket = connect(Number(port), "127.0.0.1");
    socket.on("error", () => {});
    await new Promise((r) => socket.once("connect", r));
    const payload = body();
    socket.write(
      `POST /api/calls HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${payload.length}\r\n\r\n${payload}`,
    );
    await new Promise((r) => setTimeout(r, 50)); // being answered: it waits for record
    socket.destroy();
    await new Promise((r) => setTimeout(r, 50));
    release();
    await new Promise((r) => setTimeout(r, 50));
    expect(events).toEqual([]);
    // the endpoint itself goes on: the next callback is taken
    const res = await fetch(`${base}/api/calls`, { method: "POST", headers: json, body: body() });
    expect(res.status).toBe(202);
    await vi.waitFor(() => expect(events).toHaveLength(1));
  });

  it("keeps no listener per request on a keep-alive connection once each is answered", async () => {
    let socketCloseListeners = 0;
    const base = await serve({ record: async () => {} });
    server!.on("request", (req: IncomingMessage) => (socketCloseListeners = req.socket.listenerCount("close")));
    const { port } = new URL(base);
    const socket = connect(Number(port), "127.0.0.1");
    let text = "";
    socket.on("data", (d) => (text += d.toString("latin1")));
    await new Promise((r) => socket.once("connect", r));
    const payload = body();
    const post = `POST /api/calls HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${payload.length}\r\n\r\n${payload}`;
    let before = 0;
    for (let n = 1; n <= 12; n++) {
      socket.write(post);
      await vi.waitFor(() => expect(text.match(/HTTP\/1\.1 202/g)).toHaveLength(n));
      if (n === 2) before = socketCloseListeners;
    }
    expect(socketCloseListeners).toBe(before); // the twelfth request found as many as the second
    socket.destroy();
  });

  it("leaves a response another middleware already answered alone, reporting nothing", async () => {
    const errors: unknown[] = [];
    const middleware = createNodeMiddleware(createCallbackHandler(), {
      dangerouslyAcceptUnverifiedCallbacks: true,
      onError: (e) => errors.push(e),
    });
    server = createServer((req, res) => {
      res.writeHead(299).end("answered elsewhere");
      middleware(req, res);
    });
    const base = await listen(server);
    const res = await fetch(`${base}/api/calls`); // a GET: the endpoint would answer 405 at once
    expect(res.status).toBe(299);
    expect(await res.text()).toBe("answered elsewhere");
    await new Promise((r) => setTimeout(r, 20));
    expect(errors).toEqual([]);
  });

  it("logs handler failures by name only when no onError is given (a message may carry callback content)", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const base = await serve({}, () => {
        throw new Error("handler broke on +12345678901");
      });
      expect((await fetch(`${base}/api/calls`, { method: "POST", headers: json, body: body() })).status).toBe(202);
      await vi.waitFor(() => expect(logged).toHaveBeenCalledTimes(1));
      expect(logged.mock.calls[0]).toEqual([
        "graph-invite-contract: callback endpoint error: AggregateError (pass onError to the endpoint to handle it)",
      ]);
    } finally {
      logged.mockRestore();
    }
  });
});

/** POST with node:http (fetch cannot send a body it is refused mid-way). Resolves the status. */
function rawPost(base: string, payload: string, withLength: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/api/calls`, {
      method: "POST",
      headers: {
        ...json,
        ...(withLength ? { "content-length": Buffer.byteLength(payload) } : { "transfer-encoding": "chunked" }),
      },
    });
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", (error) => (req.destroyed ? undefined : reject(error)));
    const chunk = 64 * 1024;
    let offset = 0;
    const pump = () => {
      while (offset < payload.length) {
        const ok = req.write(payload.slice(offset, (offset += chunk)));
        if (!ok) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}
