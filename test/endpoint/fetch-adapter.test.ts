// createFetchHandler: the Fetch-API endpoint's decisions, with real Request/Response objects.
import { describe, expect, it, vi } from "vitest";
import {
  createCallbackHandler,
  createFetchHandler,
  type CallbackEndpointCommonOptions,
  type CallbackEvent,
  type CustomVerifyAuth,
  type FetchHandlerOptions,
} from "../../src/index.js";
import { docsPayload } from "../fixtures/docs.js";
import { createKit } from "../telemetry/harness.js";

const URL_ = "https://bot.example/api/calls";
const body = () => JSON.stringify(docsPayload(1, "notification-operation-completed"));
const post = (init: RequestInit = {}, url = URL_) =>
  new Request(url, { method: "POST", headers: { "content-type": "application/json" }, body: body(), ...init });
/** A JSON POST whose body is `stream` (fetch needs `duplex: "half"` for a stream body). */
const postStream = (stream: ReadableStream<Uint8Array>) => post({ body: stream, duplex: "half" } as RequestInit);

/** The common options, a `verify` or else no verification, and `waitUntil`. */
type Options = CallbackEndpointCommonOptions & Pick<FetchHandlerOptions, "waitUntil"> & Partial<CustomVerifyAuth>;

function endpoint(options: Options = {}, onEvent: (e: CallbackEvent) => unknown = () => {}) {
  const handler = createCallbackHandler().on("*", async (e) => void (await onEvent(e)));
  const { verify, ...common } = options;
  return createFetchHandler(
    handler,
    verify ? { ...common, verify } : { ...common, dangerouslyAcceptUnverifiedCallbacks: true },
  );
}

