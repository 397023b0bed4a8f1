// Every ```ts block of README.md and docs/*.md, type-checked against the built package, so a doc
// cannot drift from the API. Each block is its own ES module in .tmp/doc-blocks/ (inside the package,
// so `graph-invite-contract` resolves through its exports map to dist/, what the tarball ships; the
// host packages from this repo's node_modules). A block may use what the page defined before it
// (`handler`, `appId`, ...): AMBIENT declares those names, once, for every block. A block that cannot
// be checked here opts out with its fence: ```ts nocheck (and says why on the page); OPTED_OUT lists
// them, so an opt-out is a reviewed decision. The host recipes also run: test/hosts/recipes.test.ts.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { root } from "../support/packed.js";

/** What the pages' blocks assume from their prose or an earlier block. */
const AMBIENT = `
import type { CallbackHandler, InviteResult, OperationTracker } from "graph-invite-contract";
declare global {
  const handler: CallbackHandler;
  const tracker: OperationTracker;
  const appId: string;
  const port: number;
  const callId: string;
  const result: InviteResult;
  const body: unknown;
  const tokenCache: { get(): string | Promise<string> };
  const getToken: () => string | Promise<string>;
  const userId: string;
  const text: string;
  const callbackUri: string;
  /** The Hono app of the block before (hosting.md's Hono on Node). */
  const app: { fetch(request: Request): Response | Promise<Response> };
  /** Cloudflare's Workers type (@cloudflare/workers-types is not installed here). */
  interface ExecutionContext { waitUntil(promise: Promise<unknown>): void; passThroughOnException(): void }
  /** Bun's global, as far as the recipe uses it (bun-types is not installed here). */
  const Bun: { serve(options: { port: number; idleTimeout?: number; maxRequestBodySize?: number; fetch(request: Request): Response | Promise<Response> }): unknown };
}
export {};
`;

/** Blocks that opt out, by page and the first line: each needs what this repo cannot install. */
const OPTED_OUT: Record<string, string[]> = {
  "docs/hosting.md": [
    'import { createFetchHandler } from "npm:graph-invite-contract";', // Deno: npm: specifiers, the Deno global
    "// app/api/calls/route.ts", // Next.js: next/server is not installed
  ],
  "docs/api.md": [
    "// call-playprompt.md: the ids as its resourceUrl spells them", // events as parsed, printed: values, not a program
  ],
};

const pages = ["README.md", ...readdirSync(join(root, "docs")).map((f) => `docs/${f}`)].filter((f) =>
  f.endsWith(".md"),
);
const fence = /^```ts( [^\n]*)?\n([\s\S]*?)^```$/gm;

interface Block {
  page: string;
  index: number;
  code: string;
  nocheck: boolean;
}
const all: Block[] = pages.flatMap((page) =>
  [...readFileSync(join(root, page), "utf8").matchAll(fence)].map((m, index) => ({
    page,
    index,
    code: m[2]!,
    nocheck: (m[1] ?? "").trim().split(/\s+/).includes("nocheck"),
  })),
);

describe("the docs' TypeScript blocks", () => {
  it("in docs/testing.md, are the complete tests npm test runs from the packed tarball", () => {
    const page = readFileSync(join(root, "docs/testing.md"), "utf8");
    for (const file of ["test/consumer/vitest/bot.test.ts", "test/consumer/jest/ts-jest/bot.test.ts"])
      expect(page).toContain("```ts\n" + readFileSync(join(root, file), "utf8") + "```\n");
  });

  it("opt out only where listed", () => {
    const opted = all.filter((b) => b.nocheck).map((b) => `${b.page}: ${b.code.split("\n")[0]}`);
    const listed = Object.entries(OPTED_OUT).flatMap(([page, firsts]) => firsts.map((f) => `${page}: ${f}`));
    expect(opted.sort()).toEqual(listed.sort());
  });

  it("type-check against the built package (every block not opted out)", () => {
    const dir = join(root, ".tmp/doc-blocks");
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "ambient.d.ts"), AMBIENT);
    const files: Record<string, Block> = {};
    for (const block of all.filter((b) => !b.nocheck)) {
      const name = `${block.page.replace(/\W+/g, "-")}-${block.index}.ts`;
      // a module of its own: names from one block do not clash with the next one's
      writeFileSync(join(dir, name), `${block.code}\nexport {};\n`);
      files[name] = block;
    }
    expect(Object.keys(files).length).toBeGreaterThan(15);
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          lib: ["ES2022", "DOM", "DOM.Iterable"],
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ["node"],
          typeRoots: [join(root, "node_modules/@types")],
          noUnusedLocals: false,
        },
        include: ["*.ts"],
      }),
    );
    const run = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", dir], {
      encoding: "utf8",
    });
    // Each error named by its page and block, not by the temporary file.
    const report = (run.stdout + run.stderr).replace(
      /(\S+?-\d+)\.ts\((\d+),\d+\)/g,
      (_, file: string, line: string) => {
        const block = files[`${file.split("/").pop()}.ts`];
        return block ? `${block.page} block ${block.index + 1}, line ${line}` : `${file}(${line})`;
      },
    );
    expect(report).toBe("");
    expect(run.status).toBe(0);
  }, 120_000);
});
