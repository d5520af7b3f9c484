import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type Message,
} from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BIN, runCli } from "../helpers/cli.js";
import { startTestServer, type TestServer } from "../helpers/local-server.js";
import { startStrictSqs } from "../helpers/strict-sqs.js";

let server: TestServer;
const dir = mkdtempSync(join(tmpdir(), "sqsctl-msg-"));
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

// Journals go to a temp dir, never the user's home.
const env = () => ({ ...server.env, XDG_STATE_HOME: join(dir, "state") });
const cli = (args: string[], input?: string, timeoutMs = 60_000) => runCli(args, { env: env(), timeoutMs, ...(input !== undefined ? { input } : {}) });

async function createQueue(name: string, attributes: Record<string, string> = {}): Promise<string> {
  const out = await server.client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  return out.QueueUrl!;
}

async function counts(url: string): Promise<{ visible: number; inFlight: number }> {
  const { Attributes } = await server.client.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }),
  );
  return { visible: Number(Attributes?.ApproximateNumberOfMessages), inFlight: Number(Attributes?.ApproximateNumberOfMessagesNotVisible) };
}

/** Drains a queue with the SDK (deleting, so FIFO groups unblock; stops after two empty long polls). */
async function drain(url: string): Promise<Message[]> {
  const all: Message[] = [];
  let empty = 0;
  while (empty < 2) {
    const out = await server.client.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 300, MessageAttributeNames: ["All"], MessageSystemAttributeNames: ["All"] }),
    );
    if (!out.Messages?.length) empty += 1;
    else {
      all.push(...out.Messages);
      await server.client.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: out.Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    }
  }
  return all;
}

async function seed(url: string, n: number): Promise<void> {
  for (let i = 0; i < n; i += 10) {
    const Entries = Array.from({ length: Math.min(10, n - i) }, (_, j) => ({ Id: `m${i + j}`, MessageBody: JSON.stringify({ n: i + j }) }));
    const out = await server.client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries }));
    expect(out.Failed ?? []).toEqual([]);
  }
}

