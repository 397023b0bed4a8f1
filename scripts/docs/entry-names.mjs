// TypeDoc plugin: each entry module is named by the import that reaches it (`graph-invite-contract/node`),
// not by its file (`node/index`), so the reference reads as a user imports it.
import { Converter, ReflectionKind } from "typedoc";
import { ENTRIES } from "../build.mjs";

/** Module name TypeDoc gives an entry (its path under src/, without /index and .ts) → the import path. */
const importPaths = new Map(
  Object.entries(ENTRIES).map(([name, source]) => [
    source.replace(/^src\//, "").replace(/(\/index)?\.ts$/, ""),
    name === "index" ? "graph-invite-contract" : `graph-invite-contract/${name}`,
  ]),
);

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.getChildrenByKind(ReflectionKind.Module)) {
      const name = importPaths.get(module.name);
      if (!name) throw new Error(`typedoc: module ${module.name} is not an entry of scripts/build.mjs`);
      module.name = name;
    }
  });
}
