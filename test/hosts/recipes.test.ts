// docs/hosting.md's recipes, run as written on the real host packages: each section's code blocks,
// after the page's shared block (the handler, appId, port), become one module that imports the built
// package by its name (dist/, what the tarball ships); it runs in its own Node process with PORT and
// BOT_APP_ID set and Microsoft's key endpoint stood in for (support/microsoft-keys.mjs: the simulator's
// keys); the Graph simulator then posts its signed callbacks to it, and each must be answered 202.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, transform } from "esbuild";
import { Miniflare } from "miniflare";
import { afterEach, describe, expect, it } from "vitest";
import { createInviteClient, inviteParticipants, userIdentity } from "../../src/index.js";
import { createGraphSimulator, type GraphSimulator } from "../../src/testing/index.js";
import { installPacked, pack, root } from "../support/packed.js";

const APP_ID = "b6ba4e3c-1a9a-4c9e-8b8b-6b9a0c2f4d11";
const page = readFileSync(join(root, "docs/hosting.md"), "utf8");
const blocks = (text: string) => [...text.matchAll(/^```ts(?: [^\n]*)?\n([\s\S]*?)^```$/gm)].map((m) => m[1]!); // "```ts nocheck" too
const shared = blocks(page)[0]!;
/** The ts blocks under a `## ` heading. */
function section(heading: string): string[] {
  const start = page.indexOf(`\n## ${heading}\n`);
  if (start === -1) throw new Error(`docs/hosting.md has no section "${heading}"`);
  const end = page.indexOf("\n## ", start + 1);
  return blocks(page.slice(start, end === -1 ? undefined : end));
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Polls until something listens on `port` (bounded). */
async function listening(port: number, child: ChildProcess, output: () => string) {
  for (let waited = 0; waited < 30_000; waited += 100) {
    if (child.exitCode !== null) throw new Error(`the recipe exited (${child.exitCode}): ${output()}`);
    const up = await fetch(`http://127.0.0.1:${port}/`).then(
      (res) => (void res.body?.cancel(), true),
      () => false,
    );
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing listens on ${port} after 30 s: ${output()}`);
}

let child: ChildProcess | undefined;
let sim: GraphSimulator | undefined;
let worker: Miniflare | undefined;
afterEach(async () => {
  child?.kill();
  await worker?.dispose();
  await sim?.close();
  child = sim = worker = undefined;
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** Microsoft's key endpoint, stood in for as in support/microsoft-keys.mjs. */
const MICROSOFT_KEYS: Record<string, () => string> = {
  "https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration": () =>
    JSON.stringify({ jwks_uri: "https://login.botframework.com/v1/.well-known/keys" }),
  "https://login.botframework.com/v1/.well-known/keys": () => JSON.stringify(sim!.jwks),
};

/**
 * Serves the recipe on workerd (miniflare, listening on 127.0.0.1): bundled by esbuild as a Workers
 * build would, `process.env.*` defined at build time (as `wrangler --define` does: Workers have no
 * process), the Worker's outbound fetches to Microsoft's keys answered with the simulator's.
 */
async function runOnWorkerd(blocks: string[]): Promise<string> {
  const dir = join(root, ".tmp/hosts");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `workerd-${blocks.length}-${Date.now()}.ts`);
  writeFileSync(file, [shared, ...blocks].join("\n"));
  const bundle = await build({
    entryPoints: [file],
    absWorkingDir: root,
    bundle: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    conditions: ["worker", "browser"],
    target: "es2022",
    write: false,
    define: { "process.env.BOT_APP_ID": JSON.stringify(APP_ID), "process.env.PORT": "undefined" },
  });
  sim = await createGraphSimulator({ appId: APP_ID, callbackDelayMs: 5 });
  worker = new Miniflare({
    modules: true,
    script: bundle.outputFiles[0]!.text,
    compatibilityDate: "2025-09-01",
    host: "127.0.0.1",
    port: await freePort(),
    outboundService: (request: { url: string }) => {
      const keys = MICROSOFT_KEYS[request.url];
      if (!keys) return new Response("not reachable from this test", { status: 502 });
      return new Response(keys(), { headers: { "content-type": "application/json" } });
    },
  });
  return (await worker.ready).origin;
}

const BUN = join(root, "node_modules/.bin/bun");
const DENO = join(root, "test/runtimes/node_modules/@deno/linux-x64-glibc/deno");

/**
 * Runs the recipe and returns its URL: on Node, or on Bun (which runs the TypeScript as written), or
 * through `host`, a runner script, when the host is not a plain process.
 */
async function run(heading: string, host?: string, runtime: "node" | "bun" = "node"): Promise<string> {
  const source = [shared, ...section(heading)].join("\n");
  const code = runtime === "bun" ? source : (await transform(source, { loader: "ts", format: "esm" })).code;
  const dir = join(root, ".tmp/hosts"); // inside the package: `graph-invite-contract` resolves to dist/
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${heading.replace(/\W+/g, "-").toLowerCase()}.${runtime === "bun" ? "ts" : "mjs"}`);
  writeFileSync(file, code);
  sim = await createGraphSimulator({ appId: APP_ID, callbackDelayMs: 5 });
  const port = await freePort();
  const preload = join(import.meta.dirname, "support/microsoft-keys.mjs");
  const args = host ? [join(import.meta.dirname, "support", host), file] : [file];
  let output = "";
  const [command, flags] =
    runtime === "bun" ? [BUN, ["--preload", preload]] : [process.execPath, ["--import", preload]];
  child = spawn(command, [...flags, ...args], {
    cwd: root,
    env: { ...process.env, PORT: String(port), BOT_APP_ID: APP_ID, GIC_TEST_JWKS: JSON.stringify(sim.jwks) },
  });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  await listening(port, child, () => output);
  return `http://127.0.0.1:${port}`;
}

/**
 * Runs the Deno recipe as written (`npm:graph-invite-contract`) in an outside project with the packed
 * package in its node_modules (Deno resolves npm: specifiers there when a package.json is present).
 */
async function runOnDeno(): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), "gic-deno-recipe-"));
  cleanups.push(() => rmSync(work, { recursive: true, force: true }));
  const project = installPacked("test/runtimes/app", work, "app", pack(work));
  const file = join(project, "recipe.ts");
  writeFileSync(file, [shared, ...section("Deno")].join("\n"));
  sim = await createGraphSimulator({ appId: APP_ID, callbackDelayMs: 5 });
  const port = await freePort();
  const preload = join(import.meta.dirname, "support/microsoft-keys.mjs");
  let output = "";
  child = spawn(DENO, ["run", "--allow-net", "--allow-env", "--allow-read", "--preload", preload, file], {
    cwd: project,
    env: {
      ...process.env,
      NO_COLOR: "1",
      PORT: String(port),
      BOT_APP_ID: APP_ID,
      GIC_TEST_JWKS: JSON.stringify(sim.jwks),
    },
  });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  await listening(port, child, () => output);
  return `http://127.0.0.1:${port}`;
}
const cleanups: Array<() => void> = [];

