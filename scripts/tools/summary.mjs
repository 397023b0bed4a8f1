// npm run summary: a summary of the contract in openapi.yaml (operations, schemas, rules).
import { loadSpec } from "../generate/spec.mjs";

const spec = loadSpec();
const out = [];
out.push(`${spec.info.title} ${spec.info.version} (OpenAPI ${spec.openapi})`, "");

out.push("Operations:");
for (const [path, item] of Object.entries(spec.paths)) {
  for (const [method, op] of Object.entries(item)) {
    if (method === "parameters") continue;
    const statuses = Object.keys(op.responses).join(" ");
    out.push(
      `  ${method.toUpperCase()} ${path}  ${op.operationId}${op.deprecated ? " (deprecated)" : ""}  -> ${statuses}`,
    );
  }
}
out.push("", "Webhooks (callbacks Graph posts to the bot):");
for (const [name, item] of Object.entries(spec.webhooks)) {
  const body = item.post.requestBody.content["application/json"];
  out.push(`  ${name}: POST ${body.schema.$ref.split("/").pop()}, ${Object.keys(body.examples).length} docs examples`);
}
const schemas = spec.components.schemas;
out.push("", `Schemas (${Object.keys(schemas).length}): ${Object.keys(schemas).join(", ")}`);
out.push("", "Documented rules of the request body (x-invite-rules) and the layer that carries each:");
for (const rule of schemas.InvitePostRequestBody["x-invite-rules"]) {
  const text = rule.rule.trim().split("\n").join(" ");
  out.push(`  ${rule.id.padEnd(38)} ${rule.carriedBy.join("+").padEnd(15)} ${text}`);
}
console.log(out.join("\n"));
