// Jest's documented Babel setup for TypeScript: no Jest config, babel-jest by default.
module.exports = {
  presets: [["@babel/preset-env", { targets: { node: "current" } }], "@babel/preset-typescript"],
};
