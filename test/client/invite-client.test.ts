// createInviteClient against a real local HTTP server: what goes on the wire, what comes back,
// retries, and errors that never carry the token.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import {
  createInviteClient,
  GraphRequestError,
  InviteValidationError,
  invitePhone,
  userIdentity,
  inviteParticipants,
  type InviteClientOptions,
} from "../../src/index.js";
import { docsPayload } from "../fixtures/docs.js";
import { listen } from "../support/listen.js";

const TOKEN = "secret-token-4f9a2c";
const OPERATION = docsPayload(4, "response");

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: unknown;
}
type Reply = (res: ServerResponse, attempt: number) => void;

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function graph(...replies: Reply[]) {
  const seen: Seen[] = [];
  server = createServer((req, res) => {
    let text = "";
    req.on("data", (c: Buffer) => (text += c));
    req.on("end", () => {
      seen.push({
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body: text ? JSON.parse(text) : undefined,
      });
      const reply = replies[Math.min(seen.length, replies.length) - 1]!;
      reply(res, seen.length);
    });
  });
  const base = await listen(server);
  const client = (options: Partial<InviteClientOptions> = {}) =>
    createInviteClient({ baseUrl: `${base}/v1.0`, getToken: () => TOKEN, ...options });
  return { seen, client };
}

const ok: Reply = (res) =>
  res
    .writeHead(200, {
      "content-type": "application/json",
      location: "https://graph.microsoft.com/v1.0/communications/calls/c/operations/eec3812a",
      "request-id": "req-1",
    })
    .end(JSON.stringify(OPERATION));
const status =
  (
    code: number,
    headers: Record<string, string> = {},
    body = JSON.stringify({ error: { code: "Throttled", message: "slow down" } }),
  ): Reply =>
  (res) =>
    res.writeHead(code, { "content-type": "application/json", ...headers }).end(body);

