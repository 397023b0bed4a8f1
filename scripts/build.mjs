// npm run build: the package's dist/, one file per entry and format, laid out by entry rather than
// by this repo's folders:
//   dist/index.js  types.js  node.js  cli.js  chunks/   ES modules (esbuild, code shared in chunks)
//   dist/index.cjs types.cjs node.cjs                    CommonJS, one bundle per entry; jose is
//                                                        bundled in (it ships ES modules only, which
//                                                        require() cannot load before Node 20.19), and
//                                                        so is openapi-fetch: its CommonJS build sets
//                                                        exports.default, which esbuild's Node-mode
//                                                        interop (this package is "type": "module")
//                                                        skips, so `createClient` came out undefined.
//                                                        @opentelemetry/api stays external in both: the
//                                                        application's one copy must be the one its SDK
//                                                        registers with, and its CommonJS build has named
//                                                        exports, which require() interop reads right
//   dist/index.d.ts types.d.ts node.d.ts (and .d.cts)    declarations, one rollup per entry (API Extractor)
// tsc writes the per-file declarations the rollups start from into .tmp/dts/ (the API report reads them too).
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Extractor, ExtractorConfig, ExtractorLogLevel } from "@microsoft/api-extractor";
import { build } from "esbuild";
import { root } from "./generate/spec.mjs";

/** Entry name → source: the package's `exports`. */
export const ENTRIES = {
  index: "src/index.ts",
  types: "src/types.ts",
  node: "src/node/index.ts",
  testing: "src/testing/index.ts",
  redis: "src/redis/index.ts",
  graph: "src/graph/index.ts",
};
const CLI = "src/cli/bin.ts";
const dist = join(root, "dist");
const declarations = join(root, ".tmp/dts");

/** One declaration file for `entry`, from tsc's per-file declarations. */
function rollUp(name, entry) {
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: root,
      mainEntryPointFilePath: join(declarations, entry.replace(/\.ts$/, ".d.ts")),
      compiler: { tsconfigFilePath: join(root, "tsconfig.build.json") },
      apiReport: { enabled: false, reportFileName: "<unscopedPackageName>.api.md" },
      docModel: { enabled: false },
      tsdocMetadata: { enabled: false },
      dtsRollup: { enabled: true, untrimmedFilePath: join(dist, `${name}.d.ts`) },
      messages: {
        compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Warning } },
        extractorMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
        tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
      },
    },
    configObjectFullPath: join(root, "api-extractor.json"),
    packageJsonFullPath: join(root, "package.json"),
  });
  const result = Extractor.invoke(config, {
    localBuild: true,
    messageCallback: (m) => (m.handled = m.category !== "Compiler"),
  });
  if (!result.succeeded) throw new Error(`build: the ${name} declarations did not roll up`);
  // The same declarations for require(): TypeScript reads a .d.cts as CommonJS.
  copyFileSync(join(dist, `${name}.d.ts`), join(dist, `${name}.d.cts`));
}

export async function buildPackage() {
  rmSync(dist, { recursive: true, force: true });
  rmSync(declarations, { recursive: true, force: true });
  const tsc = join(root, "node_modules/typescript/bin/tsc");
  execFileSync(
    process.execPath,
    [tsc, "-p", "tsconfig.build.json", "--emitDeclarationOnly", "--outDir", declarations],
    {
      cwd: root,
      stdio: "inherit",
    },
  );
  /** @type {import("esbuild").BuildOptions} */
  const common = {
    absWorkingDir: root,
    bundle: true,
    platform: "neutral",
    target: "es2022",
    mainFields: ["module", "main"],
    logLevel: "warning",
  };
  await build({
    ...common,
    entryPoints: { ...ENTRIES, cli: CLI },
    outdir: dist,
    format: "esm",
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    external: ["jose", "openapi-fetch", "ioredis", "@opentelemetry/api", "node:*"],
  });
  await build({
    ...common,
    entryPoints: ENTRIES,
    outdir: dist,
    format: "cjs",
    outExtension: { ".js": ".cjs" },
    // ioredis stays external: its module.exports is the client class itself, which Node-mode interop reads right.
    external: ["ioredis", "@opentelemetry/api", "node:*"],
  });
  for (const [name, entry] of Object.entries(ENTRIES)) rollUp(name, entry);
  return readdirSync(dist);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  mkdirSync(dist, { recursive: true });
  console.log(`built dist/: ${(await buildPackage()).join(", ")}`);
}
