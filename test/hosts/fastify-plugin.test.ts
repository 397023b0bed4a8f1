// graphCallbacksFastify on a real Fastify 5 app: encapsulated (the app's own JSON route keeps Fastify's
// parser), the endpoint's own decisions on its route (413 before buffering, 415), and a registration
// without a way to verify fails app.ready(), not the first callback.
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { createCallbackHandler } from "../../src/index.js";
import { graphCallbacksFastify } from "../../src/node/index.js";

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe("graphCallbacksFastify", () => {
  it("takes callbacks on its route and leaves the app's own routes to Fastify's JSON parser", async () => {
    const received: string[] = [];
    const handler = createCallbackHandler().on("*", (event) => void received.push(event.kind));
    app = Fastify();
    app.post("/echo", async (request) => ({ parsed: request.body }));
    await app.register(graphCallbacksFastify, {
      handler,
      dangerouslyAcceptUnverifiedCallbacks: true,
      maxBodyBytes: 512,
    });
    const base = await app.listen({ port: 0, host: "127.0.0.1" });
    const post = (path: string, body: string, type = "application/json") =>
      fetch(`${base}${path}`, { method: "POST", headers: { "content-type": type }, body });

    const echo = await post("/echo", '{"a":1}');
    expect(await echo.json()).toEqual({ parsed: { a: 1 } });
    const callback = JSON.stringify({
      value: [{ changeType: "updated", resourceUrl: "/communications/calls/c/participants", resourceData: [] }],
    });
    expect((await post("/api/calls", callback)).status).toBe(202);
    expect((await post("/api/calls", JSON.stringify({ value: [], pad: "x".repeat(600) }))).status).toBe(413);
    expect((await post("/api/calls", "x", "text/plain")).status).toBe(415);
    expect((await fetch(`${base}/api/calls`)).status).toBe(405);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(received).toEqual(["roster"]);
  });

  it("fails app.ready() when it is given no way to verify callbacks, or a bad path", async () => {
    app = Fastify();
    await expect(app.register(graphCallbacksFastify, { handler: createCallbackHandler() })).rejects.toThrow(
      /needs a way to verify callbacks/,
    );
    await app.close();
    app = Fastify();
    await expect(
      app.register(graphCallbacksFastify, { handler: createCallbackHandler(), appId: "a", path: "api" }),
    ).rejects.toThrow(/`path` must be a route path/);
    await app.close();
    app = Fastify();
    await expect(
      app.register(graphCallbacksFastify, {
        handler: createCallbackHandler(),
        appId: "a",
        path: 42 as unknown as string,
      }),
    ).rejects.toThrow(new TypeError("graphCallbacksFastify: `path` must be a route path starting with /"));
  });

  it("refuses options that are not an object with a TypeError saying what to pass", async () => {
    const expected = new TypeError("graphCallbacksFastify: pass the options ({ handler, appId, ... })");
    app = Fastify();
    // From JavaScript, register() hands a string over as it is (it turns only a missing one into {}).
    await expect(app.register(graphCallbacksFastify, "handler" as never)).rejects.toThrow(expected);
    // Called directly, as a plugin is a function.
    await expect(graphCallbacksFastify(app, null as never)).rejects.toThrow(expected);
  });

  it("takes its route from `path`, under the plugin's prefix", async () => {
    app = Fastify();
    await app.register(graphCallbacksFastify, {
      handler: createCallbackHandler(),
      dangerouslyAcceptUnverifiedCallbacks: true,
      path: "/graph/callbacks",
      prefix: "/bot",
      logLevel: "warn",
    });
    const base = await app.listen({ port: 0, host: "127.0.0.1" });
    const post = (path: string) =>
      fetch(`${base}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"value":[]}',
      });
    expect((await post("/bot/graph/callbacks")).status).toBe(202);
    expect((await post("/api/calls")).status).toBe(404);
  });
});