describe("what invite() sends", () => {
  it("POSTs the body to /communications/calls/{id}/participants/invite with the Bearer token", async () => {
    const { seen, client } = await graph(ok);
    const body = invitePhone("+12345678901", { clientContext: "ctx-1" });
    await client().invite("call-1", body);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      method: "POST",
      url: "/v1.0/communications/calls/call-1/participants/invite",
      body,
    });
    expect(seen[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(seen[0]!.headers["content-type"]).toBe("application/json");
    expect(seen[0]!.headers["client-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("encodes the call id as one path segment", async () => {
    const { seen, client } = await graph(ok);
    await client().invite("a/b?c#d e", invitePhone("+12345678901"));
    expect(seen[0]!.url).toBe("/v1.0/communications/calls/a%2Fb%3Fc%23d%20e/participants/invite");
  });

  it("uses the deprecated /app path when asked, and sets the User-Agent", async () => {
    const { seen, client } = await graph(ok);
    await client({ legacyAppPath: true, userAgent: "my-bot/1.0" }).invite("c", invitePhone("+12345678901"));
    expect(seen[0]!.url).toBe("/v1.0/app/calls/c/participants/invite");
    expect(seen[0]!.headers["user-agent"]).toBe("my-bot/1.0");
  });

  it("fills a missing clientContext with a fresh UUID, sends it and returns it", async () => {
    const { seen, client } = await graph(ok, ok);
    const body = inviteParticipants([userIdentity("u1")]);
    const a = await client().invite("c", body);
    const b = await client().invite("c", body);
    expect(a.clientContext).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(b.clientContext).not.toBe(a.clientContext);
    expect(seen.map((s) => (s.body as { clientContext: string }).clientContext)).toEqual([
      a.clientContext,
      b.clientContext,
    ]);
    expect(body).not.toHaveProperty("clientContext"); // the caller's body is not mutated
  });

  it("refuses a missing body as invalid, sending nothing", async () => {
    const { seen, client } = await graph(ok);
    for (const body of [undefined, null]) {
      await expect(client().invite("c", body as never), String(body)).rejects.toBeInstanceOf(InviteValidationError);
    }
    expect(seen).toHaveLength(0);
  });

  it("sends nothing for an invalid body or call id", async () => {
    const { seen, client } = await graph(ok);
    const twoWithReplaces = docsPayload(2, "request") as never;
    await expect(client().invite("c", twoWithReplaces)).rejects.toBeInstanceOf(InviteValidationError);
    await expect(client().invite("", invitePhone("+12345678901"))).rejects.toThrow(TypeError);
    await expect(client().invite("c", { participants: [], clientContext: "x".repeat(300) })).rejects.toMatchObject({
      issues: [
        { path: "/clientContext", rule: "clientContext.maxLength" },
        { path: "/participants", rule: "participants.minItems" },
      ],
    });
    expect(seen).toHaveLength(0);
  });
});

describe("what invite() returns", () => {
  it("returns the operation, Location, clientContext and request id", async () => {
    const { client } = await graph(ok);
    const result = await client().invite("c", invitePhone("+12345678901", { clientContext: "ctx" }));
    expect(result).toEqual({
      operation: OPERATION,
      status: "running",
      location: "https://graph.microsoft.com/v1.0/communications/calls/c/operations/eec3812a",
      clientContext: "ctx",
      requestId: "req-1",
      httpStatus: 200,
    });
  });
});

describe("retries", () => {
  it("retries 429 after Retry-After seconds, fetching the token again", async () => {
    let tokens = 0;
    const { seen, client } = await graph(status(429, { "retry-after": "1" }), ok);
    const started = Date.now();
    const result = await client({ getToken: () => `${TOKEN}-${++tokens}` }).invite("c", invitePhone("+12345678901"));
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(result.operation).toEqual(OPERATION);
    expect(seen.map((s) => s.headers.authorization)).toEqual([`Bearer ${TOKEN}-1`, `Bearer ${TOKEN}-2`]);
    expect(new Set(seen.map((s) => s.headers["client-request-id"])).size).toBe(1);
  });

  it("honours Retry-After as an HTTP date", async () => {
    const { seen, client } = await graph(status(503, { "retry-after": new Date(Date.now() - 1000).toUTCString() }), ok);
    await client().invite("c", invitePhone("+12345678901"));
    expect(seen).toHaveLength(2);
  });

  it("backs off exponentially without Retry-After, for 429, 503 and 504, up to maxAttempts", async () => {
    const { seen, client } = await graph(status(503), status(504), status(429));
    const error = await client({ retry: { maxAttempts: 3, baseDelayMs: 5 } })
      .invite("c", invitePhone("+12345678901"))
      .catch((e: unknown) => e);
    expect(seen).toHaveLength(3);
    expect(error).toBeInstanceOf(GraphRequestError);
    expect(error).toMatchObject({ status: 429, code: "GRAPH_REQUEST_FAILED", graphCode: "Throttled" });
  });

  it("does not wait longer than maxDelayMs: a longer Retry-After ends the retries", async () => {
    const { seen, client } = await graph(status(429, { "retry-after": "31536000" }), ok);
    const started = Date.now();
    const error = await client({ retry: { maxDelayMs: 2_000 } })
      .invite("c", invitePhone("+12345678901"))
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(seen).toHaveLength(1);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 31_536_000_000 });
  });

  it("does not wait longer than maxDelayMs even when the wait would fit in timeoutMs", async () => {
    const { seen, client } = await graph(status(503, { "retry-after": "1" }), ok);
    const started = Date.now();
    await expect(client({ retry: { maxDelayMs: 500 } }).invite("c", invitePhone("+12345678901"))).rejects.toMatchObject(
      { status: 503, retryAfterMs: 1_000 },
    );
    expect(Date.now() - started).toBeLessThan(500);
    expect(seen).toHaveLength(1);
  });

  it("does not retry a 503 whose error body is over the 64 KiB cap: too_large is final", async () => {
    const { seen, client } = await graph(status(503, { "retry-after": "0" }, "x".repeat(100 * 1024)), ok);
    await expect(client().invite("c", invitePhone("+12345678901"))).rejects.toMatchObject({
      reason: "too_large",
      status: 503,
    });
    expect(seen).toHaveLength(1);
  });

  it("stops waiting as soon as the signal aborts, and sends nothing after", async () => {
    const { seen, client } = await graph(status(429, { "retry-after": "5" }), ok);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("caller gave up")), 50);
    const started = Date.now();
    await expect(client().invite("c", invitePhone("+12345678901"), { signal: controller.signal })).rejects.toThrow(
      "caller gave up",
    );
    expect(Date.now() - started).toBeLessThan(1_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toHaveLength(1);
  });

  it("never retries 400 or 409 (an invite is not idempotent)", async () => {
    for (const code of [400, 409, 500]) {
      const { seen, client } = await graph(status(code, { "retry-after": "0" }), ok);
      await expect(client().invite("c", invitePhone("+12345678901"))).rejects.toMatchObject({ status: code });
      expect(seen, String(code)).toHaveLength(1);
      await new Promise<void>((r) => server!.close(() => r()));
      server = undefined;
    }
  });
});

