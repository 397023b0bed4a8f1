// `graph-invite validate-notification`, run in process (test/cli/bin.test.ts spawns the real bin).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { docsDir } from "../fixtures/docs.js";
import { graphSentPayloads } from "../fixtures/graph.js";
import { runCli } from "../../src/cli/run.js";
import { runInProcess as cli } from "../support/cli.js";

describe("graph-invite validate-notification", () => {
  it("lists the events of a valid callback, one line each", () => {
    const run = cli(["validate-notification", join(docsDir, "example2-notification-operation-completed.json")]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      "valid\nkind=operation changeType=deleted callId=7531d31f-d10d-44de-802f-c569dbca451c operationType=inviteParticipants operationId=null clientContext=f2fa86af-3c51-4bc2-8fc0-475452d9764f status=completed\n",
    );
  });

  it("prints one JSON object with the events (participants as a count for rosters)", () => {
    const roster = cli(["validate-notification", "--json", join(docsDir, "example2-notification-roster-updated.json")]);
    expect(roster.code).toBe(0);
    expect(JSON.parse(roster.stdout)).toEqual({
      valid: true,
      issues: [],
      events: [
        {
          kind: "roster",
          changeType: "updated",
          callId: "7531d31f-d10d-44de-802f-c569dbca451c",
          participants: 2,
          participantsLeft: false,
        },
      ],
    });
    const op = cli([
      "validate-notification",
      "--json",
      join(docsDir, "example1-notification-operation-completed.json"),
    ]);
    expect(JSON.parse(op.stdout).events).toEqual([
      {
        kind: "operation",
        changeType: "deleted",
        callId: "ab6233a5-20b7-4c5e-bea2-ce56c9776429",
        operationType: "inviteParticipants",
        operationId: "eec3812a-fdc3-4fb4-825c-a06c9f35414e",
        clientContext: "f2fa86af-3c51-4bc2-8fc0-475452d9764f",
        status: "completed",
      },
    ]);
  });

  it("exits 1 with the issues of a malformed callback", () => {
    const body = JSON.parse(readFileSync(join(docsDir, "example1-notification-operation-completed.json"), "utf8"));
    body.value[0].resourceData.status = "done";
    const run = cli(["validate-notification", "--json", "-"], JSON.stringify(body));
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      valid: false,
      events: [],
      issues: [{ path: "/value/0/resourceData/status", rule: "schema" }],
    });
    const human = cli(["validate-notification", "-"], JSON.stringify(body));
    expect(human.stdout).toMatch(/^\/value\/0\/resourceData\/status schema must be one of /);
  });

  it("exits 2 for input that is not JSON or cannot be read", () => {
    expect(cli(["validate-notification", "-"], "nope").code).toBe(2);
    expect(cli(["validate-notification", "missing.json"]).code).toBe(2);
  });

  it("lists a call notification as kind=call with its state, and one nothing models as kind=other", () => {
    const body = JSON.parse(readFileSync(join(docsDir, "example1-notification-operation-completed.json"), "utf8"));
    body.value[0].resourceData = { "@odata.type": "#microsoft.graph.call", state: "established" };
    body.value[0].changeType = "Updated";
    body.value[0].resourceUrl = "/communications/calls/c1";
    body.value[1] = {
      changeType: "created",
      resourceUrl: "/communications/calls/c1/contentSharingSessions/s1",
      resourceData: { "@odata.type": "#microsoft.graph.contentSharingSession" },
    };
    const run = cli(["validate-notification", "-"], JSON.stringify(body));
    expect(run).toEqual({
      code: 0,
      stdout:
        "valid\nkind=call changeType=updated callId=c1 state=established\n" +
        "kind=other changeType=created callId=c1 operationId=null odataType=#microsoft.graph.contentSharingSession\n",
      stderr: "",
    });
  });

  it("lists a tone notification as kind=tone with its tone", () => {
    const tone = graphSentPayloads.find((p) => p.name === "tone-subscribe-to-tone")!.body;
    expect(cli(["validate-notification", "-"], JSON.stringify(tone))).toEqual({
      code: 0,
      stdout: "valid\nkind=tone changeType=updated callId=57dab8b1-894c-409a-b240-bd8beae78896 tone=tone1\n",
      stderr: "",
    });
  });

  it("escapes the control characters an id smuggles in, so one event stays one line", () => {
    const body = JSON.parse(readFileSync(join(docsDir, "example2-notification-roster-updated.json"), "utf8"));
    body.value[0].resourceUrl = "/communications/calls/c\u001b[2J\nx\u2028/operations/participants";
    const run = cli(["validate-notification", "-"], JSON.stringify(body));
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      "valid\nkind=roster changeType=updated callId=c\\u001b[2J\\u000ax\\u2028 participants=2 participantsLeft=false\n",
    );
  });

  it("reads standard input given as bytes", () => {
    const bytes = readFileSync(join(docsDir, "example2-notification-roster-updated.json"));
    expect(cli(["validate-notification", "--json", "-"], new Uint8Array(bytes)).code).toBe(0);
  });

  it("lets an output failure (a closed pipe) through instead of calling it a usage error", () => {
    const broken = Object.assign(new Error("write EPIPE"), { code: "EPIPE" });
    const io = {
      readStdin: () => "{}",
      stdout: () => {
        throw broken;
      },
      stderr: () => {},
    };
    expect(() => runCli(["validate-notification", "-"], io)).toThrow(broken);
    const codeless = new Error("stdout is closed");
    expect(() =>
      runCli(["validate-notification", "-"], {
        ...io,
        stdout: () => {
          throw codeless;
        },
      }),
    ).toThrow(codeless);
  });

  it("is documented in --help", () => {
    expect(cli(["--help"]).stdout).toContain("validate-notification [--json] <file|->");
  });
});
