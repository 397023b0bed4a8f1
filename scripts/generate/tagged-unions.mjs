// Compiles a tagged `oneOf` as the if/then/else chain it is equivalent to, so a validator checks
// the one branch the tag selects instead of every branch (and builds no errors for the others).
// Only the compiled validators see the rewrite; the spec, and every type made from it, keep the oneOf.
const TAG = "@odata.type";

const resolve = (defs, schema) => (schema?.$ref ? defs[schema.$ref.replace("#/$defs/", "")] : schema);

/** The `const` a branch fixes its tag to, directly or in an allOf member; undefined when none. */
function tagConst(defs, branch) {
  const schema = resolve(defs, branch);
  const own = schema?.properties?.[TAG]?.const;
  if (own !== undefined) return own;
  for (const member of schema?.allOf ?? []) {
    const found = tagConst(defs, member);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * A oneOf is rewritten only when that is provably equivalent: the schema holding it requires the
 * tag, every branch but one fixes the tag to a distinct const, and the last branch (the fallback)
 * excludes exactly those consts. Then data whose tag is one const can only match its branch, and
 * any other tag can only match the fallback. Returns the names of the schemas rewritten.
 */
export function compileTaggedUnions(defs) {
  const rewritten = [];
  for (const [name, schema] of Object.entries(defs)) {
    if (!schema.oneOf || !schema.required?.includes(TAG) || "if" in schema) continue;
    const tagged = schema.oneOf.slice(0, -1);
    const fallback = schema.oneOf.at(-1);
    const consts = tagged.map((branch) => tagConst(defs, branch));
    const excluded = resolve(defs, fallback)?.properties?.[TAG]?.not?.enum ?? [];
    const exclusive =
      consts.every((c) => typeof c === "string") &&
      new Set(consts).size === consts.length &&
      tagConst(defs, fallback) === undefined &&
      excluded.length === consts.length &&
      consts.every((c) => excluded.includes(c));
    if (!exclusive) continue;
    const chain = tagged.reduceRight(
      (otherwise, branch, i) => ({
        if: { required: [TAG], properties: { [TAG]: { const: consts[i] } } },
        then: branch,
        else: otherwise,
      }),
      fallback,
    );
    delete schema.oneOf;
    Object.assign(schema, chain);
    rewritten.push(name);
  }
  return rewritten;
}
