// 2. Consumer type-check cost: the same small consumer file (build an invite body, read an operation's
// status) type-checked with `tsc --extendedDiagnostics` against this package, against
// @microsoft/microsoft-graph-types, against the Kiota SDK's models, and against a 40-line hand-written
// types file (the floor), with `types: ["node"]` (a Node bot project), twice: with `skipLibCheck: true`
// (tsc --init's default) and with every .d.ts checked. Then the repo the types entry is for: the same
// file importing `graph-invite-contract/types`, no @types/node, every .d.ts checked (the targets:
// types and memory within 1.3x of the floor's).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync, cpSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { median, row } from "./lib.mjs";

const root = new URL("..", import.meta.url).pathname;
const tsc = join(root, "node_modules/typescript/bin/tsc");

function diagnostics(variant, skipLibCheck, rounds, types = ["node"]) {
  const dir = mkdtempSync(join(tmpdir(), `gic-bench-types-${variant}-`));
  try {
    cpSync(join(root, "bench/types", variant), dir, { recursive: true });
    mkdirSync(join(dir, "node_modules/@microsoft"), { recursive: true });
    mkdirSync(join(dir, "node_modules/@types"), { recursive: true });
    symlinkSync(root, join(dir, "node_modules/graph-invite-contract"), "dir");
    for (const dep of [
      "@microsoft/microsoft-graph-types",
      "@microsoft/msgraph-sdk",
      "@microsoft/kiota-abstractions",
      "@types/node",
      "undici-types",
      "openapi-fetch",
      "jose",
    ]) {
      symlinkSync(join(root, "node_modules", dep), join(dir, "node_modules", dep), "dir");
    }
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noEmit: true,
          skipLibCheck,
          types,
        },
        files: ["consumer.ts"],
      }),
    );
    const runs = [];
    for (let i = 0; i < rounds; i++) {
      const out = spawnSync(process.execPath, [tsc, "-p", dir, "--extendedDiagnostics"], { encoding: "utf8" });
      if (out.status !== 0) throw new Error(`tsc failed for ${variant}:\n${out.stdout}${out.stderr}`);
      const read = (label) => Number(new RegExp(`^${label}:\\s+([\\d.]+)`, "m").exec(out.stdout)?.[1]);
      runs.push({
        types: read("Types"),
        instantiations: read("Instantiations"),
        memoryK: read("Memory used"),
        checkS: read("Check time"),
      });
    }
    return {
      types: runs[0].types,
      instantiations: runs[0].instantiations,
      memoryK: median(runs.map((r) => r.memoryK)),
      checkS: median(runs.map((r) => r.checkS)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function benchTypecheck() {
  const rows = [];
  for (const [skipLibCheck, rounds] of [
    [true, 3],
    [false, 1],
  ]) {
    const floor = diagnostics("hand-written", skipLibCheck, rounds);
    /** @type {Array<[string, typeof floor]>} */
    const variants = [
      ["hand-written types, 40 lines (floor)", floor],
      ["graph-invite-contract", diagnostics("ours", skipLibCheck, rounds)],
      ["@microsoft/microsoft-graph-types", diagnostics("graph-types", skipLibCheck, rounds)],
      ["@microsoft/msgraph-sdk (Kiota) models", diagnostics("kiota", skipLibCheck, rounds)],
    ];
    const section = `Consumer type-check cost, skipLibCheck: ${skipLibCheck} (types; ratio to the floor)`;
    for (const [i, [name, d]] of variants.entries()) {
      rows.push(
        row(section, name, d.types, "types", floor.types, {
          target: i === 1 && skipLibCheck ? 1.3 : undefined,
          higherIsBetter: false,
          extra: {
            instantiations: d.instantiations,
            memoryMB: Math.round(d.memoryK / 1024),
            memoryRatio: +(d.memoryK / floor.memoryK).toFixed(2),
            checkTimeS: d.checkS,
          },
        }),
      );
    }
  }
  // A types-only repo: no @types/node in the program at all.
  const floor = diagnostics("hand-written", false, 3, []);
  const ours = diagnostics("ours-types", false, 3, []);
  const section =
    "Consumer type-check cost of the types entry, no @types/node, skipLibCheck: false (ratio to the floor)";
  const extra = (d) => ({ instantiations: d.instantiations, checkTimeS: d.checkS });
  rows.push(
    row(section, "hand-written types, 40 lines (floor): types", floor.types, "types", floor.types),
    row(section, "graph-invite-contract/types: types", ours.types, "types", floor.types, {
      target: 1.3,
      higherIsBetter: false,
      extra: extra(ours),
    }),
    row(section, "hand-written types, 40 lines (floor): memory", floor.memoryK / 1024, "MB", floor.memoryK / 1024),
    row(section, "graph-invite-contract/types: memory", ours.memoryK / 1024, "MB", floor.memoryK / 1024, {
      target: 1.3,
      higherIsBetter: false,
    }),
  );
  return rows;
}
