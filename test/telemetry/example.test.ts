// docs/observability.md's runnable example, run as a reader would: spans and metrics on the console,
// the logger's records, the invite settled. (vitest's global setup has built dist/.)
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";

it("runs docs/examples/observability-console.mjs: the invite, callback and settle spans, the metrics, the log records", () => {
  const root = join(import.meta.dirname, "../..");
  const run = spawnSync(process.execPath, ["docs/examples/observability-console.mjs"], {
    cwd: root,
    encoding: "utf8",
    timeout: 30_000,
  });
  expect(run.status, run.stderr).toBe(0);
  const out = run.stdout + run.stderr;
  for (const span of ["invite", "callback", "settle"]) expect(out).toContain(`name: '${span}'`);
  expect(out).toMatch(/kind: 2,[\s\S]*name: 'invite'|name: 'invite'[\s\S]*kind: 2/); // CLIENT
  for (const metric of ["graph_invite.invites", "graph_invite.callback.duration", "graph_invite.settle.duration"])
    expect(out).toContain(`name: '${metric}'`);
  expect(out).toContain("event: 'graph_invite.invite.sent'");
  expect(out).toMatch(/invite [0-9a-f-]{36}: completed/);
}, 40_000);
