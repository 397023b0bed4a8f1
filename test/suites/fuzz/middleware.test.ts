// Fuzz: createNodeMiddleware on arbitrary methods, content types, declared lengths, tokens and
// bodies, in process (no sockets, so 100,000 cases fit in `npm run fuzz`). Each request gets the
// status a simple model predicts, never a 500; a 202 dispatches exactly the parsed events, once;
// a 400 names its issues without echoing more than 20 of them.
import { EventEmitter } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createCallbackHandler, parseCommsNotifications, type CallbackEvent } from "../../../src/index.js";
import { createNodeMiddleware } from "../../../src/node/index.js";
import { docsPayloads } from "../../fixtures/docs.js";
import { fuzzAsync } from "../../support/fuzz.js";
import { expectNoPollution, hostileBytes, nearJsonText } from "../../support/hostile.js";

const LIMIT = 4096;
const GOOD_TOKEN = "Bearer good";
const callbacks = docsPayloads.filter((p) => p.kind.startsWith("notification")).map((p) => p.json);

interface Sent {
  method: string;
  contentType: string | undefined;
  contentLength: string | undefined;
  authorization: string | undefined;
  body: Uint8Array;
}

const body = fc.oneof(
  fc.constantFrom(...callbacks).map((c) => new Uint8Array(Buffer.from(JSON.stringify(c)))),
  ...callbacks.slice(0, 3).map((c) => nearJsonText(c).map((t) => new Uint8Array(Buffer.from(t)))),
  ...callbacks.slice(0, 2).map(hostileBytes),
  fc.nat({ max: 3 * LIMIT }).map((n) => new Uint8Array(n).fill(0x20)),
);
const sent: fc.Arbitrary<Sent> = fc.record({
  method: fc.oneof(
    { weight: 4, arbitrary: fc.constant("POST") },
    { weight: 1, arbitrary: fc.constantFrom("GET", "PUT", "post", "OPTIONS") },
  ),
  contentType: fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom("application/json", "application/json; charset=utf-8", "Application/JSON ;x=1"),
    },
    { weight: 1, arbitrary: fc.constantFrom(undefined, "text/plain", "application/jsonx", "", ";application/json") },
  ),
  contentLength: fc.oneof(
    fc.constant(undefined),
    fc.constant("exact"),
    fc.nat({ max: 2 * LIMIT }).map(String),
    fc.constantFrom("abc", "-1", "1e9"),
  ),
  authorization: fc.oneof(
    { weight: 4, arbitrary: fc.constant(GOOD_TOKEN) },
    { weight: 1, arbitrary: fc.constantFrom(undefined, "Bearer bad", "", "Basic x") },
  ),
  body,
});

/** What the middleware must answer, by the documented order of checks. */
function expectedStatus(s: Sent, declared: number): number {
  if (s.method !== "POST") return 405;
  const type = (s.contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") return 415;
  if (Number.isFinite(declared) && declared > LIMIT) return 413;
  if (s.authorization !== GOOD_TOKEN) return 401;
  if (s.body.length > LIMIT) return 413;
  try {
    parseCommsNotifications(s.body);
    return 202;
  } catch {
    return 400;
  }
}

interface Answer {
  status: number;
  body: string;
}

/** An IncomingMessage and a ServerResponse with just what the middleware uses. */
function exchange(s: Sent, contentLength: string | undefined) {
  const req = Readable.from(s.body.length ? [Buffer.from(s.body)] : []) as unknown as IncomingMessage;
  const headers: Record<string, string> = {};
  if (s.contentType !== undefined) headers["content-type"] = s.contentType;
  if (contentLength !== undefined) headers["content-length"] = contentLength;
  if (s.authorization !== undefined) headers.authorization = s.authorization;
  Object.assign(req, { method: s.method, url: "/api/calls", headers });
  let answer!: (a: Answer) => void;
  const answered = new Promise<Answer>((resolve) => (answer = resolve));
  const res = Object.assign(new EventEmitter(), {
    headersSent: false,
    statusCode: 0,
    writeHead(status: number) {
      Object.assign(res, { statusCode: status, headersSent: true });
      return res;
    },
    end(text: string) {
      answer({ status: res.statusCode, body: text });
      res.emit("finish");
      return res;
    },
  });
  return { req, res: res as unknown as ServerResponse, answered };
}

describe("createNodeMiddleware under fuzz", () => {
  it("answers every request with the status the model predicts, and dispatches each valid callback once", async () => {
    let dispatched: Array<readonly CallbackEvent[]> = [];
    const handler = createCallbackHandler();
    handler.dispatch = async (events) => void dispatched.push(events);
    const errors: unknown[] = [];
    const middleware = createNodeMiddleware(handler, {
      maxBodyBytes: LIMIT,
      verify: (header) => {
        if (header !== GOOD_TOKEN) throw new Error("refused");
        return true;
      },
      onError: (error) => errors.push(error),
    });
    await fuzzAsync(
      "createNodeMiddleware (in process)",
      sent,
      async (s) => {
        dispatched = [];
        const contentLength = s.contentLength === "exact" ? String(s.body.length) : s.contentLength;
        const { req, res, answered } = exchange(s, contentLength);
        middleware(req, res);
        const { status, body: text } = await answered;
        expect(status).toBe(expectedStatus(s, Number(contentLength)));
        await new Promise((r) => setImmediate(r));
        if (status === 202) {
          expect(dispatched).toEqual([parseCommsNotifications(s.body)]);
        } else {
          expect(dispatched).toEqual([]);
        }
        if (status === 400) {
          const { error } = JSON.parse(text) as { error: { issueCount: number; issues: unknown[] } };
          expect(error.issueCount).toBeGreaterThan(0);
          expect(error.issues.length).toBe(Math.min(error.issueCount, 20));
        }
        expect(errors).toEqual([]);
        expectNoPollution();
      },
      1500,
    );
  });
});
