// Fuzz: validateInviteRequest and assertInviteRequest on hostile values, docs bodies with a hostile
// value planted anywhere, and fixed extremes. validateInviteRequest never throws; assertInviteRequest
// throws InviteValidationError only; neither pollutes a prototype nor mutates its input.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertInviteRequest, INVITE_RULES, InviteValidationError, validateInviteRequest } from "../../../src/index.js";
import { docsPayload } from "../../fixtures/docs.js";
import { EXTREME_CASE_BOUND_MS, fuzz } from "../../support/fuzz.js";
import {
  checkUnmutated,
  deepFreeze,
  expectNoPollution,
  extremeTexts,
  hostileValue,
  plantedIn,
} from "../../support/hostile.js";

const MAX_MS_PER_CASE = 1000;
const bodies = [1, 3, 4, 5].map((n) => docsPayload(n, "request"));

function validatesWithoutThrowing(input: unknown): void {
  const result = validateInviteRequest(input);
  if (!result.ok) {
    expect(result.issues.length).toBeGreaterThan(0);
    for (const issue of result.issues) {
      expect(INVITE_RULES).toContain(issue.rule);
      expect(issue.path === "" || issue.path.startsWith("/")).toBe(true);
      expect(issue.message.length).toBeGreaterThan(0);
    }
  }
  try {
    assertInviteRequest(input);
    expect(result.ok).toBe(true);
  } catch (error) {
    expect(error).toBeInstanceOf(InviteValidationError);
    expect(result.ok).toBe(false);
  }
  expectNoPollution();
}

describe("validateInviteRequest under fuzz", () => {
  it("handles arbitrary values and docs bodies with a hostile value planted anywhere, without mutating them", () => {
    const input = fc.oneof(hostileValue, ...bodies.map(plantedIn));
    const { slowestMs } = fuzz(
      "validateInviteRequest(object)",
      input,
      (value) => checkUnmutated(value, validatesWithoutThrowing),
      3000,
    );
    expect(slowestMs).toBeLessThan(MAX_MS_PER_CASE);
  });

  it.each([...extremeTexts(bodies[0], "participants"), ...extremeTexts(bodies[2], "identity")])(
    "handles %s",
    (_name, text) => {
      const started = performance.now();
      validatesWithoutThrowing(deepFreeze(JSON.parse(text)));
      expect(performance.now() - started).toBeLessThan(EXTREME_CASE_BOUND_MS);
    },
  );

  it("reads a participants array a caller reshaped by index, never through its methods", () => {
    const reshaped = [
      (list: unknown[]) => Object.setPrototypeOf(list, null), // no forEach, no flatMap
      (list: unknown[]) => Object.setPrototypeOf(list, { 0: list[0] }),
      (list: unknown[]) =>
        Object.defineProperty(list, "forEach", {
          value: () => {
            throw new Error("called");
          },
        }),
      (list: unknown[]) => Object.defineProperty(list, "constructor", { value: 1 }),
    ];
    for (const reshape of reshaped) {
      for (const body of bodies) {
        const copy = structuredClone(body) as { participants: unknown[] };
        reshape(copy.participants);
        validatesWithoutThrowing(copy);
      }
    }
  });
});
