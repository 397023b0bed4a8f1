// The reference docs (docs/reference/), generated from the TSDoc of the five entries by TypeDoc with
// typedoc-plugin-markdown (typedoc.json), committed like generated/ and drift-checked in npm test.
//   node scripts/docs/reference.mjs           rewrite docs/reference/ (part of `npm run api:update`)
//   node scripts/docs/reference.mjs --check   regenerate into .tmp/ and fail, naming the files, when
//                                             docs/reference/ differs (`npm run check:reference`)
// TypeDoc rather than API Extractor's api-documenter: one model holds all five subpath entries and
// links across them (the /node middleware's options link into the main entry), where api-documenter
// documents one entry per package; jose, one of the libraries this one is read beside, publishes its
// docs/ the same way.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Application } from "typedoc";
import { root } from "../generate/spec.mjs";
import { staleFiles } from "../lib/stale-files.mjs";

export const REFERENCE_DIR = join(root, "docs/reference");

/**
 * Writes the reference into `out` (emptied first); throws on a TypeDoc error.
 * @param {"Warn" | "Error"} logLevel
 */
export async function generateReference(out = REFERENCE_DIR, logLevel = "Warn") {
  rmSync(out, { recursive: true, force: true });
  const app = await Application.bootstrapWithPlugins({ options: join(root, "typedoc.json"), out, logLevel });
  const project = await app.convert();
  if (!project || app.logger.hasErrors()) throw new Error("reference: TypeDoc could not convert the entries");
  await app.generateOutputs(project);
  if (app.logger.hasErrors()) throw new Error("reference: TypeDoc could not write the docs");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!process.argv.includes("--check")) {
    await generateReference();
    console.log("docs/reference/ written");
  } else {
    mkdirSync(join(root, ".tmp"), { recursive: true });
    const fresh = mkdtempSync(join(root, ".tmp/reference-"));
    try {
      await generateReference(fresh, "Error");
      const stale = staleFiles(REFERENCE_DIR, fresh);
      if (stale.length > 0) {
        console.error("docs/reference/ is stale; run `npm run api:update` and commit. Differs:");
        for (const f of stale) console.error(`  ${f}`);
        process.exit(1);
      }
      console.log("docs/reference/ is up to date");
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  }
}
