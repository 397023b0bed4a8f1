// ESLint (typescript-eslint) for every hand-written source file; Prettier does the formatting.
// The rule that matters most here: the runtime-neutral core imports no Node built-in and uses no
// Node global, so it runs on Deno, Bun, Workers and in browsers (src/node/ and the CLI may).
import { builtinModules } from "node:module";
import js from "@eslint/js";
import globals from "globals";
import tsdoc from "eslint-plugin-tsdoc";
import tseslint from "typescript-eslint";

// What may use Node: the runtime subpaths and the endpoint's Node adapter (.dependency-cruiser.cjs names the same).
const nodeOnly = ["src/node/**", "src/cli/**", "src/testing/**", "src/redis/**", "src/endpoint/node-adapter.ts"];

export default tseslint.config(
  {
    ignores: ["generated/**", "dist/**", "**/node_modules/**", ".tmp/**", "bench/types/**", "test/generated/client/**"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      "no-control-regex": "off", // the CLI and the validators match control characters on purpose
    },
  },
  {
    // Tests may loosen types to build hostile input; scripts and bench are Node programs.
    files: ["test/**", "bench/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // CommonJS consumers, as their authors write them.
    files: ["**/*.cts", "**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { ...globals.node, ...globals.jest } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["src/**/*.ts"],
    ignores: nodeOnly,
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: builtinModules.map((name) => ({
            name,
            message:
              "The neutral core imports no Node built-in: move this to a runtime subpath (src/node/, src/redis/, ...).",
          })),
          patterns: [
            {
              group: ["node:*"],
              message:
                "The neutral core imports no Node built-in: move this to a runtime subpath (src/node/, src/redis/, ...).",
            },
          ],
        },
      ],
      "no-restricted-globals": [
        "error",
        ...["Buffer", "process", "__dirname", "__filename", "require", "global", "setImmediate"].map((name) => ({
          name,
          message: "Node-only global: the neutral core runs on Deno, Bun, Workers and browsers too.",
        })),
      ],
    },
  },
  {
    // TSDoc syntax in the hand-written layer (TypeDoc renders it into docs/reference/; tsdoc.json adds
    // TypeDoc's tags). Whether an export has TSDoc at all is not checked yet.
    files: ["src/**/*.ts"],
    plugins: { tsdoc },
    rules: { "tsdoc/syntax": "error" },
  },
);
