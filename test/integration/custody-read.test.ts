/**
 * Safety of the reading commands (receive, tail, export) on the custody holder and
 * receive loop: regression tests for issue 10 #1 #4 #5 #6 #10 #12 and issue 15 #7 #11.
 * The CLI runs as a subprocess against fauxqs through the strict SQS layer
 * (test/helpers/strict-sqs.ts), which counts every delivery per MessageId.
 */
import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { BIN, runCli } from "../helpers/cli.js";
import { startTestServer, type TestServer } from "../helpers/local-server.js";
import { startStrictSqs, type StrictSqs } from "../helpers/strict-sqs.js";

let server: TestServer;
let strict: StrictSqs;
const dir = mkdtempSync(join(tmpdir(), "sqsctl-custody-read-"));
beforeAll(async () => {
  server = await startTestServer();
  strict = await startStrictSqs(server.endpoint);
});
afterAll(async () => {
  await strict?.close();
  await server?.close();
});
beforeEach(() => strict.resetStats());

const env = (direct = false) => ({ ...server.env, ...(direct ? {} : { AWS_ENDPOINT_URL_SQS: strict.endpoint }), XDG_STATE_HOME: join(dir, "state"), HOME: dir });
const cli = (args: string[], direct = false) => runCli(args, { env: env(direct), timeoutMs: 90_000 });

/** Runs the CLI with stdout going to `stdout` (a file descriptor) or to a pipe whose reader is gone. */
function cliTo(args: string[], stdout: number | "closed-pipe"): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...env() },
      stdio: ["ignore", stdout === "closed-pipe" ? "pipe" : stdout, "pipe"],
    });
    if (stdout === "closed-pipe") child.stdout!.destroy(); // the reader went away before the first line
    let stderr = "";
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

async function createQueue(name: string, attributes: Record<string, string> = {}): Promise<string> {
  return (await server.client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl!;
}

async function counts(url: string): Promise<{ visible: number; inFlight: number }> {
  const { Attributes } = await server.client.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }),
  );
  return { visible: Number(Attributes?.ApproximateNumberOfMessages), inFlight: Number(Attributes?.ApproximateNumberOfMessagesNotVisible) };
}

async function seed(url: string, n: number, body: (i: number) => string = (i) => JSON.stringify({ n: i }), group?: (i: number) => string): Promise<void> {
  for (let i = 0; i < n; i += 10) {
    const Entries = Array.from({ length: Math.min(10, n - i) }, (_, j) => ({
      Id: `m${i + j}`,
      MessageBody: body(i + j),
      ...(group ? { MessageGroupId: group(i + j), MessageDeduplicationId: `d${i + j}` } : {}),
    }));
    const out = await server.client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries }));
    expect(out.Failed ?? []).toEqual([]);
  }
}

async function dlqPair(name: string, maxReceiveCount: number, attrs: Record<string, string> = {}): Promise<{ url: string; dlqUrl: string }> {
  const dlqUrl = await createQueue(`${name}-dlq`);
  const { Attributes } = await server.client.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }));
  const url = await createQueue(name, { ...attrs, RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn, maxReceiveCount }) });
  return { url, dlqUrl };
}

const lines = (text: string) => text.trim().split("\n").filter(Boolean);

describe("a stdout that fails (issue 10 #1, issue 15 #11)", () => {
  test("receive --delete > /dev/full deletes nothing, releases everything, exits 1 saying 0 written", async () => {
    const url = await createQueue("full-receive");
    await seed(url, 10);
    const fd = openSync("/dev/full", "w");
    const r = await cliTo(["receive", "full-receive", "--delete", "--max", "10", "--wait", "1s"], fd);
    closeSync(fd);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/stdout stopped accepting output \(ENOSPC\): 0 messages written, 0 deleted/);
    expect(strict.stats.deleted).toEqual([]);
    expect(await counts(url)).toEqual({ visible: 10, inFlight: 0 });
  });

  test("tail --delete > /dev/full deletes nothing and releases everything", async () => {
    const url = await createQueue("full-tail");
    await seed(url, 12);
    const fd = openSync("/dev/full", "w");
    const r = await cliTo(["tail", "full-tail", "--delete", "--until-empty", "--wait", "1s"], fd);
    closeSync(fd);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/0 messages written, 0 deleted/);
    expect(strict.stats.deleted).toEqual([]);
    expect(await counts(url)).toEqual({ visible: 12, inFlight: 0 });
  });

  test("a closed pipe (EPIPE): receive --peek releases what it holds; tail --delete deletes nothing", async () => {
    const url = await createQueue("epipe");
    await seed(url, 20);
    const peek = await cliTo(["receive", "epipe", "--peek", "--max", "20", "--wait", "1s"], "closed-pipe");
    expect(peek.code, peek.stderr).toBe(1);
    expect(peek.stderr).toContain("EPIPE");
    expect(await counts(url)).toEqual({ visible: 20, inFlight: 0 });
    const del = await cliTo(["tail", "epipe", "--delete", "--until-empty", "--wait", "1s"], "closed-pipe");
    expect(del.code, del.stderr).toBe(1);
    expect(strict.stats.deleted).toEqual([]);
    expect(await counts(url)).toEqual({ visible: 20, inFlight: 0 });
  });
});

