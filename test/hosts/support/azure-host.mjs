// A stand-in for the Azure Functions host, which cannot run here: it serves the recipe's exported
// function on 127.0.0.1:PORT, handing it a real HttpRequest of @azure/functions (the class the host
// builds) and writing back the HttpResponseInit it returns. Argument: the recipe module's path.
import { createServer } from "node:http";
import functions from "@azure/functions"; // CommonJS, whose HttpRequest Node cannot see as a named export

const { HttpRequest } = functions;

const { calls } = await import(process.argv[2]);
createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const request = new HttpRequest({
    method: req.method,
    url: `http://127.0.0.1:${process.env.PORT}${req.url}`,
    headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
    body: { bytes: Buffer.concat(chunks) },
  });
  const answer = await calls(request, {});
  res.writeHead(answer.status ?? 200, answer.headers ?? {}).end(answer.body ?? "");
}).listen(Number(process.env.PORT), "127.0.0.1");
