// The callback endpoint's options: their types (the ways to verify are a union, so a bad combination
// does not compile) and their validation at construction (so it fails at run time too, for plain
// JavaScript and for values TypeScript cannot see, such as an unset environment variable). Every
// option that gates a check is refused when missing, undefined, empty, of the wrong type or unknown:
// a refused option is a construction error, never a skipped check.
import { telemetryOption, type Telemetry, type TelemetryHooks } from "../telemetry/hooks.js";
import { EndpointOptionsError, type EndpointOptionsErrorRule } from "../errors.js";
import { isObject } from "../internal/is-object.js";
import type { CallbackJsonWebKeySet, CallbackKeyResolver } from "../auth/verify.js";
import type { VerifiedTokenCache } from "../auth/token-cache.js";
import type { CallbackEvent } from "../notifications/parse.js";
import type { ReplayGuard } from "./replay.js";

/** Verify each callback's token against Microsoft's published keys (`verifyCallbackToken`). The secure default. */
export interface MicrosoftTokenAuth {
  /** The bot's application id: each token's `aud`. A non-empty string. */
  appId: string;
  /** The token's `tid` must be this tenant. Default: any tenant (a `tid` is still required). */
  tenantId?: string;
  /** The keys to verify with: a JWKS or a key resolver. Default `remoteCallbackKeys()`. */
  keys?: CallbackJsonWebKeySet | CallbackKeyResolver;
  /**
   * Opt-in: `createVerifiedTokenCache()`, so a token Graph sends again is accepted without another
   * signature check, until its own `exp` (see verifyCallbackToken's `cache`).
   */
  cache?: VerifiedTokenCache;
  /** Not with `appId`: one way to verify only (at run time, EndpointOptionsError `conflict`). */
  verify?: never;
  /** Not with `appId`: one way to verify only (at run time, EndpointOptionsError `conflict`). */
  dangerouslyAcceptUnverifiedCallbacks?: never;
}

/** Your own check of the Authorization header, e.g. `(h) => verifyCallbackToken(h, opts)`. */
export interface CustomVerifyAuth {
  /** A throw, a rejected promise or a falsy result refuses the request with 401. */
  verify: (authorizationHeader: string | undefined) => unknown;
  /** Not with `verify`: one way to verify only (at run time, EndpointOptionsError `conflict`). */
  appId?: never;
  /** `appId`'s option: with `verify` it would be ignored, a skipped tenant check (EndpointOptionsError `conflict`). */
  tenantId?: never;
  /** `appId`'s option: with `verify` it would be ignored (EndpointOptionsError `conflict`). */
  keys?: never;
  /** `appId`'s option: with `verify` it would be ignored (EndpointOptionsError `conflict`). */
  cache?: never;
  /** Not with `verify`: one way to verify only (at run time, EndpointOptionsError `conflict`). */
  dangerouslyAcceptUnverifiedCallbacks?: never;
}

/** Accept callbacks without checking who sent them. Local tests only: anyone can forge a callback. */
export interface UnverifiedAuth {
  /** Must be `true`, written out: `false` is not a way to verify (EndpointOptionsError `type`). */
  dangerouslyAcceptUnverifiedCallbacks: true;
  /** Not without verification: one way to verify only (at run time, EndpointOptionsError `conflict`). */
  appId?: never;
  /** `appId`'s option: unverified, it would be ignored (EndpointOptionsError `conflict`). */
  tenantId?: never;
  /** `appId`'s option: unverified, it would be ignored (EndpointOptionsError `conflict`). */
  keys?: never;
  /** `appId`'s option: unverified, it would be ignored (EndpointOptionsError `conflict`). */
  cache?: never;
  /** Not without verification: one way to verify only (at run time, EndpointOptionsError `conflict`). */
  verify?: never;
}

/** How the endpoint knows a callback comes from Graph: exactly one of the three. */
export type CallbackEndpointAuth = MicrosoftTokenAuth | CustomVerifyAuth | UnverifiedAuth;

