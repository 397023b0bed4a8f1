// npm run check:generated: regenerate into a temporary folder and compare with what is committed
// (generated/, and the tests' generated client under test/generated/client/). Fails, naming the
// files, when either is stale (spec or generator changed without `npm run generate`).
import { mkdtempSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { staleFiles } from "../lib/stale-files.mjs";
import { CLIENT_DIR, generateAll } from "./index.mjs";
import { root } from "./spec.mjs";

// Inside the repo so the generator sees the same relative layout; .tmp-generated-* is git-ignored.
const fresh = mkdtempSync(join(root, ".tmp-generated-"));
try {
  await generateAll(join(fresh, "generated"), join(fresh, "client"));
  const stale = [
    ...staleFiles(join(root, "generated"), join(fresh, "generated")),
    ...staleFiles(CLIENT_DIR, join(fresh, "client")),
  ];
  if (stale.length > 0) {
    console.error("generated files are stale; run `npm run generate` and commit. Differs:");
    for (const f of stale) console.error(`  ${f}`);
    process.exit(1);
  }
  console.log(`generated/ and ${relative(root, CLIENT_DIR)}/ are up to date`);
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
