// The invite client decides a body with the verdict-only request validator (schemasafe) and the
// documented rules, and loads Ajv only for a body they refuse. So on every body a caller can pass
// (not only JSON: holes, undefined, inherited properties, NaN, bigint, getters, class instances),
// the fast verdict must be validateInviteRequest's: a body the fast path accepts is sent unreported.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isInvitePostRequestBody } from "../../generated/fast-validators.js";
import { createAjv } from "../../scripts/generate/ajv.mjs";
import { loadSpec, schemaBundle, SCHEMAS_ID } from "../../scripts/generate/spec.mjs";
import { passesInviteRequestFast } from "../../src/request/check.js";
import { SEMANTIC_RULES } from "../../src/request/rules.js";
import { InviteValidationError, createInviteClient, validateInviteRequest } from "../../src/index.js";
import { docsPayloads } from "../fixtures/docs.js";
import { SEED, runs } from "../support/fuzz.js";
import { extremeTexts, hostileValue, plantedIn } from "../support/hostile.js";
import { validBody } from "../support/invite-bodies.js";

const requests = docsPayloads.filter((p) => p.kind === "request").map((p) => p.json);
// The reference: Ajv on the spec as written, stopping at the first error (the same verdict as the
// shipped validator, without allErrors' quadratic gathering on the extremes), and every rule.
const verdictOnly = createAjv({ allErrors: false });
verdictOnly.addSchema(schemaBundle(loadSpec()));
const ajvVerdict = verdictOnly.getSchema(`${SCHEMAS_ID}#/$defs/InvitePostRequestBody`) as (data: unknown) => boolean;
const agrees = (body: unknown, label = "") => {
  const schemaOk = ajvVerdict(body);
  expect(isInvitePostRequestBody(body), label).toBe(schemaOk);
  expect(passesInviteRequestFast(body), label).toBe(schemaOk && SEMANTIC_RULES.every((rule) => rule(body).length === 0));
};
const describeValue = (value: unknown) => {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
};

/** Every place of `payload`, as a path of keys. */
function places(payload: unknown): string[][] {
  const found: string[][] = [];
  const walk = (node: unknown, path: string[]) => {
    if (path.length > 0) found.push(path);
    if (node && typeof node === "object") for (const [k, v] of Object.entries(node)) walk(v, [...path, k]);
  };
  walk(payload, []);
  return found;
}

/** A copy of `payload` with `change` applied to the parent of `path` (and the last key). */
function changedAt(payload: unknown, path: string[], change: (parent: Record<string, unknown>, key: string) => void) {
  const copy = structuredClone(payload) as Record<string, unknown>;
  let parent = copy;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string, unknown>;
  change(parent, path.at(-1)!);
  return copy;
}

describe("the verdict-only request validator", () => {
  it("accepts the docs' valid bodies and every body valid by construction, and refuses the docs' invalid one", () => {
    const verdicts = requests.map((body) => passesInviteRequestFast(body));
    expect(verdicts).toEqual(requests.map((body) => validateInviteRequest(body).ok));
    expect(verdicts).toContain(false); // Example 2 breaks a documented rule
    fc.assert(
      fc.property(validBody, (body) => {
        expect(passesInviteRequestFast(body)).toBe(true);
      }),
      { seed: SEED, numRuns: runs(1_000) },
    );
  });

  it("gives Ajv's verdict on hostile values planted in every docs body", () => {
    for (const body of requests) {
      fc.assert(fc.property(fc.oneof(plantedIn(body), hostileValue), (data) => agrees(data)), {
        seed: SEED,
        numRuns: runs(1_000),
      });
    }
  });

  it("gives Ajv's verdict on what only a caller's object can hold, at every place of every docs body", () => {
    const values: unknown[] = [
      undefined, NaN, Infinity, -Infinity, -0, 10n, Symbol("s"), () => 1, new Date(0), new Map(), /x/,
      // eslint-disable-next-line no-sparse-arrays -- arrays with holes are the input under test
      Object.create(null), new String("x"), new Number(1), [undefined], [, 1], new Array(3),
    ];
    let compared = 0;
    for (const body of requests) {
      for (const path of places(body)) {
        for (const value of values) {
          agrees(changedAt(body, path, (parent, key) => (parent[key] = value)), `${path.join("/")} = ${describeValue(value)}`);
          compared++;
        }
        // the value inherited instead of owned, and behind a getter
        agrees(changedAt(body, path, (parent, key) => {
          const value = parent[key];
          delete parent[key];
          Object.setPrototypeOf(parent, { [key]: value });
        }), `${path.join("/")} inherited`);
        agrees(changedAt(body, path, (parent, key) => {
          const value = parent[key];
          Object.defineProperty(parent, key, { get: () => value, enumerable: true });
        }), `${path.join("/")} getter`);
        compared += 2;
      }
    }
    expect(compared).toBeGreaterThan(500);
  });

  it("refuses an array with a hole or an undefined item, as Ajv does", () => {
    const body = structuredClone(requests[0]) as { participants: unknown[] };
    const [first] = body.participants;
    // eslint-disable-next-line no-sparse-arrays -- arrays with holes are the input under test
    for (const participants of [[first, , first], [, first], new Array(2), [first, undefined]]) {
      const sparse = { ...body, participants };
      expect(validateInviteRequest(sparse).ok).toBe(false);
      expect(passesInviteRequestFast(sparse)).toBe(false);
    }
  });

  it("gives Ajv's verdict on the fixed extremes (deep nesting, huge strings and arrays, prototype keys)", { timeout: 60_000 }, () => {
    for (const body of requests) {
      for (const slot of ["participants", "identity", "clientContext", "user"]) {
        for (const [name, text] of extremeTexts(body, slot)) {
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            continue;
          }
          agrees(parsed, name);
        }
      }
    }
  });
});

describe("the invite client's check", () => {
  it("refuses an invalid body with every issue validateInviteRequest reports, and sends nothing", async () => {
    let sent = 0;
    const client = createInviteClient({
      getToken: () => "token",
      fetch: async () => {
        sent++;
        return new Response(null, { status: 500 });
      },
      retry: { maxAttempts: 1 },
    });
    const invalid = requests.find((body) => !validateInviteRequest(body).ok)!;
    const expected = validateInviteRequest({ ...(invalid as object), clientContext: "c" });
    const refusal = await client.invite("call", { ...(invalid as object), clientContext: "c" } as never).catch((e) => e);
    expect(refusal).toBeInstanceOf(InviteValidationError);
    expect((refusal as InviteValidationError).issues).toEqual(expected.ok ? [] : expected.issues);
    expect(sent).toBe(0);
  });
});
