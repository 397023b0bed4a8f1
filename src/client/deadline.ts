// One bound over a whole call: `timeoutMs` and the caller's signal as one signal, whose reason says
// which ended it (the caller's own reason, or the timeout error). The timer and the listener are
// removed by clear(), so a settled call leaves nothing behind.

export interface Deadline {
  /** Aborts with the caller's reason, or with `timeoutError()` once `timeoutMs` has passed. */
  readonly signal: AbortSignal;
  /** Milliseconds left before the timeout. */
  remainingMs(): number;
  /** Removes the timer and the listener on the caller's signal. */
  clear(): void;
}

export function startDeadline(
  timeoutMs: number,
  caller: AbortSignal | null | undefined,
  timeoutError: () => Error,
): Deadline {
  const controller = new AbortController();
  const endsAt = Date.now() + timeoutMs;
  const onCallerAbort = () => controller.abort(caller!.reason);
  if (caller?.aborted) controller.abort(caller.reason);
  else caller?.addEventListener("abort", onCallerAbort); // a signal aborts once; clear() removes it
  const timer = setTimeout(() => controller.abort(timeoutError()), timeoutMs);
  return {
    signal: controller.signal,
    remainingMs: () => endsAt - Date.now(),
    clear() {
      clearTimeout(timer);
      caller?.removeEventListener("abort", onCallerAbort);
    },
  };
}
