// invite() against a local server that misbehaves on purpose: resets, stalls, truncated and non-JSON
// bodies, 429/503 storms, a Retry-After of a year. Every call ends within its bound with a typed
// error, never sends more than maxAttempts, leaves no unhandled rejection and no timer behind.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createInviteClient, GraphRequestError, inviteParticipants, userIdentity } from "../../src/index.js";
import { docsPayload } from "../fixtures/docs.js";
import { recordFigure } from "../support/figures.js";
import { listen } from "../support/listen.js";
import { activeTimers } from "../support/timers.js";

const MAX_ATTEMPTS = 3;
const BASE_DELAY_MS = 20;
const YEAR_S = 365 * 24 * 3600;
const OPERATION = JSON.stringify(docsPayload(4, "response"));
const body = inviteParticipants([userIdentity("278405a3-f568-4b3e-b684-009193463064")], { clientContext: "faults" });

type Misbehave = (req: IncomingMessage, res: ServerResponse) => void;

interface Fault {
  name: string;
  server: Misbehave;
  /** The caller's own deadline, when the fault needs one. */
  abortAfterMs?: number;
  expected: { error: "GraphRequestError" | "TimeoutError"; status?: number; attempts: number };
  /** The call must end within this. */
  boundMs: number;
}

const json =
  (status: number, headers: Record<string, string> = {}, text = '{"error":{"code":"x","message":"y"}}'): Misbehave =>
  (_req, res) =>
    res.writeHead(status, { "content-type": "application/json", ...headers }).end(text);

const FAULTS: Fault[] = [
  {
    name: "connection reset before any answer",
    server: (req) => req.socket.resetAndDestroy(),
    expected: { error: "GraphRequestError", status: 0, attempts: 1 },
    boundMs: 2000,
  },
  {
    name: "connection closed after half the body",
    server: (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(OPERATION.length) });
      res.write(OPERATION.slice(0, OPERATION.length >> 1), () => res.socket?.destroy());
    },
    expected: { error: "GraphRequestError", status: 0, attempts: 1 },
    boundMs: 2000,
  },
  {
    name: "complete response, truncated JSON",
    server: json(200, {}, OPERATION.slice(0, 40)),
    expected: { error: "GraphRequestError", status: 200, attempts: 1 }, // not_json, with the real status
    boundMs: 2000,
  },
  {
    name: "no answer at all, past the caller's abort",
    server: () => {},
    abortAfterMs: 300,
    expected: { error: "TimeoutError", attempts: 1 },
    boundMs: 1300,
  },
  {
    name: "headers, then the body stalls past the caller's abort",
    server: (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write(OPERATION.slice(0, 20));
    },
    abortAfterMs: 300,
    expected: { error: "TimeoutError", attempts: 1 },
    boundMs: 1300,
  },
  {
    name: "HTML error page (502)",
    server: (_req, res) =>
      res.writeHead(502, { "content-type": "text/html" }).end("<html><body>Bad gateway</body></html>"),
    expected: { error: "GraphRequestError", status: 502, attempts: 1 },
    boundMs: 2000,
  },
  {
    name: "429 storm without Retry-After",
    server: json(429),
    expected: { error: "GraphRequestError", status: 429, attempts: MAX_ATTEMPTS },
    boundMs: 2000,
  },
  {
    name: "429 storm with Retry-After: 0",
    server: json(429, { "retry-after": "0" }),
    expected: { error: "GraphRequestError", status: 429, attempts: MAX_ATTEMPTS },
    boundMs: 2000,
  },
  {
    name: "503 storm with Retry-After: 1, past the caller's abort",
    server: json(503, { "retry-after": "1" }),
    abortAfterMs: 300,
    expected: { error: "TimeoutError", attempts: 1 },
    boundMs: 1300,
  },
  {
    name: "Retry-After of a year",
    server: json(503, { "retry-after": String(YEAR_S) }),
    expected: { error: "GraphRequestError", status: 503, attempts: 1 },
    boundMs: 2000,
  },
];

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => void process.on("unhandledRejection", onUnhandled));
afterAll(() => void process.off("unhandledRejection", onUnhandled));

// A server per fault, so no connection kept alive by one fault reaches the next.
let server: Server | undefined;
let attempts = 0;
afterEach(() => {
  server?.closeAllConnections();
  return new Promise<void>((r) => (server ? server.close(() => r()) : r()));
});

async function serve(misbehave: Misbehave) {
  attempts = 0;
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      attempts++;
      misbehave(req, res);
    });
  });
  const base = await listen(server);
  return (options: { getToken?: () => string | Promise<string> } = {}) =>
    createInviteClient({
      baseUrl: `${base}/v1.0`,
      getToken: () => "token",
      retry: { maxAttempts: MAX_ATTEMPTS, baseDelayMs: BASE_DELAY_MS },
      ...options,
    });
}

describe("invite() under injected faults", () => {
  it.each(FAULTS)("$name: ends in time with a typed error", async (fault) => {
    const client = (await serve(fault.server))();
    const timersBefore = activeTimers();
    const signal = fault.abortAfterMs === undefined ? undefined : AbortSignal.timeout(fault.abortAfterMs);
    const started = performance.now();
    const error = await client.invite("call-1", body, { signal }).then(
      () => null,
      (e: unknown) => e,
    );
    const elapsedMs = performance.now() - started;
    server!.closeAllConnections();
    await new Promise((r) => setTimeout(r, 20));

    expect(elapsedMs).toBeLessThan(fault.boundMs);
    expect((error as Error | null)?.name).toBe(fault.expected.error);
    if (fault.expected.error === "GraphRequestError") {
      expect(error).toBeInstanceOf(GraphRequestError);
      expect((error as GraphRequestError).status).toBe(fault.expected.status);
      expect((error as GraphRequestError).message).not.toContain("token");
    }
    expect(attempts).toBe(fault.expected.attempts);
    expect(unhandled).toEqual([]);
    expect(activeTimers()).toBeLessThanOrEqual(timersBefore);
    recordFigure("faults", {
      name: fault.name,
      attempts,
      maxAttempts: MAX_ATTEMPTS,
      elapsedMs: Math.round(elapsedMs),
      boundMs: fault.boundMs,
      error:
        fault.expected.status === undefined ? fault.expected.error : `${fault.expected.error} ${fault.expected.status}`,
    });
  });

  it("reports a year-long Retry-After instead of waiting for it", async () => {
    const client = (await serve(json(429, { "retry-after": String(YEAR_S) })))();
    const error = (await client.invite("call-1", body).catch((e: unknown) => e)) as GraphRequestError;
    expect(error.retryAfterMs).toBeGreaterThanOrEqual(YEAR_S * 1000 - 1000);
  });

  it("keeps the network error as the cause of a status-0 error", async () => {
    const client = (await serve((req) => req.socket.resetAndDestroy()))();
    const error = (await client.invite("call-1", body).catch((e: unknown) => e)) as GraphRequestError;
    expect(error.message).toMatch(/^The invite got no usable answer: fetch failed \(\w+\)$/);
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it("passes getToken's own failure through untouched, sending nothing", async () => {
    const refused = new Error("token service down");
    const client = (await serve(json(200, {}, OPERATION)))({ getToken: () => Promise.reject(refused) });
    await expect(client.invite("call-1", body)).rejects.toBe(refused);
    expect(attempts).toBe(0);
  });
});
