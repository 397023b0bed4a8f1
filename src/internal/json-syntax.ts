// Says where text stops being JSON without quoting it: runtimes' JSON.parse messages repeat the
// input ('Unexpected token 'a', "abc..." is not valid JSON'), which may be a secret or a file's content.

/** "at position 12", "unexpected end", or "invalid", from a JSON.parse SyntaxError; never any of the input. */
export function jsonSyntaxProblem(error: unknown): string {
  // Stryker disable next-line StringLiteral: any text naming no position and no end of input gives "invalid", as "" does
  const message = error instanceof Error ? error.message : "";
  const position = /position (\d+)/.exec(message)?.[1];
  if (position !== undefined) return `invalid at position ${position}`;
  if (/end of (JSON )?(input|data)|unterminated|EOF/i.test(message)) return "unexpected end of input";
  return "invalid";
}
