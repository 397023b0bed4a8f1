// Global setup of the tiers that use what ships (package, runtimes): build dist/ once per vitest run,
// so the bin, the demo and `npm pack` see the code as it is now. The unit tier imports src/ and
// needs no build. A run of several tiers builds once: the first setup marks the run's environment.
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const BUILT = "GRAPH_INVITE_CONTRACT_DIST_BUILT";

export default function build(): void {
  if (process.env[BUILT] === String(process.pid)) return;
  const root = join(import.meta.dirname, "../..");
  execFileSync(process.execPath, [join(root, "scripts/build.mjs")], { cwd: root, stdio: "inherit" });
  process.env[BUILT] = String(process.pid);
}
