// Shared by the runners that write measured figures into the docs (bench: docs/benchmarks.md,
// reliability: docs/reliability.md): number formatting, the environment line, and the block between
// two markers.
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { root } from "../scripts/generate/spec.mjs";

export const fmt = (n, digits = 0) =>
  typeof n !== "number"
    ? String(n)
    : n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** When, with which Node, on what machine the figures were measured. */
export function environment() {
  return {
    date: new Date().toISOString().slice(0, 10),
    node: process.version,
    machine: `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`,
  };
}

/** Replaces the text of docs/`file` between `<!-- name:start -->` and `<!-- name:end -->`; false when the markers are missing. */
export function writeDocBlock(file, name, content) {
  const path = `${root}/docs/${file}`;
  const readme = readFileSync(path, "utf8");
  const marked = new RegExp(`<!-- ${name}:start -->[\\s\\S]*<!-- ${name}:end -->`);
  if (!marked.test(readme)) return false;
  writeFileSync(
    path,
    readme.replace(marked, () => `<!-- ${name}:start -->\n${content}\n<!-- ${name}:end -->`),
  );
  return true;
}
