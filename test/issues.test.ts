// From Ajv errors to issues: JSON Pointers, one readable message per keyword, the union noise
// dropped, and one stable order (array indexes numerically, then rule order, then message).
import { describe, expect, it } from "vitest";
import type { SchemaError } from "../generated/validators.js";
import { pointer, schemaIssues, sortIssues } from "../src/issues.js";

const error = (
  instancePath: string,
  keyword: string,
  params: Record<string, unknown> = {},
  message?: string,
): SchemaError => ({
  instancePath,
  schemaPath: "#",
  keyword,
  params,
  ...(message === undefined ? {} : { message }),
});
const issuesOf = (...errors: SchemaError[]) => schemaIssues(errors, () => "schema");

describe("pointer", () => {
  it("escapes ~ and / in segments (RFC 6901)", () => {
    expect(pointer("participants", 0, "a/b~c")).toBe("/participants/0/a~1b~0c");
    expect(pointer()).toBe("");
  });
});

describe("schemaIssues", () => {
  it("words each keyword's message, and points at a missing property itself", () => {
    expect(
      issuesOf(
        error("/participants/0", "required", { missingProperty: "identity" }),
        error("/participants/0/@odata.type", "const", { allowedValue: "#microsoft.graph.invitationParticipantInfo" }),
        error("/status", "enum", { allowedValues: ["running", "completed"] }),
        error("/hidden", "type", { type: "boolean,null" }),
        error("/clientContext", "maxLength", {}, "must NOT have more than 256 characters"),
        error("/x", "pattern", {}),
      ),
    ).toEqual([
      { path: "/participants/0/identity", rule: "schema", message: "is required (required)" },
      {
        path: "/participants/0/@odata.type",
        rule: "schema",
        message: 'must be "#microsoft.graph.invitationParticipantInfo" (const)',
      },
      { path: "/status", rule: "schema", message: 'must be one of "running", "completed" (enum)' },
      { path: "/hidden", rule: "schema", message: "must be boolean or null (type)" },
      { path: "/clientContext", rule: "schema", message: "must NOT have more than 256 characters (maxLength)" },
      { path: "/x", rule: "schema", message: "is invalid (pattern)" },
    ]);
  });

  it("drops a nullable union's null branch and its anyOf when the other branch explains the failure", () => {
    expect(
      issuesOf(
        error("/identity/user/id", "type", { type: "string" }),
        error("/identity/user", "type", { type: "null" }),
        error("/identity/user", "anyOf"),
      ),
    ).toEqual([{ path: "/identity/user/id", rule: "schema", message: "must be string (type)" }]);
  });

  it("keeps an anyOf that nothing at or below it explains, even with errors beside it", () => {
    expect(
      issuesOf(
        error("/a", "anyOf", {}, "must match a schema in anyOf"),
        error("/ab", "type", { type: "string" }),
        error("/b/c", "type", { type: "string" }),
      ).map((i) => `${i.path} ${i.message}`),
    ).toEqual(["/a must match a schema in anyOf (anyOf)", "/ab must be string (type)", "/b/c must be string (type)"]);
    expect(
      issuesOf(error("/a", "anyOf"), error("/a", "required", { missingProperty: "id" })).map((i) => i.path),
    ).toEqual(["/a/id"]);
    expect(issuesOf(error("", "anyOf"), error("/x", "type", { type: "string" })).map((i) => i.path)).toEqual(["/x"]);
  });

  it("leaves out the errors ruleFor maps to null, and uses the rule it returns", () => {
    const issues = schemaIssues([error("/a", "maxLength"), error("/b", "minItems")], (e) =>
      e.keyword === "maxLength" ? null : "participants.minItems",
    );
    expect(issues).toEqual([{ path: "/b", rule: "participants.minItems", message: "is invalid (minItems)" }]);
  });
});

describe("sortIssues", () => {
  const RULES = ["b-rule", "a-rule"] as const;
  const issue = (path: string, rule: (typeof RULES)[number] = "a-rule", message = "m") => ({ path, rule, message });

  it("orders by path, with array indexes as numbers and parents first", () => {
    const sorted = sortIssues(
      [issue("/p/10"), issue("/p/9/x"), issue("/p/9"), issue("/q"), issue("/p/b"), issue("/p/a"), issue("")],
      RULES,
    );
    expect(sorted.map((i) => i.path)).toEqual(["", "/p/9", "/p/9/x", "/p/10", "/p/a", "/p/b", "/q"]);
  });

  it("puts an index before a name at the same place, whichever comes first", () => {
    for (const input of [
      [issue("/p/a"), issue("/p/1")],
      [issue("/p/1"), issue("/p/a")],
    ]) {
      expect(sortIssues(input, RULES).map((i) => i.path)).toEqual(["/p/1", "/p/a"]);
    }
  });

  it("then by the order of the rules, then by message; and drops exact duplicates", () => {
    const sorted = sortIssues(
      [issue("/p", "a-rule", "z"), issue("/p", "a-rule", "y"), issue("/p", "b-rule", "z"), issue("/p", "a-rule", "y")],
      RULES,
    );
    expect(sorted.map((i) => `${i.rule} ${i.message}`)).toEqual(["b-rule z", "a-rule y", "a-rule z"]);
    const messages = ["d", "c", "b", "a", "e"].map((m) => issue("/p", "a-rule", m));
    expect(sortIssues(messages, RULES).map((i) => i.message)).toEqual(["a", "b", "c", "d", "e"]);
  });
});
