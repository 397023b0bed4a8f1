// Real redis-servers for tests, each on its own free port on 127.0.0.1 with its own folder: a single
// server (append-only with fsync on every write, so acknowledged writes survive a restart; extra
// arguments for eviction, TLS, ACLs), a 3-master Cluster, and a Sentinel setup. Stopped and removed
// by dispose(); every start waits for the server's own "ready" line, within a bound.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export interface TestRedis {
  url: string;
  port: number;
  dir: string;
  /** Stops the server (SIGTERM: it flushes the append-only file) and waits for it to exit. */
  stop(): Promise<void>;
  /** Kills it at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port and folder, with the same data. */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  dispose(): Promise<void>;
}

export interface RedisServerOptions {
  /** Extra redis-server arguments (`--maxmemory-policy`, `--tls-port`, ...). */
  args?: string[];
  /** Use this port (default: a free one). */
  port?: number;
  /** Run as Sentinel (`--sentinel`); `args` then lists the config directives as arguments. */
  sentinel?: boolean;
  /** false: the port is a TLS port (`--tls-port`; pass the certificate arguments in `args`), no plain port. */
  plain?: boolean;
}

const READY = /Ready to accept connections|Sentinel ID is/;

export async function startRedis(options: RedisServerOptions = {}): Promise<TestRedis> {
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), "gic-redis-"));
  let child: ChildProcess | null = null;
  const base = options.sentinel
    ? ["--sentinel", "--port", String(port), "--bind", "127.0.0.1", "--dir", dir]
    : [
        ...(options.plain === false ? ["--port", "0", "--tls-port", String(port)] : ["--port", String(port)]),
        ...["--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "yes", "--appendfsync", "always"],
      ];

  async function start() {
    // Sentinel needs a config file it can rewrite; an empty one, the directives given as arguments.
    const args = options.sentinel ? [join(dir, "sentinel.conf"), ...base] : base;
    if (options.sentinel) writeFileSync(join(dir, "sentinel.conf"), "");
    const spawned = spawn("redis-server", [...args, ...(options.args ?? [])], { stdio: ["ignore", "pipe", "pipe"] });
    child = spawned;
    await new Promise<void>((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error(`redis-server did not start in 15 s:\n${out}`)), 15_000);
      const read = (d: Buffer) => {
        out += d.toString();
        if (READY.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      };
      spawned.stdout!.on("data", read);
      spawned.stderr!.on("data", read);
      spawned.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}):\n${out}`));
      });
    });
  }

  async function end(signal: NodeJS.Signals) {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once("exit", () => resolve());
      running.kill(signal);
    });
  }

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    stop: () => end("SIGTERM"),
    kill: () => end("SIGKILL"),
    start,
    async dispose() {
      await end("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs redis-cli (bounded: 30 s). */
export async function redisCli(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)("redis-cli", args, { timeout: 30_000 });
  return stdout;
}

export interface TestCluster {
  nodes: Array<{ host: string; port: number }>;
  servers: TestRedis[];
  dispose(): Promise<void>;
}

/** Three masters with `--cluster-enabled yes`, joined and given all 16,384 slots by `redis-cli --cluster create`. */
export async function startCluster(): Promise<TestCluster> {
  const servers: TestRedis[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      servers.push(
        await startRedis({
          args: ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--appendfsync", "no"],
        }),
      );
    }
    const addresses = servers.map((s) => `127.0.0.1:${s.port}`);
    await redisCli(["--cluster", "create", ...addresses, "--cluster-replicas", "0", "--cluster-yes"]);
    // Every node must agree before a client can rely on the slot map.
    for (const s of servers) {
      for (let i = 0; ; i++) {
        if ((await redisCli(["-p", String(s.port), "cluster", "info"])).includes("cluster_state:ok")) break;
        if (i > 100) throw new Error("the test cluster did not reach cluster_state:ok");
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } catch (e) {
    await Promise.all(servers.map((s) => s.dispose()));
    throw e;
  }
  return {
    nodes: servers.map((s) => ({ host: "127.0.0.1", port: s.port })),
    servers,
    dispose: async () => void (await Promise.all(servers.map((s) => s.dispose()))),
  };
}

export interface ReplicationLink {
  port: number;
  /** Holds what the master sends from now on (the replica falls behind; its acknowledgements stop). */
  hold(): void;
  /** Cuts every connection, dropping what was held (what a crash of the master loses in flight). */
  cut(): void;
  close(): Promise<void>;
}

/** A TCP relay between a replica and its master, to hold back replication on demand. */
export async function startReplicationLink(masterPort: number): Promise<ReplicationLink> {
  const sockets = new Set<Socket>();
  let holding = false;
  const relay = createServer((replica) => {
    const master = connect(masterPort, "127.0.0.1");
    for (const s of [replica, master]) {
      sockets.add(s);
      s.on("error", () => {});
      s.on("close", () => {
        replica.destroy();
        master.destroy();
      });
    }
    replica.on("data", (d) => void (holding || master.write(d)));
    master.on("data", (d) => void (holding || replica.write(d)));
  });
  await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
  return {
    port: (relay.address() as { port: number }).port,
    hold: () => void (holding = true),
    cut() {
      for (const s of sockets) s.destroy();
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => relay.close(() => resolve()));
    },
  };
}

export interface TestSentinelSetup {
  master: TestRedis;
  replicas: TestRedis[];
  sentinel: TestRedis;
  /** The relay both replicas replicate through. */
  link: ReplicationLink;
  /** Sentinel's current master port. */
  masterPort(): Promise<number>;
  dispose(): Promise<void>;
}

const until = async (what: string, ready: () => Promise<boolean>) => {
  for (let i = 0; !(await ready()); i++) {
    if (i > 150) throw new Error(`the test Sentinel setup: ${what} did not happen in 15 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

/**
 * A master, two replicas replicating through one ReplicationLink, and one Sentinel (quorum 1)
 * watching master `gic`: after a failover one replica is the master and the other replicates from it.
 */
export async function startSentinelSetup(): Promise<TestSentinelSetup> {
  const noDelay = ["--appendfsync", "no", "--repl-diskless-sync-delay", "0"];
  const master = await startRedis({ args: noDelay });
  const link = await startReplicationLink(master.port);
  const replicas = [
    await startRedis({ args: [...noDelay, "--replicaof", "127.0.0.1", String(link.port)] }),
    await startRedis({ args: [...noDelay, "--replicaof", "127.0.0.1", String(link.port)] }),
  ];
  const sentinel = await startRedis({
    sentinel: true,
    args: [
      ...["--sentinel", "monitor", "gic", "127.0.0.1", String(master.port), "1"],
      ...["--sentinel", "down-after-milliseconds", "gic", "500"],
      ...["--sentinel", "failover-timeout", "gic", "5000"],
    ],
  });
  const masterPort = async () =>
    Number(
      (await redisCli(["-p", String(sentinel.port), "sentinel", "get-master-addr-by-name", "gic"])).split("\n")[1],
    );
  for (const r of replicas) {
    const info = () => redisCli(["-p", String(r.port), "info", "replication"]);
    await until("a replica's first sync", async () => (await info()).includes("master_link_status:up"));
  }
  const known = () => redisCli(["-p", String(sentinel.port), "sentinel", "replicas", "gic"]);
  await until("the sentinel seeing both replicas", async () => {
    const text = await known();
    return replicas.every((r) => text.includes(String(r.port)));
  });
  return {
    master,
    replicas,
    sentinel,
    link,
    masterPort,
    async dispose() {
      await link.close();
      await Promise.all([master, ...replicas, sentinel].map((s) => s.dispose()));
    },
  };
}
