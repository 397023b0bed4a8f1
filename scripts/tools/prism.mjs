// Starts Prism (@stoplight/prism-cli) as a mock of Graph generated from openapi.yaml, on
// 127.0.0.1, with request validation on: it refuses what the contract does not allow.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { root, specPath } from "../generate/spec.mjs";

const prismBin = join(root, "node_modules/@stoplight/prism-cli/dist/index.js");

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {import("node:net").AddressInfo} */ (probe.address());
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves { url, pid, stop() } once Prism listens; stop() ends it by its own PID. */
export async function startPrism({ timeoutMs = 30_000 } = {}) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [prismBin, "mock", specPath, "-h", "127.0.0.1", "-p", String(port), "--errors"],
    {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const exited = new Promise((resolve) => child.once("exit", resolve));
  // Even if the caller crashes before stop(), no Prism is left behind.
  const killOnExit = () => child.kill("SIGTERM");
  process.once("exit", killOnExit);
  const stop = async () => {
    process.off("exit", killOnExit);
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  let output = "";
  try {
    await /** @type {Promise<void>} */ (
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`Prism did not start within ${timeoutMs} ms:\n${output}`)),
          timeoutMs,
        );
        const onData = (chunk) => {
          output += chunk;
          if (output.includes("Prism is listening")) {
            clearTimeout(timer);
            resolve();
          }
        };
        child.stdout.on("data", onData);
        child.stderr.on("data", onData);
        child.once("exit", (code) => {
          clearTimeout(timer);
          reject(new Error(`Prism exited (${code}) before listening:\n${output}`));
        });
      })
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `http://127.0.0.1:${port}`, pid: child.pid, stop };
}
