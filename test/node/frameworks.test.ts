// createNodeMiddleware in the setups users write first, with the real frameworks: Express 5 behind
// express.json() or express.raw(), under a mount path; Fastify 5 through the documented recipe.
// A body some middleware already consumed gets a clear 500 naming the fix, never a hang.
import type { Server } from "node:http";
import express from "express";
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createCallbackHandler, type CallbackEvent } from "../../src/index.js";
import { createNodeMiddleware } from "../../src/node/index.js";
import { docsPayload } from "../fixtures/docs.js";
import { listen } from "../support/listen.js";

let server: Server | undefined;
let fastify: FastifyInstance | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await fastify?.close();
  server = undefined;
  fastify = undefined;
});

function middleware(events: CallbackEvent[] = []) {
  return createNodeMiddleware(
    createCallbackHandler().on("*", (e) => void events.push(e)),
    { dangerouslyAcceptUnverifiedCallbacks: true },
  );
}

const callback = () => JSON.stringify(docsPayload(1, "notification-operation-completed"));
const post = (url: string, body = callback()) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    signal: AbortSignal.timeout(5_000),
  });

async function serveExpress(setup: (app: express.Express) => void) {
  const app = express();
  setup(app);
  server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server!.once("listening", r));
  const address = server.address() as { port: number };
  return `http://127.0.0.1:${address.port}`;
}

describe("Express 5", () => {
  it("works behind app.use(express.json()), using the parsed body", async () => {
    const events: CallbackEvent[] = [];
    const base = await serveExpress((app) => {
      app.use(express.json());
      app.use(middleware(events));
    });
    const res = await post(`${base}/api/calls`);
    expect(res.status).toBe(202);
    await vi.waitFor(() => expect(events).toHaveLength(1));
    expect(events[0]).toMatchObject({ kind: "operation", status: "completed" });
  });

  it("works behind express.raw(), using the raw bytes", async () => {
    const events: CallbackEvent[] = [];
    const base = await serveExpress((app) => {
      app.use(express.raw({ type: "application/json" }));
      app.use(middleware(events));
    });
    expect((await post(`${base}/api/calls`)).status).toBe(202);
    await vi.waitFor(() => expect(events).toHaveLength(1));
  });

  it("works under a mount path (app.use('/api/calls', middleware)), where Express strips req.url", async () => {
    const events: CallbackEvent[] = [];
    const base = await serveExpress((app) => app.use("/api/calls", middleware(events)));
    expect((await post(`${base}/api/calls`)).status).toBe(202);
    await vi.waitFor(() => expect(events).toHaveLength(1));
  });

  it("still answers 400 for a malformed body a parser already read, and passes other paths on", async () => {
    const base = await serveExpress((app) => {
      app.use(express.json());
      app.use(middleware());
      app.use((_req, res) => void res.status(299).end("next"));
    });
    const res = await post(`${base}/api/calls`, JSON.stringify({ value: [{ changeType: "renamed" }] }));
    expect(res.status).toBe(400);
    expect((await post(`${base}/elsewhere`)).status).toBe(299);
  });

  it("answers a clear 500 (never a hang) when a middleware consumed the body without leaving req.body", async () => {
    const base = await serveExpress((app) => {
      app.use((req, _res, next) => {
        req.resume();
        req.on("end", () => next());
      });
      app.use(middleware());
    });
    const res = await post(`${base}/api/calls`);
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({
      error: { code: "EndpointMisconfigured", message: expect.stringContaining("express.json()") },
    });
  });
});

describe("Fastify 5", () => {
  it("works through the documented recipe: hijack the reply, hand over the raw request with Fastify's parsed body", async () => {
    const events: CallbackEvent[] = [];
    const callbacks = middleware(events);
    fastify = Fastify();
    fastify.post("/api/calls", (request, reply) => {
      reply.hijack();
      callbacks(Object.assign(request.raw, { body: request.body }), reply.raw);
    });
    const base = await fastify.listen({ port: 0, host: "127.0.0.1" });
    const res = await post(`${base}/api/calls`);
    expect(res.status).toBe(202);
    await vi.waitFor(() => expect(events).toHaveLength(1));
    expect((await post(`${base}/api/calls`, "{}")).status).toBe(400);
  });

  it("answers a clear 500, not a hang, when handed request.raw alone (Fastify already read the body)", async () => {
    const callbacks = middleware();
    fastify = Fastify();
    fastify.post("/api/calls", (request, reply) => {
      reply.hijack();
      callbacks(request.raw, reply.raw);
    });
    const base = await fastify.listen({ port: 0, host: "127.0.0.1" });
    const res = await post(`${base}/api/calls`);
    expect(res.status).toBe(500);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("EndpointMisconfigured");
  });
});

describe("node:http", () => {
  it("still reads the body itself when nothing read it first", async () => {
    const { createServer } = await import("node:http");
    const events: CallbackEvent[] = [];
    server = createServer(middleware(events));
    const base = await listen(server);
    expect((await post(`${base}/api/calls`)).status).toBe(202);
    await vi.waitFor(() => expect(events).toHaveLength(1));
  });
});
