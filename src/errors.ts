// Every error class the package throws, and the issue shape they carry.
import type { InviteIssue } from "./request/rules.js";

/** One problem found in a payload: where (a JSON Pointer), which rule (a stable id), and why. */
export interface ValidationIssue<Rule extends string = string> {
  path: string;
  rule: Rule;
  message: string;
}

function listIssues(title: string, issues: readonly ValidationIssue[]): string {
  const lines = issues.map((i) => `  ${i.path || "/"} ${i.rule}: ${i.message}`);
  return `${title} (${issues.length} issue${issues.length === 1 ? "" : "s"}):\n${lines.join("\n")}`;
}

/** An invite request body broke the schema or a documented rule; nothing was sent. */
export class InviteValidationError extends Error {
  override readonly name = "InviteValidationError";
  readonly issues: readonly InviteIssue[];

  constructor(issues: readonly InviteIssue[]) {
    super(listIssues("Invalid invite request body", issues));
    this.issues = issues;
  }
}
