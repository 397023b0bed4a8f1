// Invite response bodies are read up to a cap (64 KiB for an error, 1 MiB for an operation),
// streamed and cancelled past it: a 100 MB body is never read whole.
import type { ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { createInviteClient, GraphRequestError, invitePhone } from "../../src/index.js";
import { createGraphClient } from "../../src/graph/index.js";
import { docsPayload } from "../fixtures/docs.js";
import { loopback, reply } from "./loopback.js";

const PHONE = "+12345678901";
const MB = 1024 * 1024;

/** Streams `total` bytes of `fill` with backpressure; resolves with how many were written before the client hung up. */
function stream(res: ServerResponse, status: number, total: number, written: { bytes: number; closed: boolean }) {
  res.writeHead(status, { "content-type": "application/json", "request-id": "r-big" });
  const chunk = Buffer.alloc(64 * 1024, "x");
  res.on("close", () => (written.closed = true));
  const pump = () => {
    while (!written.closed && written.bytes < total) {
      written.bytes += chunk.length;
      if (!res.write(chunk)) return void res.once("drain", pump);
    }
    if (!written.closed) res.end();
  };
  pump();
}

describe("bounded response reads", () => {
  it("stops reading a 100 MB error body past 64 KiB: too_large with the real status, the connection dropped", async () => {
    const written = { bytes: 0, closed: false };
    const graph = await loopback((res) => stream(res, 500, 100 * MB, written));
    const client = createInviteClient({ baseUrl: `${graph.base}/v1.0`, getToken: () => "t" });
    const error = (await client.invite("c", invitePhone(PHONE)).catch((e: unknown) => e)) as GraphRequestError;
    expect(error).toBeInstanceOf(GraphRequestError);
    expect(error).toMatchObject({ reason: "too_large", status: 500, requestId: "r-big" });
    expect(error.message).toBe("HTTP 500 Internal Server Error: the body is over 65536 bytes, not read further");
    await expect.poll(() => written.closed, { timeout: 10_000 }).toBe(true);
    // What socket buffers took before the client hung up, not the 100 MB
    expect(written.bytes).toBeLessThan(16 * MB);
  });

  it("stops reading a successful body past 1 MiB, and reads one just under it", async () => {
    const written = { bytes: 0, closed: false };
    const big = await loopback((res) => stream(res, 200, 100 * MB, written));
    const client = createInviteClient({ baseUrl: `${big.base}/v1.0`, getToken: () => "t" });
    await expect(client.invite("c", invitePhone(PHONE))).rejects.toMatchObject({
      reason: "too_large",
      status: 200,
      message: "HTTP 200 OK: the body is over 1048576 bytes, not read further",
    });
    await expect.poll(() => written.closed, { timeout: 10_000 }).toBe(true);
    expect(written.bytes).toBeLessThan(16 * MB);

    const operation = { ...(docsPayload(4, "response") as object), padding: "p".repeat(MB - 2_000) };
    const near = await loopback(reply(200, operation));
    const result = await createInviteClient({ baseUrl: `${near.base}/v1.0`, getToken: () => "t" }).invite(
      "c",
      invitePhone(PHONE),
    );
    expect(result.operation).toEqual(operation);
  });

  it("createGraphClient reads bounded too", async () => {
    const written = { bytes: 0, closed: false };
    const graph = await loopback((res) => stream(res, 503, 100 * MB, written));
    const client = createGraphClient({ baseUrl: `${graph.base}/v1.0`, getToken: () => "t" });
    await expect(
      client.POST("/communications/calls/{call-id}/participants/invite", {
        params: { path: { "call-id": "c" } },
        body: invitePhone(PHONE),
      }),
    ).rejects.toMatchObject({ reason: "too_large", status: 503 });
    await expect.poll(() => written.closed, { timeout: 10_000 }).toBe(true);
    expect(written.bytes).toBeLessThan(16 * MB);
  });
});
