// `npm run lint:links` (in npm test): every relative link and #anchor in the README, CONTRIBUTING and
// docs/ resolves to a file and a heading that exist (remark-validate-links, GitHub's heading slugs).
// No network: URLs are not fetched, and `repository: false` keeps links to this repo's own GitHub
// pages out of the check rather than guessing its remote. scripts/docs/remark-repo-paths.mjs adds
// the repo paths named in text and tables (a figures table naming a moved file fails).
import remarkValidateLinks from "remark-validate-links";
import remarkRepoPaths from "./scripts/docs/remark-repo-paths.mjs";

export default { plugins: [[remarkValidateLinks, { repository: false }], remarkRepoPaths] };
