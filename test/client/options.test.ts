// Every option of createInviteClient and createGraphClient that gates a check is checked at
// construction: a wrong one is a TypeError or RangeError naming it, and the message never repeats a
// base URL (it may carry credentials).
import { describe, expect, it } from "vitest";
import { createInviteClient, GRAPH_V1, type InviteClientOptions } from "../../src/index.js";
import { createGraphClient } from "../../src/graph/index.js";

const getToken = () => "token";
const SECRET = "hunter2-secret";

const construct = (options: unknown) => () => createInviteClient(options as InviteClientOptions);

describe("createInviteClient and createGraphClient refuse options that would skip or break a check", () => {
  it("refuses missing or non-object options, and a getToken that is not a function", () => {
    for (const options of [undefined, null, "x", 42]) {
      expect(construct(options), String(options)).toThrow(/^createInviteClient: options must be an object/);
      expect(() => createGraphClient(options as never)).toThrow(/^createGraphClient: options must be an object/);
    }
    for (const bad of [undefined, null, "token", 42, {}]) {
      expect(construct({ getToken: bad }), String(bad)).toThrow(
        new TypeError(
          `createInviteClient: options.getToken must be a function returning a token (got ${bad === null ? "null" : typeof bad})`,
        ),
      );
      expect(() => createGraphClient({ getToken: bad as never })).toThrow(/createGraphClient: options\.getToken/);
    }
  });

  it("refuses a baseUrl with credentials, without repeating them", () => {
    for (const baseUrl of [
      `https://user:${SECRET}@graph.microsoft.com/v1.0`,
      `https://${SECRET}@graph.microsoft.com/v1.0`,
      `http://user:${SECRET}@127.0.0.1:1/v1.0`,
    ]) {
      for (const create of [construct({ getToken, baseUrl }), () => createGraphClient({ getToken, baseUrl })]) {
        const error = (() => {
          try {
            create();
          } catch (e) {
            return e as Error;
          }
          throw new Error("no error");
        })();
        expect(error).toBeInstanceOf(TypeError);
        expect(error.message).toMatch(/options\.baseUrl must not carry credentials/);
        expect(`${error.message}${error.stack}`).not.toContain(SECRET);
      }
    }
  });

  it("refuses a baseUrl that is not https (http only to loopback), not a URL, or has a query or fragment", () => {
    const cases: Array<[unknown, RegExp]> = [
      ["http://graph.microsoft.com/v1.0", /must be https: \(http: only to loopback\)/],
      ["http://10.0.0.1/v1.0", /must be https:/],
      ["http://127.0.0.1.example.com/v1.0", /must be https:/],
      ["ftp://graph.microsoft.com/v1.0", /must be an https: URL \(got ftp:\)/],
      ["graph.microsoft.com/v1.0", /is not an absolute URL/],
      [`https://graph.microsoft.com/v1.0?sig=${SECRET}`, /must not have a query or fragment/],
      ["https://graph.microsoft.com/v1.0?", /must not have a query or fragment/],
      ["https://graph.microsoft.com/v1.0#x", /must not have a query or fragment/],
      ["", /must be a non-empty string \(got string\)/],
      [null, /must be a non-empty string \(got null\)/],
      [42, /must be a non-empty string \(got number\)/],
    ];
    for (const [baseUrl, message] of cases) {
      expect(construct({ getToken, baseUrl }), String(baseUrl)).toThrow(message);
      expect(() => createGraphClient({ getToken, baseUrl: baseUrl as string }), String(baseUrl)).toThrow(message);
      expect(() => construct({ getToken, baseUrl })()).not.toThrow(SECRET);
    }
  });

  it("accepts https anywhere, http to 127.0.0.1, localhost and [::1], and the default v1.0", () => {
    for (const baseUrl of [
      undefined,
      GRAPH_V1,
      "https://graph.microsoft.us/v1.0",
      "http://127.0.0.1:8080/v1.0",
      "http://localhost:8080/v1.0",
      "http://[::1]:8080/v1.0",
    ]) {
      expect(construct({ getToken, baseUrl }), String(baseUrl)).not.toThrow();
      expect(() => createGraphClient({ getToken, ...(baseUrl ? { baseUrl } : {}) })).not.toThrow();
    }
  });

  it("refuses retry settings that are negative, NaN, infinite, fractional where a count is meant, or not numbers", () => {
    const cases: Array<[object, ErrorConstructor, RegExp]> = [
      [{ retry: null }, TypeError, /options\.retry must be an object \(got null\)/],
      [{ retry: 3 }, TypeError, /options\.retry must be an object \(got number\)/],
      [
        { retry: { maxAttempts: 0 } },
        RangeError,
        /options\.retry\.maxAttempts must be an integer from 1 to 10 \(got 0\)/,
      ],
      [{ retry: { maxAttempts: -1 } }, RangeError, /maxAttempts .*\(got -1\)/],
      [{ retry: { maxAttempts: 1.5 } }, RangeError, /maxAttempts .*\(got 1\.5\)/],
      [{ retry: { maxAttempts: Infinity } }, RangeError, /maxAttempts .*\(got Infinity\)/],
      [{ retry: { maxAttempts: NaN } }, RangeError, /maxAttempts .*\(got NaN\)/],
      [{ retry: { maxAttempts: "3" } }, TypeError, /maxAttempts must be a number \(got string\)/],
      [{ retry: { maxAttempts: null } }, TypeError, /maxAttempts must be a number \(got null\)/],
      [{ retry: { maxDelayMs: -1 } }, RangeError, /options\.retry\.maxDelayMs must be a number from 0 to 2147483647/],
      [{ retry: { maxDelayMs: NaN } }, RangeError, /maxDelayMs/],
      [{ retry: { maxDelayMs: Infinity } }, RangeError, /maxDelayMs/],
      [{ retry: { baseDelayMs: -5 } }, RangeError, /options\.retry\.baseDelayMs/],
      [{ retry: { baseDelayMs: NaN } }, RangeError, /baseDelayMs/],
      [{ timeoutMs: 0 }, RangeError, /options\.timeoutMs must be a number from 1 to 2147483647 \(got 0\)/],
      [{ timeoutMs: -1 }, RangeError, /timeoutMs/],
      [{ timeoutMs: NaN }, RangeError, /timeoutMs/],
      [{ timeoutMs: Infinity }, RangeError, /timeoutMs/],
      [{ timeoutMs: 2 ** 31 }, RangeError, /timeoutMs/], // setTimeout would fire at once
      [{ timeoutMs: "30s" }, TypeError, /timeoutMs must be a number \(got string\)/],
      [{ timeoutMs: null }, TypeError, /timeoutMs must be a number \(got null\)/],
    ];
    for (const [options, type, message] of cases) {
      expect(construct({ getToken, ...options }), JSON.stringify(options)).toThrow(type);
      expect(construct({ getToken, ...options }), JSON.stringify(options)).toThrow(message);
    }
  });

  it("refuses a fetch, userAgent, legacyAppPath or onAttempt of the wrong type", () => {
    const cases: Array<[object, RegExp]> = [
      [{ fetch: "fetch" }, /options\.fetch must be a function \(got string\)/],
      [{ fetch: null }, /options\.fetch must be a function \(got null\)/],
      [{ userAgent: "" }, /options\.userAgent must be a header value/],
      [{ userAgent: "bot\r\nX-Injected: 1" }, /options\.userAgent/],
      [{ userAgent: 1 }, /options\.userAgent/],
      [{ legacyAppPath: "yes" }, /options\.legacyAppPath must be a boolean \(got string\)/],
      [{ legacyAppPath: null }, /options\.legacyAppPath must be a boolean \(got null\)/],
      [{ onAttempt: {} }, /options\.onAttempt must be a function \(got object\)/],
      [{ onAttempt: null }, /options\.onAttempt must be a function \(got null\)/],
    ];
    for (const [options, message] of cases) {
      expect(construct({ getToken, ...options }), JSON.stringify(options)).toThrow(TypeError);
      expect(construct({ getToken, ...options }), JSON.stringify(options)).toThrow(message);
    }
    expect(() => createGraphClient({ getToken, fetch: 1 as never })).toThrow(/createGraphClient: options\.fetch/);
  });
});
