// The CommonJS builds' external requires: only Node built-ins, ioredis and @opentelemetry/api (one copy
// per app, the one its SDK registers with), each by name, never through esbuild's
// Node-mode default interop. This package is "type": "module", so esbuild wraps an external CommonJS
// dependency's default import as __toESM(require(x), 1), which reads module.exports, not
// exports.default: openapi-fetch's createClient came out undefined that way (scripts/build.mjs).
// ioredis and the OpenTelemetry API are imported by name (`{ Redis }`, `{ trace }`), which that
// interop reads right.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { root } from "../support/packed.js";

const dist = join(root, "dist");
const builds = readdirSync(dist).filter((file) => file.endsWith(".cjs"));

describe("the CommonJS builds (vitest's global setup built dist/)", () => {
  it("exist for every entry", () => {
    expect(builds.sort()).toEqual(["graph.cjs", "index.cjs", "node.cjs", "redis.cjs", "testing.cjs", "types.cjs"]);
  });

  for (const file of builds) {
    it(`${file} requires only node: built-ins, ioredis and the OpenTelemetry API by name, none through the default interop`, () => {
      const code = readFileSync(join(dist, file), "utf8");
      const external = new Set(["ioredis", "@opentelemetry/api"]);
      const required = [...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!);
      expect(required.filter((name) => !name.startsWith("node:") && !external.has(name))).toEqual([]);
      expect(code).not.toMatch(/__toESM\(require\(/);
      for (const [, binding] of code.matchAll(/var (\w+) = require\("(?:ioredis|@opentelemetry\/api)"\)/g))
        expect(code).not.toContain(`${binding}.default`);
    });
  }
});
