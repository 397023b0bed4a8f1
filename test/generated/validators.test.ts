// The shipped validators are compiled from a faster but equivalent form of the spec: tagged oneOfs
// as if/then/else chains, without Ajv2020's unevaluated/dynamic bookkeeping. They must give the
// verdict Ajv gives on the spec as written, on every input.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as shipped from "../../generated/validators.js";
import { createAjv } from "../../scripts/generate/ajv.mjs";
import { loadSpec, schemaBundle, SCHEMAS_ID } from "../../scripts/generate/spec.mjs";
import { compileTaggedUnions } from "../../scripts/generate/tagged-unions.mjs";
import { docsPayload } from "../fixtures/docs.js";
import { graphSentPayloads } from "../fixtures/graph.js";
import { SEED, runs } from "../support/fuzz.js";
import { hostileValue, plantedIn } from "../support/hostile.js";

const reference = createAjv();
reference.addSchema(schemaBundle(loadSpec()));
const asWritten = (name: string) => reference.getSchema(`${SCHEMAS_ID}#/$defs/${name}`)!;

const OPERATION = "#microsoft.graph.inviteParticipantsOperation";
const PARTICIPANT = "#microsoft.graph.participant";
const tags = fc.constantFrom<unknown>(OPERATION, PARTICIPANT, "#microsoft.graph.call", "#microsoft.graph.commsOperation", "microsoft.graph.call", "", 42, null, undefined);

const operation = (docsPayload(1, "notification-operation-completed") as { value: Array<{ resourceData: object }> }).value[0]!.resourceData;
const roster = (docsPayload(2, "notification-roster-updated") as { value: Array<{ resourceData: object[] }> }).value[0]!.resourceData[0]!;

/** An entity with any tag (or none) over any body: an operation's, a participant's, both or neither. */
const entity = fc
  .tuple(tags, fc.constantFrom<object>(operation, roster, { ...operation, ...roster }, {}), fc.subarray(["status", "info", "isMuted", "id"]))
  .map(([tag, body, dropped]) => {
    const copy = structuredClone(body) as Record<string, unknown>;
    for (const key of dropped) delete copy[key];
    if (tag === undefined) delete copy["@odata.type"];
    else copy["@odata.type"] = tag;
    return copy;
  });
const notifications = fc
  .array(fc.oneof(entity, fc.array(entity, { maxLength: 3 })), { minLength: 1, maxLength: 3 })
  .map((data) => ({ value: data.map((resourceData) => ({ changeType: "deleted", resourceUrl: "/communications/calls/c", resourceData })) }));

describe("the shipped validators", () => {
  it("give Ajv's verdict on the spec as written, for entities of every tag", () => {
    fc.assert(
      fc.property(notifications, (batch) => {
        expect(shipped.validateCommsNotifications(batch)).toBe(asWritten("CommsNotifications")(batch));
      }),
      { seed: SEED, numRuns: runs(2_000) },
    );
  });

  it("give Ajv's verdict on the spec as written, for hostile values planted in every docs payload", () => {
    const pairs = [
      [shipped.validateCommsNotifications, "CommsNotifications", docsPayload(1, "notification-operation-completed")],
      [shipped.validateCommsNotifications, "CommsNotifications", docsPayload(2, "notification-roster-updated")],
      [shipped.validateInvitePostRequestBody, "InvitePostRequestBody", docsPayload(1, "request")],
      [shipped.validateInviteParticipantsOperation, "InviteParticipantsOperation", docsPayload(1, "response")],
      [shipped.validateODataError, "ODataError", { error: { code: "x", message: "y" } }],
    ] as const;
    for (const [validate, name, payload] of pairs) {
      fc.assert(
        fc.property(fc.oneof(plantedIn(payload), hostileValue), (data) => {
          expect(validate(data)).toBe(asWritten(name)(data));
        }),
        { seed: SEED, numRuns: runs(1_000) },
      );
    }
  });

  it("give Ajv's verdict on the spec as written, for hostile values planted in what Graph may send beyond the docs", () => {
    for (const { name, body } of graphSentPayloads) {
      fc.assert(
        fc.property(fc.oneof(plantedIn(body), fc.constant(body)), (data) => {
          expect(shipped.validateCommsNotifications(data), name).toBe(asWritten("CommsNotifications")(data));
        }),
        { seed: SEED, numRuns: runs(300) },
      );
    }
  });

  it("count string lengths in code points, astral characters included", () => {
    const context = (clientContext: string) => ({ ...(docsPayload(1, "request") as object), clientContext });
    for (const text of ["a".repeat(256), "😀".repeat(256), `${"😀".repeat(255)}ab`, "\uD800".repeat(257), `${"a".repeat(255)}😀`]) {
      expect(shipped.validateInvitePostRequestBody(context(text))).toBe(asWritten("InvitePostRequestBody")(context(text)));
    }
    expect(shipped.validateInvitePostRequestBody(context("😀".repeat(256)))).toBe(true);
    expect(shipped.validateInvitePostRequestBody(context("😀".repeat(257)))).toBe(false);
  });
});

describe("compileTaggedUnions", () => {
  const union = (fallbackExcludes: string[]) => ({
    U: { required: ["@odata.type"], oneOf: [{ $ref: "#/$defs/A" }, { $ref: "#/$defs/B" }, { $ref: "#/$defs/F" }] },
    A: { allOf: [{ properties: { "@odata.type": { const: "a" } } }] },
    B: { properties: { "@odata.type": { const: "b" } } },
    F: { properties: { "@odata.type": { not: { enum: fallbackExcludes } } } },
  });

  it("rewrites a union whose fallback excludes exactly the tagged branches' consts", () => {
    const defs = union(["b", "a"]);
    expect(compileTaggedUnions(defs)).toEqual(["U"]);
    expect(defs.U).toMatchObject({ if: { properties: { "@odata.type": { const: "a" } } }, then: { $ref: "#/$defs/A" }, else: { then: { $ref: "#/$defs/B" }, else: { $ref: "#/$defs/F" } } });
    expect(defs.U).not.toHaveProperty("oneOf");
  });

  it("leaves a union alone when the rewrite would not be equivalent", () => {
    const loose = union(["a"]); // "b" would match both B and the fallback: oneOf refuses it
    const untagged = union(["a", "b"]);
    delete (untagged.U as { required?: string[] }).required; // an untagged A-shaped body may match A alone
    for (const defs of [loose, untagged]) {
      expect(compileTaggedUnions(defs)).toEqual([]);
      expect(defs.U).toHaveProperty("oneOf");
    }
  });
});