describe("errors", () => {
  it("carries the OData error, the request id and the status", async () => {
    const body = {
      error: { code: "Forbidden", message: "Application is not authorized", innerError: { "request-id": "r-9" } },
    };
    const { client } = await graph(status(403, { "request-id": "r-9" }, JSON.stringify(body)));
    const error = await client()
      .invite("c", invitePhone("+12345678901"))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphRequestError);
    expect(error).toMatchObject({
      reason: "error_status",
      status: 403,
      graphCode: "Forbidden",
      requestId: "r-9",
      body,
      retryAfterMs: null,
    });
    // Graph's own message stays in `body`: it may quote what was sent
    expect((error as Error).message).toBe("HTTP 403 Forbidden: Forbidden (request-id r-9)");
  });

  it("gives a clear error for an HTML error page, an empty body, and a 200 that is not JSON", async () => {
    const html = await graph((res) =>
      res.writeHead(502, { "content-type": "text/html" }).end("<html><body>Bad gateway</body></html>"),
    );
    await expect(html.client().invite("c", invitePhone("+12345678901"))).rejects.toMatchObject({
      status: 502,
      graphCode: null,
      message: "HTTP 502 Bad Gateway: the body is not a Graph error",
    });
    await new Promise<void>((r) => server!.close(() => r()));
    const empty = await graph((res) => res.writeHead(401).end());
    await expect(empty.client().invite("c", invitePhone("+12345678901"))).rejects.toMatchObject({
      status: 401,
      message: "HTTP 401 Unauthorized: empty body",
    });
    await new Promise<void>((r) => server!.close(() => r()));
    const garbled = await graph((res) => res.writeHead(200, { "content-type": "application/json" }).end("{truncated"));
    await expect(garbled.client().invite("c", invitePhone("+12345678901"))).rejects.toBeInstanceOf(GraphRequestError);
  });

  it("never carries the token: not in the message, toString, JSON or inspect", async () => {
    const { client } = await graph(
      status(
        401,
        {},
        JSON.stringify({ error: { code: "InvalidAuthenticationToken", message: "Access token is empty." } }),
      ),
    );
    const error = await client()
      .invite("c", invitePhone("+12345678901"))
      .catch((e: unknown) => e);
    for (const text of [
      String(error),
      (error as Error).message,
      JSON.stringify(error),
      inspect(error, { depth: 10 }),
      (error as Error).stack ?? "",
    ]) {
      expect(text).not.toContain(TOKEN);
    }
  });
});

