// Step: validate the 3.0 derivative and generate a typescript-fetch client with openapi-generator,
// offline. @openapitools/openapi-generator-cli (2.x wrapper) reads openapitools.json, whose
// `storageDir` + `version` name the jar bundled in the npm alias `openapi-generator-cli-jar`
// (1.0.18-5.0.0-beta2), so the wrapper finds it and never downloads one.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import YAML from "yaml";
import { root } from "./spec.mjs";

const wrapper = join(root, "node_modules/@openapitools/openapi-generator-cli/main.js");

/**
 * Runs the wrapper with a `java` shim first on PATH that logs the command line it is given, and
 * returns { stdout, javaCommands }. Throws with the wrapper's output when it fails.
 */
export function runGenerator(args, { env = {} } = {}) {
  const shimDir = mkdtempSync(join(tmpdir(), "java-shim-"));
  const realJava = execFileSync("sh", ["-c", "command -v java"], { encoding: "utf8" }).trim();
  const shim = join(shimDir, "java");
  writeFileSync(shim, `#!/bin/sh\necho "[openapi-generator] java $*" >&2\nexec "${realJava}" "$@"\n`);
  chmodSync(shim, 0o755);
  try {
    const run = spawnSync(process.execPath, [wrapper, ...args], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, PWD: root, PATH: `${shimDir}:${process.env.PATH}`, ...env },
    });
    const javaCommands = run.stderr.split("\n").filter((l) => l.startsWith("[openapi-generator] java "));
    if (run.status !== 0) {
      throw new Error(`openapi-generator ${args[0]} failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
    }
    return { stdout: run.stdout, javaCommands };
  } finally {
    rmSync(shimDir, { recursive: true, force: true });
  }
}

const PRIMITIVE = new Set(["string", "integer", "number", "boolean"]);

/**
 * A union of primitive schemas (ResultInfo's `code`: Int32 or Int32String) becomes an untyped
 * property: generator 5.0.0-beta2 writes such a union's members as values (`number`, `stringFromJSON`),
 * which does not compile. The client passes the value through as it came.
 */
function untypePrimitiveUnions(node, schemas) {
  if (Array.isArray(node)) return node.forEach((n) => untypePrimitiveUnions(n, schemas));
  if (!node || typeof node !== "object") return;
  const primitive = (b) => PRIMITIVE.has((b.$ref ? schemas[b.$ref.replace("#/components/schemas/", "")] : b)?.type);
  for (const key of ["anyOf", "oneOf"]) {
    if (Array.isArray(node[key]) && node[key].every(primitive)) delete node[key];
  }
  Object.values(node).forEach((n) => untypePrimitiveUnions(n, schemas));
}

/**
 * The derivative as an HTTP client sees it: paths and the component schemas they reach. Callback
 * payloads are received, not called, and generator 5.0.0-beta2 cannot emit their `oneOf` of an
 * entity and an array (it writes `Array<X>FromJSON`, which does not compile), nor a union of
 * primitives (untypePrimitiveUnions).
 */
export function clientView(spec) {
  const view = structuredClone(spec);
  delete view["x-webhooks"];
  const schemas = view.components.schemas;
  const reached = new Set();
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== "object") return;
    const name = typeof node.$ref === "string" && node.$ref.match(/^#\/components\/schemas\/(.+)$/)?.[1];
    if (name && !reached.has(name)) {
      reached.add(name);
      visit(schemas[name]);
    }
    Object.values(node).forEach(visit);
  };
  visit({ paths: view.paths, rest: { ...view.components, schemas: undefined } });
  view.components.schemas = Object.fromEntries(Object.entries(schemas).filter(([name]) => reached.has(name)));
  untypePrimitiveUnions(view.components.schemas, schemas);
  return view;
}

/** Generates the client from `outDir`/openapi.3.0.yaml into `clientDir`/typescript-fetch (test-only output). */
export async function generateTypescriptFetch(outDir, clientDir) {
  const spec = relative(root, join(outDir, "openapi.3.0.yaml"));
  const output = relative(root, join(clientDir, "typescript-fetch"));
  rmSync(join(root, output), { recursive: true, force: true });
  const validate = runGenerator(["validate", "-i", spec]);
  const view = join(outDir, ".client-view.openapi.3.0.yaml");
  writeFileSync(view, YAML.stringify(clientView(YAML.parse(readFileSync(join(root, spec), "utf8")))));
  try {
    const generate = runGenerator([
      "generate",
      "-g",
      "typescript-fetch",
      "-i",
      relative(root, view),
      "-o",
      output,
      "--additional-properties=supportsES6=true,typescriptThreePlus=true",
    ]);
    // Show what actually ran: the wrapper's `java -jar <local jar> validate|generate` lines.
    for (const line of [...validate.javaCommands, ...generate.javaCommands]) {
      if (/ (validate|generate) /.test(line)) console.log(line);
    }
  } finally {
    rmSync(view, { force: true });
  }
}
