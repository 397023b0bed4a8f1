// Shared by the scripts that write measured figures into the README (bench, reliability):
// number formatting, the environment line, and the README block between two markers.
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { root } from "./spec.mjs";

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

/** Replaces the README's text between `<!-- name:start -->` and `<!-- name:end -->`; false when the markers are missing. */
export function writeReadmeBlock(name, content) {
  const path = `${root}/README.md`;
  const readme = readFileSync(path, "utf8");
  const marked = new RegExp(`<!-- ${name}:start -->[\\s\\S]*<!-- ${name}:end -->`);
  if (!marked.test(readme)) return false;
  writeFileSync(
    path,
    readme.replace(marked, () => `<!-- ${name}:start -->\n${content}\n<!-- ${name}:end -->`),
  );
  return true;
}
