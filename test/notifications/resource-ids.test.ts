// The ids a resource path names, found without a regex, must be the ids the path pattern defines:
// the first non-empty segment (up to `/`, `?` or `#`) after `/calls/`, and after `/calls/{id}/operations/`,
// percent-decoded when that is valid, never `participants`; resourceUrl first, then resource.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { callIdOf, operationIdOf } from "../../src/notifications/resource-ids.js";
import { SEED, runs } from "../support/fuzz.js";

// The specification, as patterns (what the ids meant before the scan replaced them).
const CALL_ID = /(?:^|\/)calls\/([^/?#]+)/;
const OPERATION_ID = /(?:^|\/)calls\/[^/?#]+\/operations\/([^/?#]+)/;
function specified(pattern: RegExp, resourceUrl: unknown, resource: unknown): string | null {
  const one = (path: unknown) => {
    const match = typeof path === "string" ? pattern.exec(path) : null;
    if (!match?.[1] || match[1] === "participants") return null;
    try {
      return decodeURIComponent(match[1]);
    } catch {
      return match[1];
    }
  };
  return one(resourceUrl) ?? one(resource);
}

// Paths assembled from the pieces that matter (the markers, separators, escapes), so the
// interesting cases are common rather than one in a million.
const piece = fc.constantFrom(
  "/calls/",
  "/operations/",
  "/communications",
  "/app",
  "/",
  "?",
  "#",
  "%",
  "%20",
  "%E0%A4%A",
  "%ZZ",
  "participants",
  "abc",
  "ab6233a5-20b7-4c5e-bea2-ce56c9776429",
  "calls",
  "operations",
  "",
  "😀",
  "\uD800",
);
const path = fc.oneof(
  fc.array(piece, { maxLength: 8 }).map((p) => p.join("")),
  fc.string(),
  fc.constant(undefined),
  fc.integer(),
);

describe("callIdOf and operationIdOf", () => {
  it("name the ids the path pattern defines, for any resourceUrl and resource", () => {
    fc.assert(
      fc.property(path, path, (resourceUrl, resource) => {
        expect(callIdOf(resourceUrl, resource)).toBe(specified(CALL_ID, resourceUrl, resource));
        expect(operationIdOf(resourceUrl, resource)).toBe(specified(OPERATION_ID, resourceUrl, resource));
      }),
      { seed: SEED, numRuns: runs(20_000) },
    );
  });

  it("read Graph's paths and the legacy /app paths", () => {
    const op =
      "/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896/operations/0fe0623f-d628-42ed-b4bd-8ac290072cc5";
    expect(callIdOf(op, undefined)).toBe("57dab8b1-894c-409a-b240-bd8beae78896");
    expect(operationIdOf(op, undefined)).toBe("0fe0623f-d628-42ed-b4bd-8ac290072cc5");
    expect(callIdOf(undefined, "/app/calls/c%201/participants")).toBe("c 1");
    expect(operationIdOf("/communications/calls/c/operations/participants", "/app/calls/c/operations/op-9")).toBe(
      "op-9",
    );
    expect(callIdOf("/communications/calls/a?x=1", null)).toBe("a");
    expect(callIdOf("/communications/calls//x/calls/b#f", null)).toBe("b");
  });

  it("decode a percent-encoded call id in resourceUrl, and name no call `participants`", () => {
    expect(callIdOf("/communications/calls/c%201/operations/o")).toBe("c 1");
    expect(callIdOf("/communications/calls/participants")).toBeNull();
    expect(callIdOf("/communications/calls/participants", "/app/calls/a1")).toBe("a1");
  });

  it("name no operation for an empty operation id, and read on to the next /calls/ (its slash may end the one before)", () => {
    expect(operationIdOf("/communications/calls/c1/operations/")).toBeNull();
    expect(operationIdOf("/communications/calls/c1/operations/?x=1")).toBeNull();
    expect(operationIdOf("/communications/calls/c1/operations/", "/app/calls/c1/operations/op-9")).toBe("op-9");
    // `calls` is an id here, not followed by /operations/; the next /calls/ starts at the slash after `/calls/`
    expect(operationIdOf("/communications/calls/calls/x/operations/o")).toBe("o");
  });
});
