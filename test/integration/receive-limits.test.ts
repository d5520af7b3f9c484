/**
 * The receive loop's end rule where the server's counts or limits get in the way (issue 13):
 * - local-aws-sqs counts held messages in ApproximateNumberOfMessages: a read that does not
 *   delete must still end complete there (it ended "10000 ... never returned", exit 1).
 * - SQS's in-flight limit: a scan that meets it ends deliberately, says it is partial and
 *   what it covers, exits 1 and releases everything it held. Through the strict layer
 *   (test/helpers/strict-sqs.ts) with a small in-flight limit, both ways AWS documents it:
 *   long polls that come back empty, and ReceiveMessage answering OverLimit.
 * The built CLI runs as a subprocess.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCli } from "../helpers/cli.js";
import { startMoveTaskServer, type MoveTaskServer } from "../helpers/local-aws-sqs.js";
import { startTestServer, TEST_CREDENTIALS, type TestServer } from "../helpers/local-server.js";
import { startStrictSqs, type StrictSqs } from "../helpers/strict-sqs.js";

const dir = mkdtempSync(join(tmpdir(), "sqsctl-receive-limits-"));
const lines = (text: string) => text.trim().split("\n").filter(Boolean);

async function createQueue(client: SQSClient, name: string): Promise<string> {
  return (await client.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
}

async function seed(client: SQSClient, url: string, n: number): Promise<void> {
  for (let i = 0; i < n; i += 10) {
    const Entries = Array.from({ length: Math.min(10, n - i) }, (_, j) => ({ Id: `m${i + j}`, MessageBody: JSON.stringify({ n: i + j, errorType: (i + j) % 2 ? "Timeout" : "Invalid" }) }));
    const out = await client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries }));
    expect(out.Failed ?? []).toEqual([]);
  }
}

async function counts(client: SQSClient, url: string): Promise<{ visible: number; inFlight: number }> {
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }),
  );
  return { visible: Number(Attributes?.ApproximateNumberOfMessages), inFlight: Number(Attributes?.ApproximateNumberOfMessagesNotVisible) };
}

describe("local-aws-sqs, whose visible count includes messages in flight", () => {
  let las: MoveTaskServer;
  beforeAll(async () => {
    las = await startMoveTaskServer();
  });
  afterAll(async () => {
    await las?.close();
  });
  const cli = (args: string[]) => runCli(args, { env: { ...las.env, XDG_STATE_HOME: join(dir, "state"), HOME: dir }, timeoutMs: 120_000 });

  test("export without --delete is complete (exit 0, every message written once, all released)", async () => {
    const url = await createQueue(las.client, "las-export");
    await seed(las.client, url, 500);
    const file = join(dir, "las-export.ndjson");
    const r = await cli(["export", "las-export", "--file", file, "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/partial/);
    expect(JSON.parse(r.stdout)).toEqual({ exported: 500, deleted: 0, notDeleted: 0, file });
    const ids = lines(readFileSync(file, "utf8")).map((l) => (JSON.parse(l) as { messageId: string }).messageId);
    expect(new Set(ids).size).toBe(500);
    // everything held was released (this server counts in-flight ones as visible too)
    expect(await counts(las.client, url)).toEqual({ visible: 500, inFlight: 0 });
  });

  test("dlq inspect --group-by is complete there too", async () => {
    const url = await createQueue(las.client, "las-inspect");
    await seed(las.client, url, 120);
    const r = await cli(["dlq", "inspect", "las-inspect", "--group-by", "json.errorType", "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { summary: { complete: boolean; scanned: number }; partial?: string };
    expect(out.summary).toMatchObject({ complete: true, scanned: 120 });
    expect(out.partial).toBeUndefined();
    expect(await counts(las.client, url)).toEqual({ visible: 120, inFlight: 0 });
  });
});

describe("SQS's in-flight limit (the strict layer with a limit of 30)", () => {
  let server: TestServer;
  let strict: StrictSqs;
  beforeAll(async () => {
    server = await startTestServer();
    strict = await startStrictSqs(server.endpoint, { inFlightLimit: 30 });
  });
  afterAll(async () => {
    await strict?.close();
    await server?.close();
  });
  const cli = (args: string[]) =>
    runCli(args, {
      env: { ...server.env, AWS_ENDPOINT_URL_SQS: strict.endpoint, SQSCTL_IN_FLIGHT_LIMIT: "30", XDG_STATE_HOME: join(dir, "state2"), HOME: dir },
      timeoutMs: 120_000,
    });

  test("export: long polls at the limit come back empty (as AWS documents); it stops there, says what it covers, exits 1, releases all", async () => {
    strict.configure({ inFlightLimit: 30 });
    strict.resetStats();
    const url = await createQueue(server.client, "limit-export");
    await seed(server.client, url, 100);
    const file = join(dir, "limit-export.ndjson");
    const r = await cli(["export", "limit-export", "--file", file, "-o", "json"]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/partial export: 30 messages written, but stopped at SQS's in-flight limit after 30 messages; the result covers those 30/);
    expect(JSON.parse(r.stdout)).toMatchObject({ exported: 30, partial: expect.stringMatching(/^stopped at SQS's in-flight limit after 30 messages/) });
    expect(lines(readFileSync(file, "utf8"))).toHaveLength(30);
    expect(strict.stats.refused.OverLimit).toBeGreaterThan(0);
    expect(await counts(server.client, url)).toEqual({ visible: 100, inFlight: 0 });
  });

  test("dlq inspect: ReceiveMessage answering OverLimit ends the scan there, partial in text and JSON, exit 1, all released", async () => {
    strict.configure({ inFlightLimit: 30, overLimitOnLongPoll: true });
    strict.resetStats();
    const url = await createQueue(server.client, "limit-inspect");
    await seed(server.client, url, 100);
    const r = await cli(["dlq", "inspect", "limit-inspect", "--group-by", "json.errorType", "-o", "json"]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/partial scan of limit-inspect: 30 messages looked at, but stopped at SQS's in-flight limit after 30 messages; the result covers those 30/);
    expect(r.stderr).not.toMatch(/Too many messages in flight|OverLimit:/);
    const out = JSON.parse(r.stdout) as { summary: { complete: boolean; scanned: number }; partial?: string };
    expect(out.summary).toMatchObject({ complete: false, scanned: 30 });
    expect(out.partial).toMatch(/^stopped at SQS's in-flight limit after 30 messages/);
    expect(strict.stats.refused.OverLimit).toBeGreaterThan(0);
    expect(await counts(server.client, url)).toEqual({ visible: 100, inFlight: 0 });
  });

  test("the manual redrive meets the limit as a clear partial failure (exit 1, not 'access denied'), nothing lost", async () => {
    strict.configure({ inFlightLimit: 30, overLimitOnLongPoll: true });
    strict.resetStats();
    // GIVEN a DLQ with 20 messages, 25 of its 30 in-flight slots taken by another consumer
    const dlq = await createQueue(server.client, "limit-dlq");
    const src = await createQueue(server.client, "limit-src");
    await seed(server.client, dlq, 40);
    const other = new SQSClient({ endpoint: strict.endpoint, region: "us-east-1", credentials: TEST_CREDENTIALS });
    let taken = 0;
    for (const max of [10, 10, 5]) {
      const got = await other.send(new ReceiveMessageCommand({ QueueUrl: dlq, MaxNumberOfMessages: max, VisibilityTimeout: 600 }));
      taken += got.Messages?.length ?? 0;
    }
    other.destroy();
    expect(taken).toBe(25);
    const r = await cli(["dlq", "redrive", "limit-dlq", "--to", "limit-src", "--strategy", "manual", "--yes"]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/stopped at SQS's in-flight limit \(OverLimit\)/);
    // nothing lost: every message is in the DLQ or the source (the other consumer's 25 still held)
    const d = await counts(server.client, dlq);
    const s = await counts(server.client, src);
    expect(d.visible + d.inFlight + s.visible + s.inFlight).toBe(40);
  });
});
