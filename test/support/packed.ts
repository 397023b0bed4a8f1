// The packed package in outside projects: `npm pack` once, then a copy of a project folder with the
// tarball unpacked into its node_modules and the package's dependencies linked from this repo's
// install (no registry at test time).
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";

export const root = join(import.meta.dirname, "../..");

/** Packs the package into `dir` (without running `prepare`) and returns the tarball's path. */
export function pack(dir: string): string {
  const [packed] = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], {
      cwd: root,
      encoding: "utf8",
    }),
  ) as Array<{ filename: string }>;
  return join(dir, packed!.filename);
}

/** Copies `source` (a folder of this repo) to `dir`/`name` and installs the tarball into it; `extra` are more packages to link. */
export function installPacked(
  source: string,
  dir: string,
  name: string,
  tarball: string,
  extra: string[] = [],
): string {
  const project = join(dir, name);
  cpSync(join(root, source), project, { recursive: true });
  const installed = join(project, "node_modules/graph-invite-contract");
  mkdirSync(installed, { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", installed, "--strip-components=1"]);
  const pkg = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
  };
  for (const dep of new Set([...Object.keys(pkg.dependencies), ...extra])) {
    mkdirSync(join(project, "node_modules", dep, ".."), { recursive: true });
    symlinkSync(join(root, "node_modules", dep), join(project, "node_modules", dep), "dir");
  }
  return project;
}
