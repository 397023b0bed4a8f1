// Vitest global setup: build dist/ first, so the CLI tests spawn the bin as it is now.
import { execFileSync } from "node:child_process";
import { join } from "node:path";

export default function build(): void {
  const root = join(import.meta.dirname, "../..");
  execFileSync(process.execPath, [join(root, "scripts/build.mjs")], { cwd: root, stdio: "inherit" });
}
