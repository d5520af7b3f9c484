import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  SQSClient,
  CreateQueueCommand,
  SendMessageCommand,
  ReceiveMessageCommand,
  ChangeMessageVisibilityBatchCommand,
} from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { run } from "../../src/main.js";
import { memoryIo } from "../helpers/memory-io.js";

const sqs = mockClient(SQSClient);
const ENV = { AWS_REGION: "eu-west-1", AWS_ACCESS_KEY_ID: "AKIAUNITTEST00000000", AWS_SECRET_ACCESS_KEY: "unit-secret-0000" };
const URL_BASE = "https://sqs.eu-west-1.amazonaws.com/123456789012";

function awsError(name: string, message = name, status = 400) {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

beforeEach(() => sqs.reset());
afterEach(() => sqs.reset());

async function cli(args: string[]) {
  const mem = memoryIo(ENV);
  const code = await run(args, mem.io);
  return { code, stdout: mem.stdout, stderr: mem.stderr };
}

describe("queues list", () => {
  test("follows every page and reads each queue's attributes", async () => {
    // GIVEN two pages of queues
    sqs.on(ListQueuesCommand).resolvesOnce({ QueueUrls: [`${URL_BASE}/a`], NextToken: "t1" }).resolvesOnce({ QueueUrls: [`${URL_BASE}/b`] });
    sqs.on(GetQueueAttributesCommand).callsFake((input: { QueueUrl: string }) => ({
      Attributes: {
        QueueArn: `arn:aws:sqs:eu-west-1:123456789012:${input.QueueUrl.split("/").at(-1)}`,
        ApproximateNumberOfMessages: "7",
        ApproximateNumberOfMessagesNotVisible: "1",
        ApproximateNumberOfMessagesDelayed: "0",
      },
    }));
    // WHEN listing as JSON
    const r = await cli(["queues", "list", "-o", "json"]);
    // THEN both pages are there with counts
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<{ name: string; visible: number; inFlight: number }>;
    expect(rows.map((q) => [q.name, q.visible, q.inFlight])).toEqual([
      ["a", 7, 1],
      ["b", 7, 1],
    ]);
    expect(sqs.commandCalls(ListQueuesCommand)[1]!.args[0].input).toMatchObject({ NextToken: "t1" });
  });
});

describe("error mapping", () => {
  test("the legacy NonExistentQueue code names queue, region and endpoint, exit 1", async () => {
    sqs.on(GetQueueUrlCommand).rejects(awsError("AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist."));
    const r = await cli(["queues", "show", "ghost"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Queue "ghost" does not exist in region eu-west-1 at https://sqs.eu-west-1.amazonaws.com');
  });

  test("access denied exits 4 without printing credentials", async () => {
    sqs.on(GetQueueUrlCommand).rejects(awsError("AccessDenied", "User is not authorized", 403));
    const r = await cli(["queues", "show", "secret-queue", "--debug"]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("Access denied");
    expect(r.stderr).not.toContain(ENV.AWS_SECRET_ACCESS_KEY);
    expect(r.stderr).not.toContain(ENV.AWS_ACCESS_KEY_ID);
  });

  test("a URL in another region is a usage error before any call", async () => {
    const r = await cli(["queues", "show", "https://sqs.us-west-2.amazonaws.com/123456789012/q"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--region us-west-2");
    expect(sqs.calls()).toHaveLength(0);
  });
});

describe("purge", () => {
  beforeEach(() => {
    sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: `${URL_BASE}/q` });
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { QueueArn: "arn:aws:sqs:eu-west-1:123456789012:q", ApproximateNumberOfMessages: "12" } });
  });

  test("without a TTY and --yes it refuses and never calls PurgeQueue", async () => {
    const r = await cli(["purge", "q"]);
    expect(r.code).toBe(2);
    expect(sqs.commandCalls(PurgeQueueCommand)).toHaveLength(0);
  });

  test("a purge in progress is a clear failure", async () => {
    sqs.on(PurgeQueueCommand).rejects(awsError("AWS.SimpleQueueService.PurgeQueueInProgress"));
    const r = await cli(["purge", "q", "--yes"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("already in progress");
  });
});

describe("queues create", () => {
  test("a conflict on the DLQ is found before anything is created", async () => {
    // GIVEN orders does not exist and orders-dlq exists with 4-day retention
    sqs.on(GetQueueUrlCommand, { QueueName: "orders" }).rejects(awsError("QueueDoesNotExist"));
    sqs.on(GetQueueUrlCommand, { QueueName: "orders-dlq" }).resolves({ QueueUrl: `${URL_BASE}/orders-dlq` });
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { MessageRetentionPeriod: "345600" } });
    sqs.on(ListQueueTagsCommand).resolves({ Tags: {} });
    sqs.on(ListDeadLetterSourceQueuesCommand).resolves({ queueUrls: [] });
    // WHEN creating orders with --create-dlq
    const r = await cli(["queues", "create", "orders", "--create-dlq"]);
    // THEN it fails naming the difference and creates nothing
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("MessageRetentionPeriod: existing 345600, requested 1209600");
    expect(sqs.commandCalls(CreateQueueCommand)).toHaveLength(0);
  });
});

describe("one-shot commands make one GetQueueAttributes call (10-40 ms each against a region)", () => {
  beforeEach(() => {
    sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: `${URL_BASE}/q` });
    sqs.on(GetQueueAttributesCommand).resolves({
      Attributes: { QueueArn: "arn:aws:sqs:eu-west-1:123456789012:q", ApproximateNumberOfMessages: "3", MaximumMessageSize: "262144", VisibilityTimeout: "30" },
    });
    sqs.on(ListQueueTagsCommand).resolves({ Tags: {} });
  });
  const calls = () => sqs.calls().map((c) => (c.args[0] as object).constructor.name);

  test("send: the queue's ARN and its limits come in the same call", async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: "m-1", MD5OfMessageBody: "5d41402abc4b2a76b9719d911017c592" });
    const r = await cli(["send", "q", "hello"]);
    expect(r.code, r.stderr).toBe(0);
    expect(calls()).toEqual(["GetQueueUrlCommand", "GetQueueAttributesCommand", "SendMessageCommand"]);
    const names = sqs.commandCalls(GetQueueAttributesCommand)[0]!.args[0].input.AttributeNames;
    expect(names).toEqual(expect.arrayContaining(["QueueArn", "MaximumMessageSize", "FifoQueue", "ContentBasedDeduplication"]));
  });

  test("receive --peek: the peek guard's attributes come with the ARN", async () => {
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [{ MessageId: "m-1", ReceiptHandle: "h-1", Body: "hi", Attributes: { ApproximateReceiveCount: "1" } }] });
    sqs.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [{ Id: "0" }], Failed: [] });
    const r = await cli(["receive", "q", "--max", "1", "--peek", "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(calls().filter((c) => c === "GetQueueAttributesCommand")).toHaveLength(1);
    expect(sqs.commandCalls(GetQueueAttributesCommand)[0]!.args[0].input.AttributeNames).toEqual(
      expect.arrayContaining(["QueueArn", "RedrivePolicy", "VisibilityTimeout", "FifoQueue"]),
    );
  });

  test("purge reads All with the ARN", async () => {
    sqs.on(PurgeQueueCommand).resolves({});
    const r = await cli(["purge", "q", "--yes"]);
    expect(r.code, r.stderr).toBe(0);
    expect(calls()).toEqual(["GetQueueUrlCommand", "GetQueueAttributesCommand", "PurgeQueueCommand"]);
    expect(sqs.commandCalls(GetQueueAttributesCommand)[0]!.args[0].input.AttributeNames).toEqual(["All"]);
  });

  test("queues create of an existing queue with the same settings looks it up once", async () => {
    const r = await cli(["queues", "create", "q", "--visibility-timeout", "30s"]);
    expect(calls()).toEqual(["GetQueueUrlCommand", "GetQueueAttributesCommand", "ListQueueTagsCommand"]);
    expect(r.stdout + r.stderr).toContain("exists");
  });
});
