// npm run generate [outDir]: every artefact derived from openapi.yaml, in dependency order.
// Default outDir is generated/; scripts/generate/check.mjs passes a temporary one.
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { root } from "./spec.mjs";
import { generateFastValidators } from "./fast-validators.mjs";
import { generateOpenApi30 } from "./openapi-3.0.mjs";
import { generateTypes } from "./types.mjs";
import { generateTypescriptFetch } from "./typescript-fetch.mjs";
import { generateValidators } from "./validators.mjs";

/** Where the generated client goes: only the tests use it, so it does not sit beside what ships. */
export const CLIENT_DIR = resolve(root, "test/generated/client");

export async function generateAll(outDir, clientDir = CLIENT_DIR) {
  mkdirSync(outDir, { recursive: true });
  mkdirSync(clientDir, { recursive: true });
  await generateTypes(outDir);
  await generateValidators(outDir);
  generateFastValidators(outDir);
  await generateOpenApi30(outDir);
  await generateTypescriptFetch(outDir, clientDir); // reads openapi.3.0.yaml from outDir
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const outDir = resolve(process.argv[2] ?? resolve(root, "generated"));
  await generateAll(outDir);
  console.log(`generated ${outDir}`);
}
