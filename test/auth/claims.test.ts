// The claims of a verified token, checked at a fixed clock: what each claim must be, where the clock
// tolerance ends, the order of the checks (the first failing claim is the one named), the tenant.
import { describe, expect, it } from "vitest";
import { checkClaims, claimsSetOf, type ClaimsPolicy } from "../../src/auth/claims.js";
import { CallbackAuthError } from "../../src/index.js";

const NOW = 1_800_000_000;
const APP_ID = "b6ba4e3c-1a9a-4c9e-8b8b-6b9a0c2f4d11";
const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const policy: ClaimsPolicy = {
  appId: APP_ID,
  issuers: ["https://api.botframework.com", "https://graph.microsoft.com"],
  tenantId: undefined,
  requireTenant: true,
  clockToleranceSec: 300,
};
const valid = {
  iss: "https://api.botframework.com",
  aud: APP_ID,
  exp: NOW + 600,
  nbf: NOW - 10,
  iat: NOW,
  tid: TENANT,
};

/** The refusal's reason and message, or "accepted". */
function verdict(claims: Record<string, unknown>, overrides: Partial<ClaimsPolicy> = {}) {
  try {
    checkClaims(claims, { ...policy, ...overrides }, NOW);
    return "accepted";
  } catch (error) {
    expect(error).toBeInstanceOf(CallbackAuthError);
    const { reason, message } = error as CallbackAuthError;
    return `${reason}: ${message.replace(`Callback token refused (${reason}): `, "")}`;
  }
}

describe("checkClaims", () => {
  it("accepts a token as Graph sends it and returns its claims", () => {
    expect(checkClaims({ ...valid }, policy, NOW)).toEqual(valid);
    expect(verdict({ ...valid, iss: "https://graph.microsoft.com" })).toBe("accepted");
    expect(verdict({ ...valid, aud: ["another-app", APP_ID] })).toBe("accepted");
  });

  it("names the first missing required claim: iss, then aud, then exp", () => {
    const { iss: _i, aud: _a, exp: _e, ...none } = valid;
    expect(verdict(none)).toMatch(/^claim: iss: missing required "iss" claim/);
    expect(verdict({ ...none, iss: valid.iss })).toMatch(/^claim: aud: missing required "aud" claim/);
    expect(verdict({ ...none, iss: valid.iss, aud: APP_ID })).toMatch(/^claim: exp: missing required "exp" claim/);
    // present but undefined counts as present (jose's hasOwn), and then fails its check
    expect(verdict({ ...valid, iss: undefined })).toMatch(/^claim: iss: unexpected "iss" claim value/);
  });

  it("refuses an issuer or audience that is not the bot's", () => {
    expect(verdict({ ...valid, iss: "https://evil.example" })).toMatch(/^claim: iss: unexpected "iss"/);
    expect(verdict({ ...valid, aud: "another-app" })).toMatch(/^claim: aud: unexpected "aud"/);
    expect(verdict({ ...valid, aud: ["another-app"] })).toMatch(/^claim: aud:/);
    expect(verdict({ ...valid, aud: { [APP_ID]: true } })).toMatch(/^claim: aud:/);
    expect(verdict(valid, { issuers: ["https://graph.microsoft.com"] })).toMatch(/^claim: iss:/);
  });

  it("holds nbf and exp to the clock tolerance, to the second", () => {
    expect(verdict({ ...valid, nbf: NOW + 300 })).toBe("accepted");
    expect(verdict({ ...valid, nbf: NOW + 301 })).toMatch(/^claim: nbf: "nbf" claim timestamp check failed/);
    expect(verdict({ ...valid, exp: NOW - 299 })).toBe("accepted");
    expect(verdict({ ...valid, exp: NOW - 300 })).toMatch(/^expired: "exp" claim timestamp check failed/);
    expect(verdict({ ...valid, nbf: NOW + 1 }, { clockToleranceSec: 0 })).toMatch(/^claim: nbf:/);
    expect(verdict({ ...valid, nbf: NOW }, { clockToleranceSec: 0 })).toBe("accepted");
    expect(verdict({ ...valid, exp: NOW }, { clockToleranceSec: 0 })).toMatch(/^expired:/);
    expect(verdict({ ...valid, nbf: undefined })).toBe("accepted");
  });

  it("refuses a date claim that is not a number, naming it", () => {
    for (const claim of ["iat", "nbf", "exp"]) {
      expect(verdict({ ...valid, [claim]: String(NOW) })).toBe(`claim: ${claim}: "${claim}" claim must be a number`);
    }
  });

  it("requires a tenant by default, a string, and the configured one when set", () => {
    const { tid: _t, ...noTenant } = valid;
    expect(verdict(noTenant)).toBe("tenant: the token names no tenant (tid)");
    expect(verdict({ ...valid, tid: "" })).toBe("tenant: the token names no tenant (tid)");
    expect(verdict(noTenant, { requireTenant: false })).toBe("accepted");
    expect(verdict({ ...valid, tid: 7 }, { requireTenant: false })).toBe("tenant: the tid claim is not a string");
    expect(verdict(valid, { tenantId: TENANT })).toBe("accepted");
    expect(verdict(valid, { tenantId: "another" })).toBe(`tenant: token is for tenant ${TENANT}, expected another`);
    expect(verdict(noTenant, { requireTenant: false, tenantId: TENANT })).toMatch(
      /^tenant: token is for tenant undefined/,
    );
  });
});

describe("claimsSetOf", () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  it("reads a JSON object from the payload's bytes", () => {
    expect(claimsSetOf(bytes(JSON.stringify(valid)))).toEqual(valid);
  });
  it("refuses a payload that is not a JSON object, or not UTF-8", () => {
    for (const text of ["", "{", "[1]", "null", "7", '"x"']) {
      expect(() => claimsSetOf(bytes(text))).toThrow(expect.objectContaining({ reason: "malformed" }));
    }
    const notUtf8 = new Uint8Array([...bytes('{"a":"'), 0xff, ...bytes('"}')]);
    expect(() => claimsSetOf(notUtf8)).toThrow(/not JSON/);
    expect(() => claimsSetOf(bytes("[1]"))).toThrow(/not a JSON object/);
  });
});
