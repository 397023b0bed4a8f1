// The shipped validators are compiled from a faster but equivalent form of the spec: tagged oneOfs
// as if/then/else chains, without Ajv2020's unevaluated/dynamic bookkeeping; the fast callback
// validator (schemasafe) also without patterns a const decides. Each must give the verdict Ajv
// gives on the spec as written, on every input it can receive.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isCommsNotifications } from "../../generated/fast-validators.js";
import * as shipped from "../../generated/validators.js";
import { createAjv } from "../../scripts/generate/ajv.mjs";
import { loadSpec, schemaBundle, SCHEMAS_ID } from "../../scripts/generate/spec.mjs";
import { compileTaggedUnions } from "../../scripts/generate/tagged-unions.mjs";
import { docsPayload } from "../fixtures/docs.js";
import { graphSentPayloads } from "../fixtures/graph.js";
import { SEED, runs } from "../support/fuzz.js";
import { extremeTexts, hostileValue, nearJsonText, plantedIn, safeStringify } from "../support/hostile.js";

const reference = createAjv();
reference.addSchema(schemaBundle(loadSpec()));
const asWritten = (name: string) => reference.getSchema(`${SCHEMAS_ID}#/$defs/${name}`)!;

const OPERATION = "#microsoft.graph.inviteParticipantsOperation";
const PARTICIPANT = "#microsoft.graph.participant";
const tags = fc.constantFrom<unknown>(
  OPERATION,
  PARTICIPANT,
  "#microsoft.graph.call",
  "#microsoft.graph.commsOperation",
  "#microsoft.graph.playPromptOperation",
  "#microsoft.graph.recordOperation",
  "#microsoft.graph.sendDtmfTonesOperation",
  "#microsoft.graph.futureThingOperation",
  "#microsoft.graph.deltaParticipants",
  "#microsoft.graph.contentSharingSession",
  "microsoft.graph.call",
  "",
  42,
  null,
  undefined,
);

const operation = (docsPayload(1, "notification-operation-completed") as { value: Array<{ resourceData: object }> }).value[0]!.resourceData;
const roster = (docsPayload(2, "notification-roster-updated") as { value: Array<{ resourceData: object[] }> }).value[0]!.resourceData[0]!;
const graphSent = (name: string) =>
  (graphSentPayloads.find((p) => p.name === name)!.body as { value: Array<{ resourceData: object }> }).value[0]!.resourceData;
// A call with a termination reason as strings and a tone; a record operation; a deltaParticipants.
const call = { ...graphSent("call-terminated-string-codes"), toneInfo: { sequenceId: 1, tone: "tone1" } };
const record = graphSent("operation-record-canceled");
const delta = graphSent("roster-delta-participants");

/** An entity with any tag (or none) over any body: an operation's, a participant's, both or neither. */
const entity = fc
  .tuple(
    tags,
    fc.constantFrom<object>(operation, roster, { ...operation, ...roster }, call, record, delta, { ...record, ...call }, {}),
    fc.subarray(["status", "info", "isMuted", "id", "resultInfo", "toneInfo", "participants", "completionReason"]),
  )
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
      [shipped.validateNotificationResource, "NotificationResource", call],
      [shipped.validateNotificationResource, "NotificationResource", record],
      [shipped.validateNotificationResource, "NotificationResource", delta],
    ] as const;
    for (const [validate, name, payload] of pairs) {
      fc.assert(
        fc.property(fc.oneof(plantedIn(payload), hostileValue), (data) => {
          expect(validate(data)).toBe(asWritten(name)(data));
        }),
        { seed: SEED, numRuns: runs(1_000) },
      );
    }
  }, 120_000);

  it("give Ajv's verdict on the spec as written, for hostile values planted in what Graph may send beyond the docs", () => {
    for (const { name, body } of graphSentPayloads) {
      fc.assert(
        fc.property(fc.oneof(plantedIn(body), fc.constant(body)), (data) => {
          expect(shipped.validateCommsNotifications(data), name).toBe(asWritten("CommsNotifications")(data));
        }),
        { seed: SEED, numRuns: runs(300) },
      );
    }
  }, 120_000);

  it("count string lengths in code points, astral characters included", () => {
    const context = (clientContext: string) => ({ ...(docsPayload(1, "request") as object), clientContext });
    for (const text of ["a".repeat(256), "😀".repeat(256), `${"😀".repeat(255)}ab`, "\uD800".repeat(257), `${"a".repeat(255)}😀`]) {
      expect(shipped.validateInvitePostRequestBody(context(text))).toBe(asWritten("InvitePostRequestBody")(context(text)));
    }
    expect(shipped.validateInvitePostRequestBody(context("😀".repeat(256)))).toBe(true);
    expect(shipped.validateInvitePostRequestBody(context("😀".repeat(257)))).toBe(false);
  });
});

