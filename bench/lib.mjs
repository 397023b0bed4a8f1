// Shared by the benchmark sections: timing with warm-up and medians, and the result rows.
import { performance } from "node:perf_hooks";

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Async throughput of several fns, one call at a time, their rounds interleaved so that the
 * machine's noise falls on all of them alike. Median ops/s per fn.
 */
export async function compareAsync(fns, { iterations = 1_000, rounds = 7, warmup = 300 } = {}) {
  for (const fn of Object.values(fns)) for (let i = 0; i < warmup; i++) await fn(i);
  /** @type {Record<string, number[]>} */
  const samples = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(fns)) {
      const start = performance.now();
      for (let i = 0; i < iterations; i++) await fn(i);
      samples[name].push((iterations / (performance.now() - start)) * 1000);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}

/**
 * One benchmark row: `value` measured for `name`, its ratio to the section's reference
 * (measured in the same run), and the target the ratio is held to, or, with `maxExcess`, the
 * most `value` may exceed the reference by (a budget in the row's unit, e.g. µs over a baseline), or,
 * with `maxValue`, the most `value` may be (e.g. bytes).
 * @param {string} section
 * @param {string} name
 * @param {number} value
 * @param {string} unit
 * @param {number | null | undefined} reference
 * @param {{ target?: number, maxExcess?: number, maxValue?: number, higherIsBetter?: boolean, extra?: object }} [options]
 */
export function row(
  section,
  name,
  value,
  unit,
  reference,
  { target, maxExcess, maxValue, higherIsBetter = true, extra } = {},
) {
  const ratio = reference ? value / reference : null;
  if (maxValue !== undefined) {
    const limit = `≤ ${maxValue.toLocaleString("en-US")} ${unit}`;
    return { section, name, value, unit, ratio, target: limit, meets: value <= maxValue, ...(extra ? { extra } : {}) };
  }
  if (maxExcess !== undefined) {
    const excess = value - /** @type {number} */ (reference);
    return {
      section,
      name,
      value,
      unit,
      ratio,
      target: `≤ +${maxExcess} ${unit}`,
      meets: excess <= maxExcess,
      extra: { excess, ...extra },
    };
  }
  const meets = target === undefined || ratio === null ? null : higherIsBetter ? ratio >= target : ratio <= target;
  return { section, name, value, unit, ratio, target: target ?? null, meets, ...(extra ? { extra } : {}) };
}

/**
 * Throughput of several synchronous fns, their rounds interleaved so that the machine's noise
 * (frequency, GC, neighbours) falls on all of them alike. Median ops/s per fn.
 * @template {Record<string, (i: number) => unknown>} T
 * @param {T} fns
 * @returns {Record<keyof T, number>}
 */
export function compareSync(fns, { iterations = 20_000, rounds = 15, warmup = 5_000 } = {}) {
  for (const fn of Object.values(fns)) for (let i = 0; i < warmup; i++) fn(i);
  /** @type {Record<string, number[]>} */
  const samples = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(fns)) {
      const start = performance.now();
      for (let i = 0; i < iterations; i++) fn(i);
      samples[name].push((iterations / (performance.now() - start)) * 1000);
    }
  }
  return /** @type {Record<keyof T, number>} */ (
    Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]))
  );
}
