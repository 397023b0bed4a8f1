// The call id and operation id a notification's resource path names:
// `/communications/calls/{callId}/operations/{operationId}`, the legacy `/app/calls/{callId}/...`, and
// either without its leading slash (participant-startholdmusic.md's notification sends
// `communications/calls/...`), down to a bare `calls/{callId}`.
// Scanned with indexOf rather than a capturing regex: every callback asks, and the regex match was
// the largest cost of classifying a notification.

const CALLS = "/calls/";
const BARE_CALLS = "calls/";

/** Where the id after the first `/calls/` (or a leading `calls/`) starts; -1 when there is none. */
function firstIdStart(path: string): number {
  if (path.startsWith(BARE_CALLS)) return BARE_CALLS.length;
  const at = path.indexOf(CALLS);
  return at === -1 ? -1 : at + CALLS.length;
}

/** Where the id after the next `/calls/` past `start` starts; -1 when there is none. */
function nextIdStart(path: string, start: number): number {
  const at = path.indexOf(CALLS, start);
  return at === -1 ? -1 : at + CALLS.length;
}
const OPERATIONS = "/operations/";
// The docs' Example 2 names `.../operations/participants`, which is no operation id.
const NOT_AN_ID = "participants";

/** Where the run of characters other than `/`, `?` and `#` starting at `start` ends. */
function segmentEnd(path: string, start: number): number {
  let end = start;
  while (end < path.length) {
    const c = path.charCodeAt(end);
    if (c === 0x2f || c === 0x3f || c === 0x23) break; // / ? #
    end++;
  }
  return end;
}

/** A percent-encoded path segment, decoded; kept as sent when it is not valid percent-encoding. */
function decodeSegment(segment: string): string {
  // Stryker disable next-line ConditionalExpression,StringLiteral: decodeURIComponent returns a segment without "%" as it is; the check only saves the call
  if (!segment.includes("%")) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const id = (segment: string | null): string | null =>
  // (a comparison, not a Set: hashing each fresh id string cost more than the scan)
  segment === null || segment === NOT_AN_ID ? null : decodeSegment(segment);

/** The first non-empty segment after a `/calls/`; with `operations`, the one after `/calls/{id}/operations/`. */
function scan(path: unknown, operations: boolean): string | null {
  if (typeof path !== "string") return null;
  // The next search starts one before the id: the `/` that ended `/calls/` may begin the next `/calls/`.
  for (let start = firstIdStart(path); start !== -1; start = nextIdStart(path, start - 1)) {
    const end = segmentEnd(path, start);
    if (end === start) continue;
    if (!operations) return path.slice(start, end);
    if (!path.startsWith(OPERATIONS, end)) continue;
    const opStart = end + OPERATIONS.length;
    const opEnd = segmentEnd(path, opStart);
    if (opEnd > opStart) return path.slice(opStart, opEnd);
  }
  return null;
}

/**
 * The usual case, a plain id (no `?`, `#` or `%`) after the first `/calls/`, found with builtin
 * searches only (measured: a character loop over the id costs twice as much); null otherwise.
 */
function plainCallId(path: unknown): string | null {
  if (typeof path !== "string") return null;
  const start = firstIdStart(path);
  if (start === -1) return null;
  const slash = path.indexOf("/", start);
  const segment = path.slice(start, slash === -1 ? path.length : slash);
  const plain = segment.length > 0 && !segment.includes("?") && !segment.includes("#") && !segment.includes("%");
  return plain && segment !== NOT_AN_ID ? segment : null;
}

/**
 * The call id a notification names: in `resourceUrl`, else in `resource` (the legacy `/app/calls/...`
 * path); null when neither names one. Percent-decoded; returned as sent otherwise (compare ids with
 * {@link sameGraphId}: Graph writes the same GUID upper-case without dashes in some callbacks).
 *
 * @example
 * ```ts
 * callIdOf("communications/calls/e141b67c-90fd-455d-858b-b48a40b9cc8d/operations/0fe0"); // "e141b67c-..."
 * ```
 */
export const callIdOf = (resourceUrl: unknown, resource?: unknown): string | null =>
  plainCallId(resourceUrl) ?? id(scan(resourceUrl, false)) ?? id(scan(resource, false));

/** The operation id (after `/calls/{callId}/operations/`) in resourceUrl, else in resource; null when neither names one. */
export const operationIdOf = (resourceUrl: unknown, resource?: unknown): string | null =>
  id(scan(resourceUrl, true)) ?? id(scan(resource, true));
