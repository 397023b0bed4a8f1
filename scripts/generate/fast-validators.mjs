// Step: compile the callback schema and the invite request body into verdict-only validators with
// @exodus/schemasafe (generated/fast-validators.ts). The callback guard answers "valid?" faster than
// Ajv; the request guard is a fraction of Ajv's size, so an invite bundle need not carry Ajv's
// request validator until a body is refused. Ajv stays the reference and the source of every error
// report; the differential tests hold each pair to one verdict.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { validator } from "@exodus/schemasafe";
import { ANNOTATION_KEYWORDS } from "./ajv.mjs";
import { loadSpec, schemaBundle, SCHEMAS_ID } from "./spec.mjs";
import { compileTaggedUnions } from "./tagged-unions.mjs";

/** Exported guard name → component schema. */
export const FAST_VALIDATORS = {
  isCommsNotifications: "CommsNotifications",
  isInvitePostRequestBody: "InvitePostRequestBody",
};

// `format` is an annotation too: the Ajv validators run with validateFormats: false.
const IGNORED = new Set([...ANNOTATION_KEYWORDS, "format"]);
const SCHEMA_MAPS = new Set(["properties", "patternProperties", "dependentSchemas", "$defs"]);
const DATA = new Set(["const", "enum", "default", "examples"]);

/** The schema without annotation keywords (schemasafe refuses keywords it does not know). */
function withoutAnnotations(schema) {
  if (Array.isArray(schema)) return schema.map(withoutAnnotations);
  if (typeof schema !== "object" || schema === null) return schema;
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (IGNORED.has(key)) continue;
    if (DATA.has(key)) out[key] = value;
    else if (SCHEMA_MAPS.has(key))
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutAnnotations(v)]));
    else out[key] = withoutAnnotations(value);
  }
  return out;
}

/**
 * In an allOf, a `$ref` member whose property `pattern` a sibling member's `const` for the same
 * property already decides (the const matches the pattern) is replaced by a copy without that
 * pattern: a present value must equal the const, which passes the pattern, so the test is dead
 * work. (The operation's tag against CommsOperation's `...Operation$` pattern: a regex run per
 * callback.) Verdict-preserving only: Ajv's reports keep both checks. Returns how many it dropped.
 */
function dropPatternsDecidedByConst(defs) {
  let dropped = 0;
  for (const schema of Object.values(defs)) {
    if (!Array.isArray(schema.allOf)) continue;
    const consts = new Map();
    for (const member of schema.allOf) {
      for (const [name, property] of Object.entries(member.properties ?? {}))
        if (typeof property.const === "string") consts.set(name, property.const);
    }
    schema.allOf = schema.allOf.map((member) => {
      const target = member.$ref ? defs[member.$ref.replace("#/$defs/", "")] : undefined;
      const decided = [...consts].filter(([name, value]) => {
        const pattern = target?.properties?.[name]?.pattern;
        return typeof pattern === "string" && new RegExp(pattern, "u").test(value);
      });
      if (decided.length === 0 || Object.keys(member).length !== 1) return member;
      const copy = structuredClone(target);
      for (const [name] of decided) delete copy.properties[name].pattern;
      dropped += decided.length;
      return copy;
    });
  }
  return dropped;
}

/**
 * Rewrites of schemasafe's output, each exact, each required to apply to at least one guard (a
 * schemasafe upgrade that changes its output fails generation instead of quietly dropping the speed-up).
 */
const REWRITES = [
  {
    // anyOf/oneOf/if branches are closures called on the spot, one allocation each per call; a
    // branch that is a single test is that test.
    why: "single-test branch closure",
    pattern: /\(\(\) => \{\n\s*if \(!(.+)\) return false\n\s*return true\n\s*\}\)\(\)/g,
    replace: (_, test) => `!!(${test})`,
  },
  {
    // minLength counted in code points on every string; a string of at least 2n UTF-16 units has at
    // least n code points, so only a shorter one needs counting.
    why: "minLength count",
    pattern: /([\w.[\]"@]+)\.length < (\d+) \|\| stringLength\(\1\) < \2\)/g,
    replace: (_, value, min) =>
      `${value}.length < ${min} || (${value}.length < ${2 * min} && stringLength(${value}) < ${min}))`,
  },
];

/** One guard's module code: a pure IIFE, so a bundle that never calls the guard drops it whole. */
function compileGuard(bundle, name, applied) {
  const compiled = validator(
    { $ref: `${SCHEMAS_ID}#/$defs/${name}` },
    {
      schemas: [{ $schema: "https://json-schema.org/draft/2020-12/schema", ...bundle }],
      // JSON semantics, which are also Ajv's on a caller's object: a property is present when it is
      // not undefined (inherited ones included), and every array item is checked, holes and
      // undefined too. (isJSON: false would skip undefined items and test own properties only.)
      isJSON: true,
      unmodifiedPrototypes: true,
      // int32/int64 are annotations here (ranges are stated as minimum/maximum).
      formats: { int32: () => true, int64: () => true },
      formatAssertion: false,
    },
  );
  let code = compiled.toModule().replace(/;$/, ""); // the IIFE, without its statement end
  for (const rewrite of REWRITES) {
    const before = code;
    code = code.replace(rewrite.pattern, rewrite.replace);
    if (code !== before) applied.add(rewrite);
  }
  return code;
}

export function fastValidatorModule() {
  const bundle = withoutAnnotations(schemaBundle(loadSpec()));
  // The same tagged-union form the Ajv validators are compiled from: one branch checked, not all.
  compileTaggedUnions(bundle.$defs);
  if (dropPatternsDecidedByConst(bundle.$defs) === 0)
    throw new Error("fast validators: no pattern decided by a const any more; drop dropPatternsDecidedByConst");
  const applied = new Set();
  const guards = Object.entries(FAST_VALIDATORS).map(
    ([fn, name]) =>
      `/** True when \`data\` is a valid ${name}, as Ajv's validator would say. Verdict only: Ajv reports the errors. */\n` +
      `export const ${fn}: (data: unknown) => boolean = /* @__PURE__ */ ${compileGuard(bundle, name, applied)};`,
  );
  for (const { why } of REWRITES.filter((rewrite) => !applied.has(rewrite)))
    throw new Error(`fast validators: the ${why} rewrite no longer applies to any guard`);
  return [
    "// Generated by scripts/generate/fast-validators.mjs from openapi.yaml (@exodus/schemasafe). Do not edit.",
    "// @ts-nocheck",
    "/* eslint-disable */",
    ...guards,
    "",
  ].join("\n");
}

export function generateFastValidators(outDir) {
  writeFileSync(join(outDir, "fast-validators.ts"), fastValidatorModule());
}
