// `pretest` (so `npm test` runs it first; also `npm run install:runtimes`): installs test/runtimes, the
// other Node versions and Deno the runtime matrix runs on. Not `prepare`: npm runs that on every
// install from git, and a consumer's install must not run this repo's test setup. Idempotent: it
// installs only what is missing, so the second `npm test` does nothing here. A package of its own, so their `node` binaries are not linked into the root's
// node_modules/.bin, where npm scripts would run them instead of the project's own node, and so the
// root lock holds no platform-specific package.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "./generate/spec.mjs";

const dir = join(root, "test/runtimes");
const { devDependencies } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
const missing = Object.keys(devDependencies).filter(
  (name) => !existsSync(join(dir, "node_modules", name, "package.json")),
);
if (missing.length > 0) {
  const npm = process.env.npm_execpath;
  const [command, args] = npm ? [process.execPath, [npm]] : ["npm", []];
  execFileSync(command, [...args, "ci", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: dir, stdio: "inherit" });
}
