// Every example of a media type validates against its (resolved) schema with the Ajv setup the
// package's compiled validators use, so the docs' payloads are checked exactly as at run time.
import { createAjv } from "../../scripts/generate/ajv.mjs";

const ajv = createAjv();
const compiled = new WeakMap();

function validatorFor(schema) {
  if (!compiled.has(schema))
    compiled.set(schema, ajv.compile(JSON.parse(JSON.stringify(schema))) /* spectral passes proxies */);
  return compiled.get(schema);
}

export default function examplesMatchSchema(media, _options, context) {
  if (!media?.schema) return;
  const examples = Object.entries(media.examples ?? {}).map(([name, ex]) => [["examples", name, "value"], ex?.value]);
  if (media.example !== undefined) examples.push([["example"], media.example]);
  const validate = validatorFor(media.schema);
  const results = [];
  for (const [where, value] of examples) {
    if (validate(value)) continue;
    for (const err of validate.errors) {
      results.push({
        message: `example ${where.join(".")} at "${err.instancePath || "/"}" ${err.message} (${err.keyword})`,
        path: [...context.path, ...where],
      });
    }
  }
  return results;
}
