// The Redis tracker over TLS and as a least-privilege ACL user, on a real redis-server with a TLS
// port only (a throwaway CA and server certificate made here with openssl): `rediss://` with the CA
// in `tls` beside the url works; without the CA, ready() rejects with reason tls; a wrong password
// rejects with reason auth (before, both were only ioredis's "Stream isn't writeable"). The user
// holds exactly the permissions docs/scale-out.md lists, and nothing the tracker does is refused.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createRedisOperationTracker,
  type RedisOperationTracker,
  type RedisTrackerError,
} from "../../src/redis/index.js";
import { startRedis, type TestRedis } from "../support/redis.js";
import { completedInvite } from "../support/operations.js";

/** The ACL rules docs/scale-out.md gives for the default prefix `graph-invite:`. */
const TRACKER_ACL = [
  "resetkeys",
  "~{graph-invite:}*",
  "resetchannels",
  "&{graph-invite:}final",
  "-@all",
  "+eval",
  "+evalsha",
  "+set",
  "+publish",
  "+mget",
  "+subscribe",
  "+wait",
  "+config|get",
  "+info",
  "+quit",
];

let dir: string;
let redis: TestRedis;
let ca: string;
const trackers: RedisOperationTracker[] = [];
const PASSWORD = "tracker-s3cret";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "gic-tls-"));
  const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "ignore", timeout: 30_000 });
  ssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "ca.key",
    "-out",
    "ca.crt",
    "-days",
    "1",
    "-subj",
    "/CN=gic test CA",
  );
  ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
  const ext = join(dir, "ext.cnf");
  writeFileSync(ext, "subjectAltName=IP:127.0.0.1\n");
  ssl(
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.crt",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "server.crt",
    "-days",
    "1",
    "-extfile",
    ext,
  );
  ca = readFileSync(join(dir, "ca.crt"), "utf8");
  redis = await startRedis({
    plain: false,
    args: [
      ...["--tls-cert-file", join(dir, "server.crt"), "--tls-key-file", join(dir, "server.key")],
      ...["--tls-ca-cert-file", join(dir, "ca.crt"), "--tls-auth-clients", "no"],
    ],
  });
  const admin = new Redis({ port: redis.port, host: "127.0.0.1", tls: { ca } });
  await admin.acl("SETUSER", "tracker", "on", `>${PASSWORD}`, ...TRACKER_ACL);
  admin.disconnect();
}, 60_000);
afterAll(async () => {
  await Promise.all(trackers.map((t) => t.close()));
  await redis?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function make(options: { password?: string; ca?: string | null; connectTimeoutMs?: number } = {}) {
  const errors: RedisTrackerError[] = [];
  const t = createRedisOperationTracker({
    url: `rediss://127.0.0.1:${redis.port}`,
    username: "tracker",
    password: options.password ?? PASSWORD,
    ...(options.ca === null ? {} : { tls: { ca: options.ca ?? ca } }),
    connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
    onError: (e) => void errors.push(e),
  });
  trackers.push(t);
  return { t, errors };
}

const completed = (i: number) => completedInvite(`op-${i}`, `ctx-${i}`);

describe("createRedisOperationTracker over TLS, as a least-privilege ACL user", () => {
  it("records, publishes and looks up outcomes, and nothing it does is refused", async () => {
    const [a, b] = [make(), make()];
    await Promise.all([a.t.ready(), b.t.ready()]);
    const late = a.t.track({ clientContext: "ctx-1", operationId: "op-1" });
    await b.t.observe(completed(1));
    await expect(late).resolves.toMatchObject({ id: "op-1" });
    await b.t.observe(completed(2));
    await expect(a.t.track({ clientContext: "ctx-2", operationId: "op-2" })).resolves.toMatchObject({ id: "op-2" });
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it("an untrusted CA: ready() rejects with reason tls", async () => {
    const { t } = make({ ca: null });
    await expect(t.ready()).rejects.toMatchObject({ name: "RedisTrackerError", reason: "tls" });
    await expect(t.observe(completed(3))).rejects.toMatchObject({ reason: "tls" });
  });

  it("a wrong password: ready() rejects with reason auth, without the password", async () => {
    const { t } = make({ password: "wrong-password" });
    const error = await t.ready().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "RedisTrackerError", reason: "auth", redisCode: "WRONGPASS" });
    expect(JSON.stringify(error) + String(error)).not.toContain("wrong-password");
  });
});
