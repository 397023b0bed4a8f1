// readCapped, how graph-invite reads a file or standard input (in process: test/cli/bin.test.ts runs
// the built bin): limit + 1 bytes at most, a non-blocking pipe waited out, each file closed.
import { spawnSync } from "node:child_process";
import { closeSync, constants, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
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
    () => {
      const dir = mkdtempSync(join(tmpdir(), "gic-cli-"));
      try {
        const fifo = join(dir, "stdin");
        expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
        const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
        const writer = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
        // The writer, on its own thread: readCapped blocks this one. Two writes 50 ms apart, then EOF.
        void new Worker(
          `const { writeSync, closeSync } = require("node:fs");
           setTimeout(() => { writeSync(${writer}, '{"a":'); setTimeout(() => { writeSync(${writer}, "1}"); closeSync(${writer}); }, 50); }, 50);`,
          { eval: true },
        );
        const bytes = readCapped(reader, 100);
        closeSync(reader);
        expect(Buffer.from(bytes).toString("utf8")).toBe('{"a":1}');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it.runIf(process.platform === "linux")("closes each file it read", () => {
    const open = () => readdirSync("/proc/self/fd").length;
    const before = open();
    for (let i = 0; i < 20; i++) runInProcess(["validate-request", join(docsDir, "example4-request.json")]);
    expect(open()).toBe(before);
  });
});
