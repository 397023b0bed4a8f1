// The invite client's check of a body before sending: the verdict-only validator (schemasafe), the
// documented rules and a look for undeclared properties decide a valid, clean body; only a body they
// refuse or flag loads Ajv's validator and the did-you-mean check (a lazy import), which give the
// verdict that counts, every issue and the warnings. So an invite bundle carries Ajv's
// request validator only as a chunk that loads on a refusal.
import { isInvitePostRequestBody } from "../../generated/fast-validators.js";
import { InviteValidationError } from "../errors.js";
import { hasUndeclaredProperties } from "./declared-properties.js";
import { SEMANTIC_RULES } from "./rules.js";

/** True when the schema and every rule accept `body` (no issue is built); Ajv's verdict where it is true. */
export function passesInviteRequestFast(body: unknown): boolean {
  if (!isInvitePostRequestBody(body)) return false;
  for (const rule of SEMANTIC_RULES) if (rule(body).length > 0) return false;
  return true;
}

/**
 * Resolves when `body` is a valid invite body; rejects with InviteValidationError (every issue, as
 * assertInviteRequest reports them) when it is not. Nothing is sent for an invalid body. As
 * assertInviteRequest does, it warns about each property Graph would ignore (a typo), naming the
 * closest declared one.
 */
export async function checkInviteRequest(body: unknown): Promise<void> {
  if (passesInviteRequestFast(body) && !hasUndeclaredProperties(body)) return;
  const [{ validateInviteRequest }, { warnUnknownProperties }] = await Promise.all([
    import("./validate.js"),
    import("./unknown-properties.js"),
  ]);
  const result = validateInviteRequest(body); // Ajv's verdict is the reference
  if (!result.ok) throw new InviteValidationError(result.issues);
  warnUnknownProperties(result.warnings);
}