/** What every endpoint takes besides the way to verify. */
export interface CallbackEndpointCommonOptions {
  /** The callback path, starting with `/`. Default `/api/calls`; `null` takes any path (the host routes to the endpoint). */
  path?: string | null;
  /**
   * `createReplayGuard()`: a body already acknowledged (202) is answered 202 again and not
   * dispatched twice; one being taken by another request right now gets 503 with Retry-After.
   * Off by default.
   */
  replayGuard?: ReplayGuard;
  /**
   * Records the events before the 202, e.g. `(events) => tracker.observe(events)` with the Redis
   * tracker: when it throws, rejects or takes longer than `timeoutMs`, the endpoint answers 503 and
   * acknowledges nothing, so Graph sends the callback again. Default: nothing recorded before the answer.
   */
  record?: (events: CallbackEvent[]) => unknown;
  /**
   * Larger bodies get 413 without being buffered. A positive integer. Default 4 MiB: a roster of
   * 1,000 participants (a Teams meeting's interactive limit) is 1.1 to 1.9 MiB (docs/api.md).
   */
  maxBodyBytes?: number;
  /**
   * The longest the endpoint waits for a step that does not answer at once (an async `verify`, the
   * key fetch, reading the body, the replay guard, `record`); past it, it answers 503 (408 while
   * reading) and acknowledges nothing. Default 10 s.
   */
  timeoutMs?: number;
  /**
   * Errors of handlers that ran after the 202 (an AggregateError), of `record`, and unexpected ones.
   * Default: logged to stderr by name only (a message may carry callback content). If it throws, the
   * endpoint logs that by name and goes on.
   */
  onError?: (error: unknown) => void;
  /** `createTelemetry()`: a `callback` span per request, the callback metrics and log records. Default: none. */
  telemetry?: Telemetry;
}

/**
 * A callback endpoint's options: the common ones and exactly one way to verify. Leave an option out
 * for its default: one written as `undefined` (an unset variable) is an EndpointOptionsError (rule
 * `undefined`) when the endpoint is built, never a skipped check, and with `exactOptionalPropertyTypes`
 * it does not compile. Write a value that may be unset only when it is set:
 * `...(config.keys ? { keys: config.keys } : {})`.
 * @example
 * ```ts
 * createNodeMiddleware(handler, { appId: process.env.BOT_APP_ID ?? fail("BOT_APP_ID"), tenantId, record });
 * createNodeMiddleware(handler, { appId, ...(config.keys ? { keys: config.keys } : {}) }); // absent: Microsoft's keys
 * createFetchHandler(handler, { verify: (h) => verifyCallbackToken(h, { appId, keys }) });
 * createFetchHandler(handler, { dangerouslyAcceptUnverifiedCallbacks: true }); // local tests only
 * ```
 */
export type CallbackEndpointOptions = CallbackEndpointCommonOptions & CallbackEndpointAuth;

/** How a valid endpoint verifies: Microsoft's tokens, a custom function, or not at all. */
export type ValidAuth =
  | {
      kind: "microsoft";
      appId: string;
      tenantId?: string;
      keys?: CallbackJsonWebKeySet | CallbackKeyResolver;
      cache?: VerifiedTokenCache;
    }
  | { kind: "custom"; verify: (authorizationHeader: string | undefined) => unknown }
  | { kind: "unverified" };

/** The options once checked, defaults applied. */
export interface ValidOptions {
  path: string | null;
  auth: ValidAuth;
  replayGuard: ReplayGuard | null;
  record: ((events: CallbackEvent[]) => unknown) | null;
  limit: number;
  timeoutMs: number;
  onError: ((error: unknown) => void) | null;
  telemetry: TelemetryHooks | undefined;
}

const COMMON = ["path", "replayGuard", "record", "maxBodyBytes", "timeoutMs", "onError", "telemetry"];
const WAYS = ["appId", "verify", "dangerouslyAcceptUnverifiedCallbacks"] as const;
const WITH_APP_ID = ["tenantId", "keys", "cache"] as const;
const MAX_TIMER_MS = 2 ** 31 - 1; // setTimeout's ceiling

const refuse = (option: string, rule: EndpointOptionsErrorRule, message: string): never => {
  throw new EndpointOptionsError(option, rule, message);
};

const isFunction = (v: unknown): v is (...args: never[]) => unknown => typeof v === "function";

function nonEmptyString(option: string, value: unknown, what: string): string {
  if (typeof value !== "string") return refuse(option, "type", `must be ${what} (a string)`);
  if (value.trim() === "") return refuse(option, "empty", `must be ${what}, not empty`);
  return value;
}

function positiveInteger(option: string, value: unknown, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number") return refuse(option, "type", "must be a number");
  if (!Number.isSafeInteger(value) || value < 1 || value > max)
    return refuse(option, "range", `must be an integer from 1 to ${max}`);
  return value;
}

function keysOption(value: unknown): CallbackJsonWebKeySet | CallbackKeyResolver {
  if (isFunction(value)) return value as CallbackKeyResolver;
  if (!isObject(value) || !Array.isArray(value.keys))
    return refuse(
      "keys",
      "type",
      "must be a JSON Web Key Set ({ keys: [...] }) or a key resolver such as remoteCallbackKeys()",
    );
  if (value.keys.length === 0) return refuse("keys", "empty", "the key set has no keys: no token could verify");
  value.keys.forEach(
    (key, i) => isObject(key) || refuse(`keys.keys[${i}]`, "type", "must be a JSON Web Key (an object)"),
  );
  return value as unknown as CallbackJsonWebKeySet;
}

