// The `property.unknown` check: a property the invite's open types do not declare. Graph's
// invitationParticipantInfo, identitySet and identity are open types (CSDL OpenType="true"), so the
// service ignores a property it does not know, and a typo such as `replaceCallId` for
// `replacesCallId` is sent, accepted, and the rule the caller meant is never applied. The schema
// cannot refuse them (open types take additional properties), so this check names each one, its
// path, and the closest declared property. A warning by default (a property Graph added after this
// contract is not an error); `unknownProperties: "refuse"` makes it an issue.
import { pointer, type InviteRule, type ValidationIssue } from "../issues.js";
import { DECLARED_PROPERTIES, walkUndeclared } from "./declared-properties.js";

export { DECLARED_PROPERTIES } from "./declared-properties.js";

/** The stable id of the check (one of INVITE_RULES, and openapi.yaml's x-invite-rules). */
export const UNKNOWN_PROPERTY_RULE = "property.unknown" satisfies InviteRule;
/** The rule id of an unknown property: `"property.unknown"`. */
export type UnknownPropertyRule = typeof UNKNOWN_PROPERTY_RULE;
/** A property no schema of the invite body declares, at `path`; the message names the closest one. */
export type UnknownPropertyIssue = ValidationIssue<UnknownPropertyRule>;

/**
 * What to do with unknown properties: `"warn"` (the default: a console warning naming the path and the
 * closest property, once per path and property), `"refuse"` (an issue: the body is invalid) or
 * `"ignore"`.
 */
export type UnknownPropertiesMode = "warn" | "refuse" | "ignore";
const MODES: readonly UnknownPropertiesMode[] = ["warn", "refuse", "ignore"];

/** Optimal string alignment distance, case-insensitive: a swap of two letters counts as one edit. */
function distance(a: string, b: string): number {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  // Three rows of the table: the one before the previous (for swaps), the previous, the current.
  let [before, previous, current] = [
    new Uint16Array(y.length + 1),
    new Uint16Array(y.length + 1),
    new Uint16Array(y.length + 1),
  ];
  for (let j = 0; j <= y.length; j++) previous[j] = j;
  for (let i = 1; i <= x.length; i++) {
    current[0] = i;
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      // A swap: no guard for the first letter, where x[-1] and y[-1] are undefined and match no letter.
      if (x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) best = Math.min(best, before[j - 2]! + 1);
      current[j] = best;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[y.length]!;
}

/**
 * The declared property closest to `key`, when it is close enough to be a typo (a third of its
 * length, at least 2 edits). A candidate whose length differs by the allowed edits or more is never
 * measured: it cannot be closer, and so a hostile key costs no distance table (one is measured only
 * for a key at most 1.5 times as long as the property, or shorter than 6).
 */
export function closestProperty(key: string, declared: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const candidate of declared) {
    // Stryker disable next-line EqualityOperator: at a length difference of exactly bestDistance the distance is at least bestDistance too, so measuring it could not choose the candidate
    if (Math.abs(candidate.length - key.length) >= bestDistance) continue;
    const d = distance(key, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** Every property of an invite body that its schemas do not declare. Never throws. */
export function findUnknownProperties(body: unknown): UnknownPropertyIssue[] {
  const found: UnknownPropertyIssue[] = [];
  walkUndeclared(body, (schema, path, key) => {
    const closest = closestProperty(key, DECLARED_PROPERTIES[schema]);
    found.push({
      path: pointer(...path, key),
      rule: UNKNOWN_PROPERTY_RULE,
      message: `is not a property of ${schema}${closest ? `; did you mean "${closest}"?` : ""} Graph ignores unknown properties of this open type, so it would have no effect`,
    });
  });
  return found;
}

/** The mode an option asks for; a TypeError for anything but the three modes (undefined is the default). */
export function unknownPropertiesMode(option: unknown): UnknownPropertiesMode {
  if (option === undefined) return "warn";
  if ((MODES as readonly unknown[]).includes(option)) return option as UnknownPropertiesMode;
  throw new TypeError(`\`unknownProperties\` must be one of ${MODES.map((m) => `"${m}"`).join(", ")}`);
}

// Each distinct warning once per process, up to a bound (a loop of invites must not flood the log).
const warned = new Set<string>();
const MAX_WARNED = 1000;

/** Warns on the console, once per path and message: names the path and the properties, never a value. */
export function warnUnknownProperties(issues: readonly UnknownPropertyIssue[]): void {
  for (const issue of issues) {
    const line = `graph-invite-contract: ${issue.path} ${issue.rule}: ${issue.message}`;
    if (warned.has(line)) continue;
    if (warned.size < MAX_WARNED) warned.add(line);
    console.warn(line);
  }
}
