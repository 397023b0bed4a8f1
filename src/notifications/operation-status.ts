// An operation's status in the docs' lowercase camelCase, whatever casing arrived. A leaf: the
// parser, the trackers and the invite client all read statuses with it.

/** Operation status in the docs' lowercase camelCase, whatever casing arrived. */
export type NormalizedOperationStatus = "notStarted" | "running" | "completed" | "failed" | "unknownFutureValue";

/** "Completed" → "completed"; a value that arrives lowercase (the usual case) is returned as it is. */
export function lowerFirst<T extends string>(s: string): T {
  const first = s.charCodeAt(0);
  return (first >= 0x41 && first <= 0x5a ? String.fromCharCode(first + 0x20) + s.slice(1) : s) as T; // A-Z
}

/** An operation's status, normalized: `null` or absent is not final yet, so `running`. */
export const operationStatus = (status: string | null | undefined): NormalizedOperationStatus =>
  typeof status === "string" ? lowerFirst<NormalizedOperationStatus>(status) : "running";