describe("network failures", () => {
  it("names the cause of a refused connection: its code, else its message", async () => {
    const closed = createServer();
    const base = await listen(closed);
    await new Promise<void>((r) => closed.close(() => r()));
    const refused = createInviteClient({ baseUrl: `${base}/v1.0`, getToken: () => TOKEN });
    await expect(refused.invite("c", invitePhone("+12345678901"))).rejects.toMatchObject({
      name: "GraphRequestError",
      reason: "network",
      status: 0,
      message: "The invite got no usable answer: fetch failed (ECONNREFUSED)",
    });
    // undici refuses port 1 itself: a cause with a message and no code
    const badPort = createInviteClient({ baseUrl: "http://127.0.0.1:1/v1.0", getToken: () => TOKEN });
    await expect(badPort.invite("c", invitePhone("+12345678901"))).rejects.toMatchObject({
      reason: "network",
      message: "The invite got no usable answer: fetch failed (bad port)",
    });
  });

  it("keeps a fetch's TypeError without a cause as it reads, and passes other errors on as they are", async () => {
    const browserLike = createInviteClient({
      baseUrl: "https://graph.example/v1.0",
      getToken: () => TOKEN,
      fetch: () => Promise.reject(new TypeError("Failed to fetch")),
    });
    const error = (await browserLike.invite("c", invitePhone("+12345678901")).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ reason: "network", message: "The invite got no usable answer: Failed to fetch" });
    expect(error.cause).toEqual(new TypeError("Failed to fetch"));
    const own = new RangeError("proxy pool exhausted");
    const failing = createInviteClient({
      baseUrl: "https://graph.example/v1.0",
      getToken: () => TOKEN,
      fetch: () => Promise.reject(own),
    });
    await expect(failing.invite("c", invitePhone("+12345678901"))).rejects.toBe(own);
  });
});

describe("invite() details", () => {
  it("retries 3 times by default, and waits a Retry-After equal to maxDelayMs", async () => {
    const storm = await graph(status(503, { "retry-after": "0" }));
    await expect(storm.client().invite("c", invitePhone("+12345678901"))).rejects.toMatchObject({ status: 503 });
    expect(storm.seen).toHaveLength(3);
    await new Promise<void>((r) => server!.close(() => r()));
    const edge = await graph(status(429, { "retry-after": "1" }), ok);
    await expect(
      edge.client({ retry: { maxDelayMs: 1000 } }).invite("c", invitePhone("+12345678901")),
    ).resolves.toMatchObject({ location: expect.any(String) });
    expect(edge.seen).toHaveLength(2);
  });

  it("sends no User-Agent of its own unless asked", async () => {
    const { seen, client } = await graph(ok);
    await client().invite("c", invitePhone("+12345678901"));
    expect(seen[0]!.headers["user-agent"]).not.toMatch(/my-bot/);
    expect(seen[0]!.headers["user-agent"]).toBeDefined();
  });

  it("refuses a blank call id with a TypeError that says so", async () => {
    const { seen, client } = await graph(ok);
    await expect(client().invite("   ", invitePhone("+12345678901"))).rejects.toThrow(
      "invite(callId, ...): callId must be a non-empty string",
    );
    await expect(client().invite(42 as never, invitePhone("+12345678901"))).rejects.toThrow(
      new TypeError("invite(callId, ...): callId must be a non-empty string"),
    );
    expect(seen).toHaveLength(0);
  });

  it("refuses a 200 whose JSON is not an operation, or not JSON, naming the status", async () => {
    for (const text of ["null", "[]", '"running"', '{"status":1}', '{"status":{}}']) {
      const { client } = await graph((res) =>
        res.writeHead(200, { "content-type": "application/json", "request-id": "r-1" }).end(text),
      );
      await expect(client().invite("c", invitePhone("+12345678901")), text).rejects.toMatchObject({
        name: "GraphRequestError",
        reason: "not_operation",
        status: 200,
        message: "HTTP 200 OK: the invite response is not an operation",
        requestId: "r-1",
      });
      await new Promise<void>((r) => server!.close(() => r()));
    }
    const { client } = await graph((res) =>
      res.writeHead(200, { "content-type": "application/json" }).end("{truncated"),
    );
    const error = (await client()
      .invite("c", invitePhone("+12345678901"))
      .catch((e: unknown) => e)) as GraphRequestError;
    // the real status, and no cause: a SyntaxError's message would quote the body
    expect(error).toMatchObject({ reason: "not_json", status: 200 });
    expect(error.message).toBe("HTTP 200 OK: the invite response is not JSON (application/json)");
    expect("cause" in error).toBe(false);
  });

  it("returns a 200 operation whose status is null or absent as running (Learn commsOperation)", async () => {
    for (const operation of [
      { ...(OPERATION as object), status: null },
      { id: "op-1", clientContext: "ctx" },
    ]) {
      const { client } = await graph((res) =>
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(operation)),
      );
      const result = await client().invite("c", invitePhone("+12345678901", { clientContext: "ctx" }));
      expect(result.status).toBe("running");
      expect(result.operation).toEqual(operation); // as Graph sent it
      await new Promise<void>((r) => server!.close(() => r()));
    }
  });

  it("reads an OData error only when code and message are both strings", async () => {
    const { client } = await graph(status(400, {}, JSON.stringify({ error: { code: "BadRequest", message: 7 } })));
    await expect(client().invite("c", invitePhone("+12345678901"))).rejects.toMatchObject({
      status: 400,
      graphCode: null,
      body: null,
      message: "HTTP 400 Bad Request: the body is not a Graph error",
    });
  });
});

