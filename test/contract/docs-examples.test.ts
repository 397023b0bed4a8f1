// Every payload from the docs validates against the schema it is an instance of, and the spec's
// named examples are exactly those payloads.
import { describe, expect, it } from "vitest";
import {
  validateCommsNotifications,
  validateInviteParticipantsOperation,
  validateInvitePostRequestBody,
  type SchemaValidator,
} from "../../generated/validators.js";
import { loadSpec } from "../../scripts/generate/spec.mjs";
import { docsPayload, docsPayloads, type DocsKind } from "../fixtures/docs.js";

const schemaFor: Record<DocsKind, [string, SchemaValidator]> = {
  request: ["InvitePostRequestBody", validateInvitePostRequestBody],
  response: ["InviteParticipantsOperation", validateInviteParticipantsOperation],
  "notification-operation-completed": ["CommsNotifications", validateCommsNotifications],
  "notification-roster-updated": ["CommsNotifications", validateCommsNotifications],
};

describe("docs payloads validate against their schema", () => {
  it("covers the 20 payloads of the five docs examples", () => {
    expect(docsPayloads).toHaveLength(20);
  });

  for (const payload of docsPayloads) {
    const [schema, validate] = schemaFor[payload.kind];
    it(`${payload.file} validates against ${schema}`, () => {
      const ok = validate(payload.json);
      expect(validate.errors ?? null).toBeNull();
      expect(ok).toBe(true);
    });
  }
});

describe("the spec's named examples", () => {
  const spec = loadSpec();
  const examples = spec.components.examples as Record<string, { value: unknown }>;
  const requestExamples = spec.components.requestBodies.InviteParticipants.content["application/json"].examples;

  const cases: Array<[string, number, DocsKind]> = [];
  for (const n of [1, 2, 3, 4, 5]) {
    if (n !== 2) cases.push([`Example${n}Request`, n, "request"]);
    cases.push([`Example${n}Response`, n, "response"]);
    cases.push([`Example${n}NotificationOperationCompleted`, n, "notification-operation-completed"]);
    cases.push([`Example${n}NotificationRosterUpdated`, n, "notification-roster-updated"]);
  }
  for (const [name, n, kind] of cases) {
    it(`${name} equals test/fixtures/docs/example${n}-${kind}.json`, () => {
      expect(examples[name]?.value).toEqual(docsPayload(n, kind));
    });
  }

  it("keeps the docs' Example 2 request (two participants with replacesCallId) out of the request examples", () => {
    expect(Object.keys(examples)).not.toContain("Example2Request");
    const refs = Object.values(requestExamples as Record<string, { $ref: string }>).map((e) => e.$ref);
    expect(refs).toEqual([
      "#/components/examples/Example1Request",
      "#/components/examples/Example3Request",
      "#/components/examples/Example4Request",
      "#/components/examples/Example5Request",
    ]);
  });
});
