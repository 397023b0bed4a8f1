// createFetchHandler: the callback endpoint for hosts that speak the Fetch API (Request → Response):
// Cloudflare Workers, Deno, Bun, Hono, Next.js route handlers, Azure Functions v4. Translates between
// Request/Response and the endpoint core, which makes every decision.
import { ANSWERS, createCallbackEndpoint, tooLarge, type CallbackEndpointOptions, type EndpointAnswer } from "./endpoint.js";
import type { CallbackHandler } from "./handler.js";

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

const respond = ({ status, headers, body }: EndpointAnswer) => new Response(body ?? null, { status, headers });

/** The body's bytes, or null past `limit` (the stream is cancelled there, not read to its end). */
async function readLimited(request: Request, limit: number): Promise<Uint8Array | null> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}

export function createFetchHandler(handler: CallbackHandler, options: FetchHandlerOptions = {}): FetchHandler {
  const endpoint = createCallbackEndpoint(handler, options);

  return async (request, context) => {
    try {
      if (!endpoint.matches(new URL(request.url).pathname)) return respond(ANSWERS.notFound);
      const { headers } = request;
      const refused = endpoint.screen(request.method, headers.get("content-type"), headers.get("content-length"));
      if (refused) return respond(refused);
      if (!(await endpoint.authorize(headers.get("authorization") ?? undefined))) return respond(ANSWERS.unauthorized);
      const body = await readLimited(request, endpoint.limit);
      if (body === null) return respond(tooLarge(endpoint.limit));
      const { events, answer } = endpoint.judge(body);
      if (answer === ANSWERS.accepted) {
        // After the answer: a handler's synchronous work must not delay the 202.
        const work = new Promise((resolve) => setTimeout(resolve, 0)).then(() => endpoint.dispatch(events));
        if (context?.waitUntil) context.waitUntil(work);
        else options.waitUntil?.(work);
      }
      return respond(answer);
    } catch (error) {
      endpoint.onError(error);
      return respond(ANSWERS.internalError);
    }
  };
}
