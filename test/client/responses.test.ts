// Every answer Graph may send to an invite. participant-invite.md: 200 with Location and the
// operation; Graph's long-running-operations pattern: 202 Accepted with Location and no body. An
// accepted invite is never reported as a failure (the caller would invite twice).
import { describe, expect, it } from "vitest";
import {
  createInviteClient,
  createOperationTracker,
  GraphRequestError,
  invitePhone,
  parseCommsNotifications,
} from "../../src/index.js";
import { docsPayload } from "../fixtures/docs.js";
import { loopback, reply } from "./loopback.js";

const PHONE = "+12345678901";
const OPERATION = docsPayload(4, "response") as { id: string };
const LOCATION = "https://graph.microsoft.com/v1.0/communications/calls/c/operations/op-9";

const inviteAgainst = async (...handlers: Parameters<typeof loopback>) => {
  const graph = await loopback(...handlers);
  const client = createInviteClient({ baseUrl: `${graph.base}/v1.0`, getToken: () => "t" });
  return { graph, result: client.invite("c", invitePhone(PHONE, { clientContext: "ctx-202" })) };
};

describe("successful answers", () => {
  it("a 202 with an empty body is accepted: the operation is not known yet, with Location and request id", async () => {
    const { result, graph } = await inviteAgainst((res) =>
      res.writeHead(202, { location: LOCATION, "request-id": "r-202" }).end(),
    );
    await expect(result).resolves.toEqual({
      status: null,
      location: LOCATION,
      clientContext: "ctx-202",
      requestId: "r-202",
      httpStatus: 202,
    });
    expect(graph.seen).toHaveLength(1); // not retried
  });

  it("a 200 without a body, a 204, and a chunked empty 202 are accepted the same way", async () => {
    const answers = [
      (res: Parameters<Parameters<typeof loopback>[0]>[0]) => res.writeHead(200, { "content-length": "0" }).end(),
      (res: Parameters<Parameters<typeof loopback>[0]>[0]) => res.writeHead(204).end(),
      (res: Parameters<Parameters<typeof loopback>[0]>[0]) => {
        res.writeHead(202, { "transfer-encoding": "chunked" });
        res.end();
      },
    ];
    for (const [i, answer] of answers.entries()) {
      const { result } = await inviteAgainst(answer);
      await expect(result, String(i)).resolves.toMatchObject({
        status: null,
        location: null,
        clientContext: "ctx-202",
      });
      expect((await result).operation, String(i)).toBeUndefined();
    }
  });

  it("a 202 with an operation body returns the operation, with the real status", async () => {
    const { result } = await inviteAgainst(reply(202, OPERATION, { location: LOCATION }));
    await expect(result).resolves.toMatchObject({ operation: OPERATION, status: "running", httpStatus: 202 });
  });

  it("an accepted invite is tracked by its clientContext: the final callback settles it", async () => {
    const { result } = await inviteAgainst((res) => res.writeHead(202).end());
    const tracker = createOperationTracker({ timeoutMs: 5_000 });
    const tracked = tracker.track(await result);
    const callback = structuredClone(docsPayload(4, "notification-operation-completed")) as {
      value: Array<{ resourceData: { clientContext: string } }>;
    };
    callback.value[0]!.resourceData.clientContext = "ctx-202";
    tracker.observe(parseCommsNotifications(JSON.stringify(callback)));
    await expect(tracked).resolves.toMatchObject({ status: "completed", clientContext: "ctx-202" });
    tracker.close();
  });
});

describe("request ids and bodies that are not what they say", () => {
  it("takes the request id from the error's innerError when no header carries it", async () => {
    const body = { error: { code: "Forbidden", message: "m", innerError: { "request-id": "inner-1", date: "d" } } };
    const { result } = await inviteAgainst(reply(403, body));
    await expect(result).rejects.toMatchObject({ reason: "error_status", status: 403, requestId: "inner-1" });
    const lower = { error: { code: "Forbidden", message: "m", innererror: { "request-id": "inner-2" } } };
    const second = await inviteAgainst(reply(403, lower));
    await expect(second.result).rejects.toMatchObject({ requestId: "inner-2" });
    const header = await inviteAgainst(reply(403, body, { "request-id": "header-1" }));
    await expect(header.result).rejects.toMatchObject({ requestId: "header-1" }); // the header first
  });

  it("a 200 with an HTML body is not_json with status 200, and does not quote the body", async () => {
    const { result } = await inviteAgainst((res) =>
      res
        .writeHead(200, { "content-type": "text/html; charset=utf-8", "request-id": "r-html" })
        .end("<html><body>Sign in to continue +12345678901</body></html>"),
    );
    const error = (await result.catch((e: unknown) => e)) as GraphRequestError;
    expect(error).toBeInstanceOf(GraphRequestError);
    expect(error).toMatchObject({ reason: "not_json", status: 200, requestId: "r-html" });
    expect(error.message).toBe("HTTP 200 OK: the invite response is not JSON (text/html)");
    expect(JSON.stringify({ ...error, message: error.message, cause: String(error.cause) })).not.toContain("Sign in");
  });

  it("a 202 whose body is not JSON is not_json with status 202", async () => {
    const { result } = await inviteAgainst((res) => res.writeHead(202, { "content-type": "text/plain" }).end("queued"));
    await expect(result).rejects.toMatchObject({ reason: "not_json", status: 202 });
  });
});
