// Fuzz: parseCommsNotifications on hostile objects, near-JSON text and bytes, and fixed extremes.
// It returns events or throws NotificationValidationError with well-formed issues; it never throws
// anything else, never pollutes a prototype, never mutates its input, and answers in bounded time.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NOTIFICATION_RULES, NotificationValidationError, parseCommsNotifications } from "../../../src/index.js";
import { docsPayload } from "../../fixtures/docs.js";
import { graphSentPayloads } from "../../fixtures/graph.js";
import { EXTREME_CASE_BOUND_MS, fuzz } from "../../support/fuzz.js";
import {
  checkUnmutated,
  expectNoPollution,
  extremeTexts,
  hostileBytes,
  hostileValue,
  nearJsonText,
  plantedIn,
  safeStringify,
} from "../../support/hostile.js";

const MAX_MS_PER_CASE = 1000;
// Room for thousands of cases on a loaded machine (the batch of every kind is 15 notifications).
const FUZZ_TEST_MS = 60_000;
const operation = docsPayload(1, "notification-operation-completed");
const roster = docsPayload(3, "notification-roster-updated");
// One batch of every other kind Microsoft's pages show: call states (resultInfo as strings), a
// tone, operations of other types, rosters that left and deltaParticipants, a type nothing models.
const stream = {
  value: graphSentPayloads
    .filter((p) => /^(call-|tone-|operation-(?!status)|roster-(participant|delta)|other-)/.test(p.name))
    .flatMap((p) => (p.body as { value: unknown[] }).value),
};

/** Parses, and checks what came back or what was thrown. */
function parsesOrRefuses(input: unknown): void {
  try {
    const events = parseCommsNotifications(input);
    expect(Array.isArray(events)).toBe(true);
    for (const event of events) expect(["operation", "call", "tone", "roster", "other"]).toContain(event.kind);
  } catch (error) {
    if (!(error instanceof NotificationValidationError)) throw error;
    expect(error.issues.length).toBeGreaterThan(0);
    for (const issue of error.issues) {
      expect(NOTIFICATION_RULES).toContain(issue.rule);
      expect(issue.path === "" || issue.path.startsWith("/")).toBe(true);
    }
  }
  expectNoPollution();
}

describe("parseCommsNotifications under fuzz", () => {
  it(
    "handles arbitrary values, and payloads with a hostile value planted anywhere, without mutating them",
    () => {
      const input = fc.oneof(hostileValue, plantedIn(operation), plantedIn(roster), plantedIn(stream));
      const { slowestMs } = fuzz(
        "parseCommsNotifications(object)",
        input,
        (value) => checkUnmutated(value, parsesOrRefuses),
        3000,
      );
      expect(slowestMs).toBeLessThan(MAX_MS_PER_CASE);
    },
    FUZZ_TEST_MS,
  );

  it(
    "handles near-JSON text: truncated, flipped, duplicate keys, lone surrogates",
    () => {
      const input = fc.oneof(nearJsonText(operation), nearJsonText(roster), nearJsonText(stream));
      const { slowestMs } = fuzz("parseCommsNotifications(text)", input, parsesOrRefuses, 3000);
      expect(slowestMs).toBeLessThan(MAX_MS_PER_CASE);
    },
    FUZZ_TEST_MS,
  );

  it(
    "gives text, bytes and the parsed object one outcome: the same events or the same issues",
    () => {
      // Text and bytes take the fast validator's verdict; a parsed object takes Ajv's.
      const outcome = (input: unknown) => {
        try {
          return { events: parseCommsNotifications(input) };
        } catch (error) {
          if (!(error instanceof NotificationValidationError)) throw error;
          return { issues: error.issues };
        }
      };
      const input = fc.oneof(
        nearJsonText(operation),
        nearJsonText(roster),
        nearJsonText(stream),
        plantedIn(operation).map(safeStringify),
        plantedIn(stream).map(safeStringify),
      );
      fuzz(
        "parseCommsNotifications: text, bytes and object agree",
        input,
        (text) => {
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            return;
          }
          if (typeof parsed === "string") return; // a string argument is JSON text, not a parsed body
          const fromObject = outcome(parsed);
          expect(outcome(text)).toEqual(fromObject);
          // (UTF-8 cannot carry a lone surrogate: Buffer.from would write U+FFFD instead)
          const bytes = Buffer.from(text);
          if (bytes.toString() === text) expect(outcome(bytes)).toEqual(fromObject);
        },
        2000,
      );
    },
    FUZZ_TEST_MS,
  );

  it("handles arbitrary bytes and invalid UTF-8", () => {
    const { slowestMs } = fuzz("parseCommsNotifications(bytes)", hostileBytes(operation), parsesOrRefuses, 2000);
    expect(slowestMs).toBeLessThan(MAX_MS_PER_CASE);
  });

  it.each([...extremeTexts(operation, "resourceData"), ...extremeTexts(roster, "value")])(
    "handles %s",
    (_name, text) => {
      const started = performance.now();
      parsesOrRefuses(text);
      parsesOrRefuses(Buffer.from(text));
      expect(performance.now() - started).toBeLessThan(EXTREME_CASE_BOUND_MS);
    },
  );

  it("parses the batch of every other kind into one event each, of the kinds it names", () => {
    expect(stream.value.length).toBeGreaterThanOrEqual(14);
    const kinds = new Set(parseCommsNotifications(stream).map((e) => e.kind));
    expect([...kinds].sort()).toEqual(["call", "operation", "other", "roster", "tone"]);
  });

  it("refuses invalid UTF-8 as not JSON, instead of decoding it to U+FFFD", () => {
    const bytes = Buffer.from(JSON.stringify(operation));
    const at = bytes.indexOf("f2fa86af");
    bytes[at] = 0xff;
    expect(() => parseCommsNotifications(bytes)).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ rule: "json" })] }),
    );
  });
});
