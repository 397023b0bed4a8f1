// dependency-cruiser (`npm run lint:deps`, in npm test): the module graph's own rules. Type-only
// imports count too (tsPreCompilationDeps): a cycle of types is still a cycle of concerns.
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
        "The runtime-neutral core (everything in src/ but node/, testing/, redis/ and the CLI) reaches no Node built-in, even through another module.",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/(node|cli|testing|redis)/" },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "neutral-core-not-node-entry",
      comment: "Only the Node entry and the CLI build on src/node/.",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/(node|cli|testing|redis)/" },
      to: { path: "^src/node/" },
    },
  ],
  options: {
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    doNotFollow: { path: "node_modules" },
  },
};
