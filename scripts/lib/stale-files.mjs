// Shared by the drift checks (generated code: scripts/generate/check.mjs; the reference docs:
// scripts/docs/reference.mjs): which files of a committed folder differ from a fresh copy.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { root } from "../generate/spec.mjs";

function listFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

/** The files that differ between a committed folder and its fresh copy, named from the repo root. */
export function staleFiles(committed, fresh) {
  const a = listFiles(committed);
  const b = listFiles(fresh);
  return [...new Set([...a, ...b])]
    .filter(
      (f) => !a.includes(f) || !b.includes(f) || !readFileSync(join(committed, f)).equals(readFileSync(join(fresh, f))),
    )
    .map((f) => join(relative(root, committed), f));
}
