// 3. Runtime size: an esbuild bundle (minified, then gzip) of a script that validates and sends one
// invite with createInviteClient, vs the same with bare openapi-fetch, and with bare fetch (the floor).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { row } from "./lib.mjs";

const root = new URL("..", import.meta.url).pathname;
const body = `{ participants: [{ "@odata.type": "#microsoft.graph.invitationParticipantInfo", identity: { "@odata.type": "#microsoft.graph.identitySet", user: { "@odata.type": "#microsoft.graph.identity", id: "u1" } } }], clientContext: "ctx" }`;
const scripts = {
  ours: `import { createInviteClient } from "${root}dist/index.js";
const client = createInviteClient({ getToken: () => process.env.TOKEN });
console.log(await client.invite(process.env.CALL_ID, ${body}));`,
  openapiFetch: `import createClient from "openapi-fetch";
const client = createClient({ baseUrl: "https://graph.microsoft.com/v1.0" });
const { data } = await client.POST("/communications/calls/{call-id}/participants/invite", {
  params: { path: { "call-id": process.env.CALL_ID } }, headers: { authorization: "Bearer " + process.env.TOKEN }, body: ${body} });
console.log(data);`,
  fetch: `const res = await fetch("https://graph.microsoft.com/v1.0/communications/calls/" + encodeURIComponent(process.env.CALL_ID) + "/participants/invite", {
  method: "POST", headers: { authorization: "Bearer " + process.env.TOKEN, "content-type": "application/json" }, body: JSON.stringify(${body}) });
console.log(await res.json());`,
};

export async function bundleSize(source) {
  const dir = mkdtempSync(join(tmpdir(), "gic-bench-size-"));
  try {
    const entry = join(dir, "entry.mjs");
    writeFileSync(entry, source);
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      format: "esm",
      platform: "node",
      write: false,
      nodePaths: [join(root, "node_modules")],
      logLevel: "silent",
    });
    const code = result.outputFiles[0].contents;
    return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchSize() {
  const [ours, openapiFetch, bare] = await Promise.all([
    bundleSize(scripts.ours),
    bundleSize(scripts.openapiFetch),
    bundleSize(scripts.fetch),
  ]);
  const section = "Runtime size (esbuild bundle, minified + gzip, bytes)";
  const extra = (s) => ({ minified: s.min });
  return [
    row(section, "bare fetch (floor)", bare.gzip, "B gzip", bare.gzip, { extra: extra(bare) }),
    row(section, "bare openapi-fetch", openapiFetch.gzip, "B gzip", bare.gzip, { extra: extra(openapiFetch) }),
    row(section, "createInviteClient (validates + sends)", ours.gzip, "B gzip", bare.gzip, {
      maxValue: 10 * 1024,
      extra: extra(ours),
    }),
  ];
}
