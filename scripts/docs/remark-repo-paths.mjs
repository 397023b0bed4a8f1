// remark plugin (in `npm run lint:links`): a repo path the docs name in prose, inline code or a table
// (`src/...`, `test/...`, `bench/...`, `scripts/...`) must exist, so a figures table or a layout note
// cannot go on naming a file that was moved or deleted. Fenced code blocks are left alone: they show
// commands and their output, which may name files made at run time; so is the changelog, a record of
// files as they were.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { root } from "../generate/spec.mjs";
const PATH = /(?<![\w./-])(?:src|test|bench|scripts|etc|generated|spectral|reliability)\/[\w./-]*[\w/-]/g;

/** The text nodes and inline code of a tree, outside fenced code. */
function* texts(node) {
  if (node.type === "code") return;
  if (node.type === "text" || node.type === "inlineCode") yield node;
  for (const child of node.children ?? []) yield* texts(child);
}

export default function remarkRepoPaths() {
  return (tree, file) => {
    if (file.basename === "CHANGELOG.md") return;
    for (const node of texts(tree)) {
      for (const [path] of node.value.matchAll(PATH)) {
        if (!existsSync(join(root, path)))
          file.message(`Cannot find repo path \`${path}\``, node, "repo-paths:missing");
      }
    }
  };
}
