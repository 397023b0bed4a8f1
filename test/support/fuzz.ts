// fast-check settings shared by the property and fuzz suites: a fixed seed, so a failure reproduces,
// and a case count that FUZZ_RUNS overrides (`npm run fuzz`: 100,000 per property; the mutation run:
// a few dozen, since there the suites judge mutants, not inputs).
import fc from "fast-check";
import { recordFigure } from "./figures.js";

export const SEED = Number(process.env.FUZZ_SEED ?? 20261121);

/**
 * The bound on one extreme input (100,000 elements, 1 MiB strings): linear work takes milliseconds even
 * instrumented by Stryker on a loaded machine, and anything quadratic over 100,000 elements takes
 * minutes, so the bound tells a hang from a slow machine rather than measuring speed.
 */
export const EXTREME_CASE_BOUND_MS = 10_000;

export const runs = (defaultRuns: number): number => Number(process.env.FUZZ_RUNS ?? defaultRuns);

export interface FuzzOutcome {
  cases: number;
  slowestMs: number;
}

/**
 * Runs `check` on `runs(defaultRuns)` inputs and throws fast-check's report (seed, path,
 * shrunk counterexample) on the first failure. Records cases, cases/second and the slowest case.
 */
export function fuzz<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  check: (input: T) => void,
  defaultRuns: number,
): FuzzOutcome {
  const timer = caseTimer();
  const started = performance.now();
  const details = fc.check(fc.property(arbitrary, timer.wrap(check)), { seed: SEED, numRuns: runs(defaultRuns) });
  return settle(name, details, started, timer.slowestMs);
}

/** `fuzz` for a check that returns a promise (the middleware). */
export async function fuzzAsync<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  check: (input: T) => Promise<void>,
  defaultRuns: number,
): Promise<FuzzOutcome> {
  const timer = caseTimer();
  const started = performance.now();
  const property = fc.asyncProperty(arbitrary, async (input) => {
    const caseStarted = performance.now();
    await check(input);
    timer.observe(performance.now() - caseStarted);
  });
  const details = await fc.check(property, { seed: SEED, numRuns: runs(defaultRuns) });
  return settle(name, details, started, timer.slowestMs);
}

function caseTimer() {
  const timer = {
    slowestMs: 0,
    observe: (ms: number) => void (timer.slowestMs = Math.max(timer.slowestMs, ms)),
    wrap:
      <T>(check: (input: T) => void) =>
      (input: T) => {
        const started = performance.now();
        check(input);
        timer.observe(performance.now() - started);
      },
  };
  return timer;
}

function settle<T>(name: string, details: fc.RunDetails<[T]>, started: number, slowestMs: number): FuzzOutcome {
  const seconds = (performance.now() - started) / 1000;
  recordFigure("fuzz", {
    name,
    cases: details.numRuns,
    perSecond: Math.round(details.numRuns / seconds),
    failures: details.failed ? 1 : 0,
    slowestMs: Math.round(slowestMs * 10) / 10,
  });
  if (details.failed) throw new Error(fc.defaultReportMessage(details) ?? `${name} failed`);
  return { cases: details.numRuns, slowestMs };
}
