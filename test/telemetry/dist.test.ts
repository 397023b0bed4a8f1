// The built package with an SDK, as an application loads it: dist/index.cjs under require() (on the
// oldest Node tested, which cannot require() ES modules, and the project's) and dist/index.js under
// import. @opentelemetry/api is external in both builds: the application's copy, where its SDK
// registers globally, is the one createTelemetry() uses. (vitest's global setup has built dist/.)
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const node2018 = join(root, "test/runtimes/node_modules/node20-18/bin/node");

const program = (load: string) => `
${load}
const exporter = new InMemorySpanExporter();
api.trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
const endpoint = pkg.createFetchHandler(pkg.createCallbackHandler(), {
  dangerouslyAcceptUnverifiedCallbacks: true,
  telemetry: pkg.createTelemetry(),
});
const body = JSON.stringify({ value: [{ changeType: "deleted", resourceUrl: "/communications/calls/c1/operations/o1",
  resourceData: { "@odata.type": "#microsoft.graph.inviteParticipantsOperation", id: "o1", status: "completed" } }] });
endpoint(new Request("http://127.0.0.1/api/calls", { method: "POST", headers: { "content-type": "application/json" }, body }))
  .then((res) => console.log(JSON.stringify({ status: res.status, spans: exporter.getFinishedSpans().map((s) => [s.name, s.attributes["graph_invite.operation.ids"]]) })));
`;

const cjs = program(`
const api = require("@opentelemetry/api");
const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require("@opentelemetry/sdk-trace-base");
const pkg = require("./dist/index.cjs");`);
const esm = program(`
import * as api from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import * as pkg from "./dist/index.js";`);

const expected = { status: 202, spans: [["callback", ["o1"]]] };

describe("the built package with an OpenTelemetry SDK", () => {
  for (const [name, node] of [
    ["Node 20.18", node2018],
    [`Node ${process.version}`, process.execPath],
  ] as const) {
    it(`produces a span under require() of dist/index.cjs on ${name}`, () => {
      const run = spawnSync(node, ["--input-type=commonjs", "-e", cjs], { cwd: root, encoding: "utf8" });
      expect(run.stderr).toBe("");
      expect(JSON.parse(run.stdout)).toEqual(expected);
    }, 30_000);
  }

  it("produces a span under import of dist/index.js", () => {
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", esm], { cwd: root, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual(expected);
  }, 30_000);
});
