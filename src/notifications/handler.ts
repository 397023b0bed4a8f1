// createCallbackHandler: typed dispatch of callback events by name, in the style of @octokit/webhooks.
import { isThenable } from "../internal/thenable.js";
import {
  parseCommsNotifications,
  type CallbackEvent,
  type OperationEvent,
  type OtherEvent,
  type RosterEvent,
} from "./parse.js";

/** The names a handler can listen to. `operation.<status>` narrows the event's status. */
export type CallbackEventName =
  | "*"
  | "operation"
  | "operation.completed"
  | "operation.failed"
  | "operation.running"
  | "operation.notStarted"
  | "roster"
  | "other";

/** The event a handler of `Name` receives. */
export type CallbackEventFor<Name extends CallbackEventName> = Name extends `operation.${infer S}`
  ? OperationEvent & { status: S }
  : Name extends "operation"
    ? OperationEvent
    : Name extends "roster"
      ? RosterEvent
      : Name extends "other"
        ? OtherEvent
        : CallbackEvent;

export type CallbackEventHandler<Name extends CallbackEventName> = (
  event: CallbackEventFor<Name>,
) => void | Promise<void>;

export interface CallbackHandler {
  /** Adds a handler; handlers of one event run in the order they were added. */
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

/** Whether a handler added under `name` runs for `event`; built once, in on(). */
function listensTo(name: CallbackEventName): (event: CallbackEvent) => boolean {
  if (name === "*") return () => true;
  if (name.startsWith("operation.")) {
    const status = name.slice("operation.".length);
    return (event) => event.kind === "operation" && event.status === status;
  }
  return (event) => event.kind === name;
}

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
