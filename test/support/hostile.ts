// Hostile input for the fuzz suites: what a broken peer or an attacker can send. Arbitrary JSON with
// prototype keys, lone surrogates and numbers beyond int64; JSON text and bytes that are almost a
// docs payload (duplicate keys, truncations, flipped bytes); and fixed extremes: 10,000 levels of
// nesting, megabyte strings, arrays of 100,000 items.
import fc from "fast-check";
import { expect } from "vitest";

export const PROTOTYPE_KEYS = ["__proto__", "constructor", "prototype"] as const;

/** Single UTF-16 units, lone surrogates included (fast-check's default strings are well formed). */
const utf16Unit = fc.nat(0xffff).map((code) => String.fromCharCode(code));
const hostileText = fc.oneof(
  fc.string(),
  fc.string({ unit: utf16Unit }),
  fc.string({ unit: "grapheme", maxLength: 8 }),
  fc.constantFrom("\uD800", "\uDFFF", "a\uDC00b", "\u0000", "\u202E", "%", "%E0%A4%A", "/calls/%ZZ/operations/%"),
);
const key = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
  { weight: 3, arbitrary: hostileText },
);
const leaf = fc.oneof(
  hostileText,
  fc.boolean(),
  fc.constant(null),
  fc.integer(),
  fc.double(), // NaN, ±Infinity, -0 and subnormals: impossible in JSON, possible in an object
  fc.constantFrom(2 ** 63, -(2 ** 63) - 4096, 2 ** 64, Number.MAX_SAFE_INTEGER + 2, Number.MAX_VALUE, 5e-324),
  fc.bigInt(),
);

/** Objects built with defineProperty, so a `__proto__` key is an own key, as JSON.parse makes it. */
const ownObject = (entries: Array<[string, unknown]>) => {
  const object: Record<string, unknown> = {};
  for (const [k, v] of entries)
    Object.defineProperty(object, k, { value: v, enumerable: true, writable: true, configurable: true });
  return object;
};

export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("value"), { maxLength: 5 }),
    fc.array(fc.tuple(key, tie("value")), { maxLength: 5 }).map(ownObject),
  ),
})).value;

/** Plants `value` at a random place of a docs payload, so validation gets past the first level. */
export function plantedIn(payload: unknown): fc.Arbitrary<unknown> {
  const paths: string[][] = [];
  const walk = (node: unknown, path: string[]) => {
    paths.push(path);
    if (node && typeof node === "object") for (const [k, v] of Object.entries(node)) walk(v, [...path, k]);
  };
  walk(payload, []);
  return fc
    .tuple(fc.constantFrom(...paths), fc.oneof(key, fc.constant(null)), hostileValue)
    .map(([path, extraKey, value]) => {
      const copy = structuredClone(payload) as Record<string, unknown>;
      if (path.length === 0) return value;
      let parent: Record<string, unknown> = copy;
      for (const k of path.slice(0, -1)) parent = parent[k] as Record<string, unknown>;
      // either replace the value at the path, or add a (possibly prototype) key beside it
      // (an array's own `length` cannot be redefined: then the value is replaced instead)
      const added =
        extraKey !== null &&
        Reflect.defineProperty(parent, extraKey, { value, enumerable: true, writable: true, configurable: true });
      if (!added) parent[path.at(-1)!] = value;
      return copy;
    });
}

/** JSON text that is almost `payload`: truncated, a byte flipped, a key duplicated, or a value replaced. */
export function nearJsonText(payload: unknown): fc.Arbitrary<string> {
  const text = JSON.stringify(payload);
  const at = fc.nat(text.length);
  return fc.oneof(
    at.map((i) => text.slice(0, i)),
    fc
      .tuple(at, fc.string({ unit: utf16Unit, minLength: 1, maxLength: 3 }))
      .map(([i, s]) => text.slice(0, i) + s + text.slice(i + 1)),
    // duplicate keys: JSON.parse keeps the last one, so the second value is the one validated
    fc
      .tuple(fc.constantFrom(...keysOf(text)), hostileValue)
      .map(([k, v]) => text.replace(`"${k}":`, `"${k}":${safeStringify(v)},"${k}":`)),
    plantedIn(payload).map(safeStringify),
  );
}

const keysOf = (text: string) => [...new Set([...text.matchAll(/"([^"]+)":/g)].map((m) => m[1]!))];

/** JSON.stringify that keeps going past values JSON cannot carry (bigint). */
export const safeStringify = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)) ?? "null";