describe("the token and the caller's signal", () => {
  it("rejects at once with the reason of a signal already aborted, sending nothing", async () => {
    const { seen, client } = await graph(ok);
    const reason = new Error("shutting down");
    const started = Date.now();
    await expect(
      client({ timeoutMs: 30_000 }).invite("c", invitePhone("+12345678901"), { signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(seen).toHaveLength(0);
  });

  it("bounds the whole call with the signal, getToken() included: a hung getToken() ends at the abort", async () => {
    const { seen, client } = await graph(ok);
    const started = Date.now();
    const hung = client({ getToken: () => new Promise<string>(() => {}) }).invite("c", invitePhone("+12345678901"), {
      signal: AbortSignal.timeout(100),
    });
    await expect(hung).rejects.toMatchObject({ name: "TimeoutError" });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(seen).toHaveLength(0);
  });

  it("passes getToken()'s own errors on as they are, a TypeError included", async () => {
    const { seen, client } = await graph(ok);
    const own = new TypeError("credential cache is empty");
    await expect(client({ getToken: () => Promise.reject(own) }).invite("c", invitePhone("+12345678901"))).rejects.toBe(
      own,
    );
    const thrown = new RangeError("bad scope");
    await expect(
      client({
        getToken: () => {
          throw thrown;
        },
      }).invite("c", invitePhone("+12345678901")),
    ).rejects.toBe(thrown);
    // not even an Error: a rejected string, a thrown null
    await expect(
      client({ getToken: () => Promise.reject("token endpoint down") }).invite("c", invitePhone("+12345678901")),
    ).rejects.toBe("token endpoint down");
    await expect(
      client({
        getToken: () => {
          throw null;
        },
      }).invite("c", invitePhone("+12345678901")),
    ).rejects.toBeNull();
    expect(seen).toHaveLength(0);
  });

  it("refuses a token that is empty, not a string, or not a header-safe token, before sending, without repeating it", async () => {
    const { seen, client } = await graph(ok);
    const cases: Array<[unknown, string]> = [
      ["", "empty"],
      [undefined, "not_string"],
      [42, "not_string"],
      [`${TOKEN}\nX-Injected: 1`, "illegal_characters"],
      [`${TOKEN} ${TOKEN}`, "illegal_characters"],
    ];
    for (const [token, reason] of cases) {
      const error = await client({ getToken: () => token as string })
        .invite("c", invitePhone("+12345678901"))
        .catch((e: unknown) => e);
      expect(error, String(token)).toMatchObject({ name: "GraphTokenError", reason });
      expect(inspect(error)).not.toContain(TOKEN);
    }
    expect(seen).toHaveLength(0);
  });

  it("refuses the dot-segment call ids . and .., which would leave their path segment", async () => {
    const { seen, client } = await graph(ok);
    for (const callId of [".", ".."]) {
      await expect(client().invite(callId, invitePhone("+12345678901"))).rejects.toThrow(
        new TypeError(`invite(callId, ...): callId cannot be "${callId}"`),
      );
    }
    expect(seen).toHaveLength(0);
    await client().invite(".x", invitePhone("+12345678901"));
    expect(seen[0]!.url).toBe("/v1.0/communications/calls/.x/participants/invite");
  });
});
