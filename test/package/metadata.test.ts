// What npm shows and runs for a consumer: the repository, homepage, bugs and license fields, the
// LICENSE file in the tarball, README links that resolve off GitHub too (npm's page has no docs/), and
// no lifecycle script that a consumer's install would run.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { root } from "../support/packed.js";

const REPOSITORY = "https://github.com/graph-invite-contract/graph-invite-contract";
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  license: string;
  repository: { type: string; url: string };
  homepage: string;
  bugs: { url: string };
  scripts: Record<string, string>;
};

describe("the package's metadata on npm", () => {
  it("names its repository, homepage, issue tracker and license", () => {
    expect(pkg.repository).toEqual({ type: "git", url: `git+${REPOSITORY}.git` });
    expect(pkg.homepage).toBe(`${REPOSITORY}#readme`);
    expect(pkg.bugs).toEqual({ url: `${REPOSITORY}/issues` });
    expect(pkg.license).toBe("MIT");
    const license = readFileSync(join(root, "LICENSE"), "utf8");
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} graph-invite-contract contributors\n/);
  });

  it("ships LICENSE, README and package.json in the tarball", () => {
    const [packed] = JSON.parse(
      execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8" }),
    ) as Array<{ files: Array<{ path: string }> }>;
    const files = packed!.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(["LICENSE", "README.md", "package.json"]));
  }, 60_000);

  it("runs nothing on a consumer's install (no install, postinstall or prepare script)", () => {
    for (const hook of ["preinstall", "install", "postinstall", "prepare", "preprepare", "postprepare"])
      expect(pkg.scripts[hook], hook).toBeUndefined();
    // The test runtimes are installed before the tests instead (npm ci && npm test on a fresh clone).
    expect(pkg.scripts.pretest).toContain("node scripts/install-runtimes.mjs");
  });

  it("links the README only to absolute GitHub URLs of files this repository has", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(10);
    for (const link of links) {
      if (link.startsWith("#")) continue;
      expect(link, "a relative link is dead on npm").toMatch(new RegExp(`^${REPOSITORY}/blob/main/`));
      const file = link.slice(`${REPOSITORY}/blob/main/`.length).split("#")[0]!;
      expect(existsSync(join(root, file)), link).toBe(true);
    }
  });
});
