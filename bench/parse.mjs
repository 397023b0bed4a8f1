// 1. Callback parsing: parseCommsNotifications(string) on the docs' completed-operation callback, vs
// JSON.parse alone (the floor), a zod 4 schema of the same shape, and Kiota's JSON parse node with
// @microsoft/msgraph-sdk's models. Also: does each accept a malformed payload?
import { readFileSync } from "node:fs";
import { JsonParseNode } from "@microsoft/kiota-serialization-json";
import { createInviteParticipantsOperationFromDiscriminatorValue } from "@microsoft/msgraph-sdk/models/index.js";
import { z } from "zod";
import { build } from "esbuild";
import { parseCommsNotifications } from "../dist/index.js";
import { row, throughput } from "./lib.mjs";

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

export async function benchParse() {
  const floor = throughput(() => JSON.parse(text));
  const ours = throughput(() => parseCommsNotifications(text));
  // The ceiling for a parse that validates the whole payload: the compiled validator, nothing else.
  // The shipped validator alone: bundled inside dist/, so compiled here from the same source.
  const { outputFiles } = await build({
    entryPoints: [new URL("../generated/validators.ts", import.meta.url).pathname],
    bundle: true,
    format: "esm",
    write: false,
  });
  const { validateCommsNotifications } = await import(
    `data:text/javascript;base64,${Buffer.from(outputFiles[0].text).toString("base64")}`
  );
  const validated = throughput(() => validateCommsNotifications(JSON.parse(text)));
  const zod = throughput(() => zodNotifications.parse(JSON.parse(text)));
  const kiota = throughput(() => kiotaParse(text));
  const section = "Callback parsing (docs' completed-operation callback, parses/s)";
  return [
    row(section, "JSON.parse alone (floor)", floor, "ops/s", floor, { extra: { acceptsMalformed: true } }),
    row(section, "parseCommsNotifications(string)", ours, "ops/s", floor, {
      target: 0.85,
      extra: { acceptsMalformed: accepts(parseCommsNotifications) },
    }),
    row(section, "JSON.parse + the compiled validator only (no events)", validated, "ops/s", floor),
    row(section, "zod 4 schema of the same shape", zod, "ops/s", floor, {
      extra: { acceptsMalformed: accepts((t) => zodNotifications.parse(JSON.parse(t))) },
    }),
    row(section, "Kiota JsonParseNode + msgraph-sdk models", kiota, "ops/s", floor, {
      extra: { acceptsMalformed: accepts(kiotaParse) },
    }),
  ];
}