/** Arbitrary bytes, and the UTF-8 of near-JSON text with invalid sequences mixed in. */
export function hostileBytes(payload: unknown): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.uint8Array({ maxLength: 512 }),
    fc.tuple(nearJsonText(payload), fc.uint8Array({ maxLength: 4 })).map(([text, junk]) => {
      const bytes = Buffer.from(text, "utf8");
      const i = bytes.length >> 1;
      return new Uint8Array(Buffer.concat([bytes.subarray(0, i), junk, bytes.subarray(i)]));
    }),
  );
}

const DEPTH = 10_000;
// 100,000 elements; the mutation run (vitest.mutation.config.ts) asks for fewer, as Stryker's
// instrumentation makes each element's work a couple of hundred times slower.
const SIZE = Number(process.env.EXTREME_SIZE ?? 100_000);
const size = SIZE.toLocaleString("en-US");
const nestedArrays = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
const nestedObjects = (depth: number) => '{"a":'.repeat(depth) + "0" + "}".repeat(depth);

/** Fixed extremes, as JSON text; `slot` is where the extreme goes inside a real payload. */
export function extremeTexts(payload: unknown, slot: string): Array<[string, string]> {
  const text = JSON.stringify(payload);
  const put = (json: string) => text.replace(`"${slot}":`, `"${slot}":${json},"x-${slot}":`);
  const megabyte = `"${"\uD83D\uDE00".repeat(256 * 1024)}"`;
  return [
    [`${DEPTH} levels of arrays`, nestedArrays(DEPTH)],
    [`${DEPTH} levels of objects`, nestedObjects(DEPTH)],
    [`${DEPTH} levels of arrays in ${slot}`, put(nestedArrays(DEPTH))],
    [`${DEPTH} levels of objects in ${slot}`, put(nestedObjects(DEPTH))],
    [`a 1 MiB string in ${slot}`, put(megabyte)],
    [`a 1 MiB key`, text.replace("{", `{${megabyte}:1,`)],
    [`an array of ${size} nulls in ${slot}`, put(`[${new Array(SIZE).fill("null").join(",")}]`)],
    [
      `an object of ${size} keys in ${slot}`,
      put(`{${Array.from({ length: SIZE }, (_, i) => `"k${i}":${i}`).join(",")}}`),
    ],
    [`${size} duplicates of ${slot}`, text.replace(`"${slot}":`, `"${slot}":0,`.repeat(SIZE) + `"${slot}":`)],
    [
      `numbers beyond int64 and double in ${slot}`,
      put("[9223372036854775808,-9223372036854775809,1e400,-1e400,1e-400,123456789012345678901234567890]"),
    ],
    [
      "prototype keys everywhere",
      text.replaceAll("{", '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},'),
    ],
  ];
}

/** Throws when Object.prototype (or Array.prototype) gained a property. */
export function expectNoPollution(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(OBJECT_PROTOTYPE_KEYS);
  expect(Object.getOwnPropertyNames(Array.prototype)).toEqual(ARRAY_PROTOTYPE_KEYS);
}
const OBJECT_PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype);
const ARRAY_PROTOTYPE_KEYS = Object.getOwnPropertyNames(Array.prototype);

/** Freezes every object reachable from `value`: a mutation then throws (ES modules are strict). */
export function deepFreeze<T>(value: T): T {
  const seen = new Set<unknown>();
  const stack: unknown[] = [value];
  while (stack.length) {
    const node = stack.pop();
    if (!node || typeof node !== "object" || seen.has(node)) continue;
    seen.add(node);
    Object.freeze(node);
    for (const k of Reflect.ownKeys(node)) stack.push((node as Record<PropertyKey, unknown>)[k]);
  }
  return value;
}

/** Runs `check` on `value` deep-frozen, then checks the value is unchanged (no mutation got through). */
export function checkUnmutated(value: unknown, check: (frozen: unknown) => void): void {
  const before = snapshot(value);
  check(deepFreeze(value));
  expect(snapshot(value)).toBe(before);
}

/** A comparable rendering of any generated value (bigint, NaN, ±Infinity and -0 included). */
export function snapshot(value: unknown): string {
  const render = (_k: string, v: unknown) =>
    typeof v === "bigint"
      ? `${v}n`
      : typeof v === "number" && !Number.isFinite(v)
        ? String(v)
        : Object.is(v, -0)
          ? "-0"
          : v;
  return JSON.stringify(value, render) ?? "undefined";
}
