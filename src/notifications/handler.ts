// createCallbackHandler: typed dispatch of callback events by name, in the style of @octokit/webhooks.
import { isThenable } from "../internal/thenable.js";
import { parseCommsNotifications } from "./parse.js";
import type {
  CallbackEvent,
  CallEvent,
  InviteOperationEvent,
  OperationEvent,
  OtherEvent,
  RosterEvent,
  ToneEvent,
} from "./classify.js";
import type { NormalizedOperationStatus } from "./operation-status.js";

type Status = Exclude<NormalizedOperationStatus, "unknownFutureValue">;

/**
 * The names a handler can listen to:
 * - `operation`: every operation notification, of any commsOperation subtype (since 0.2; before,
 *   only the invite's); `operation.<status>` narrows the status.
 * - `invite`: the invite's operation only (`operationType: "inviteParticipants"`, what `operation`
 *   meant before 0.2); `invite.<status>` narrows the status.
 * - `call`: call state changes; `tone`: DTMF tones; `roster`: participants that joined, changed or
 *   left (see RosterEvent); `other`: what nothing models; `*`: everything.
 */
export type CallbackEventName =
  "*" | "operation" | `operation.${Status}` | "invite" | `invite.${Status}` | "call" | "tone" | "roster" | "other";

/** The event a handler of `Name` receives. */
export type CallbackEventFor<Name extends CallbackEventName> = Name extends `operation.${infer S}`
  ? OperationEvent & { status: S }
  : Name extends `invite.${infer S}`
    ? InviteOperationEvent & { status: S }
    : Name extends "operation"
      ? OperationEvent
      : Name extends "invite"
        ? InviteOperationEvent
        : Name extends "call"
          ? CallEvent
          : Name extends "tone"
            ? ToneEvent
            : Name extends "roster"
              ? RosterEvent
              : Name extends "other"
                ? OtherEvent
                : CallbackEvent;

/**
 * A function added with `on(name, handler)`: receives the event, narrowed by `name`. It may return a
 * promise; the next handler runs once it settles. What it throws or rejects with is collected into
 * the AggregateError that `dispatch()` (and `receive()`) throws after every handler ran.
 */
export type CallbackEventHandler<Name extends CallbackEventName> = (
  event: CallbackEventFor<Name>,
) => void | Promise<void>;

/**
 * Typed dispatch of callback events by name: what `createCallbackHandler()` returns, and what the
 * endpoints (`createFetchHandler`, `createNodeMiddleware`) take.
 */
export interface CallbackHandler {
  /** Adds a handler; handlers of one event run in the order they were added. Returns the same handler, to chain. */
  on<Name extends CallbackEventName>(name: Name, handler: CallbackEventHandler<Name>): CallbackHandler;
  /**
   * Parses a commsNotifications body (NotificationValidationError if malformed), then dispatches
   * its events. Resolves to the events.
   */
  receive(body: unknown): Promise<CallbackEvent[]>;
  /**
   * Runs the matching handlers of each event, event by event, in order. Every handler runs even if
   * others fail; their errors are thrown together as one AggregateError at the end.
   */
  dispatch(events: readonly CallbackEvent[]): Promise<void>;
}

const isInvite = (event: CallbackEvent) => event.kind === "operation" && event.operationType === "inviteParticipants";

/** Whether a handler added under `name` runs for `event`; built once, in on(). */
function listensTo(name: CallbackEventName): (event: CallbackEvent) => boolean {
  if (name === "*") return () => true;
  if (name === "invite") return isInvite;
  if (name.startsWith("invite.")) {
    const status = name.slice("invite.".length);
    return (event) => isInvite(event) && (event as InviteOperationEvent).status === status;
  }
  if (name.startsWith("operation.")) {
    const status = name.slice("operation.".length);
    return (event) => event.kind === "operation" && event.status === status;
  }
  return (event) => event.kind === name;
}

/**
 * A callback handler with no handlers yet: add them with `on(name, handler)` (`name` is one of
 * {@link CallbackEventName}; the event is typed by it), then give it to an endpoint, or call
 * `receive(body)` yourself. Handlers run one at a time, event by event, in the order they were added;
 * one that fails does not stop the others, and their errors come together as one AggregateError.
 * @example
 * ```ts
 * const tracker = createOperationTracker();
 * const handler = createCallbackHandler()
 *   .on("*", (event) => tracker.observe([event]))
 *   .on("invite.failed", (event) => console.log("invite failed", event.resultInfo?.code))
 *   .on("call", (event) => console.log("call", event.callId, event.state));
 * const endpoint = createFetchHandler(handler, { appId: "b6ba4e3c-1a9a-4c9e-8b8b-6b9a0c2f4d11" });
 * ```
 */
export function createCallbackHandler(): CallbackHandler {
  const handlers: Array<{
    matches: (event: CallbackEvent) => boolean;
    run: (event: CallbackEvent) => void | Promise<void>;
  }> = [];

  const self: CallbackHandler = {
    on(name, handler) {
      handlers.push({ matches: listensTo(name), run: handler as (event: CallbackEvent) => void | Promise<void> });
      return self;
    },

    async dispatch(events) {
      const errors: unknown[] = [];
      for (const event of events) {
        for (const { matches, run } of handlers) {
          if (!matches(event)) continue;
          try {
            // Awaited only when it returned a promise: a synchronous handler costs no microtask.
            const result = run(event);
            if (isThenable(result)) await result;
          } catch (error) {
            errors.push(error);
          }
        }
      }
      if (errors.length > 0) {
        throw new AggregateError(errors, `${errors.length} callback handler${errors.length === 1 ? "" : "s"} failed`);
      }
    },

    async receive(body) {
      const events = parseCommsNotifications(body);
      await self.dispatch(events);
      return events;
    },
  };
  return self;
}
