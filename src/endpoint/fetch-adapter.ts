// createFetchHandler: the callback endpoint for hosts that speak the Fetch API (Request → Response):
// Cloudflare Workers, Deno, Bun, Hono, Next.js route handlers, Azure Functions v4. Translates between
// Request/Response and the endpoint core, which makes every decision.
import {
  ANSWERS,
  createCallbackEndpoint,
  tooLarge,
  type CallbackEndpointOptions,
  type EndpointAnswer,
} from "./core.js";
import { readLimited } from "../internal/read-limited.js";
import type { CallbackHandler } from "../notifications/handler.js";
import type { Intake } from "../telemetry/hooks.js";

/** A host's hook that keeps the work of a promise alive after the response (Workers' `ctx.waitUntil`). */
export interface WaitUntilContext {
  waitUntil(promise: Promise<unknown>): void;
}

export interface FetchHandlerOptions extends CallbackEndpointOptions {
  /**
   * Keeps the handlers' work alive after the 202 on hosts that stop at the response, e.g.
   * `(p) => ctx.waitUntil(p)`. A `context` passed per request (Workers' `ctx`) is used first.
   */
  waitUntil?: (promise: Promise<unknown>) => void;
}

export type FetchHandler = (request: Request, context?: Partial<WaitUntilContext>) => Promise<Response>;

const respond = ({ status, headers, body }: EndpointAnswer, intake?: Intake) => {
  intake?.answered(status);
  return new Response(body ?? null, { status, headers });
};

export function createFetchHandler(handler: CallbackHandler, options: FetchHandlerOptions): FetchHandler {
  const endpoint = createCallbackEndpoint(handler, options);

  return async (request, context) => {
    let intake: Intake | undefined;
    /** A refusal that leaves the body unread: cancel it rather than let the host buffer it. */
    const refuse = (answer: EndpointAnswer) => {
      request.body?.cancel().catch(() => {});
      return respond(answer, intake);
    };
    try {
      const path = new URL(request.url).pathname;
      if (!endpoint.matches(path)) return refuse(ANSWERS.notFound);
      intake = endpoint.begin(request.method, path);
      const { headers } = request;
      const refused = endpoint.screen(request.method, headers.get("content-type"), headers.get("content-length"));
      if (refused) return refuse(refused);
      const denied = await endpoint.authorize(headers.get("authorization") ?? undefined, intake);
      if (denied) return refuse(denied);
      // A body stream that fails is the client going away: not the bot's error, so not onError's.
      const body = await readLimited(request.body, endpoint.limit).catch(() => undefined);
      if (body === undefined) return respond(ANSWERS.unreadable, intake);
      if (body === null) return respond(tooLarge(endpoint.limit), intake);
      const { events, answer } = endpoint.judge(body, intake);
      if (answer !== ANSWERS.accepted) return respond(answer, intake);
      const replay = endpoint.replayed ? await endpoint.replayed(body) : null;
      if (replay) return respond(replay, intake);
      const notRecorded = await endpoint.recorded(events, intake);
      if (notRecorded) return respond(notRecorded, intake);
      // After the answer: a handler's synchronous work must not delay the 202.
      const work = new Promise((resolve) => setTimeout(resolve, 0)).then(() => endpoint.dispatch(events));
      if (context?.waitUntil) context.waitUntil(work);
      else options.waitUntil?.(work);
      return respond(answer, intake);
    } catch (error) {
      endpoint.onError(error);
      return respond(ANSWERS.internalError, intake);
    }
  };
}
