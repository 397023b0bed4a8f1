// Time in tests: how many timers the process holds (a call that settled must not leave one
// running), and how long a promise took to settle.
export const activeTimers = (): number => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

/** How long `promise` took to settle, and how. */
export async function timed(promise: Promise<unknown>) {
  const start = performance.now();
  const outcome = await promise.then(
    () => ({ resolved: true as const, error: undefined }),
    (error: unknown) => ({ resolved: false as const, error }),
  );
  return { ...outcome, ms: performance.now() - start };
}
