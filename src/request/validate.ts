// validateInviteRequest / assertInviteRequest: the spec's schema (compiled validator) plus the
// documented rules it cannot carry, all issues reported, in a stable order.
import { validateInvitePostRequestBody } from "../../generated/validators.js";
import { InviteValidationError } from "../errors.js";
import { INVITE_RULES, schemaIssues, sortIssues, type InviteIssue, type InviteRule } from "../issues.js";
import type { InvitePostRequestBody } from "../schema-types.js";
import { SEMANTIC_RULES } from "./rules.js";

export type InviteValidationResult = { ok: true; value: InvitePostRequestBody } | { ok: false; issues: InviteIssue[] };

function ruleForSchemaError(error: { keyword: string }, path: string): InviteRule | null {
  if (path === "/participants" && error.keyword === "minItems") return "participants.minItems";
  if (path === "/participants" && error.keyword === "maxItems") return "participants.maxItems";
  // The schema counts code points; the clientContext.maxLength rule counts UTF-16 units and covers it.
  if (path === "/clientContext" && error.keyword === "maxLength") return null;
  return "schema";
}

/** Checks an invite body against the schema and every documented rule. Never throws. */
export function validateInviteRequest(body: unknown): InviteValidationResult {
  const issues: InviteIssue[] = validateInvitePostRequestBody(body)
    ? []
    : schemaIssues(validateInvitePostRequestBody.errors ?? [], ruleForSchemaError);
  // one by one: spreading a hostile number of issues into push() overflows the stack
  for (const rule of SEMANTIC_RULES) for (const issue of rule(body)) issues.push(issue);
  if (issues.length === 0) return { ok: true, value: body as InvitePostRequestBody };
  return { ok: false, issues: sortIssues(issues, INVITE_RULES) };
}

/** Throws InviteValidationError (with every issue) unless `body` is a valid invite body. */
export function assertInviteRequest(body: unknown): asserts body is InvitePostRequestBody {
  const result = validateInviteRequest(body);
  if (!result.ok) throw new InviteValidationError(result.issues);
}
