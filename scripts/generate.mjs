// npm run generate [outDir]: every artefact derived from openapi.yaml, in dependency order.
// Default outDir is generated/; scripts/check-generated.mjs passes a temporary one.
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { root } from "./lib/spec.mjs";
import { generateOpenApi30 } from "./generate/openapi-3.0.mjs";
import { generateTypes } from "./generate/types.mjs";
import { generateTypescriptFetch } from "./generate/typescript-fetch.mjs";
import { generateValidators } from "./generate/validators.mjs";

export async function generateAll(outDir) {
  mkdirSync(outDir, { recursive: true });
  await generateTypes(outDir);
  await generateValidators(outDir);
  await generateOpenApi30(outDir);
  await generateTypescriptFetch(outDir); // reads openapi.3.0.yaml from outDir
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const outDir = resolve(process.argv[2] ?? resolve(root, "generated"));
  await generateAll(outDir);
  console.log(`generated ${outDir}`);
}
