// readCapped, how graph-invite reads a file or standard input (in process: test/cli/bin.test.ts runs
// the built bin): limit + 1 bytes at most, a non-blocking pipe waited out, each file closed.
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import {
  closeSync,
  constants,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { docsDir } from "../fixtures/docs.js";
import { readCapped } from "../../src/cli/run.js";
import { runInProcess } from "../support/cli.js";

describe("readCapped, how the bin reads a file or standard input", () => {
  it("reads limit + 1 bytes at most, whatever the limit, and a smaller input whole", () => {
    const dir = mkdtempSync(join(tmpdir(), "gic-cli-"));
    try {
      const file = join(dir, "big.json");
      writeFileSync(file, Buffer.alloc(200_000, 0x20));
      const read = (limit: number) => {
        const fd = openSync(file, "r");
        try {
          return readCapped(fd, limit).byteLength;
        } finally {
          closeSync(fd);
        }
      };
      // 10 and 100,000 take one and two reads; 131,072 is two whole 64 KiB reads, and one byte more
      expect([10, 100_000, 131_072, 500_000].map(read)).toEqual([11, 100_001, 131_073, 200_000]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.runIf(process.platform === "linux")(
    "waits on a non-blocking standard input (a pipe with nothing in it yet) until its writer closes it",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "gic-cli-"));
      try {
        const fifo = join(dir, "stdin");
        expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
        const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
        const writer = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
        // The writer, a process of its own (readCapped blocks this thread): two writes 50 ms apart,
        // then its exit closes the pipe's last writer (EOF). Until then the pipe is empty: EAGAIN.
        const child = spawn("sh", ["-c", "sleep 0.05; printf '{\"a\":'; sleep 0.05; printf '1}'"], {
          stdio: ["ignore", writer, "inherit"],
        });
        closeSync(writer);
        const bytes = readCapped(reader, 100);
        closeSync(reader);
        expect(Buffer.from(bytes).toString("utf8")).toBe('{"a":1}');
        await once(child, "exit");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it.runIf(process.platform === "linux")("closes each file it read", () => {
    const dir = mkdtempSync(join(tmpdir(), "gic-cli-"));
    try {
      const file = join(dir, "body.json");
      writeFileSync(file, readFileSync(join(docsDir, "example4-request.json")));
      // this process's descriptors open on that file (other tests' descriptors are on other files)
      const openOnFile = () =>
        readdirSync("/proc/self/fd").filter((fd) => {
          try {
            return readlinkSync(`/proc/self/fd/${fd}`) === file;
          } catch {
            return false; // closed meanwhile
          }
        }).length;
      for (let i = 0; i < 5; i++) expect(runInProcess(["validate-request", file]).code).toBe(0);
      expect(openOnFile()).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
