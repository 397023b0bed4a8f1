// npm run check:generated: regenerate into a temporary folder and compare with generated/.
// Fails, naming the files, when generated/ is stale (spec or generator changed without `npm run generate`).
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { root } from "./lib/spec.mjs";
import { generateAll } from "./generate.mjs";

function listFiles(dir) {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

// Inside the repo so the generator sees the same relative layout; .tmp/ is git-ignored.
const fresh = mkdtempSync(join(root, ".tmp-generated-"));
try {
  await generateAll(fresh);
  const committed = join(root, "generated");
  const a = listFiles(committed);
  const b = listFiles(fresh);
  const stale = [...new Set([...a, ...b])].filter(
    (f) => !a.includes(f) || !b.includes(f) || !readFileSync(join(committed, f)).equals(readFileSync(join(fresh, f))),
  );
  if (stale.length > 0) {
    console.error(`generated/ is stale; run \`npm run generate\` and commit. Differs:`);
    for (const f of stale) console.error(`  generated/${f}`);
    process.exit(1);
  }
  console.log(`generated/ is up to date (${a.length} files, ${relative(root, committed)}/)`);
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
