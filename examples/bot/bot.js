// A small calling bot: POST /invite ({ callId, userId } or { callId, phone }) invites a user or a phone
// number into a call and answers with the invite's outcome
// once Graph reports it; POST /api/calls takes Graph's callbacks (each token verified). Express 5.
// In production: createBot({ appId: process.env.BOT_APP_ID, getToken }) (Microsoft's keys, Graph v1.0);
// in tests: createBot({ ...sim.endpointOptions(), ...sim.clientOptions() }).
import express from "express";
import {
  createCallbackHandler,
  createInviteClient,
  createOperationTracker,
  GraphRequestError,
  InviteOperationFailedError,
  InviteOperationTimeoutError,
  InviteValidationError,
  inviteParticipants,
  invitePhone,
  userIdentity,
} from "graph-invite-contract";
import { createCallbackServer, createNodeMiddleware } from "graph-invite-contract/node";

/**
 * @param {{ appId: string, keys?: import("graph-invite-contract").CallbackJsonWebKeySet,
 *   getToken: () => string | Promise<string>, baseUrl?: string, timeoutMs?: number }} options
 */
export function createBot({ appId, keys, getToken, baseUrl, timeoutMs = 90_000 }) {
  const tracker = createOperationTracker({ timeoutMs });
  const handler = createCallbackHandler()
    .on("operation", (event) => tracker.observe([event]))
    .on("roster", (event) => console.log(`${event.participants.length} participant(s) in call ${event.callId}`));
  const client = createInviteClient({ getToken, ...(baseUrl ? { baseUrl } : {}) });

  const app = express();
  app.use("/api/calls", createNodeMiddleware(handler, { appId, ...(keys ? { keys } : {}) }));
  app.post("/invite", express.json(), async (req, res) => {
    const { callId, userId, phone } = req.body ?? {};
    try {
      // The builders check the body first: a bad phone number throws InviteValidationError here.
      const body = phone ? invitePhone(String(phone)) : inviteParticipants([userIdentity(String(userId))]);
      const result = await client.invite(String(callId), body);
      const operation = await tracker.track(result);
      res.json({ outcome: "completed", operationId: operation.id });
    } catch (error) {
      if (error instanceof InviteOperationFailedError)
        return void res.json({ outcome: "failed", code: error.resultInfo?.code ?? null });
      if (error instanceof InviteOperationTimeoutError) return void res.status(504).json({ outcome: "timeout" });
      if (error instanceof InviteValidationError)
        return void res.status(400).json({ outcome: "invalid", rules: error.issues.map((i) => i.rule) });
      if (error instanceof GraphRequestError)
        return void res.status(502).json({ outcome: "graph-error", status: error.status, code: error.graphCode });
      res.status(500).json({ outcome: "error" });
    }
  });

  // createCallbackServer: the limits a server on the open internet needs (not app.listen()'s defaults).
  const server = createCallbackServer(app);
  return {
    server,
    /** Listens on `port` (0: any free one) on 127.0.0.1 and resolves with the bot's base URL. */
    listen(port = 0, host = "127.0.0.1") {
      return new Promise((resolve) =>
        server.listen(port, host, () => resolve(`http://${host}:${server.address().port}`)),
      );
    },
    async close() {
      tracker.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
