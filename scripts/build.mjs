// npm run build: the package's dist/, as ES modules and as CommonJS.
// - ESM: tsc, one file per module (dist/src, dist/generated), with declarations.
// - CommonJS: esbuild, one bundle per entry (dist/cjs/*.cjs). jose is bundled in: it ships ESM only,
//   which require() cannot load before Node 20.19 and Jest's CommonJS mode cannot load at all.
//   The declarations are tsc's, copied under dist/cjs/, whose package.json makes them CommonJS.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { root } from "./generate/spec.mjs";

/** Entry name → source: the package's `exports` (the CLI is ESM only). */
export const ENTRIES = { index: "src/index.ts", types: "src/types.ts", node: "src/node/index.ts" };

export async function buildPackage() {
  const dist = join(root, "dist");
  rmSync(dist, { recursive: true, force: true });
  execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
    cwd: root,
    stdio: "inherit",
  });

  const cjs = join(dist, "cjs");
  await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, source]) => [name, source])),
    outdir: cjs,
    outExtension: { ".js": ".cjs" },
    bundle: true,
    format: "cjs",
    platform: "neutral",
    target: "es2022",
    mainFields: ["module", "main"],
    external: ["openapi-fetch", "node:*"],
    logLevel: "warning",
  });
  for (const tree of ["src", "generated"]) {
    cpSync(join(dist, tree), join(cjs, tree), { recursive: true, filter: (path) => !/\.js$/.test(path) });
  }
  writeFileSync(join(cjs, "package.json"), `${JSON.stringify({ type: "commonjs" }, null, 2)}\n`);
  return readdirSync(cjs);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  mkdirSync(join(root, "dist"), { recursive: true });
  console.log(`built dist/ (cjs: ${(await buildPackage()).join(", ")})`);
}