describe("createFetchHandler", () => {
  it("answers 202 and runs the handlers after the answer, handing their work to waitUntil", async () => {
    const events: CallbackEvent[] = [];
    const work: Array<Promise<unknown>> = [];
    const res = await endpoint({}, (e) => events.push(e))(post(), { waitUntil: (p) => work.push(p) });
    expect(res.status).toBe(202);
    expect(events).toHaveLength(0); // not yet: the answer comes first
    expect(work).toHaveLength(1);
    await work[0];
    expect(events[0]).toMatchObject({ kind: "operation", status: "completed" });
  });

  it("without any waitUntil (Deno, Bun, Node), runs the handlers after the 202 all the same, reporting nothing", async () => {
    const events: CallbackEvent[] = [];
    const errors: unknown[] = [];
    const res = await endpoint({ onError: (e) => errors.push(e) }, (e) => events.push(e))(post());
    expect(res.status).toBe(202);
    await vi.waitFor(() => expect(events).toHaveLength(1));
    expect(errors).toEqual([]);
  });

  it("a waitUntil that throws (a detached ctx.waitUntil): the 202 stands, the handlers run, onError hears of it", async () => {
    const events: CallbackEvent[] = [];
    const errors: unknown[] = [];
    const settled: string[] = [];
    const replayGuard = {
      claim: () =>
        Promise.resolve({
          state: "new" as const,
          acknowledge: () => void settled.push("acknowledge"),
          release: () => void settled.push("release"),
        }),
      size: 0,
    };
    const res = await endpoint({ replayGuard, onError: (e) => errors.push(e) }, (e) => events.push(e))(post(), {
      waitUntil() {
        throw new TypeError("Illegal invocation");
      },
    });
    expect(res.status).toBe(202);
    await vi.waitFor(() => expect(events).toHaveLength(1));
    expect(errors).toEqual([new TypeError("Illegal invocation")]);
    expect(settled).toEqual(["acknowledge"]); // acknowledged once, never released after it
  });

  it("uses the waitUntil option when the request brings no context", async () => {
    const work: Array<Promise<unknown>> = [];
    const res = await endpoint({ waitUntil: (p) => work.push(p) })(post());
    expect(res.status).toBe(202);
    expect(work).toHaveLength(1);
  });

  it("answers 202 before a slow handler finishes", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let finished = false;
    const work: Array<Promise<unknown>> = [];
    const handle = endpoint({}, async () => {
      await gate;
      finished = true;
    });
    expect((await handle(post(), { waitUntil: (p) => work.push(p) })).status).toBe(202);
    expect(finished).toBe(false);
    release();
    await work[0];
    expect(finished).toBe(true);
  });

  it("maps each refusal to its status, with Graph's error body", async () => {
    const handle = endpoint({ maxBodyBytes: 1000 });
    const cases: Array<[string, Request, number, string | null]> = [
      ["GET", new Request(URL_), 405, "MethodNotAllowed"],
      ["text/plain", post({ headers: { "content-type": "text/plain" } }), 415, "UnsupportedMediaType"],
      [
        "no Content-Type",
        new Request(URL_, { method: "POST", body: new TextEncoder().encode(body()) }),
        415,
        "UnsupportedMediaType",
      ],
      ["another path", post({}, "https://bot.example/other"), 404, "NotFound"],
      ["Content-Length over the limit", post({ body: "x".repeat(2000) }), 413, "PayloadTooLarge"],
      ["not JSON", post({ body: "{" }), 400, "InvalidNotification"],
      [
        "no body",
        new Request(URL_, { method: "POST", headers: { "content-type": "application/json" } }),
        400,
        "InvalidNotification",
      ],
    ];
    for (const [name, request, status, code] of cases) {
      const res = await handle(request);
      expect(res.status, name).toBe(status);
      expect(res.headers.get("content-type"), name).toBe("application/json");
      expect(((await res.json()) as { error: { code: string } }).error.code, name).toBe(code);
    }
    expect((await handle(new Request(URL_))).headers.get("allow")).toBe("POST");
    // a declared size over the limit closes: the host need not take the rest; the message names the limit
    const tooLarge = await handle(post({ body: "x".repeat(2000) }));
    expect(tooLarge.headers.get("connection")).toBe("close");
    expect(await tooLarge.json()).toEqual({
      error: { code: "PayloadTooLarge", message: "The body exceeds 1000 bytes." },
    });
    // a body of exactly maxBodyBytes is within it
    const exact = body();
    const declared = { "content-type": "application/json", "content-length": String(exact.length) };
    expect((await endpoint({ maxBodyBytes: exact.length })(post({ headers: declared, body: exact }))).status).toBe(202);
  });

  it("does not trust a Content-Length that is no number: the body is judged by its bytes", async () => {
    const handle = endpoint({ maxBodyBytes: 100_000 });
    const declared = (length: string, text = body()) =>
      post({ headers: { "content-type": "application/json", "content-length": length }, body: text });
    expect((await handle(declared("Infinity"))).status).toBe(202);
    expect((await handle(declared("lots"))).status).toBe(202);
    expect((await handle(declared("Infinity", " ".repeat(100_001)))).status).toBe(413); // read, and stopped at the limit
  });

  it("stops reading a streamed body past the limit (413), without buffering the rest", async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024));
        if (pulled > 10_000) controller.close();
      },
    });
    const request = postStream(stream);
    const res = await endpoint({ maxBodyBytes: 8 * 1024 })(request);
    expect(res.status).toBe(413);
    expect(pulled).toBeLessThan(20);
  });

  it("answers 408 when the body stops arriving, within timeoutMs, and cancels it", async () => {
    let cancelled = false;
    const stalled = new ReadableStream<Uint8Array>({
      start: (c) => c.enqueue(new TextEncoder().encode('{"value":[')),
      cancel: () => void (cancelled = true),
    });
    const request = postStream(stalled);
    const kit = createKit();
    try {
      const res = await endpoint({ timeoutMs: 200, telemetry: kit.telemetry })(request);
      expect(res.status).toBe(408);
      expect(res.headers.get("connection")).toBe("close");
      expect(cancelled).toBe(true);
      expect(kit.spansNamed("callback")[0]!.attributes["graph_invite.callback.reason"]).toBe("read_timeout");
    } finally {
      await kit.shutdown();
    }
  });

  it("answers 408 to a body that never ends, and neither records nor dispatches what had arrived", async () => {
    const events: CallbackEvent[] = [];
    const recorded: CallbackEvent[][] = [];
    const endless = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new TextEncoder().encode(body())) });
    const request = postStream(endless);
    const work: Array<Promise<unknown>> = [];
    const res = await endpoint({ timeoutMs: 100, record: (e) => void recorded.push(e) }, (e) => events.push(e))(
      request,
      { waitUntil: (p) => work.push(p) },
    );
    expect(res.status).toBe(408);
    await new Promise((r) => setTimeout(r, 50));
    await Promise.all(work);
    expect(recorded).toEqual([]);
    expect(events).toEqual([]);
  });

  it("answers a step that never settles no sooner than timeoutMs, and within 1.5 × timeoutMs", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "Date"] });
    try {
      let status: number | undefined;
      const answered = endpoint({ timeoutMs: 200, record: () => new Promise(() => {}), onError: () => {} })(
        post(),
      ).then((res) => (status = res.status));
      await vi.advanceTimersByTimeAsync(199);
      expect(status).toBeUndefined();
      await vi.advanceTimersByTimeAsync(101);
      expect(status).toBe(503);
      await answered;
    } finally {
      vi.useRealTimers();
    }
  });

  it("runs where timers are numbers, not objects to unref (Workers, browsers)", async () => {
    const timers = new Map<number, ReturnType<typeof setInterval>>();
    const { setInterval: realSet, clearInterval: realClear } = globalThis;
    vi.stubGlobal("setInterval", (run: () => void, ms: number) => {
      const id = timers.size + 1;
      timers.set(id, realSet(run, ms));
      return id;
    });
    vi.stubGlobal("clearInterval", (id: number) => {
      realClear(timers.get(id));
      timers.delete(id);
    });
    try {
      const recorded: CallbackEvent[][] = [];
      const handle = endpoint({ timeoutMs: 100, record: async (e) => void recorded.push(e) });
      expect((await handle(post())).status).toBe(202);
      expect(recorded).toHaveLength(1);
      await vi.waitFor(() => expect(timers.size).toBe(0)); // and the sweep stops when nothing waits
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("answers 400 with the first issues of a malformed callback", async () => {
    const bad = docsPayload(1, "notification-operation-completed") as { value: Array<Record<string, unknown>> };
    bad.value[0]!.changeType = "renamed";
    const res = await endpoint()(post({ body: JSON.stringify(bad) }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: {
        code: "InvalidNotification",
        message: "The body is not a valid commsNotifications payload.",
        issueCount: 1,
        issues: [{ path: "/value/0/changeType", rule: "schema" }],
      },
    });
    // a hostile body cannot buy a large answer: the count, and the first 20 issues only
    const many = docsPayload(1, "notification-operation-completed") as { value: Array<Record<string, unknown>> };
    many.value = Array.from({ length: 30 }, () => ({ ...bad.value[0] }));
    const capped = (await (await endpoint()(post({ body: JSON.stringify(many) }))).json()) as {
      error: { issueCount: number; issues: unknown[] };
    };
    expect(capped.error.issueCount).toBe(30);
    expect(capped.error.issues).toHaveLength(20);
  });

  it("without onError, logs a handler's failure by its name only (a message may carry callback content)", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const work: Array<Promise<unknown>> = [];
      const res = await endpoint({}, () => {
        throw new Error("handler broke on +12345678901");
      })(post(), { waitUntil: (p) => work.push(p) });
      expect(res.status).toBe(202);
      await Promise.all(work);
      expect(logged.mock.calls).toEqual([
        ["graph-invite-contract: callback endpoint error: AggregateError (pass onError to the endpoint to handle it)"],
      ]);
    } finally {
      logged.mockRestore();
    }
  });

  it("refuses with 401 when verify throws or rejects, before reading the body, and never echoes the token", async () => {
    const read = vi.fn();
    const guarded = (request: Request) =>
      new Request(request, {
        body: new ReadableStream({ pull: (c) => (read(), c.close()) }, { highWaterMark: 0 }),
        duplex: "half",
      } as RequestInit);
    for (const verify of [
      () => {
        throw new Error("bad sig");
      },
      () => Promise.reject(new Error("bad sig")),
    ]) {
      const res = await endpoint({ verify })(
        guarded(post({ headers: { "content-type": "application/json", authorization: "Bearer secret.token.x" } })),
      );
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe("Bearer");
      expect(await res.text()).not.toContain("secret");
    }
    expect(read).not.toHaveBeenCalled();
    const seen: Array<string | undefined> = [];
    const ok = await endpoint({ verify: (h) => seen.push(h) })(
      post({ headers: { "content-type": "application/json", authorization: "Bearer a.b.c" } }),
    );
    expect(ok.status).toBe(202);
    expect(seen).toEqual(["Bearer a.b.c"]);
  });

  it("acknowledges only what record() recorded: 503 with Retry-After when it fails, and no handler runs", async () => {
    const events: CallbackEvent[] = [];
    const errors: unknown[] = [];
    const recordedFails = endpoint(
      { record: () => Promise.reject(new Error("Redis is away")), onError: (e) => errors.push(e) },
      (e) => events.push(e),
    );
    const refused = await recordedFails(post());
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("5");
    expect(errors).toEqual([new Error("Redis is away")]);
    const recorded: CallbackEvent[][] = [];
    const work: Array<Promise<unknown>> = [];
    const ok = await endpoint({ record: async (e) => void recorded.push(e) }, (e) => events.push(e))(post(), {
      waitUntil: (p) => work.push(p),
    });
    expect(ok.status).toBe(202);
    await Promise.all(work);
    expect(recorded).toHaveLength(1);
    expect(events).toHaveLength(1); // only the recorded callback reached the handlers
  });

  it("takes any path with path: null (the host routes to it)", async () => {
    expect((await endpoint({ path: null })(post({}, "https://bot.example/functions/calls"))).status).toBe(202);
    expect((await endpoint({ path: "/cb" })(post({}, "https://bot.example/cb?x=1"))).status).toBe(202);
  });

  it("reports handler failures to onError, never to Graph", async () => {
    const errors: unknown[] = [];
    const work: Array<Promise<unknown>> = [];
    const res = await endpoint({ onError: (e) => errors.push(e) }, () => {
      throw new Error("handler broke");
    })(post(), { waitUntil: (p) => work.push(p) });
    expect(res.status).toBe(202);
    await work[0];
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(AggregateError);
  });

  it("answers 400 to a body stream that fails (the client went away), without reporting a handler failure", async () => {
    const errors: unknown[] = [];
    const broken = new ReadableStream({ pull: (c) => c.error(new Error("connection reset")) });
    const request = postStream(broken);
    const res = await endpoint({ onError: (e) => errors.push(e) })(request);
    expect(res.status).toBe(400);
    expect(errors).toEqual([]);
  });
});
