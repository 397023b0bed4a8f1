// npm start's demo (scripts/tools/demo.mjs), run as a user would: it finishes well under 30 s, tells the
// whole story, and leaves no Prism process behind. (vitest's global setup has built dist/.)
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";

it("runs the invite and callback story against the mock and stops it", () => {
  const root = join(import.meta.dirname, "..");
  const started = Date.now();
  const run = spawnSync(process.execPath, ["scripts/tools/demo.mjs"], { cwd: root, encoding: "utf8", timeout: 30_000 });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  expect(Date.now() - started).toBeLessThan(30_000);
  const out = run.stdout;
  expect(out.match(/200 OK {2}operation /g)).toHaveLength(4);
  expect(out.match(/Location: https:\/\/graph\.microsoft\.com\//g)).toHaveLength(4);
  expect(out).toContain("callback: operation (id null: correlated by clientContext) completed");
  expect(out).toContain('callback: operation failed, resultInfo {"code":412,"subcode":9999');
  expect(out).toContain(
    "refused locally, nothing sent: /participants/1/replacesCallId replacesCallId.singleParticipant",
  );
  expect(out).toContain("A callback without a valid token is refused: 401");
  const pid = Number(/Prism \(pid (\d+)\) and the receiver are stopped/.exec(out)?.[1]);
  expect(pid).toBeGreaterThan(0);
  expect(() => process.kill(pid, 0)).toThrow(); // no such process
}, 40_000);
