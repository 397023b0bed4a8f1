// parseCommsNotifications: validate a callback body against the spec's commsNotifications schema
// (compiled validators), then classify each notification (classify.ts): an operation, a call, a tone,
// a roster or other.
import { isCommsNotifications } from "../../generated/fast-validators.js";
import {
  MAX_SCHEMA_ERRORS,
  TOO_MANY_ERRORS,
  validateCommsNotification,
  validateCommsNotifications,
  validateNotificationResource,
  type SchemaError,
} from "../../generated/validators.js";
import { NotificationValidationError } from "../errors.js";
import { isObject, type JsonObject as Json } from "../internal/is-object.js";
import { jsonSyntaxProblem } from "../internal/json-syntax.js";
import { NOTIFICATION_RULES, schemaIssues, sortIssues, type NotificationIssue } from "../issues.js";
import { classify, type CallbackEvent } from "./classify.js";
import type { CommsNotification } from "../schema-types.js";

export type {
  CallbackEvent,
  CallEvent,
  EventBase,
  InviteOperationEvent,
  NormalizedChangeType,
  OperationEvent,
  OperationEventOf,
  OperationType,
  OperationTypes,
  OtherEvent,
  RosterEvent,
  ToneEvent,
} from "./classify.js";

// One decoder for every call: a fatal decoder keeps no state between whole-buffer decodes.
const UTF8 = /* @__PURE__ */ new TextDecoder("utf-8", { fatal: true });

function decode(body: string | Uint8Array): unknown {
  try {
    return JSON.parse(typeof body === "string" ? body : UTF8.decode(body)) as unknown;
  } catch (error) {
    const problem = error instanceof TypeError ? "is not UTF-8" : `is not JSON: ${jsonSyntaxProblem(error)}`;
    throw new NotificationValidationError([{ path: "", rule: "json", message: problem }]);
  }
}

const prefixed = (prefix: string, errors: readonly SchemaError[]): SchemaError[] =>
  errors.map((e) => ({ ...e, instancePath: `${prefix}${e.instancePath}` }));

/**
 * Errors of one resourceData entity: the NotificationResource validator checks the one branch its
 * `@odata.type` selects (a tagged union, compiled as if/then/else), so its errors name the field.
 */
function entityErrors(entity: unknown, path: string): SchemaError[] {
  const type = isObject(entity) ? entity["@odata.type"] : undefined;
  if (isObject(entity) && typeof type === "string" && type.startsWith("#microsoft.graph.")) {
    if (validateNotificationResource(entity)) return [];
    // The if/then/else chain's own "must match then schema" errors say nothing the branch's do not.
    return prefixed(
      path,
      (validateNotificationResource.errors ?? []).filter((e) => e.keyword !== "if"),
    );
  }
  const schemaPath = "#/$defs/NotificationResource";
  if (!isObject(entity)) return [{ instancePath: path, schemaPath, keyword: "type", params: { type: "object" } }];
  return [
    {
      instancePath: path,
      schemaPath,
      keyword: "oneOf",
      params: {},
      message: 'must have an "@odata.type" starting "#microsoft.graph."',
    },
  ];
}

/**
 * The batch validator reports every branch of the resourceData union; re-check each failing
 * notification's resourceData against the one schema its `@odata.type` selects, for errors that
 * name the field that is wrong. Lazy, so a body of many bad items stops at MAX_SCHEMA_ERRORS.
 */
function* notificationErrors(batch: Json & { value: unknown[] }): Generator<SchemaError> {
  for (const error of validateCommsNotifications.errors ?? []) {
    if (!error.instancePath.startsWith("/value/") && error !== TOO_MANY_ERRORS) yield error;
  }
  for (const [i, notification] of batch.value.entries()) {
    if (validateCommsNotification(notification)) continue;
    const at = `/value/${i}`;
    let resourceDataFailed = false;
    for (const error of prefixed(at, validateCommsNotification.errors ?? [])) {
      if (error.instancePath.startsWith(`${at}/resourceData`)) resourceDataFailed = true;
      else yield error;
    }
    if (!resourceDataFailed) continue;
    const data = (notification as Json).resourceData;
    if (!Array.isArray(data)) yield* entityErrors(data, `${at}/resourceData`);
    else for (const [j, item] of data.entries()) yield* entityErrors(item, `${at}/resourceData/${j}`);
  }
}

function focusedErrors(batch: unknown): SchemaError[] {
  if (!isObject(batch) || !Array.isArray(batch.value)) return validateCommsNotifications.errors ?? [];
  const errors: SchemaError[] = [];
  for (const error of notificationErrors(batch as Json & { value: unknown[] })) {
    errors.push(errors.length === MAX_SCHEMA_ERRORS ? TOO_MANY_ERRORS : error);
    if (errors.length > MAX_SCHEMA_ERRORS) break;
  }
  return errors;
}

/**
 * Parses a commsNotifications callback body (a parsed object, a JSON string or its UTF-8 bytes).
 * Returns one event per notification, in order. Throws NotificationValidationError, and nothing
 * else, for input that is not JSON or breaks the schema. Never mutates the input.
 * @example
 * ```ts
 * for (const event of parseCommsNotifications(await request.text())) {
 *   if (event.kind === "operation") console.log(event.operationType, event.status, event.clientContext);
 * }
 * ```
 */
export function parseCommsNotifications(body: unknown): CallbackEvent[] {
  const fromJson = typeof body === "string" || body instanceof Uint8Array;
  const batch = fromJson ? decode(body) : body;
  // What JSON.parse made gets the fast verdict first; Ajv, the reference, decides anything else and
  // writes the report on a refusal (the differential test holds both to one verdict).
  if (!(fromJson && isCommsNotifications(batch)) && !validateCommsNotifications(batch)) {
    const issues = schemaIssues<"schema">(focusedErrors(batch), () => "schema");
    throw new NotificationValidationError(sortIssues<NotificationIssue["rule"]>(issues, NOTIFICATION_RULES));
  }
  // An index loop, not map (a caller's array may carry an own `constructor`, which map would call)
  // nor Array.from (its generic iteration is the slowest part of a parse)
  const notifications = (batch as { value: CommsNotification[] }).value;
  const events: CallbackEvent[] = [];
  for (let i = 0; i < notifications.length; i++) events.push(classify(notifications[i]!));
  return events;
}
