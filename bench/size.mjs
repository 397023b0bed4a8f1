// 3. Runtime size: an esbuild bundle (minified, code split, then gzip) of a script that validates and
// sends one invite with createInviteClient, vs the same with bare openapi-fetch, and with bare fetch
// (the floor). The row holds what loads to send a valid invite; the refusal report's lazy chunk is
// stated beside it (scripts/tools/bundle-size.mjs says how each is counted).
import { bundleSize } from "../scripts/tools/bundle-size.mjs";
import { row } from "./lib.mjs";

const root = new URL("..", import.meta.url).pathname;
const body = `{ participants: [{ "@odata.type": "#microsoft.graph.invitationParticipantInfo", identity: { "@odata.type": "#microsoft.graph.identitySet", user: { "@odata.type": "#microsoft.graph.identity", id: "u1" } } }], clientContext: "ctx" }`;
const invite = (entry) => `import { createInviteClient } from "${root}dist/${entry}.js";
const client = createInviteClient({ getToken: () => process.env.TOKEN });
console.log(await client.invite(process.env.CALL_ID, ${body}));`;
const scripts = {
  ours: invite("graph"),
  oursFromRoot: invite("index"),
  openapiFetch: `import createClient from "openapi-fetch";
const client = createClient({ baseUrl: "https://graph.microsoft.com/v1.0" });
const { data } = await client.POST("/communications/calls/{call-id}/participants/invite", {
  params: { path: { "call-id": process.env.CALL_ID } }, headers: { authorization: "Bearer " + process.env.TOKEN }, body: ${body} });
console.log(data);`,
  fetch: `const res = await fetch("https://graph.microsoft.com/v1.0/communications/calls/" + encodeURIComponent(process.env.CALL_ID) + "/participants/invite", {
  method: "POST", headers: { authorization: "Bearer " + process.env.TOKEN, "content-type": "application/json" }, body: JSON.stringify(${body}) });
console.log(await res.json());`,
};

export async function benchSize() {
  const [ours, oursFromRoot, openapiFetch, bare] = await Promise.all([
    bundleSize(scripts.ours),
    bundleSize(scripts.oursFromRoot),
    bundleSize(scripts.openapiFetch),
    bundleSize(scripts.fetch),
  ]);
  const section = "Runtime size (esbuild bundle, minified + gzip, bytes)";
  const extra = (s) => ({
    minified: s.loaded.min,
    ...(s.lazy.files > 0 ? { "lazy chunks (refusal report)": `${s.lazy.gzip} B gzip` } : {}),
  });
  const floor = bare.loaded.gzip;
  return [
    row(section, "bare fetch (floor)", floor, "B gzip", floor, { extra: extra(bare) }),
    row(section, "bare openapi-fetch", openapiFetch.loaded.gzip, "B gzip", floor, { extra: extra(openapiFetch) }),
    row(section, "createInviteClient from /graph (validates + sends)", ours.loaded.gzip, "B gzip", floor, {
      maxValue: 8_000,
      extra: extra(ours),
    }),
    row(section, "createInviteClient from /graph, stretch", ours.loaded.gzip, "B gzip", floor, { maxValue: 7_000 }),
    // context: esbuild keeps the root's static re-exports (validateInviteRequest, so Ajv) in the first chunk
    row(section, "createInviteClient from the root entry", oursFromRoot.loaded.gzip, "B gzip", floor, {
      extra: extra(oursFromRoot),
    }),
  ];
}
