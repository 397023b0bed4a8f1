// npm start's demo (scripts/tools/demo.mjs), run as a user would: it finishes well under 30 s, tells the
// whole story against the simulated Graph, and stops everything it started. (vitest's global setup
// has built dist/.)
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";

it("runs the invite and callback story against the simulated Graph and stops it", () => {
  const root = join(import.meta.dirname, "..");
  const started = Date.now();
  const run = spawnSync(process.execPath, ["scripts/tools/demo.mjs"], { cwd: root, encoding: "utf8", timeout: 30_000 });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  expect(Date.now() - started).toBeLessThan(30_000);
  const out = run.stdout;
  expect(out.match(/200 OK {2}operation [0-9a-f-]{36} {2}status Running/g)).toHaveLength(4);
  expect(
    out.match(/Location: http:\/\/127\.0\.0\.1:\d+\/v1\.0\/communications\/calls\/[^/]+\/operations\/[0-9a-f-]{36}/g),
  ).toHaveLength(4);
  expect(out).toContain("callback: operation (id null: correlated by clientContext) completed");
  expect(out).toContain('callback: operation failed, resultInfo {"code":412,"subcode":9999');
  expect(out.match(/roster update: \d participant\(s\)/g)).toHaveLength(3); // the PSTN invite gets none
  expect(out).toContain(
    "refused locally, nothing sent: /participants/1/replacesCallId replacesCallId.singleParticipant",
  );
  expect(out).toContain("A callback without a valid token is refused: 401");
  expect(out).toContain("posted and the endpoint answered: 202 202 202 202 202 202 202\n");
  expect(out).toMatch(/the simulated Graph and the endpoint are stopped\.\n$/);
});