describe("looking spends one receive per message (issue 10 #4, #5)", () => {
  test("read-only tail --until-empty on maxReceiveCount 2: one receive each, nothing kept hidden or sent to the DLQ", async () => {
    const { url, dlqUrl } = await dlqPair("tail-once", 2);
    await seed(url, 15);
    const r = await cli(["tail", "tail-once", "--until-empty", "--wait", "1s"]);
    expect(r.code, r.stderr).toBe(0);
    expect(lines(r.stdout)).toHaveLength(15);
    // THEN each message was delivered to tail exactly once, and all are visible to the consumer again
    const receives = Object.values(strict.stats.receives);
    expect(receives).toHaveLength(15);
    expect(receives.every((n) => n === 1)).toBe(true);
    expect(await counts(url)).toEqual({ visible: 15, inFlight: 0 });
    // AND the consumer's next receive gets them (their second receive), not the DLQ
    const got = await server.client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 1 }));
    expect(got.Messages?.length).toBeGreaterThan(0);
    expect(await counts(dlqUrl)).toEqual({ visible: 0, inFlight: 0 });
  });

  test("a receive that outlasts the queue's visibility timeout keeps its holds (heartbeat): one delivery per message", async () => {
    // GIVEN a queue whose visibility timeout (2 s) is shorter than one long poll (4 s)
    const url = await createQueue("hold-renewed", { VisibilityTimeout: "2" });
    await seed(url, 15);
    const r = await cli(["receive", "hold-renewed", "--peek", "--max", "30", "--wait", "4s"]);
    expect(r.code, r.stderr).toBe(0);
    expect(lines(r.stdout)).toHaveLength(15);
    // THEN no message came back to the run's own later polls
    expect(Object.values(strict.stats.receives).every((n) => n === 1)).toBe(true);
    expect(Object.keys(strict.stats.receives)).toHaveLength(15);
    expect(await counts(url)).toEqual({ visible: 15, inFlight: 0 });
  });
});

describe("a --filter that throws at run time (issue 10 #12, issue 15 #7)", () => {
  test("tail --delete: exit 2 naming the filter and the message, nothing deleted, everything released", async () => {
    const url = await createQueue("filter-throws");
    await seed(url, 5);
    const r = await cli(["tail", "filter-throws", "--delete", "--until-empty", "--wait", "1s", "--filter", "starts_with(json.n, 'a')"]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/--filter "starts_with\(json\.n, 'a'\)" failed on message [0-9a-f-]{8,}/);
    expect(r.stderr).toContain("0 messages shown; 0 deleted");
    expect(r.stderr).not.toContain("Unexpected error");
    expect(strict.stats.deleted).toEqual([]);
    expect(await counts(url)).toEqual({ visible: 5, inFlight: 0 });
  });
});

describe("partial reads say so (issue 10 #6)", () => {
  test("export of a FIFO queue without --delete: only group heads are readable; exit 1 says partial and why", async () => {
    const url = await createQueue("partial.fifo", { FifoQueue: "true" });
    await seed(url, 5, (i) => `b${i}`, (i) => (i < 3 ? "g1" : "g2"));
    const file = join(dir, "partial.ndjson");
    // fauxqs directly: it returns one message per group per receive, as a held head blocks the rest
    const r = await cli(["export", "partial.fifo", "--file", file, "--wait", "1s"], true);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/partial export: 2 messages written, but 3 messages could not be received: on a FIFO queue/);
    expect(lines(readFileSync(file, "utf8"))).toHaveLength(2);
    expect(await counts(url)).toEqual({ visible: 5, inFlight: 0 });
  });

  test("through the strict layer (several messages of a group per receive, as AWS): a FIFO export --delete is complete, in order, once each", async () => {
    const url = await createQueue("strict-export.fifo", { FifoQueue: "true" });
    await seed(url, 30, (i) => `b${i}`, (i) => `g${i % 3}`);
    const file = join(dir, "strict-fifo.ndjson");
    const r = await cli(["export", "strict-export.fifo", "--file", file, "--delete", "--wait", "1s"]);
    expect(r.code, r.stderr).toBe(0);
    const got = lines(readFileSync(file, "utf8")).map((l) => JSON.parse(l) as { body: string; groupId: string });
    expect(new Set(got.map((e) => e.body)).size).toBe(30);
    expect(got).toHaveLength(30);
    for (const g of ["g0", "g1", "g2"]) {
      const order = got.filter((e) => e.groupId === g).map((e) => Number(e.body.slice(1)));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
    expect(Object.values(strict.stats.receives).every((n) => n === 1)).toBe(true);
    expect(strict.heldIds(url)).toEqual([]);
  });

  test("export of a queue with messages in flight elsewhere: exit 1 with how many were not seen", async () => {
    const url = await createQueue("partial-inflight");
    await seed(url, 10);
    // GIVEN a consumer holding 3 of them
    const held = await server.client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 3, VisibilityTimeout: 120 }));
    expect(held.Messages).toHaveLength(3);
    const file = join(dir, "inflight.ndjson");
    const r = await cli(["export", "partial-inflight", "--file", file, "--wait", "1s"]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/partial export: 7 messages written, but about 3 messages were in flight/);
    expect(lines(readFileSync(file, "utf8"))).toHaveLength(7);
  });
});

