// The TSDoc syntax rule (eslint-plugin-tsdoc, `tsdoc/syntax`, for src/ only): the comments TypeDoc
// renders into docs/reference/ must parse as TSDoc. Probes through ESLint as `npm run lint` runs it.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const lint = (filename: string, text: string) => {
  const eslint = join(root, "node_modules/eslint/bin/eslint.js");
  const run = spawnSync(process.execPath, [eslint, "--stdin", "--stdin-filename", filename, "--format", "json"], {
    cwd: root,
    encoding: "utf8",
    input: text,
  });
  const [result] = JSON.parse(run.stdout) as Array<{ messages: Array<{ ruleId: string; message: string }> }>;
  return result!.messages.filter((m) => m.ruleId === "tsdoc/syntax").map((m) => m.message.split(":")[0]);
};
const probe = (comment: string) => `${comment}\nexport const probe = 1;\n`;

describe("TSDoc syntax in src/", () => {
  it("refuses a comment TSDoc cannot parse", () => {
    expect(lint("src/probe.ts", probe("/** The entity its @odata.type selects. */"))).toEqual([
      "tsdoc-characters-after-block-tag",
    ]);
    expect(lint("src/probe.ts", probe("/** Unclosed {@link createInviteClient */"))).toEqual([
      "tsdoc-inline-tag-missing-right-brace",
    ]);
  });

  it("passes TSDoc with TypeDoc's tags, and leaves comments outside src/ alone", () => {
    const good =
      "/**\n * The entity its `@odata.type` selects.\n * @defaultValue 5000\n * @example\n * ```ts\n * probe;\n * ```\n */";
    expect(lint("src/probe.ts", probe(good))).toEqual([]);
    expect(lint("test/probe.ts", probe("/** The entity its @odata.type selects. */"))).toEqual([]);
  });
});
