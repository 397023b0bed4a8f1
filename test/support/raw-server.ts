// Servers on real sockets for what a redis-server cannot be: one that accepts and never answers
// (a Redis that never becomes ready, a stalled command), and one that answers everything with the
// same kind of bytes (a server that is not Redis, a proxy with an answer of its own).
import { createServer, type Socket } from "node:net";

export interface RawServer {
  port: number;
  /** Stops listening and ends every connection it holds. */
  close(): Promise<void>;
}

/**
 * Listens on a free port of 127.0.0.1. `answer` gets each chunk a client sends and returns what to
 * write back (nothing, or no `answer` at all: it stays silent).
 */
export async function rawServer(answer?: (chunk: string) => string | undefined): Promise<RawServer> {
  const held = new Set<Socket>();
  const server = createServer((socket) => {
    held.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => held.delete(socket));
    socket.on("data", (chunk) => {
      const reply = answer?.(chunk.toString());
      if (reply) socket.write(reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of held) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
