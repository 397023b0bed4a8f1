// The size budget in npm test: the bench's budget row (bench/size.mjs, measured on the built dist/):
// a program that validates and sends one invite with createInviteClient, bundled by esbuild, minified
// and gzipped, stays within 10 kB. `npm run bench` reports the same row beside bare openapi-fetch.
import { expect, it } from "vitest";
import { benchSize } from "../../bench/size.mjs";

const BUDGET_BYTES = 10 * 1024;

it("keeps the invite-only bundle within 10,240 B gzip", async () => {
  const rows = await benchSize();
  const budgeted = rows.filter((r) => r.target !== null);
  expect(budgeted.map((r) => [r.name, r.target])).toEqual([
    ["createInviteClient (validates + sends)", "≤ 10,240 B gzip"],
  ]);
  const [invite] = budgeted;
  expect(invite!.value, `${invite!.value} B gzip`).toBeLessThanOrEqual(BUDGET_BYTES);
  expect(invite!.meets).toBe(true);
});