function authFrom(options: Record<string, unknown>): ValidAuth {
  const ways = WAYS.filter((way) => way in options);
  if (ways.length === 0) {
    return refuse(
      "appId",
      "required",
      "a callback endpoint needs a way to verify callbacks: pass `appId` (Microsoft's published keys), `verify`, or, for local tests only, `dangerouslyAcceptUnverifiedCallbacks: true`",
    );
  }
  if (ways.length > 1)
    return refuse(ways[1]!, "conflict", `pass only one of ${ways.map((w) => `\`${w}\``).join(" and ")}`);
  const way = ways[0]!;
  if (way !== "appId") {
    const stray = WITH_APP_ID.find((option) => option in options);
    if (stray) return refuse(stray, "conflict", `is an option of \`appId\`; with \`${way}\` it would be ignored`);
  }
  if (way === "verify") {
    if (!isFunction(options.verify)) return refuse("verify", "type", "must be a function of the Authorization header");
    return { kind: "custom", verify: options.verify as (authorizationHeader: string | undefined) => unknown };
  }
  if (way === "dangerouslyAcceptUnverifiedCallbacks") {
    if (options.dangerouslyAcceptUnverifiedCallbacks !== true)
      return refuse(way, "type", "must be `true` (local tests only), or left out for `appId` or `verify`");
    return { kind: "unverified" };
  }
  const auth: ValidAuth = {
    // Stryker disable next-line StringLiteral: the endpoint verifies Microsoft's tokens for every kind but "unverified" and "custom"
    kind: "microsoft",
    appId: nonEmptyString("appId", options.appId, "the bot's application id"),
  };
  if ("tenantId" in options) auth.tenantId = nonEmptyString("tenantId", options.tenantId, "a tenant id");
  if ("keys" in options) auth.keys = keysOption(options.keys);
  if ("cache" in options) {
    const { cache } = options;
    if (!isObject(cache) || !isFunction(cache.get) || !isFunction(cache.set))
      return refuse("cache", "type", "must be a cache from createVerifiedTokenCache()");
    auth.cache = cache as unknown as VerifiedTokenCache;
  }
  return auth;
}

/**
 * Checks `options` and applies the defaults; an EndpointOptionsError naming the option and the rule
 * for anything that would skip or break a check. `extra` names the adapter's own options.
 */
export function validateEndpointOptions(options: unknown, extra: readonly string[]): ValidOptions {
  if (!isObject(options)) return refuse("options", "type", "must be an object with a way to verify");
  const known = new Set<string>([...COMMON, ...WAYS, ...WITH_APP_ID, ...extra]);
  for (const key of Object.keys(options)) {
    if (!known.has(key))
      refuse(key, "unknown", "is not an option of the callback endpoint (a typo would skip a check)");
    // Leaving an option out takes its default; `undefined` is most often an unset variable.
    if (options[key] === undefined)
      refuse(key, "undefined", "is undefined: set it, or leave the key out for the default");
  }
  const { path, replayGuard, record, onError } = options;
  if (path !== undefined && path !== null) {
    if (!nonEmptyString("path", path, "the callback path").startsWith("/")) refuse("path", "type", "must start with /");
  }
  if (replayGuard !== undefined && !(isObject(replayGuard) && isFunction(replayGuard.claim)))
    refuse("replayGuard", "type", "must be a guard from createReplayGuard() (with claim())");
  if (record !== undefined && !isFunction(record)) refuse("record", "type", "must be a function of the events");
  if (onError !== undefined && !isFunction(onError)) refuse("onError", "type", "must be a function of the error");
  return {
    path: path === undefined ? "/api/calls" : (path as string | null),
    auth: authFrom(options),
    replayGuard: (replayGuard as ReplayGuard | undefined) ?? null,
    record: (record as ((events: CallbackEvent[]) => unknown) | undefined) ?? null,
    limit: positiveInteger("maxBodyBytes", options.maxBodyBytes, 4 * 1024 * 1024),
    timeoutMs: positiveInteger("timeoutMs", options.timeoutMs, 10_000, MAX_TIMER_MS),
    onError: (onError as ((error: unknown) => void) | undefined) ?? null,
    telemetry: telemetryFrom(options.telemetry),
  };
}

function telemetryFrom(value: unknown): TelemetryHooks | undefined {
  try {
    return telemetryOption(value);
  } catch {
    return refuse("telemetry", "type", "must come from createTelemetry()");
  }
}
