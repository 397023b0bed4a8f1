// The code rules `npm run lint` enforces, shown to bite: a Node built-in in the neutral core (ESLint,
// and dependency-cruiser through another module), an import cycle (dependency-cruiser, type-only
// imports included), and a formatting error (Prettier). Each probe is checked where it would live.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ESLint } from "eslint";
import * as prettier from "prettier";
import { afterAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const eslint = new ESLint({ cwd: root });
const lint = async (filePath: string, code: string) =>
  (await eslint.lintText(code, { filePath: join(root, filePath) }))[0]!.messages.map((m) => m.ruleId);

describe("ESLint: the neutral core", () => {
  it("refuses a Node built-in import or global in src/, and allows them in src/node/ and the CLI", async () => {
    const code =
      'import { readFileSync } from "node:fs";\nimport http from "http";\nexport const x = [readFileSync, http, Buffer];\n';
    for (const core of ["src/probe.ts", "src/endpoint/probe.ts", "src/auth/probe.ts", "src/internal/probe.ts"])
      expect(await lint(core, code)).toEqual([
        "no-restricted-imports",
        "no-restricted-imports",
        "no-restricted-globals",
      ]);
    for (const nodeOnly of ["src/node/probe.ts", "src/cli/probe.ts", "src/redis/probe.ts", "src/testing/probe.ts"])
      expect(await lint(nodeOnly, code)).toEqual([]);
    expect(await lint("src/endpoint/node-adapter.ts", code)).toEqual([]);
  });
});

describe("dependency-cruiser", () => {
  const work = mkdtempSync(join(tmpdir(), "gic-deps-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const cruise = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(work, "p-"));
    for (const folder of ["node", "redis", "testing", "cli", "endpoint"])
      mkdirSync(join(dir, "src", folder), { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    copyFileSync(join(root, ".dependency-cruiser.cjs"), join(dir, ".dependency-cruiser.cjs"));
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", strict: true } }),
    );
    const bin = join(root, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs");
    const run = spawnSync(
      process.execPath,
      [bin, "src", "--config", ".dependency-cruiser.cjs", "--output-type", "json"],
      { cwd: dir, encoding: "utf8" },
    );
    const { summary } = JSON.parse(run.stdout) as { summary: { violations: Array<{ rule: { name: string } }> } };
    return [...new Set(summary.violations.map((v) => v.rule.name))].sort();
  };

  it("refuses an import cycle, even of types only", () => {
    expect(
      cruise({
        "src/a.ts": 'import type { B } from "./b.js";\nexport type A = B[];\n',
        "src/b.ts": 'import type { A } from "./a.js";\nexport type B = { a?: A };\n',
      }),
    ).toEqual(["no-circular"]);
  });

  it("refuses the neutral core reaching a Node built-in or src/node/ through another module", () => {
    const files = {
      "src/core.ts": 'import { helper } from "./node/helper.js";\nexport const x = helper;\n',
      "src/node/helper.ts": 'import { readFileSync } from "node:fs";\nexport const helper = readFileSync;\n',
      "src/direct.ts": 'import { createServer } from "node:http";\nexport const y = createServer;\n',
    };
    expect(cruise(files)).toEqual(["neutral-core-no-node", "neutral-core-no-runtime-subpath"]);
  });

  // One probe per forbidden edge: the core builds on no runtime subpath, even one that is Node-free.
  it.each(["redis/tracker.ts", "testing/simulator.ts", "cli/run.ts", "node/server.ts", "endpoint/node-adapter.ts"])(
    "refuses the neutral core importing src/%s",
    (target) => {
      const files = {
        "src/endpoint/core.ts": `import { x } from "../${target.replace(/\.ts$/, ".js")}";\nexport const y = x;\n`,
        [`src/${target}`]: "export const x = 1;\n",
      };
      expect(cruise(files)).toEqual(["neutral-core-no-runtime-subpath"]);
    },
  );

  it("lets the runtime subpaths and the Node adapter build on the core", () => {
    const files = {
      "src/endpoint/core.ts": "export const core = 1;\n",
      "src/endpoint/node-adapter.ts": 'import { core } from "./core.js";\nexport const a = core;\n',
      "src/redis/tracker.ts": 'import { core } from "../endpoint/core.js";\nexport const b = core;\n',
      "src/testing/simulator.ts": 'import { core } from "../endpoint/core.js";\nexport const c = core;\n',
    };
    expect(cruise(files)).toEqual([]);
  });

  it("finds nothing in this repository's own graph", () => {
    const run = spawnSync(
      process.execPath,
      [
        join(root, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs"),
        "src",
        "generated/schema.ts",
        "generated/validators.ts",
        "--config",
        ".dependency-cruiser.cjs",
      ],
      { cwd: root, encoding: "utf8" },
    );
    expect(run.stdout).toContain("no dependency violations found");
    expect(run.status).toBe(0);
  });
});

describe("Prettier", () => {
  it("flags a file that is not formatted the way the repo is", async () => {
    const options = {
      ...(await prettier.resolveConfig(join(root, "src/index.ts"))),
      filepath: join(root, "src/probe.ts"),
    };
    expect(await prettier.check("export const x = {a:1}\n", options)).toBe(false);
    expect(await prettier.check("export const x = { a: 1 };\n", options)).toBe(true);
  });
});
