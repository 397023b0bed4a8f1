// The fixture as a Cloudflare Worker (bundled by esbuild, run by miniflare's workerd).
import { run } from "./fixture.mjs";

export default {
  async fetch() {
    return Response.json(await run());
  },
};
