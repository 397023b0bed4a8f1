// The Bearer header from getToken(), per attempt: a token is checked before it is sent and never
// repeated in an error; getToken()'s own errors are remembered, so invite() passes them on as they are.
import { GraphTokenError } from "../errors.js";
import { isThenable } from "../internal/thenable.js";

// A Bearer token is a token68 (RFC 9110 §11.2); a token with other characters would break the header
// (and undici's error would quote it).
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

function bearer(token: unknown): string {
  if (typeof token !== "string") throw new GraphTokenError("not_string");
  if (token === "") throw new GraphTokenError("empty");
  if (!TOKEN68.test(token)) throw new GraphTokenError("illegal_characters");
  return `Bearer ${token}`;
}

/** The errors getToken() threw (or its token's refusal). */
const tokenErrors = new WeakSet<object>();

/** Whether `error` came from getToken() (or is the refusal of its token). */
export const isTokenError = (error: unknown): boolean => tokenErrors.has(error as object); // false for a primitive

/** `promise`, or the signal's reason as soon as it aborts: a hung wait cannot outlive the signal. */
export function bounded<T>(promise: T | Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener("abort", abort); // removed once the promise settles
    Promise.resolve(promise)
      .then(resolve, reject)
      .finally(() => signal.removeEventListener("abort", abort));
  });
}

/** `Bearer <token>` from getToken(), bounded by `signal`. */
export async function authorization(getToken: () => string | Promise<string>, signal: AbortSignal): Promise<string> {
  try {
    const token = getToken();
    // A token at hand needs no race with the signal (and no abort listener per request).
    return bearer(isThenable(token) ? await bounded(token, signal) : token);
  } catch (error) {
    // An abort's reason is marked too: invite() reads an aborted signal before it asks isTokenError.
    if (typeof error === "object" && error !== null) tokenErrors.add(error);
    throw error;
  }
}
