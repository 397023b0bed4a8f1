// A node:http server on 127.0.0.1 that plays Graph for the client tests: each request is recorded
// (method, url, headers, body) and answered by the next handler in line (the last one repeats).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { afterEach } from "vitest";
import { listen } from "../support/listen.js";

export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  at: number;
}
export type Handler = (res: ServerResponse, req: IncomingMessage, attempt: number) => void;

const open: Server[] = [];
afterEach(async () => {
  const servers = open.splice(0);
  await Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

export async function loopback(...handlers: Handler[]): Promise<{ base: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body, at: performance.now() });
      handlers[Math.min(seen.length, handlers.length) - 1]!(res, req, seen.length);
    });
  });
  open.push(server);
  return { base: await listen(server), seen, server };
}

/** An answer with a JSON (or other) body. */
export const reply =
  (status: number, body: unknown = "", headers: Record<string, string> = {}): Handler =>
  (res) =>
    res
      .writeHead(status, { "content-type": "application/json", ...headers })
      .end(typeof body === "string" ? body : JSON.stringify(body));