describe("export --delete failures stop cleanly (issue 10 #10)", () => {
  test("a file that cannot be written: exit 1, nothing deleted, nothing left hidden", async () => {
    const url = await createQueue("export-full");
    await seed(url, 40);
    const r = await cli(["export", "export-full", "--file", "/dev/full", "--delete", "--wait", "1s", "--concurrency", "4"]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/cannot write \/dev\/full/);
    expect(strict.stats.deleted).toEqual([]);
    expect(await counts(url)).toEqual({ visible: 40, inFlight: 0 });
  });
});

describe("dlq inspect on the custody engine (issue 10 #6 #12, issue 15 #11 #12)", () => {
  test("messages in flight elsewhere: the scan says it is partial, how many and why, and exits 1", async () => {
    const url = await createQueue("inspect-inflight-dlq");
    await seed(url, 13);
    const held = await server.client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 3, VisibilityTimeout: 120 }));
    expect(held.Messages).toHaveLength(3);
    const r = await cli(["dlq", "inspect", "inspect-inflight-dlq", "--all"]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/partial scan of inspect-inflight-dlq: 10 messages looked at, but about 3 messages were in flight/);
    expect(`${r.stdout}${r.stderr}`).not.toContain("all 10 in the DLQ");
    expect(await counts(url)).toEqual({ visible: 10, inFlight: 3 });
  });

  test("dlq redrive --dry-run with messages in flight elsewhere: a lower bound, said to be partial, exit 1 (not a plan that looks complete)", async () => {
    const { dlqUrl } = await dlqPair("dry-inflight", 3);
    await seed(dlqUrl, 13);
    const held = await server.client.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 3, VisibilityTimeout: 120 }));
    expect(held.Messages).toHaveLength(3);
    const r = await cli(["dlq", "redrive", "dry-inflight-dlq", "--dry-run"]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain("would move at least 10 messages, of 10 looked at (partial: see below)");
    expect(r.stdout.trim().split("\n")).toHaveLength(10);
    expect(r.stderr).toMatch(/partial dry run of dry-inflight-dlq: 10 messages looked at, but about 3 messages were in flight/);
    const json = await cli(["dlq", "redrive", "dry-inflight-dlq", "--dry-run", "-o", "json"]);
    expect(json.code, json.stderr).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ dryRun: true, matching: 10, scanned: 10, partial: expect.stringMatching(/in flight/) });
    expect(await counts(dlqUrl)).toEqual({ visible: 10, inFlight: 3 });
  });

  test("a DLQ whose own redrive policy has maxReceiveCount 1 is refused (exit 2, nothing received) without --spend-last-receive", async () => {
    await dlqPair("inspect-last", 1);
    const url = (await server.client.send(new CreateQueueCommand({ QueueName: "inspect-last" }))).QueueUrl!;
    await seed(url, 4);
    const r = await cli(["dlq", "inspect", "inspect-last", "--all"]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/maxReceiveCount 1/);
    expect(r.stderr).toContain("--spend-last-receive");
    expect(strict.stats.receives).toEqual({});
    expect(await counts(url)).toEqual({ visible: 4, inFlight: 0 });
    const forced = await cli(["dlq", "inspect", "inspect-last", "--all", "--spend-last-receive"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(Object.keys(strict.stats.receives)).toHaveLength(4);
  });

  test("a --filter that throws on a message: exit 2 naming it, everything released", async () => {
    const url = await createQueue("inspect-filter-dlq");
    await seed(url, 6);
    const r = await cli(["dlq", "inspect", "inspect-filter-dlq", "--all", "--filter", "starts_with(json.n, 'x')"]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/--filter "starts_with\(json\.n, 'x'\)" failed on message/);
    expect(await counts(url)).toEqual({ visible: 6, inFlight: 0 });
  });

  test("a closed pipe releases what the scan holds", async () => {
    const url = await createQueue("inspect-epipe-dlq");
    await seed(url, 30);
    await cliTo(["dlq", "inspect", "inspect-epipe-dlq", "--all", "--hold", "120s"], "closed-pipe");
    expect(await counts(url)).toEqual({ visible: 30, inFlight: 0 });
  });
});
