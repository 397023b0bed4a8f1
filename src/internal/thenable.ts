// Whether a value returned by caller code is a promise (or any thenable) to wait for. Checked so
// that code that answers synchronously costs no microtask on the callback path.
export const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null)?.then === "function";
