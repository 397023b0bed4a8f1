// npm run check:generated: regenerate into a temporary folder and compare with what is committed
// (generated/, and the tests' generated client under test/generated/client/). Fails, naming the
// files, when either is stale (spec or generator changed without `npm run generate`).
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { CLIENT_DIR, generateAll } from "./index.mjs";
import { root } from "./spec.mjs";

function listFiles(dir) {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

/** The files that differ between a committed folder and its fresh copy, named from the repo root. */
function staleFiles(committed, fresh) {
  const a = listFiles(committed);
  const b = listFiles(fresh);
  return [...new Set([...a, ...b])]
    .filter(
      (f) => !a.includes(f) || !b.includes(f) || !readFileSync(join(committed, f)).equals(readFileSync(join(fresh, f))),
    )
    .map((f) => join(relative(root, committed), f));
}

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
