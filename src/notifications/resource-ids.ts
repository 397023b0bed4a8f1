// The call id and operation id a notification's resource path names:
// `/communications/calls/{callId}/operations/{operationId}` or the legacy `/app/calls/{callId}/...`.
// Scanned with indexOf rather than a capturing regex: every callback asks, and the regex match was
// the largest cost of classifying a notification.

const CALLS = "/calls/";
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
  for (let at = path.indexOf(CALLS); at !== -1; at = path.indexOf(CALLS, at + 1)) {
    const start = at + CALLS.length;
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
  const at = path.indexOf(CALLS);
  if (at === -1) return null;
  const start = at + CALLS.length;
  const slash = path.indexOf("/", start);
  const segment = path.slice(start, slash === -1 ? path.length : slash);
  const plain = segment.length > 0 && !segment.includes("?") && !segment.includes("#") && !segment.includes("%");
  return plain && segment !== NOT_AN_ID ? segment : null;
}

/** The call id in resourceUrl, else in resource; null when neither names one. */
export const callIdOf = (resourceUrl: unknown, resource: unknown): string | null =>
  plainCallId(resourceUrl) ?? id(scan(resourceUrl, false)) ?? id(scan(resource, false));

/** The operation id in resourceUrl, else in resource; null when neither names one. */
export const operationIdOf = (resourceUrl: unknown, resource: unknown): string | null =>
  id(scan(resourceUrl, true)) ?? id(scan(resource, true));
