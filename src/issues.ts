// Issues: what every validation reports, and a leaf module (it imports only generated types). Their
// shape, the stable rule ids of both payloads, how the compiled validators' Ajv errors become issues
// (a JSON Pointer to the offending field, a message naming the keyword, without the noise Ajv
// reports for the branches of a union), and their order.
import type { SchemaError } from "../generated/validators.js";

/** One problem found in a payload: where (a JSON Pointer), which rule (a stable id), and why. */
export interface ValidationIssue<Rule extends string = string> {
  /** Where: a JSON Pointer (RFC 6901) to the offending field, e.g. `/participants/0/identity`; `""` for the whole payload. */
  path: string;
  /** Which rule it broke: a stable id (INVITE_RULES or NOTIFICATION_RULES) to branch on. */
  rule: Rule;
  /** Why, in words for people (it names the schema keyword or the rule); may change between versions: match on `rule`. */
  message: string;
}

/** Every rule id an InviteIssue can carry, in reporting order. Stable: consumers may match on them. */
export const INVITE_RULES = [
  "schema",
  "participants.minItems",
  "participants.maxItems",
  "clientContext.maxLength",
  "replacesCallId.singleParticipant",
  "participantId.requiresReplacesCallId",
  "identity.empty",
  "phone.e164",
  "application.singleBot",
  "property.unknown",
] as const;
/** The id of a rule an invite body can break: one of INVITE_RULES. */
export type InviteRule = (typeof INVITE_RULES)[number];
/** A problem in an invite request body: what validateInviteRequest returns and InviteValidationError carries. */
export type InviteIssue = ValidationIssue<InviteRule>;

/** The rule ids a NotificationIssue can carry. */
export const NOTIFICATION_RULES = ["json", "schema"] as const;
/** The id of a rule a callback body can break: `json` (not JSON) or `schema` (breaks commsNotifications). */
export type NotificationRule = (typeof NOTIFICATION_RULES)[number];
/** A problem in a callback body: what NotificationValidationError carries. */
export type NotificationIssue = ValidationIssue<NotificationRule>;

const escapeSegment = (s: string) => s.replaceAll("~", "~0").replaceAll("/", "~1");

/** JSON Pointer from path segments. */
export function pointer(...segments: Array<string | number>): string {
  return segments.map((s) => `/${escapeSegment(String(s))}`).join("");
}

function describe(error: SchemaError): string {
  const p = error.params;
  switch (error.keyword) {
    case "required":
      return "is required (required)";
    case "const":
      return `must be ${JSON.stringify(p.allowedValue)} (const)`;
    case "enum":
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")} (enum)`;
    case "type":
      return `must be ${String(p.type).replace(",", " or ")} (type)`;
    default:
      return `${error.message ?? "is invalid"} (${error.keyword})`;
  }
}

/**
 * One issue per meaningful Ajv error. A nullable reference (`anyOf: [X, null]`) fails twice when
 * X fails; its "must be null" and "anyOf" errors say nothing the X errors do not, so they go.
 */
export function schemaIssues<Rule extends string>(
  errors: readonly SchemaError[],
  ruleFor: (error: SchemaError, path: string) => Rule | null,
): Array<ValidationIssue<Rule>> {
  const path = (e: SchemaError) =>
    e.keyword === "required" ? `${e.instancePath}${pointer(String(e.params.missingProperty))}` : e.instancePath;
  const meaningful = errors.filter((e) => !(e.keyword === "type" && e.params.type === "null"));
  // Every pointer at or above a non-anyOf error: an anyOf error there is noise. A set, not a scan
  // per anyOf error, so a hostile array of many bad items stays linear.
  const explained = new Set<string>();
  for (const error of meaningful) {
    if (error.keyword === "anyOf") continue;
    const at = path(error);
    for (let end = at.length; end > 0; end = at.lastIndexOf("/", end - 1)) explained.add(at.slice(0, end));
    explained.add("");
  }
  const issues: Array<ValidationIssue<Rule>> = [];
  for (const error of meaningful) {
    if (error.keyword === "anyOf" && explained.has(error.instancePath)) continue;
    const at = path(error);
    const rule = ruleFor(error, at);
    if (rule !== null) issues.push({ path: at, rule, message: describe(error) });
  }
  return issues;
}

/** Deterministic order: by path (array indexes numerically), then by the order of `rules`, then message. */
export function sortIssues<Rule extends string>(
  issues: Array<ValidationIssue<Rule>>,
  rules: readonly Rule[],
): Array<ValidationIssue<Rule>> {
  // Every path is "" or starts with "/": the empty first segment is common to all, so it stays.
  const segments = (p: string) => p.split("/");
  const comparePaths = (a: string, b: string) => {
    const sa = segments(a);
    const sb = segments(b);
    for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
      const [x, y] = [sa[i]!, sb[i]!];
      if (x === y) continue;
      const [nx, ny] = [Number(x), Number(y)];
      if (Number.isInteger(nx) && Number.isInteger(ny)) return nx - ny;
      // Stryker disable next-line EqualityOperator: x === y was passed over above, so x <= y is x < y
      return x < y ? -1 : 1;
    }
    return sa.length - sb.length;
  };
  const seen = new Set<string>();
  return issues
    .filter((i) => {
      const key = `${i.path}\u0000${i.rule}\u0000${i.message}`;
      return seen.has(key) ? false : (seen.add(key), true);
    })
    .sort(
      (a, b) =>
        comparePaths(a.path, b.path) ||
        rules.indexOf(a.rule) - rules.indexOf(b.rule) ||
        (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
    );
}
