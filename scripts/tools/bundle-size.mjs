// What a program costs its users in bytes: an esbuild bundle (minified, code split as an app's
// bundler splits it), gzip. "loaded" is what runs the program's own path: the entry and every chunk
// it imports statically, each gzipped as it is fetched; "lazy" is the chunks behind import() (the
// invite client's refusal report), which load only when one is needed. Used by the bench's size
// rows and by the budget test in npm test, so both measure the same thing.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = new URL("../..", import.meta.url).pathname;

/** Bundles `source` (an ES module) and measures it: `{ loaded, lazy }`, each `{ min, gzip, files }`. */
export async function bundleSize(source) {
  const dir = mkdtempSync(join(tmpdir(), "gic-bundle-size-"));
  try {
    const entry = join(dir, "entry.mjs");
    writeFileSync(entry, source);
    const result = await build({
      absWorkingDir: dir,
      entryPoints: [entry],
      bundle: true,
      minify: true,
      splitting: true,
      format: "esm",
      platform: "node",
      outdir: join(dir, "out"),
      write: false,
      metafile: true,
      nodePaths: [join(root, "node_modules")],
      logLevel: "silent",
    });
    const contents = new Map(result.outputFiles.map((f) => [relative(dir, f.path), f.contents]));
    const outputs = result.metafile.outputs;
    const [start] = Object.keys(outputs).filter((name) => outputs[name].entryPoint);
    const loaded = new Set();
    const visit = (name) => {
      if (loaded.has(name)) return;
      loaded.add(name);
      for (const i of outputs[name].imports) if (i.kind === "import-statement" && !i.external) visit(i.path);
    };
    visit(start);
    /** @param {string} name */
    const bytesOf = (name) => {
      const bytes = contents.get(name);
      if (!bytes) throw new Error(`bundle-size: esbuild wrote no ${name}`);
      return bytes;
    };
    /** @param {string[]} names */
    const measure = (names) => ({
      min: names.reduce((n, name) => n + bytesOf(name).length, 0),
      gzip: names.reduce((n, name) => n + gzipSync(bytesOf(name), { level: 9 }).length, 0),
      files: names.length,
    });
    const js = Object.keys(outputs).filter((name) => name.endsWith(".js"));
    return { loaded: measure([...loaded]), lazy: measure(js.filter((name) => !loaded.has(name))) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
