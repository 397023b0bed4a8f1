// Shared by the runners that write measured figures into the docs (bench: docs/benchmarks.md,
// reliability: docs/reliability.md): number formatting, the environment line, and the block between
// two markers.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
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

/**
 * Replaces the text of docs/`file` between `<!-- name:start -->` and `<!-- name:end -->`. Throws when
 * the file or its markers are missing: figures are never written into a new file or dropped.
 */
export function writeDocBlock(file, name, content) {
  const path = `${root}/docs/${file}`;
  if (!existsSync(path)) throw new Error(`figures: docs/${file} does not exist; its figures were not written`);
  const doc = readFileSync(path, "utf8");
  const marked = new RegExp(`<!-- ${name}:start -->[\\s\\S]*<!-- ${name}:end -->`);
  if (!marked.test(doc))
    throw new Error(`figures: docs/${file} has no <!-- ${name}:start --> ... <!-- ${name}:end --> block to write into`);
  writeFileSync(
    path,
    doc.replace(marked, () => `<!-- ${name}:start -->\n${content}\n<!-- ${name}:end -->`),
  );
}

/**
 * Throws when a figures row names a repo file (its `file`, from the root) that does not exist:
 * figures measured on files since moved or deleted are not written again.
 * @param {string} section
 * @param {Array<{ file?: string }>} rows
 */
export function assertFilesExist(section, rows) {
  const files = rows.map((r) => r.file).filter((f) => f !== undefined && !f.endsWith("/")); // "all of src/" is a total
  const missing = files.filter((f) => !existsSync(`${root}/${f}`));
  if (missing.length > 0)
    throw new Error(
      `figures: the ${section} rows name files that do not exist (${missing.join(", ")}); measure them again`,
    );
}
