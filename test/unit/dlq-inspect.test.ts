import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ChangeMessageVisibilityBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ReceiveMessageCommand,
  SQSClient,
  type ChangeMessageVisibilityBatchCommandInput,
} from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, test } from "vitest";
import { summarise } from "../../src/commands/dlq/inspect.js";
import type { Envelope } from "../../src/core/envelope.js";
import { run } from "../../src/main.js";
import { memoryIo } from "../helpers/memory-io.js";

const env = (n: number, errorType: string | undefined, extra: Partial<Envelope> = {}): Envelope => ({
  messageId: `m${n}`,
  body: JSON.stringify(errorType ? { n, errorType } : { n }),
  receiveCount: n,
  sentAt: new Date(Date.UTC(2026, 10, 22, 10, n)).toISOString(),
  ...extra,
});

describe("dlq inspect grouping and summary", () => {
  test("summarise finds the oldest and newest, the receive counts and the sources", () => {
    const msgs = [env(3, "A", { sourceQueueArn: "arn:aws:sqs:us-east-1:123456789012:orders" }), env(1, "B"), env(7, "A")];
    const s = summarise("orders-dlq", msgs, 3, true, ["orders"]);
    expect(s).toMatchObject({
      messages: 3,
      complete: true,
      oldestSentAt: "2026-11-22T10:01:00.000Z",
      newestSentAt: "2026-11-22T10:07:00.000Z",
      receiveCount: { min: 1, max: 7 },
      sources: { orders: 3 },
    });
    expect(summarise("d", msgs, 3, true, ["a", "b"]).sources).toEqual({ orders: 1, "(unknown)": 2 });
  });
});

/**
 * The calls dlq inspect makes at a region's latency (bench/RESULTS.md, "2f"): the DLQ's
 * attributes come with its lookup, its sources are read beside the scan, and the end rule's
 * count is the count after the scan. Run in-process with the SDK mocked.
 */
describe("dlq inspect's calls", () => {
  const sqs = mockClient(SQSClient);
  const ENV = { AWS_REGION: "eu-west-1", AWS_ACCESS_KEY_ID: "AKIAUNITTEST00000000", AWS_SECRET_ACCESS_KEY: "unit-secret-0000" };
  const DLQ = "https://sqs.eu-west-1.amazonaws.com/123456789012/orders-dlq";
  const SRC = "https://sqs.eu-west-1.amazonaws.com/123456789012/orders";
  const dir = mkdtempSync(join(tmpdir(), "sqsctl-inspect-calls-"));
  const message = (id: string, errorType: string) => ({
    MessageId: id,
    ReceiptHandle: `rh-${id}`,
    Body: JSON.stringify({ errorType }),
    Attributes: { ApproximateReceiveCount: "3", SentTimestamp: "1764400000000" },
  });
  let firstReceive: Promise<void>;
  let received: () => void;

  async function cli(args: string[]) {
    const mem = memoryIo({ ...ENV, XDG_STATE_HOME: dir, HOME: dir });
    const code = await run(args, mem.io);
    return { code, stdout: mem.stdout, stderr: mem.stderr };
  }
  const released = () => sqs.commandCalls(ChangeMessageVisibilityBatchCommand).flatMap((c) => c.args[0].input.Entries!.filter((e) => e.VisibilityTimeout === 0).map((e) => e.ReceiptHandle));

  beforeEach(() => {
    sqs.reset();
    firstReceive = new Promise((r) => (received = r));
    sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: DLQ });
    sqs.on(GetQueueAttributesCommand).callsFake((input: { AttributeNames: string[] }) =>
      input.AttributeNames.includes("All")
        ? { Attributes: { QueueArn: "arn:aws:sqs:eu-west-1:123456789012:orders-dlq", VisibilityTimeout: "30", ApproximateNumberOfMessages: "2", ApproximateNumberOfMessagesNotVisible: "0", ApproximateNumberOfMessagesDelayed: "0" } }
        : { Attributes: { ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "2", ApproximateNumberOfMessagesDelayed: "0" } },
    );
    let n = 0;
    sqs.on(ReceiveMessageCommand).callsFake(() => {
      received();
      return n++ === 0 ? { Messages: [message("a", "Timeout"), message("b", "Invalid")] } : { Messages: [] };
    });
    sqs.on(ChangeMessageVisibilityBatchCommand).callsFake((input: ChangeMessageVisibilityBatchCommandInput) => ({ Successful: input.Entries!.map((e) => ({ Id: e.Id })) }));
  });

  test("the DLQ's attributes come with its lookup, its sources answer only after the scan began, and the end rule's count is the count after it", async () => {
    // GIVEN a server whose ListDeadLetterSourceQueues answers only once a receive was made
    // (an inspect that waited for its sources before receiving would never end)
    sqs.on(ListDeadLetterSourceQueuesCommand).callsFake(async () => {
      await firstReceive;
      return { queueUrls: [SRC] };
    });
    // WHEN inspecting with a group-by
    const r = await cli(["dlq", "inspect", "orders-dlq", "--group-by", "json.errorType", "-o", "json"]);
    // THEN the scan is complete, and the messages that name no source count for the DLQ's only source
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.summary).toMatchObject({ scanned: 2, complete: true, sources: { orders: 2 } });
    expect(out.groups.map((g: { sources: Record<string, number> }) => g.sources)).toEqual([{ orders: 1 }, { orders: 1 }]);
    // AND two GetQueueAttributes in all: the lookup's (every attribute) and the end rule's count
    // (no second count after the scan, no call for the source's own attributes)
    const reads = sqs.commandCalls(GetQueueAttributesCommand).map((c) => c.args[0].input);
    expect(reads.map((i) => i.QueueUrl)).toEqual([DLQ, DLQ]);
    expect(reads[0]!.AttributeNames).toEqual(["All"]);
    expect(reads[1]!.AttributeNames).not.toContain("All");
    // AND everything held was released
    expect(released().sort()).toEqual(["rh-a", "rh-b"]);
  });

  test("when the sources cannot be read, the scan stops, everything it held is released, and that error is the command's", async () => {
    // GIVEN a role without sqs:ListDeadLetterSourceQueues, refused once the scan has begun
    sqs.on(ListDeadLetterSourceQueuesCommand).callsFake(async () => {
      await firstReceive;
      throw Object.assign(new Error("User is not authorized to perform: sqs:listdeadlettersourcequeues"), { name: "AccessDenied", $fault: "client", $metadata: { httpStatusCode: 403 } });
    });
    const r = await cli(["dlq", "inspect", "orders-dlq", "--group-by", "json.errorType", "-o", "json"]);
    // THEN it fails as an authorisation error (exit 4), with no result on stdout
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/Access denied/);
    expect(r.stdout).toBe("");
    // AND the messages it had received are visible again
    expect(released().sort()).toEqual(["rh-a", "rh-b"]);
  });
});
