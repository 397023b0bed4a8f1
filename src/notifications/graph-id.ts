// Graph ids compared as GUIDs: the same operation or call id arrives as `0fe0623f-d628-42ed-...` in a
// response body and as `0FE0623FD62842ED...` in a callback's resourceUrl (call-playprompt.md,
// call-record.md, call-cancelmediaprocessing.md). A leaf: the parser, the trackers and bots match ids with it.

/** 32 hex digits, as `8-4-4-4-12` with dashes or without, optionally in braces. */
const GUID = /^\{?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})\}?$/i;

/**
 * The key an id is matched by: a GUID in any spelling (either case, with or without dashes or
 * braces) becomes its 32 lower-case hex digits; any other id is returned as it is.
 */
export function graphIdKey(id: string): string {
  const match = GUID.exec(id);
  if (match === null) return id;
  return (match[1]! + match[2]! + match[3]! + match[4]! + match[5]!).toLowerCase();
}

/**
 * Whether two Graph ids name the same thing: equal, or the same GUID in another spelling (case,
 * dashes, braces). `null` or `undefined` matches nothing, not even itself.
 *
 * @example
 * ```ts
 * sameGraphId("0fe0623f-d628-42ed-b4bd-8ac290072cc5", "0FE0623FD62842EDB4BD8AC290072CC5"); // true
 * ```
 */
export function sameGraphId(a: string | null | undefined, b: string | null | undefined): boolean {
  if (typeof a !== "string" || typeof b !== "string") return false;
  return graphIdKey(a) === graphIdKey(b);
}