// The fast validator sees only what JSON.parse made (parseCommsNotifications runs Ajv on anything
// else), so every corpus reaches both validators as JSON text.
const failed = structuredClone(docsPayload(1, "notification-operation-completed")) as {
  value: Array<{ resourceData: Record<string, unknown> }>;
};
Object.assign(failed.value[0]!.resourceData, { status: "failed", resultInfo: { code: 500, subcode: 7, message: "x" } });
const notificationPayloads = [
  docsPayload(1, "notification-operation-completed"),
  failed, // the docs' callback as a failed operation, with the resultInfo Learn's commsOperation describes
  docsPayload(2, "notification-roster-updated"),
  ...graphSentPayloads.map((p) => p.body),
];
// Ajv on the spec as written, stopping at the first error: the same verdict, without allErrors'
// quadratic error gathering on the extremes.
const verdictOnly = createAjv({ allErrors: false });
verdictOnly.addSchema(schemaBundle(loadSpec()));
const ajvVerdict = verdictOnly.getSchema(`${SCHEMAS_ID}#/$defs/CommsNotifications`) as (data: unknown) => boolean;

/** Both validators' verdicts on one JSON text; null when the text is not JSON. */
function verdicts(text: string): { fast: boolean; ajv: boolean } | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  return { fast: isCommsNotifications(parsed), ajv: ajvVerdict(JSON.parse(text)) };
}

describe("the fast callback validator", () => {
  const agrees = (text: string) => {
    const got = verdicts(text);
    if (got) expect(got.fast, text.slice(0, 300)).toBe(got.ajv);
  };

  it("gives Ajv's verdict on the spec as written, for entities of every tag", () => {
    fc.assert(fc.property(notifications.map(safeStringify), agrees), { seed: SEED, numRuns: runs(2_000) });
  });

  // One property per payload, for every kind of notification: room for a loaded machine.
  const PER_PAYLOADS_MS = 120_000;

  it("gives Ajv's verdict on hostile values planted in every docs and Graph-sent payload", () => {
    for (const payload of notificationPayloads) {
      fc.assert(fc.property(fc.oneof(plantedIn(payload), hostileValue).map(safeStringify), agrees), {
        seed: SEED,
        numRuns: runs(1_000),
      });
    }
  }, PER_PAYLOADS_MS);

  it("gives Ajv's verdict on near-JSON text: duplicate keys, flipped characters, truncations", () => {
    for (const payload of notificationPayloads) {
      fc.assert(fc.property(nearJsonText(payload), agrees), { seed: SEED, numRuns: runs(1_000) });
    }
  }, PER_PAYLOADS_MS);

  it("gives Ajv's verdict on the fixed extremes (deep nesting, huge strings and arrays, prototype keys)", () => {
    const payload = docsPayload(1, "notification-operation-completed");
    for (const slot of ["resourceData", "participants", "identity", "clientContext"]) {
      for (const [name, text] of extremeTexts(payload, slot)) {
        const got = verdicts(text);
        if (got) expect(got.fast, name).toBe(got.ajv);
      }
    }
  });

  it("gives Ajv's verdict at the schema's edges, at every place of every docs and Graph-sent payload", () => {
    // int32/int64 limits and one beyond, fractions, -0, lengths at and past maxLength (in code
    // points), empty strings, each enum's casings, tags, and every JSON type.
    const edges = [
      2147483647, 2147483648, -2147483648, -2147483649, 2 ** 63, -(2 ** 63), 2 ** 64, 1.5, -0, 0,
      "", "a".repeat(256), "a".repeat(257), "😀".repeat(256), "😀".repeat(257), "\uD800".repeat(257),
      "completed", "Completed", "COMPLETED", "unknownFutureValue", "deleted", "Deleted",
      "#microsoft.graph.participant", "#microsoft.graph.inviteParticipantsOperation", "#microsoft.graph.call",
      "#microsoft.graph.x", "microsoft.graph.call", null, true, [], {}, [null], [{}],
    ];
    let compared = 0;
    for (const payload of notificationPayloads) {
      const text = JSON.stringify(payload);
      const leaves: string[][] = [];
      const walk = (node: unknown, path: string[]) => {
        if (path.length > 0) leaves.push(path);
        if (node && typeof node === "object") for (const [k, v] of Object.entries(node)) walk(v, [...path, k]);
      };
      walk(payload, []);
      for (const path of leaves) {
        for (const edge of edges) {
          const copy = JSON.parse(text) as Record<string, unknown>;
          let parent = copy;
          for (const k of path.slice(0, -1)) parent = parent[k] as Record<string, unknown>;
          parent[path.at(-1)!] = edge;
          agrees(JSON.stringify(copy));
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(1_000);
  });

  it("accepts every docs and Graph-sent payload, and refuses what Ajv refuses for one wrong field", () => {
    for (const payload of notificationPayloads) expect(isCommsNotifications(payload)).toBe(true);
    const wrong = structuredClone(docsPayload(1, "notification-operation-completed")) as {
      value: Array<{ resourceData: Record<string, unknown> }>;
    };
    wrong.value[0]!.resourceData.status = "Done";
    expect(isCommsNotifications(wrong)).toBe(false);
    expect(asWritten("CommsNotifications")(wrong)).toBe(false);
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
