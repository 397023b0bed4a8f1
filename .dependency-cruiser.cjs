// dependency-cruiser (`npm run lint:deps`, in npm test): the module graph's own rules. Type-only
// imports count too (tsPreCompilationDeps): a cycle of types is still a cycle of concerns.
// What may use Node: the runtime subpaths and the Node adapter of the endpoint (eslint.config.mjs names the same).
const NODE_ONLY = "^src/(node|cli|testing|redis)/|^src/endpoint/node-adapter\\.ts$";

/** @type {import("dependency-cruiser").IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "No import cycles: the base layer (issues, errors) depends on no feature module.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "neutral-core-no-node",
      comment:
        "The runtime-neutral core (everything in src/ but the runtime subpaths node/, redis/, testing/, cli/ and the Node adapter) reaches no Node built-in, even through another module.",
      severity: "error",
      from: { path: "^src/", pathNot: NODE_ONLY },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "neutral-core-no-runtime-subpath",
      comment:
        "The neutral core builds on no runtime subpath (node/, redis/, testing/, cli/) nor on the Node adapter: each of those builds on the core, never the other way.",
      severity: "error",
      from: { path: "^src/", pathNot: NODE_ONLY },
      to: { path: NODE_ONLY },
    },
  ],
  options: {
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    doNotFollow: { path: "node_modules" },
  },
};
