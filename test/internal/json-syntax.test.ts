// jsonSyntaxProblem, the "is not JSON: ..." text of the notification parser, the endpoints and the CLI:
// where the text stops being JSON (a position, or its end), in the words of any runtime's JSON.parse,
// and never a character of the input (the runtimes' own messages quote it).
import { describe, expect, it } from "vitest";
import { jsonSyntaxProblem } from "../../src/internal/json-syntax.js";

/** The SyntaxError this runtime's JSON.parse throws for `text`. */
function refusal(text: string): unknown {
  try {
    JSON.parse(text);
  } catch (error) {
    return error;
  }
  throw new Error(`${text} parsed`);
}

describe("jsonSyntaxProblem", () => {
  it("gives the position where the text stops being JSON, however many digits", () => {
    expect(jsonSyntaxProblem(refusal("{not json"))).toBe("invalid at position 1");
    expect(jsonSyntaxProblem(refusal('{"a":1}x'))).toBe("invalid at position 7");
    expect(jsonSyntaxProblem(refusal(`[${"1,".repeat(600)}1] x`))).toBe("invalid at position 1204");
  });

  it("says the input ended early, in V8's, JavaScriptCore's and SpiderMonkey's words", () => {
    expect(jsonSyntaxProblem(refusal(""))).toBe("unexpected end of input"); // V8: "Unexpected end of JSON input"
    for (const message of [
      "JSON Parse error: Unexpected EOF", // JavaScriptCore (Bun)
      "JSON Parse error: Unterminated string", // JavaScriptCore
      "JSON.parse: unexpected end of data at line 1 column 1 of the JSON data", // SpiderMonkey
    ])
      expect(jsonSyntaxProblem(new SyntaxError(message)), message).toBe("unexpected end of input");
  });

  it("says only invalid when the parser names no position, and never repeats the input", () => {
    const error = refusal("secret-token");
    expect((error as Error).message).toContain("secret-token"); // what the runtime itself would print
    expect(jsonSyntaxProblem(error)).toBe("invalid");
    expect(jsonSyntaxProblem(new SyntaxError('JSON Parse error: Unexpected identifier "secret"'))).toBe("invalid");
    expect(jsonSyntaxProblem("not an error")).toBe("invalid");
  });
});