/** Polls a condition (no fixed sleep decides an outcome); fails with `what` if it never holds. */
async function waitFor(what: string, cond: () => boolean | Promise<boolean>, limitMs = 60_000): Promise<void> {
  const until = Date.now() + limitMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`gave up waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const ndjson = (text: string) => text.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>);

describe("send", () => {
  test("sends every attribute type and the FIFO fields", async () => {
    await createQueue("send-attrs.fifo", { FifoQueue: "true" });
    const bin = join(dir, "blob.bin");
    writeFileSync(bin, Buffer.from([0, 1, 2, 255]));
    const r = await cli([
      "send", "send-attrs.fifo", '{"hello": "world"}', "--group-id", "g1", "--dedup-id", "d1",
      "--attr", "s=text", "--attr", "n:Number=3.5", "--attr", `b:Binary=@${bin}`, "--attr", "c:String.custom=x", "-o", "json",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const sent = JSON.parse(r.stdout) as { messageId: string; sequenceNumber?: string };
    expect(sent.messageId).toBeTruthy();
    expect(sent.sequenceNumber).toBeTruthy();

    const got = await cli(["receive", "send-attrs.fifo", "--delete", "--wait", "1s", "-o", "ndjson"]);
    expect(got.code, got.stderr).toBe(0);
    const [env] = ndjson(got.stdout);
    expect(env).toMatchObject({
      messageId: sent.messageId,
      body: '{"hello": "world"}',
      groupId: "g1",
      dedupId: "d1",
      messageAttributes: {
        s: { DataType: "String", StringValue: "text" },
        n: { DataType: "Number", StringValue: "3.5" },
        b: { DataType: "Binary", BinaryValue: Buffer.from([0, 1, 2, 255]).toString("base64") },
        c: { DataType: "String.custom", StringValue: "x" },
      },
    });
    expect(env!.sequenceNumber).toBeTruthy();
  });

  test("a FIFO queue without --group-id is a usage error; plain output is the MessageId", async () => {
    const r = await cli(["send", "send-attrs.fifo", "x"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--group-id is required");
    const url = await createQueue("send-plain");
    const ok = await cli(["send", "send-plain"], "from stdin\n");
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout.trim()).toMatch(/^[0-9a-f-]{36}$/);
    const [m] = await drain(url);
    expect(m!.Body).toBe("from stdin");
  });
});

describe("send-batch", () => {
  const lines = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ body: `message ${i + 1}`, messageAttributes: { n: i + 1 } })).join("\n") + "\n";

  test("10,000 lines from a file all arrive", async () => {
    const url = await createQueue("bulk-file");
    const file = join(dir, "10k.ndjson");
    writeFileSync(file, lines(10_000));
    const r = await cli(["send-batch", "bulk-file", file, "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ sent: 10_000, failed: 0, lines: 10_000 });
    expect(await counts(url)).toEqual({ visible: 10_000, inFlight: 0 });
  });

  test("10,000 raw lines from stdin all arrive", async () => {
    const url = await createQueue("bulk-stdin");
    const input = Array.from({ length: 10_000 }, (_, i) => `raw body ${i}`).join("\n");
    const r = await cli(["bulk-send", "bulk-stdin", "-", "--raw", "-o", "json"], input);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ sent: 10_000, failed: 0 });
    expect(await counts(url)).toEqual({ visible: 10_000, inFlight: 0 });
  });

  test("an invalid line in the middle: exit 2, every bad line named, nothing sent", async () => {
    const url = await createQueue("bulk-invalid");
    const file = join(dir, "bad.ndjson");
    const good = lines(500).split("\n");
    good.splice(250, 0, '{"body": "unterminated');
    good.splice(400, 0, '{"messageAttributes": {"a": "b"}}');
    writeFileSync(file, good.join("\n"));
    const r = await cli(["send-batch", "bulk-invalid", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:251: not valid JSON`);
    expect(r.stderr).toContain(`${file}:401: "body" is missing`);
    expect(r.stderr).toContain("2 of 502 lines");
    expect(r.stderr).toContain("nothing was sent");
    expect(await counts(url)).toEqual({ visible: 0, inFlight: 0 });
  });

  test("a line over the queue's own MaximumMessageSize is refused before anything is sent", async () => {
    const url = await createQueue("bulk-small", { MaximumMessageSize: "1024" });
    const file = join(dir, "big.ndjson");
    writeFileSync(file, [JSON.stringify({ body: "ok" }), JSON.stringify({ body: "x".repeat(2000) }), JSON.stringify({ body: "ok too" })].join("\n"));
    const r = await cli(["send-batch", "bulk-small", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`big.ndjson:2: the message is .*over the queue's MaximumMessageSize of 1 KiB`));
    expect(await counts(url)).toEqual({ visible: 0, inFlight: 0 });
  });

  // The file is validated while the queue is looked up, with rules that need no answer
  // from the queue (input.ts provisionalRules); these check that the queue's own rules
  // still decide, and that the order of errors is the same as a lookup-first run's.
  test("a message over the largest size SQS allows but under nothing the queue sets is refused; one within a queue's raised limit is sent", async () => {
    await createQueue("bulk-mid", { MaximumMessageSize: "4096" });
    const file = join(dir, "mid.ndjson");
    writeFileSync(file, [JSON.stringify({ body: "x".repeat(3000) }), JSON.stringify({ body: "small" })].join("\n"));
    const r = await cli(["send-batch", "bulk-mid", file, "-o", "json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ sent: 2, failed: 0 });
    const small = join(dir, "mid-too-big.ndjson");
    writeFileSync(small, [JSON.stringify({ body: "y".repeat(5000) })].join("\n"));
    const r2 = await cli(["send-batch", "bulk-mid", small]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/mid-too-big.ndjson:1: the message is .*over the queue's MaximumMessageSize of 4 KiB/);
  });

  test("a FIFO queue's rules apply to the early check: a line without a group is refused unless --group-id gives one", async () => {
    const url = await createQueue("bulk-early.fifo", { FifoQueue: "true", ContentBasedDeduplication: "true" });
    const file = join(dir, "early-fifo.ndjson");
    writeFileSync(file, ['{"body": "a", "groupId": "g"}', '{"body": "b"}'].join("\n"));
    const r = await cli(["send-batch", "bulk-early.fifo", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:2: no groupId`);
    expect(await counts(url)).toEqual({ visible: 0, inFlight: 0 });
    const ok = await cli(["send-batch", "bulk-early.fifo", file, "--group-id", "g", "-o", "json"]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ sent: 2 });
  });

  test("an unknown queue and an unreadable or invalid file: the queue is what the error names, as before the file is read", async () => {
    const bad = join(dir, "early-bad.ndjson");
    writeFileSync(bad, "not json\n");
    for (const file of [join(dir, "no-such-file.ndjson"), bad]) {
      const r = await cli(["send-batch", "bulk-nope", file]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/Queue "bulk-nope" does not exist/);
      expect(r.stderr).not.toMatch(/Unhandled|at .*\.js:\d+/);
    }
  });

  test("entries the server rejects go to --failed-file with line and code; exit 1; --resume retries only them", async () => {
    const url = await createQueue("bulk-partial");
    const file = join(dir, "partial.ndjson");
    // A real per-entry failure inside a successful SendMessageBatch call: the strict layer
    // refuses that one entry as a server would (the embedded server now accepts emoji, as SQS does).
    const strict = await startStrictSqs(server.endpoint, { refuseEntry: (e) => (e.MessageBody?.includes("emoji") ? { Code: "InvalidMessageContents" } : undefined) });
    const viaStrict = (args: string[]) => runCli(args, { env: { ...env(), AWS_ENDPOINT_URL_SQS: strict.endpoint } });
    writeFileSync(file, ['{"body": "a"}', '{"body": "emoji \ud83d\ude00", "messageAttributes": {"k": "v"}}', '{"body": "c"}'].join("\n"));
    const failedFile = join(dir, "failed.ndjson");
    const r = await viaStrict(["send-batch", "bulk-partial", file, "--failed-file", failedFile, "-o", "json"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ sent: 2, failed: 1, lines: 3 });
    expect(r.stderr).toContain(`${file}:2: InvalidMessageContents`);
    const failed = ndjson(readFileSync(failedFile, "utf8"));
    expect(failed).toEqual([expect.objectContaining({ body: "emoji 😀", line: 2, errorCode: "InvalidMessageContents", messageAttributes: { k: { DataType: "String", StringValue: "v" } } })]);
    expect((await counts(url)).visible).toBe(2);
    // --resume sends only the line that was not confirmed (it fails again, alone).
    const again = await viaStrict(["send-batch", "bulk-partial", file, "--resume", "-o", "json"]);
    await strict.close();
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ sent: 0, failed: 1, alreadySent: 2 });
    expect((await counts(url)).visible).toBe(2);
  });

  test("FIFO: order within each group is kept", async () => {
    const url = await createQueue("bulk-order.fifo", { FifoQueue: "true", ContentBasedDeduplication: "true" });
    const input = Array.from({ length: 300 }, (_, i) => JSON.stringify({ body: String(i), groupId: `g${i % 3}` })).join("\n");
    const r = await cli(["send-batch", "bulk-order.fifo", "--concurrency", "4"], input);
    expect(r.code, r.stderr).toBe(0);
    const got = await drain(url);
    expect(got).toHaveLength(300);
    for (const g of ["g0", "g1", "g2"]) {
      const bodies = got.filter((m) => m.Attributes?.MessageGroupId === g).map((m) => Number(m.Body));
      expect(bodies).toEqual([...bodies].sort((a, b) => a - b));
      expect(bodies).toHaveLength(100);
    }
  });

  test("after kill -9, --resume sends only what was not confirmed", async () => {
    const url = await createQueue("bulk-resume");
    const file = join(dir, "resume.ndjson");
    writeFileSync(file, lines(4000));
    const journal = join(dir, "resume.journal");
    // GIVEN a run slowed by --rate, killed with SIGKILL part-way
    const child = spawn(process.execPath, [BIN, "send-batch", "bulk-resume", file, "--rate", "2000", "--journal", journal], { env: { PATH: process.env.PATH ?? "", ...env() }, stdio: "ignore" });
    // WHEN some (not all) lines are in the queue
    await waitFor("part of the input sent", async () => (await counts(url)).visible >= 500);
    child.kill("SIGKILL");
    await new Promise((r) => child.on("close", r));
    const before = (await counts(url)).visible;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(4000);
    // WHEN re-run without --resume THEN it refuses (nothing doubled by accident)
    const refused = await cli(["send-batch", "bulk-resume", file, "--journal", journal]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--resume");
    // WHEN resumed THEN every line is in the queue; extras only up to the reported possible duplicates
    const r = await cli(["send-batch", "bulk-resume", file, "--journal", journal, "--resume", "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { sent: number; alreadySent: number; possibleDuplicates: number };
    expect(summary.alreadySent + summary.sent).toBe(4000);
    const after = (await counts(url)).visible;
    expect(after).toBeGreaterThanOrEqual(4000);
    expect(after).toBeLessThanOrEqual(4000 + summary.possibleDuplicates);
    const bodies = new Set((await drain(url)).map((m) => m.Body));
    expect(bodies.size).toBe(4000);
  });
});

describe("send-batch interrupted", () => {
  test("Ctrl-C finishes the batches in flight, exits 130, and --resume sends exactly the rest", async () => {
    const url = await createQueue("bulk-sigint");
    const file = join(dir, "sigint.ndjson");
    writeFileSync(file, Array.from({ length: 3000 }, (_, i) => JSON.stringify({ body: `m${i}` })).join("\n"));
    const child = spawn(process.execPath, [BIN, "send-batch", "bulk-sigint", file, "--rate", "1500"], { env: { PATH: process.env.PATH ?? "", ...env() }, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    await waitFor("part of the input sent", async () => (await counts(url)).visible >= 300);
    child.kill("SIGINT");
    const code = await new Promise<number | null>((r) => child.on("close", r));
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/Interrupted: [\d,]+ sent/);
    expect(stderr).toContain("--resume");
    const r = await cli(["send-batch", "bulk-sigint", file, "--resume", "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { sent: number; alreadySent: number; possibleDuplicates: number };
    // A clean interrupt leaves no batch of unknown outcome: no duplicates at all.
    expect(summary.possibleDuplicates).toBe(0);
    expect(summary.alreadySent + summary.sent).toBe(3000);
    expect(await counts(url)).toEqual({ visible: 3000, inFlight: 0 });
  });
});

describe("receive", () => {
  test("--max 25 loops past 10 and prints 25 distinct NDJSON envelopes when piped", async () => {
    const url = await createQueue("recv-25");
    await seed(url, 30);
    const r = await cli(["receive", "recv-25", "--max", "25", "--wait", "1s"]);
    expect(r.code, r.stderr).toBe(0);
    const envs = ndjson(r.stdout);
    expect(envs).toHaveLength(25);
    expect(new Set(envs.map((e) => e.messageId)).size).toBe(25);
    expect(envs[0]).toMatchObject({ receiveCount: 1 });
    // Without --peek or --delete they stay in flight.
    expect(await counts(url)).toEqual({ visible: 5, inFlight: 25 });
  });

  test("--peek leaves the counts as they were", async () => {
    const url = await createQueue("recv-peek");
    await seed(url, 12);
    const r = await cli(["receive", "recv-peek", "--max", "12", "--peek", "--wait", "1s"]);
    expect(r.code, r.stderr).toBe(0);
    expect(ndjson(r.stdout)).toHaveLength(12);
    expect(await counts(url)).toEqual({ visible: 12, inFlight: 0 });
  });

  test("an empty queue: exit 0 with a note on stderr", async () => {
    await createQueue("recv-empty");
    const r = await cli(["receive", "recv-empty", "--wait", "1s"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("No messages in recv-empty");
  });

  test("on a queue with a redrive policy: warns, and never releases a message that used its last receive", async () => {
    const dlqUrl = await createQueue("guard-dlq");
    const { Attributes } = await server.client.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }));
    const url = await createQueue("guard", { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn, maxReceiveCount: 2 }) });
    await seed(url, 1);
    const first = await cli(["receive", "guard", "--peek", "--wait", "1s"]);
    expect(first.stderr).toContain("has a redrive policy (maxReceiveCount 2");
    expect(await counts(url)).toEqual({ visible: 1, inFlight: 0 });
    const second = await cli(["receive", "guard", "--peek", "--wait", "1s"]);
    expect(ndjson(second.stdout)[0]).toMatchObject({ receiveCount: 2 });
    expect(second.stderr).toContain("1 message has now used all 2 receives");
    // Kept hidden: a third look finds nothing, and nothing went to the DLQ.
    const third = await cli(["receive", "guard", "--peek", "--wait", "1s"]);
    expect(third.stdout).toBe("");
    expect(await counts(url)).toEqual({ visible: 0, inFlight: 1 });
    expect(await counts(dlqUrl)).toEqual({ visible: 0, inFlight: 0 });
  });
});

describe("tail", () => {
  test("--until-empty --delete drains the queue", async () => {
    const url = await createQueue("tail-drain");
    await seed(url, 35);
    const r = await cli(["tail", "tail-drain", "--until-empty", "--delete", "--wait", "1s"]);
    expect(r.code, r.stderr).toBe(0);
    expect(new Set(ndjson(r.stdout).map((e) => e.body)).size).toBe(35);
    expect(await counts(url)).toEqual({ visible: 0, inFlight: 0 });
  });

  test("--filter shows only matches; without --delete each is shown once and all are released", async () => {
    const url = await createQueue("tail-filter");
    await seed(url, 20);
    const r = await cli(["tail", "tail-filter", "--until-empty", "--wait", "1s", "--filter", "json.n >= `15`"]);
    expect(r.code, r.stderr).toBe(0);
    expect(ndjson(r.stdout).map((e) => JSON.parse(e.body).n).sort((a: number, b: number) => a - b)).toEqual([15, 16, 17, 18, 19]);
    expect(await counts(url)).toEqual({ visible: 20, inFlight: 0 });
  });

  test("Ctrl-C: finishes the request in hand, releases what it holds, exits 130", async () => {
    const url = await createQueue("tail-sigint");
    await seed(url, 3);
    // GIVEN a tail that has shown the three messages (and holds them until it ends)
    const child = spawn(process.execPath, [BIN, "tail", "tail-sigint", "--wait", "2s"], { env: { PATH: process.env.PATH ?? "", ...env() }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    await waitFor("three messages shown", () => stdout.trim().split("\n").filter(Boolean).length >= 3);
    await waitFor("the three held by tail", async () => (await counts(url)).inFlight === 3);
    // WHEN interrupted
    child.kill("SIGINT");
    const code = await new Promise<number | null>((r) => child.on("close", r));
    // THEN exit 130 (interrupted: one rule for every command), each message shown once, and all visible again
    expect(code, stderr).toBe(130);
    expect(ndjson(stdout)).toHaveLength(3);
    expect(stderr).toContain("stopped: 3 messages shown");
    expect(await counts(url)).toEqual({ visible: 3, inFlight: 0 });
  });

  test("a bad --filter is a usage error", async () => {
    const r = await cli(["tail", "tail-filter", "--filter", "json.n >>"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--filter");
  });
});

describe("export and import", () => {
  test("export -> purge -> import restores the same bodies and attributes", async () => {
    const url = await createQueue("roundtrip");
    const file = join(dir, "in.ndjson");
    writeFileSync(
      file,
      Array.from({ length: 23 }, (_, i) =>
        JSON.stringify({ body: JSON.stringify({ i }), messageAttributes: { s: `v${i}`, n: i, b: { DataType: "Binary", BinaryValue: Buffer.from([i]).toString("base64") } } }),
      ).join("\n"),
    );
    expect((await cli(["send-batch", "roundtrip", file])).code).toBe(0);
    const out = join(dir, "export.ndjson");
    const ex = await cli(["export", "roundtrip", "--file", out, "--wait", "1s"]);
    expect(ex.code, ex.stderr).toBe(0);
    expect(ex.stderr).toContain("exported 23 messages");
    expect(await counts(url)).toEqual({ visible: 23, inFlight: 0 });
    expect((await cli(["purge", "roundtrip", "--yes"])).code).toBe(0);
    expect((await counts(url)).visible).toBe(0);
    const im = await cli(["import", "roundtrip", out, "-o", "json"]);
    expect(im.code, im.stderr).toBe(0);
    expect(JSON.parse(im.stdout)).toMatchObject({ sent: 23, failed: 0 });
    const key = (body: string | undefined, attrs: unknown) => JSON.stringify([body, attrs]);
    const exported = ndjson(readFileSync(out, "utf8")).map((e) => key(e.body, e.messageAttributes)).sort();
    const restored = (await cli(["receive", "roundtrip", "--max", "30", "--wait", "1s", "--delete"])).stdout;
    expect(ndjson(restored).map((e) => key(e.body, e.messageAttributes)).sort()).toEqual(exported);
  });

  test("export --delete empties the queue into the file", async () => {
    const url = await createQueue("export-delete");
    await seed(url, 27);
    const out = join(dir, "moved.ndjson");
    const r = await cli(["export", "export-delete", "--file", out, "--delete", "--wait", "1s", "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ exported: 27, deleted: 27, notDeleted: 0 });
    expect(new Set(ndjson(readFileSync(out, "utf8")).map((e) => e.body)).size).toBe(27);
    expect(await counts(url)).toEqual({ visible: 0, inFlight: 0 });
  });
});
