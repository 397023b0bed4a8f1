// The public API reports, one per entry (API Extractor 7; api-extractor.json holds the shared
// settings): etc/graph-invite-contract.api.md for the main entry, etc/graph-invite-contract.<entry>.api.md
// for /types, /node, /testing and /redis. They read the declarations `npm run build` leaves in .tmp/dts/.
//   node scripts/api-reports.mjs           fail, naming the entries, when an export's signature
//                                          differs from its report (the package tier runs this)
//   node scripts/api-reports.mjs --update  rewrite the reports (part of `npm run api:update`)
//   --declarations <dir>                   read the declarations from <dir> instead (the test's probe)
// API Extractor marks an export without a doc comment `// @public (undocumented)`, a member of one
// `// (undocumented)`: `undocumented()` names them (test/package/api-reports.test.ts holds every report
// to none; `--update` lists them).
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { Extractor, ExtractorConfig } from "@microsoft/api-extractor";
import { ENTRIES } from "./build.mjs";
import { root } from "./generate/spec.mjs";

/** The report's base name for an entry of scripts/build.mjs. */
export const reportName = (entry) => (entry === "index" ? "graph-invite-contract" : `graph-invite-contract.${entry}`);

const DECLARATION =
  /^export (?:declare )?(?:abstract )?(?:class|interface|type|const|let|var|function|enum|namespace) ([\w$]+)/;
const MEMBER = /^\s+(?:(?:readonly|static|protected|abstract|get|set) )*(\[[^\]]*\]|"[^"]*"|[\w$]+)/;

/**
 * The declarations an API report marks `(undocumented)`: an export by its name, a member as
 * `Export.member` (`CallbackAuthError.code`, `paths."/app/..."`, `CallbackTokenClaims.[claim: string]`).
 * @param {string} report the text of an etc/*.api.md report
 * @returns {string[]}
 */
export function undocumented(report) {
  const lines = report.split(/\r?\n/); // API Extractor writes CRLF
  const found = [];
  let owner = "";
  lines.forEach((line, i) => {
    const exported = DECLARATION.exec(line);
    if (exported) owner = exported[1];
    if (!/^\s*\/\/ (?:@public )?\(undocumented\)$/.test(line)) return;
    // the comment block (warnings may come first) ends at the declaration it is about
    let next = i + 1;
    while (lines[next]?.trim().startsWith("//")) next++;
    const declaration = lines[next] ?? "";
    const top = DECLARATION.exec(declaration);
    const member = MEMBER.exec(declaration);
    found.push(top ? top[1] : member ? `${owner}.${member[1]}` : `${owner}: ${declaration.trim()}`);
  });
  return found;
}

/**
 * Runs API Extractor on every entry; with `update`, rewrites the reports that changed.
 * @returns {Array<{ entry: string, report: string, changed: boolean, errors: string[] }>}
 */
export function apiReports({ update = false, declarations = join(root, ".tmp/dts") } = {}) {
  const base = ExtractorConfig.loadFile(join(root, "api-extractor.json"));
  return Object.entries(ENTRIES).map(([entry, source]) => {
    const config = ExtractorConfig.prepare({
      configObject: {
        ...base,
        projectFolder: root,
        mainEntryPointFilePath: join(declarations, source.replace(/\.ts$/, ".d.ts")),
        apiReport: { ...base.apiReport, enabled: true, reportFileName: reportName(entry) },
      },
      configObjectFullPath: join(root, "api-extractor.json"),
      packageJsonFullPath: join(root, "package.json"),
    });
    const errors = [];
    const result = Extractor.invoke(config, {
      localBuild: update,
      messageCallback: (message) => {
        // The report's own "you have changed the public API" is what `changed` says; keep the rest.
        if (message.messageId !== "console-api-report-changed" && message.logLevel === "error")
          errors.push(message.formatMessageWithLocation(root));
        message.handled = message.logLevel !== "error" && message.logLevel !== "warning";
      },
    });
    return {
      entry,
      report: relative(root, join(root, "etc", `${reportName(entry)}.api.md`)),
      changed: result.apiReportChanged,
      errors: result.succeeded || result.apiReportChanged ? errors : [...errors, `${entry}: API Extractor failed`],
    };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const update = process.argv.includes("--update");
  const at = process.argv.indexOf("--declarations");
  const results = apiReports({ update, ...(at > 0 ? { declarations: process.argv[at + 1] } : {}) });
  const failed = results.filter((r) => r.errors.length > 0);
  for (const r of failed) console.error(r.errors.join("\n"));
  const changed = results.filter((r) => r.changed);
  if (update) {
    console.log(
      changed.length ? `API reports rewritten: ${changed.map((r) => r.report).join(", ")}` : "API reports unchanged",
    );
    for (const { report } of results) {
      const missing = undocumented(readFileSync(join(root, report), "utf8"));
      if (missing.length > 0)
        console.warn(`${report}: no doc comment (npm test fails until each has one): ${missing.join(", ")}`);
    }
  } else if (changed.length > 0) {
    console.error(
      `The public API differs from its report: ${changed.map((r) => r.report).join(", ")}.\n` +
        "After a deliberate change run `npm run api:update`, commit etc/ and docs/reference/, and add a CHANGELOG line.",
    );
  } else if (failed.length === 0) console.log(`API reports match: ${results.map((r) => r.report).join(", ")}`);
  process.exit(failed.length > 0 || (!update && changed.length > 0) ? 1 : 0);
}
