// The one Ajv configuration every schema check in this repo uses (compiled validators, lint).
// No file-system or path logic here: spectral bundles this file into its ruleset.
import Ajv2020Module from "ajv/dist/2020.js";

const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;

/** OpenAPI annotations the spec uses: meaningful to generators and docs, not to validation. */
export const ANNOTATION_KEYWORDS = [
  "discriminator",
  "example",
  "externalDocs",
  "xml",
  "x-invite-rules",
  "x-enum-varnames",
  "x-source",
];

/**
 * Draft 2020-12 Ajv that knows the OpenAPI keywords the spec uses.
 * @param {{ allErrors?: boolean, inlineRefs?: boolean, code?: import("ajv").CodeOptions }} [options]
 */
export function createAjv({ allErrors = true, inlineRefs = true, code } = {}) {
  // Formats are annotations here: the spec states int32/int64 ranges as minimum/maximum, which
  // every validator (and the compiled standalone code) understands without format plugins.
  const ajv = new Ajv2020({
    allErrors,
    strict: true,
    allowUnionTypes: true,
    validateFormats: false,
    inlineRefs,
    code,
  });
  ajv.addVocabulary(ANNOTATION_KEYWORDS);
  return ajv;
}