/** Two accepted invites through the simulator; the answer to each of their callbacks (a roster, a final). */
async function callbacks(url: string): Promise<number[]> {
  sim!.setCallbackUri(`${url}/api/calls`);
  const client = createInviteClient(sim!.clientOptions());
  await client.invite("call-1", inviteParticipants([userIdentity("accepts")]));
  await client.invite("call-1", inviteParticipants([userIdentity("accepts-too")]));
  await sim!.idle();
  return sim!.sent.map((s) => s.status);
}

describe("docs/hosting.md's recipes, as written, on the real hosts", () => {
  for (const heading of ["node:http", "Express 5", "Fastify 5", "Hono"]) {
    it(`${heading}: answers 202 to each signed callback`, async () => {
      expect(await callbacks(await run(heading))).toEqual([202, 202, 202, 202]);
    }, 60_000);
  }

  it("Bun: answers 202 to each signed callback (Bun.serve, the TypeScript run as written)", async () => {
    expect(await callbacks(await run("Bun", undefined, "bun"))).toEqual([202, 202, 202, 202]);
  }, 60_000);

  it("Cloudflare Workers: answers 202 to each signed callback on workerd (miniflare)", async () => {
    expect(await callbacks(await runOnWorkerd(section("Cloudflare Workers")))).toEqual([202, 202, 202, 202]);
  }, 60_000);

  it("Hono on Workers: answers 202 to each signed callback on workerd (c.executionCtx used there)", async () => {
    expect(await callbacks(await runOnWorkerd(section("Hono").slice(0, 1)))).toEqual([202, 202, 202, 202]);
  }, 60_000);

  it("Deno: answers 202 to each signed callback (Deno.serve, npm:graph-invite-contract from the packed package)", async () => {
    expect(await callbacks(await runOnDeno())).toEqual([202, 202, 202, 202]);
  }, 120_000);

  it("Azure Functions v4: answers 202 to each signed callback handed over as @azure/functions' HttpRequest", async () => {
    expect(await callbacks(await run("Azure Functions v4 (Node)", "azure-host.mjs"))).toEqual([202, 202, 202, 202]);
  }, 60_000);

  it("Fastify 5: the plugin answers 415 and 401 itself (the endpoint decides, not Fastify)", async () => {
    const url = await run("Fastify 5");
    const post = (type: string, body: string, headers: Record<string, string> = {}) =>
      fetch(`${url}/api/calls`, { method: "POST", headers: { "content-type": type, ...headers }, body });
    expect((await post("text/plain", "x")).status).toBe(415);
    expect((await post("application/json", "{}", { authorization: "Bearer forged" })).status).toBe(401);
    expect(await callbacks(url)).toEqual([202, 202, 202, 202]);
  }, 60_000);
});
