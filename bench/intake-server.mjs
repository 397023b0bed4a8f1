// A callback endpoint for the intake benchmark, in its own process: `ours` (createNodeMiddleware
// with a dispatching handler) or `bare` (node:http that only JSON.parses the body). Prints its port.
import { createServer } from "node:http";
import { createCallbackHandler } from "../dist/index.js";
import { createNodeMiddleware } from "../dist/node.js";

let dispatched = 0;
const handler = createCallbackHandler().on("*", () => void dispatched++);
// Without token verification: this row measures intake itself (parse, validate, dispatch).
const ours = createNodeMiddleware(handler, { dangerouslyAcceptUnverifiedCallbacks: true });
const bare = (req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString("utf8"));
      res.writeHead(202).end();
    } catch {
      res.writeHead(400).end();
    }
  });
};
const server = createServer(process.argv[2] === "ours" ? ours : bare);
server.listen(0, "127.0.0.1", () => console.log(/** @type {import("node:net").AddressInfo} */ (server.address()).port));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
