// `pretest` (and `test:unit`): the system programs the tests need, checked before anything runs, so a
// fresh machine stops here with the install line instead of a `spawn redis-server ENOENT` after a
// 30 s stall. The README's Prerequisites section names the same three. Exits 1 naming each one missing.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const { engines } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const nodeMin = /** @type {string} */ (engines.node).replace(/^>=\s*/, "");

/** `[major, minor]` of the first `x.y` in `text`, or undefined. */
const versionIn = (/** @type {string} */ text) => {
  const m = /(\d+)\.(\d+)/.exec(text);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
};
const atLeast = (/** @type {number[]} */ [major, minor], /** @type {number[]} */ [minMajor, minMinor]) =>
  major > minMajor || (major === minMajor && minor >= minMinor);

/** The version a program prints for `args` (stdout or stderr), or undefined when it does not run. */
function programVersion(/** @type {string} */ command, /** @type {string[]} */ args) {
  const run = spawnSync(command, args, { encoding: "utf8", timeout: 15_000 });
  if (run.error || run.status !== 0) return undefined;
  return versionIn(`${run.stdout}\n${run.stderr}`) ?? [0, 0];
}

const prerequisites = [
  {
    name: `Node ${nodeMin}+`,
    why: "the package's engines field",
    found: () => versionIn(process.versions.node),
    min: versionIn(nodeMin),
    install: "a Node 20.18+ from your version manager (e.g. `nvm install 20`) or your system's packages",
  },
  {
    name: "Java 17+",
    why: "openapi-generator, in `npm run generate` and the generator tests",
    // `java -version` prints `openjdk version "17.0.12" ...` (or `"1.8.0_..."` for Java 8) on stderr
    found: () => {
      const v = programVersion("java", ["-version"]);
      return v && v[0] === 1 ? [v[1], 0] : v;
    },
    min: [17, 0],
    debian: "openjdk-17-jre-headless",
    install: "Debian/Ubuntu: apt-get install openjdk-17-jre-headless · macOS: brew install openjdk@17",
  },
  {
    name: "redis-server",
    why: "the Redis tracker's tests start their own on a free port",
    found: () => programVersion("redis-server", ["--version"]),
    min: [0, 0],
    debian: "redis-server",
    install: "Debian/Ubuntu: apt-get install redis-server · macOS: brew install redis",
  },
];

const missing = prerequisites.filter(({ found, min }) => {
  const version = found();
  return !version || !atLeast(version, /** @type {number[]} */ (min));
});
if (missing.length > 0) {
  const lines = missing.map(({ name, why, found, install }) => {
    const version = found();
    return `  - ${name} (${why}): ${version ? `found ${version.join(".")}, too old` : "not found on PATH"}\n    install: ${install}`;
  });
  const debian = missing.flatMap((p) => ("debian" in p ? [p.debian] : []));
  console.error(
    `The tests need these programs first (README, Prerequisites):\n${lines.join("\n")}` +
      (debian.length > 1 ? `\nDebian/Ubuntu, all at once: apt-get install ${debian.join(" ")}` : ""),
  );
  process.exit(1);
}
