// 2. Consumer type-check cost: the same small consumer file (build an invite body, read an operation's
// status) type-checked with `tsc --extendedDiagnostics` against this package, against
// @microsoft/microsoft-graph-types, against the Kiota SDK's models, and against a 40-line hand-written
// types file (the floor). All with `types: ["node"]` (a Node bot project). Measured twice: with
// `skipLibCheck: true` (tsc --init's default; the target applies here) and with every .d.ts checked.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync, cpSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { median, row } from "./lib.mjs";

const root = new URL("..", import.meta.url).pathname;
const tsc = join(root, "node_modules/typescript/bin/tsc");

function diagnostics(variant, skipLibCheck, rounds) {
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
          types: ["node"],
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
  return rows;
}
