// The invite client's check of a body before sending: the verdict-only validator (schemasafe) and the
// documented rules decide a valid body; only a body they refuse loads Ajv's validator (a lazy
// import), which gives the verdict that counts and every issue. So an invite bundle carries Ajv's
// request validator only as a chunk that loads on a refusal.
import { isInvitePostRequestBody } from "../../generated/fast-validators.js";
import { InviteValidationError } from "../errors.js";
import { SEMANTIC_RULES } from "./rules.js";

/** True when the schema and every rule accept `body` (no issue is built); Ajv's verdict where it is true. */
export function passesInviteRequestFast(body: unknown): boolean {
  if (!isInvitePostRequestBody(body)) return false;
  for (const rule of SEMANTIC_RULES) if (rule(body).length > 0) return false;
  return true;
}

/**
 * Resolves when `body` is a valid invite body; rejects with InviteValidationError (every issue, as
 * assertInviteRequest reports them) when it is not. Nothing is sent for an invalid body.
 */
export async function checkInviteRequest(body: unknown): Promise<void> {
  if (passesInviteRequestFast(body)) return;
  const { validateInviteRequest } = await import("./validate.js");
  const result = validateInviteRequest(body); // Ajv's verdict is the reference
  if (!result.ok) throw new InviteValidationError(result.issues);
}
