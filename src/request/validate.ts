// validateInviteRequest / assertInviteRequest: the spec's schema (compiled validator) plus the
// documented rules it cannot carry, all issues reported, in a stable order; and the properties the
// open types do not declare (unknown-properties.ts), a warning unless the caller asks to refuse them.
import { validateInvitePostRequestBody } from "../../generated/validators.js";
import { InviteValidationError } from "../errors.js";
import { INVITE_RULES, schemaIssues, sortIssues, type InviteIssue, type InviteRule } from "../issues.js";
import type { InvitePostRequestBody } from "../schema-types.js";
import { SEMANTIC_RULES } from "./rules.js";
import {
  findUnknownProperties,
  unknownPropertiesMode,
  warnUnknownProperties,
  type UnknownPropertiesMode,
  type UnknownPropertyIssue,
} from "./unknown-properties.js";

/** The options of validateInviteRequest and assertInviteRequest. */
export interface InviteValidationOptions {
  /**
   * Properties the body's schemas do not declare (Graph ignores them: a typo is sent with no effect).
   * `"warn"` (default): listed in `warnings`, and assertInviteRequest warns on the console; `"refuse"`:
   * issues with rule `property.unknown`, so the body is invalid; `"ignore"`: not looked for.
   */
  unknownProperties?: UnknownPropertiesMode;
}

/**
 * validateInviteRequest's verdict: `ok: true` with the body (typed), or `ok: false` with every issue.
 * `warnings` lists the unknown properties in either case (empty unless `unknownProperties` is `"warn"`).
 */
export type InviteValidationResult =
  | { ok: true; value: InvitePostRequestBody; warnings: UnknownPropertyIssue[] }
  | { ok: false; issues: InviteIssue[]; warnings: UnknownPropertyIssue[] };

// The path checks cannot fail today (participants is the request schema's only array with item
// counts, clientContext its only string with maxLength); they keep another schema's error from being
// renamed or dropped should the spec add one.
function ruleForSchemaError(error: { keyword: string }, path: string): InviteRule | null {
  // Stryker disable next-line ConditionalExpression: only /participants has minItems in the request schema
  if (path === "/participants" && error.keyword === "minItems") return "participants.minItems";
  // Stryker disable next-line ConditionalExpression: only /participants has maxItems in the request schema
  if (path === "/participants" && error.keyword === "maxItems") return "participants.maxItems";
  // The schema counts code points; the clientContext.maxLength rule counts UTF-16 units and covers it.
  // Stryker disable next-line ConditionalExpression,LogicalOperator: only /clientContext has maxLength in the request schema
  if (path === "/clientContext" && error.keyword === "maxLength") return null;
  return "schema";
}

/**
 * Checks an invite body against the schema and every documented rule. Never throws on any body; a
 * TypeError for an `unknownProperties` option that is not one of its modes.
 * @example
 * ```ts
 * const result = validateInviteRequest({ participants: [{ identity: { phone: { id: "+12345678901" } } }] });
 * if (!result.ok) for (const issue of result.issues) console.log(issue.path, issue.rule, issue.message);
 * ```
 */
export function validateInviteRequest(body: unknown, options: InviteValidationOptions = {}): InviteValidationResult {
  const mode = unknownPropertiesMode(options.unknownProperties);
  const issues: InviteIssue[] = validateInvitePostRequestBody(body)
    ? []
    : schemaIssues(validateInvitePostRequestBody.errors ?? [], ruleForSchemaError);
  // one by one: spreading a hostile number of issues into push() overflows the stack
  for (const rule of SEMANTIC_RULES) for (const issue of rule(body)) issues.push(issue);
  const warnings = mode === "warn" ? findUnknownProperties(body) : [];
  if (mode === "refuse") for (const issue of findUnknownProperties(body)) issues.push(issue);
  if (issues.length === 0) return { ok: true, value: body as InvitePostRequestBody, warnings };
  return { ok: false, issues: sortIssues(issues, INVITE_RULES), warnings };
}

/**
 * Throws InviteValidationError (with every issue) unless `body` is a valid invite body. With
 * `unknownProperties: "warn"` (the default), warns on the console about each unknown property, once.
 */
export function assertInviteRequest(
  body: unknown,
  options: InviteValidationOptions = {},
): asserts body is InvitePostRequestBody {
  const result = validateInviteRequest(body, options);
  if (!result.ok) throw new InviteValidationError(result.issues);
  warnUnknownProperties(result.warnings);
}
