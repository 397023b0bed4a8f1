// Nothing secret or personal in any signal: the whole set of scenarios (harness.ts) runs with the
// SDK's in-memory exporters and a capturing logger, and no span (name, attributes, events, status,
// links), metric (names, data point attributes) or log record contains a token, a phone number, a
// display name, an email, a clientContext the caller chose, or any fragment of a body sent or received.
import { afterAll, describe, expect, it } from "vitest";
import { createKit, runScenarios, SECRETS, type Kit } from "./harness.js";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The schema's enum values (operation status, changeType): the contract's vocabulary, recorded on purpose. */
const VOCABULARY = /^(notStarted|running|completed|failed|unknownFutureValue|created|updated|deleted)$/i;

/** Every string value in a JSON body that is data, not structure: Graph's ids (GUIDs), type names and enum values excepted. */
function fragments(body: string): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === "string") {
      if (v.length >= 6 && !GUID.test(v) && !v.startsWith("#microsoft.graph.") && !VOCABULARY.test(v)) out.push(v);
    } else if (v && typeof v === "object") for (const x of Object.values(v)) walk(x);
  };
  try {
    walk(JSON.parse(body));
  } catch {
    out.push(body.slice(0, 64));
  }
  return out;
}

/** Every string a sink of `kit` received, with where it was. */
async function everything(kit: Kit): Promise<Array<[string, string]>> {
  const out: Array<[string, string]> = [];
  for (const span of kit.finished()) {
    const where = `span ${span.name}`;
    out.push([where, span.name], [where, JSON.stringify(span.attributes)], [where, String(span.status.message ?? "")]);
    for (const e of span.events)
      out.push([`${where} event ${e.name}`, `${e.name} ${JSON.stringify(e.attributes ?? {})}`]);
    for (const l of span.links) out.push([`${where} link`, JSON.stringify(l.attributes ?? {})]);
  }
  for (const batch of await kit.allMetrics())
    for (const scope of batch.scopeMetrics)
      for (const metric of scope.metrics) {
        out.push([`metric ${metric.descriptor.name}`, JSON.stringify(metric.descriptor)]);
        for (const p of metric.dataPoints) out.push([`metric ${metric.descriptor.name}`, JSON.stringify(p.attributes)]);
      }
  for (const r of kit.records) out.push([`log ${String(r.fields.event)}`, `${JSON.stringify(r.fields)} ${r.message}`]);
  return out;
}

function leaks(sinks: Array<[string, string]>, forbidden: string[]) {
  const found: string[] = [];
  for (const [where, text] of sinks)
    for (const value of forbidden) if (text.includes(value)) found.push(`${where}: ${JSON.stringify(value)}`);
  return [...new Set(found)];
}

const kits: Kit[] = [];
afterAll(() => Promise.all(kits.map((k) => k.shutdown())));

describe("no secret or personal value in any span, metric or log record", () => {
  it("across every scenario, by default", async () => {
    const kit = createKit();
    kits.push(kit);
    const seen = await runScenarios(kit);
    const sinks = await everything(kit);
    expect(kit.finished().length).toBeGreaterThan(20); // the scenarios produced the signals the scan reads
    expect(kit.records.length).toBeGreaterThan(20);
    const forbidden = [
      SECRETS.graphToken,
      SECRETS.phone,
      ...SECRETS.displayNames,
      ...SECRETS.emails,
      ...SECRETS.clientContexts,
      ...seen.tokens.filter((t) => t.length >= 8),
      ...seen.bodies.flatMap(fragments),
      ...seen.bodies.filter((b) => b.length >= 16),
    ];
    expect(seen.tokens.length).toBeGreaterThan(3); // the simulator's signed tokens were captured
    expect(forbidden).toContain(SECRETS.displayNames[0]); // the fragments hold what the bodies carried
    expect(leaks(sinks, forbidden)).toEqual([]);
  }, 60_000);

  it("records clientContext only with recordClientContext: true (and the scan finds it then)", async () => {
    const kit = createKit({ recordClientContext: true });
    kits.push(kit);
    await runScenarios(kit);
    const found = leaks(await everything(kit), SECRETS.clientContexts);
    expect(found.some((f) => f.startsWith("span invite"))).toBe(true);
    expect(found.some((f) => f.startsWith("span settle"))).toBe(true);
    expect(found.some((f) => f.startsWith("span callback"))).toBe(true);
    // Still nothing else: the option opens clientContext, not the bodies.
    expect(leaks(await everything(kit), [SECRETS.phone, ...SECRETS.displayNames, SECRETS.graphToken])).toEqual([]);
  }, 60_000);
});
