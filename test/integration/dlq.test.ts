import { readJournal } from "../../src/sqs/custody/journal.js";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { CreateQueueCommand, GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { seedDemo, type DemoSceneResult } from "../../src/local/demo-scene.js";
import { Ui } from "../../src/output/ui.js";
import { BIN, runCli } from "../helpers/cli.js";
import { startTestServer, type TestServer } from "../helpers/local-server.js";
import { counts, drain, sendAll, urlOf } from "../helpers/sqs-state.js";

let server: TestServer;
let home: string;
let scene: DemoSceneResult;
const quietUi = () => new Ui({ stdout: new PassThrough(), stderr: new PassThrough(), stdin: process.stdin, env: {} } as never, { color: false, quiet: true });

beforeAll(async () => {
  server = await startTestServer();
  home = fs.mkdtempSync(path.join(os.tmpdir(), "sqsctl-dlq-test-"));
  // GIVEN the demo scene: 200 orders, a consumer that fails some of them past maxReceiveCount (3)
  scene = await seedDemo({ endpoint: server.endpoint, ui: quietUi(), signal: new AbortController().signal }, 200);
});
afterAll(async () => {
  await server?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

const env = () => ({ ...server.env, XDG_STATE_HOME: home });
const cli = (args: string[], timeoutMs = 60_000) => runCli(args, { env: env(), timeoutMs });

async function createQueue(name: string, attributes: Record<string, string> = {}): Promise<{ url: string; arn: string }> {
  const url = (await server.client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl!;
  const arn = (await server.client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
  return { url, arn };
}

describe("the demo scene and dlq list", () => {
  test("failed orders reach the DLQ through real receives past maxReceiveCount", async () => {
    const failed = Object.values(scene.byErrorType).reduce((a, b) => a + b, 0);
    expect(failed).toBeGreaterThan(40);
    expect(scene.deadLettered).toBe(failed);
    expect(await counts(server.client, "orders-dlq")).toEqual({ visible: failed, inFlight: 0 });
    expect(await counts(server.client, "orders")).toEqual({ visible: 0, inFlight: 0 });
  });

  test("dlq list -o json names the DLQ, its counts and its source with maxReceiveCount", async () => {
    const r = await cli(["dlq", "list", "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<{ name: string; visible: number; inFlight: number; arn: string; sources: Array<{ name: string; maxReceiveCount: number }> }>;
    const dlq = rows.find((d) => d.name === "orders-dlq");
    expect(dlq).toMatchObject({ visible: scene.deadLettered, inFlight: 0, sources: [{ name: "orders", maxReceiveCount: 3 }] });
    expect(rows.map((d) => d.name)).not.toContain("orders");
  });
});

describe("dlq inspect", () => {
  test("--group-by counts per error type and leaves the DLQ's counts as they were", async () => {
    const before = await counts(server.client, "orders-dlq");
    const r = await cli(["dlq", "inspect", "orders-dlq", "--group-by", "json.errorType", "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { summary: { messages: number; complete: boolean }; groups: Array<{ key: string; count: number }> };
    expect(out.summary).toMatchObject({ messages: scene.deadLettered, complete: true });
    expect(Object.fromEntries(out.groups.map((g) => [g.key, g.count]))).toEqual(scene.byErrorType);
    expect(r.stderr).toContain(`Released ${scene.deadLettered} messages`);
    expect(await counts(server.client, "orders-dlq")).toEqual(before);
  });

  test("piped, it prints NDJSON envelopes, one per distinct message, up to --limit", async () => {
    const saved = path.join(home, "declined.ndjson");
    const r = await cli(["dlq", "inspect", "orders-dlq", "--limit", "7", "--filter", "json.errorType == 'PaymentDeclined'", "--save", saved]);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readFileSync(saved, "utf8")).toBe(r.stdout);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { messageId: string; json?: unknown; body: string; messageAttributes: Record<string, unknown> });
    expect(lines).toHaveLength(7);
    expect(new Set(lines.map((l) => l.messageId)).size).toBe(7);
    for (const l of lines) {
      expect(JSON.parse(l.body)).toMatchObject({ errorType: "PaymentDeclined" });
      expect(l.messageAttributes).toHaveProperty("channel");
    }
    expect(await counts(server.client, "orders-dlq")).toEqual({ visible: scene.deadLettered, inFlight: 0 });
  });
});

describe("dlq redrive (manual engine on fauxqs)", () => {
  test("without --yes and without a terminal it refuses (exit 2) and moves nothing", async () => {
    const r = await cli(["dlq", "redrive", "orders-dlq", "--filter", "json.errorType == 'Timeout'"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--yes");
    expect(await counts(server.client, "orders-dlq")).toEqual({ visible: scene.deadLettered, inFlight: 0 });
  });

  test("--dry-run shows the plan and the matching messages and moves nothing", async () => {
    const r = await cli(["dlq", "redrive", "orders-dlq", "--filter", "json.errorType == 'Timeout'", "--dry-run", "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { dryRun: boolean; strategy: string; target: string; matching: number };
    expect(out).toMatchObject({ dryRun: true, strategy: "manual", target: "orders", matching: scene.byErrorType.Timeout });
    expect(await counts(server.client, "orders-dlq")).toEqual({ visible: scene.deadLettered, inFlight: 0 });
    expect(await counts(server.client, "orders")).toEqual({ visible: 0, inFlight: 0 });
  });

  test("a filtered redrive moves exactly the matching messages, with body and attributes intact", async () => {
    const timeouts = scene.byErrorType.Timeout!;
    const r = await cli(["dlq", "redrive", "orders-dlq", "--filter", "json.errorType == 'Timeout'", "--yes", "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { strategy: string; moved: number; skipped: number; failed: number; target: string; journal: string };
    expect(out).toMatchObject({ strategy: "manual", moved: timeouts, skipped: scene.deadLettered - timeouts, failed: 0, target: "orders" });
    expect(r.stderr).toContain("--filter needs the manual engine");
    expect(fs.existsSync(out.journal)).toBe(true);
    expect(await counts(server.client, "orders-dlq")).toEqual({ visible: scene.deadLettered - timeouts, inFlight: 0 });
    const moved = await drain(server.client, "orders");
    expect(moved).toHaveLength(timeouts);
    for (const m of moved) {
      expect(JSON.parse(m.Body!)).toMatchObject({ errorType: "Timeout", orderId: expect.stringMatching(/^ord-/) });
      expect(m.MessageAttributes?.eventType).toMatchObject({ DataType: "String", StringValue: "OrderPlaced" });
      expect(m.MessageAttributes?.channel?.StringValue).toMatch(/^(web|mobile|partner-api)$/);
    }
  });

  test("with several source queues and no --to it exits 2 and asks for --to", async () => {
    const dlq = await createQueue("shared-dlq");
    await createQueue("src-a", { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }) });
    await createQueue("src-b", { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }) });
    await sendAll(server.client, "shared-dlq", [{ MessageBody: "x" }]);
    const r = await cli(["dlq", "redrive", "shared-dlq", "--yes"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/DLQ of 2 queues \(src-a, src-b\)/);
    expect(r.stderr).toContain("--to");
    expect(await counts(server.client, "shared-dlq")).toEqual({ visible: 1, inFlight: 0 });
  });

  test("a send the target rejects leaves that message in the DLQ and exits 1", async () => {
    // GIVEN a target that takes at most 1 KiB and a DLQ holding two small messages and one of 2 KiB
    await createQueue("small-target", { MaximumMessageSize: "1024" });
    await createQueue("mixed-dlq");
    await sendAll(server.client, "mixed-dlq", [{ MessageBody: "small-1" }, { MessageBody: "x".repeat(2048) }, { MessageBody: "small-2" }]);
    const r = await cli(["dlq", "redrive", "mixed-dlq", "--to", "small-target", "--yes", "-o", "json"]);
    expect(r.code, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ moved: 2, failed: 1 });
    const left = await drain(server.client, "mixed-dlq");
    expect(left.map((m) => m.Body!.length)).toEqual([2048]);
    expect((await drain(server.client, "small-target")).map((m) => m.Body).sort()).toEqual(["small-1", "small-2"]);
  });
});

describe("dlq redrive of FIFO queues", () => {
  test("keeps each message's group id and the order within every group", async () => {
    const dlq = await createQueue("jobs-dlq.fifo", { FifoQueue: "true" });
    await createQueue("jobs.fifo", { FifoQueue: "true", RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }) });
    const entries = [];
    for (let i = 0; i < 12; i++) for (const g of ["g1", "g2", "g3"]) entries.push({ MessageBody: `${g}-${i}`, MessageGroupId: g, MessageDeduplicationId: `${g}-${i}` });
    await sendAll(server.client, "jobs-dlq.fifo", entries);
    const r = await cli(["dlq", "redrive", "jobs-dlq.fifo", "--yes", "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ moved: 36, failed: 0, target: "jobs.fifo" });
    const got = await drain(server.client, "jobs.fifo");
    expect(got).toHaveLength(36);
    for (const g of ["g1", "g2", "g3"]) {
      const mine = got.filter((m) => m.Attributes?.MessageGroupId === g).map((m) => m.Body);
      expect(mine).toEqual(Array.from({ length: 12 }, (_, i) => `${g}-${i}`));
    }
  });
});

describe("a redrive killed with SIGKILL and resumed", () => {
  test("ends with every message in the DLQ or the target, none lost, duplicates reported", async () => {
    const N = 3000;
    const dlq = await createQueue("bulk-dlq");
    await createQueue("bulk", { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 }) });
    await sendAll(server.client, "bulk-dlq", Array.from({ length: N }, (_, i) => ({ MessageBody: JSON.stringify({ n: i }) })));
    const journal = path.join(home, "kill-test.ndjson");
    const args = ["dlq", "redrive", "bulk-dlq", "--yes", "--journal", journal, "--hold", "5s", "--rate", "600", "--concurrency", "4"];

    // WHEN the first run is killed once a few hundred messages are done
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? "", HOME: home, ...env() }, stdio: "ignore" });
    const deletedLines = () => {
      try {
        return (readJournal(journal)?.records ?? []).filter((r) => r.k === "deleted").reduce((n, r) => n + (r.ids as string[]).length, 0);
      } catch {
        return 0; // not written yet
      }
    };
    await new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const t = setInterval(() => {
        if (deletedLines() >= 400) {
          clearInterval(t);
          child.kill("SIGKILL");
          resolve();
        } else if (Date.now() - started > 30_000) {
          clearInterval(t);
          child.kill("SIGKILL");
          reject(new Error("the first run never got going"));
        }
      }, 20);
    });
    await new Promise((r) => child.once("close", r));
    const afterKill = [await counts(server.client, "bulk-dlq"), await counts(server.client, "bulk")];
    expect(afterKill[0]!.visible + afterKill[0]!.inFlight + afterKill[1]!.visible).toBeGreaterThanOrEqual(N);
    expect(afterKill[1]!.visible).toBeLessThan(N);

    // THEN a re-run with the same journal finishes the job
    const r = await cli(args.filter((a, i) => !(a === "--rate" || args[i - 1] === "--rate")).concat(["-o", "json"]), 90_000);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { moved: number; duplicates: number; alreadySent: number };
    expect(await counts(server.client, "bulk-dlq")).toEqual({ visible: 0, inFlight: 0 });
    const target = await drain(server.client, "bulk");
    const ids = target.map((m) => (JSON.parse(m.Body!) as { n: number }).n);
    const distinct = new Set(ids);
    expect(distinct.size).toBe(N); // none lost
    const duplicates = ids.length - distinct.size;
    expect(duplicates).toBeLessThanOrEqual(summary.duplicates); // every duplicate was reported
    expect(summary.moved).toBeLessThan(N); // the resume did not start over
  });
});

describe("dlq inspect interrupted", () => {
  test("SIGTERM mid-scan releases everything it held and exits 130", async () => {
    await createQueue("big-dlq");
    const N = 4000;
    await sendAll(server.client, "big-dlq", Array.from({ length: N }, (_, i) => ({ MessageBody: `m${i}` })));
    // --debug logs each request, so the signal is sent once the scan has really started.
    const child = spawn(process.execPath, [BIN, "dlq", "inspect", "big-dlq", "--all", "--debug"], {
      env: { PATH: process.env.PATH ?? "", HOME: home, NO_COLOR: "1", ...env() },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    let receives = 0;
    child.stdout.resume();
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
      receives += (d.match(/← ReceiveMessageCommand 200/g) ?? []).length;
      if (receives >= 20 && !child.killed) child.kill("SIGTERM");
    });
    const code = await new Promise<number | null>((r) => child.once("close", (c) => r(c)));
    expect(code, stderr.slice(-2000)).toBe(130);
    expect(stderr).toMatch(/Released [\d,]+ messages/); // count() writes 1,040
    expect(await counts(server.client, "big-dlq")).toEqual({ visible: N, inFlight: 0 });
  });
});
