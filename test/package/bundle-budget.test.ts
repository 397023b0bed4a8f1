// The size budget in npm test: the bench's own row (bench/size.mjs, measured on the built dist/): a
// program that validates and sends one invite with createInviteClient from graph-invite-contract/graph,
// bundled by esbuild (code split), minified and gzipped, loads at most 10 kB to send a valid invite.
// `npm run bench` holds the same row to its tighter target (8,000 B) and says met or missed.
import { expect, it } from "vitest";
import { benchSize } from "../../bench/size.mjs";

const BUDGET_BYTES = 10 * 1024;

it("keeps the invite-only bundle within 10,240 B gzip", async () => {
  const rows = await benchSize();
  const invite = rows.find((r) => r.name === "createInviteClient from /graph (validates + sends)");
  expect(invite, rows.map((r) => r.name).join(", ")).toBeDefined();
  expect(invite!.value, `${invite!.value} B gzip`).toBeLessThanOrEqual(BUDGET_BYTES);
});
