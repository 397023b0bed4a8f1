// 1. Callback parsing: parseCommsNotifications(string and bytes) on the docs' completed-operation
// callback, vs JSON.parse alone (the floor), each shipped validator alone, a zod 4 schema of the same
// shape, and Kiota's JSON parse node with @microsoft/msgraph-sdk's models. Also: does each accept a
// malformed payload?
import { readFileSync } from "node:fs";
import { JsonParseNode } from "@microsoft/kiota-serialization-json";
import { createInviteParticipantsOperationFromDiscriminatorValue } from "@microsoft/msgraph-sdk/models/index.js";
import { z } from "zod";
import { build } from "esbuild";
import { parseCommsNotifications } from "../dist/index.js";
import { compareSync, row } from "./lib.mjs";

const text = readFileSync(
  new URL("../test/fixtures/docs/example1-notification-operation-completed.json", import.meta.url),
  "utf8",
);
const malformed = JSON.stringify({
  value: [
    {
      changeType: "deleted",
      resourceData: { "@odata.type": "#microsoft.graph.inviteParticipantsOperation", status: 42 },
    },
  ],
});

const graphType = (t) => z.literal(`#microsoft.graph.${t}`).optional();
const nullable = (s) => s.nullable().optional();
const identity = z.looseObject({
  "@odata.type": z.string().optional(),
  id: nullable(z.string()),
  displayName: nullable(z.string()),
});
const identitySet = z.looseObject({
  "@odata.type": z.string().optional(),
  ...Object.fromEntries(
    ["application", "device", "user", "phone", "guest", "applicationInstance", "encrypted", "onPremises"].map((k) => [
      k,
      nullable(identity),
    ]),
  ),
});
const status = z.enum([
  "notStarted",
  "running",
  "completed",
  "failed",
  "unknownFutureValue",
  "NotStarted",
  "Running",
  "Completed",
  "Failed",
  "UnknownFutureValue",
]);
const operation = z.looseObject({
  "@odata.type": z.literal("#microsoft.graph.inviteParticipantsOperation"),
  id: nullable(z.string()),
  clientContext: nullable(z.string().max(256)),
  status,
  resultInfo: nullable(
    z.looseObject({ code: z.number().int(), subcode: nullable(z.number().int()), message: nullable(z.string()) }),
  ),
  participants: z
    .array(z.looseObject({ "@odata.type": graphType("invitationParticipantInfo"), identity: identitySet }))
    .optional(),
});
const participant = z.looseObject({
  "@odata.type": z.literal("#microsoft.graph.participant"),
  info: z.looseObject({ identity: identitySet }),
  isMuted: z.boolean(),
});
const other = z.looseObject({ "@odata.type": z.string().regex(/^#microsoft\.graph\./) });
const entity = z.union([operation, participant, other]);
const zodNotifications = z.looseObject({
  value: z.array(
    z.looseObject({
      changeType: z.enum(["created", "updated", "deleted", "Created", "Updated", "Deleted"]),
      resourceUrl: z.string().min(1),
      resource: z.string().optional(),
      resourceData: z.union([entity, z.array(entity)]).optional(),
    }),
  ),
});

// Kiota has no commsNotification model; this factory is the one it would generate, in its style
// (a deserializer map), with resourceData read through msgraph-sdk's inviteParticipantsOperation.
const createCommsNotificationFromDiscriminatorValue = () => (notification) => ({
  changeType: (n) => void (notification.changeType = n.getStringValue()),
  resourceUrl: (n) => void (notification.resourceUrl = n.getStringValue()),
  resource: (n) => void (notification.resource = n.getStringValue()),
  resourceData: (n) =>
    void (notification.resourceData = n.getObjectValue(createInviteParticipantsOperationFromDiscriminatorValue)),
});

function kiotaParse(json) {
  return new JsonParseNode(JSON.parse(json))
    .getChildNode("value")
    ?.getCollectionOfObjectValues(createCommsNotificationFromDiscriminatorValue);
}

const accepts = (fn) => {
  try {
    fn(malformed);
    return true;
  } catch {
    return false;
  }
};

/** A generated validator module, compiled here from its source (dist/ bundles it out of reach). */
async function compiledModule(file) {
  const { outputFiles } = await build({
    entryPoints: [new URL(`../generated/${file}`, import.meta.url).pathname],
    bundle: true,
    format: "esm",
    write: false,
  });
  return import(`data:text/javascript;base64,${Buffer.from(outputFiles[0].text).toString("base64")}`);
}

export async function benchParse() {
  const { validateCommsNotifications } = await compiledModule("validators.ts");
  const { isCommsNotifications } = await compiledModule("fast-validators.ts");
  const bytes = new TextEncoder().encode(text);
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  // Interleaved rounds: every row of this section sees the same machine state.
  const r = compareSync({
    floor: () => JSON.parse(text),
    bytesFloor: () => JSON.parse(utf8.decode(bytes)),
    fast: () => isCommsNotifications(JSON.parse(text)),
    ajv: () => validateCommsNotifications(JSON.parse(text)),
    text: () => parseCommsNotifications(text),
    bytes: () => parseCommsNotifications(bytes),
    zod: () => zodNotifications.parse(JSON.parse(text)),
    kiota: () => kiotaParse(text),
  });
  const section = "Callback parsing (docs' completed-operation callback, parses/s, median of 15 interleaved rounds)";
  const floor = r.floor;
  return [
    row(section, "JSON.parse alone (floor)", floor, "ops/s", floor, { extra: { acceptsMalformed: true } }),
    row(section, "JSON.parse + the fast callback validator (schemasafe, shipped)", r.fast, "ops/s", floor, {
      target: 0.88,
    }),
    row(section, "JSON.parse + the Ajv validator (shipped for error reports)", r.ajv, "ops/s", floor),
    row(section, "parseCommsNotifications(string)", r.text, "ops/s", floor, {
      target: 0.82,
      extra: {
        stretch: 0.85,
        meetsStretch: r.text / floor >= 0.85,
        acceptsMalformed: accepts(parseCommsNotifications),
        // the package's own work per parse (checking and classifying), beside JSON.parse's
        overheadUs: 1e6 / r.text - 1e6 / floor,
      },
    }),
    row(section, "TextDecoder + JSON.parse (bytes floor)", r.bytesFloor, "ops/s", floor),
    row(section, "parseCommsNotifications(bytes)", r.bytes, "ops/s", floor, {
      target: 0.72,
      // the same work as the string's (overheadUs): the target is the bytes floor's ratio times the string's
      extra: { ofBytesFloor: r.bytes / r.bytesFloor, overheadUs: 1e6 / r.bytes - 1e6 / r.bytesFloor },
    }),
    row(section, "zod 4 schema of the same shape", r.zod, "ops/s", floor, {
      extra: { acceptsMalformed: accepts((t) => zodNotifications.parse(JSON.parse(t))) },
    }),
    row(section, "Kiota JsonParseNode + msgraph-sdk models", r.kiota, "ops/s", floor, {
      extra: { acceptsMalformed: accepts(kiotaParse) },
    }),
  ];
}
