// isThenable: what the client (and the endpoint, tracker and verifier) waits for when caller code
// returns it: a promise or any object with a then method, and nothing else.
import { describe, expect, it } from "vitest";
import { isThenable } from "../../src/internal/thenable.js";

describe("isThenable", () => {
  it("is true for a promise and for any object or function with a then method", () => {
    const thenableFunction = Object.assign(() => {}, { then: () => {} });
    for (const value of [Promise.resolve(1), { then: () => {} }, thenableFunction]) {
      expect(isThenable(value)).toBe(true);
    }
  });

  it("is false for values without a then method: undefined, null, a string, an object whose then is not a function", () => {
    for (const value of [undefined, null, "then", 42, {}, { then: "later" }, { then: null }]) {
      expect(isThenable(value), String(value)).toBe(false);
    }
  });
});
