// Shared by the generator steps and checks: where the spec is, how to read it, and its schemas
// as one JSON Schema document.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const specPath = resolve(root, "openapi.yaml");
export const SCHEMAS_ID = "https://graph-invite-contract.dev/schemas";

export function loadSpec(path = specPath) {
  return YAML.parse(readFileSync(path, "utf8"));
}

/** The spec's component schemas as one JSON Schema document, `$ref`s pointing into `$defs`. */
export function schemaBundle(spec) {
  const text = JSON.stringify(spec.components.schemas).replaceAll('"#/components/schemas/', '"#/$defs/');
  return { $id: SCHEMAS_ID, $defs: JSON.parse(text) };
}
