import { GetQueueAttributesCommand, GetQueueUrlCommand, PurgeQueueCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, test } from "vitest";
import { run } from "../../src/main.js";
import { memoryIo } from "../helpers/memory-io.js";

const sqs = mockClient(SQSClient);
const ENV = { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "AKIAUNITTEST00000000", AWS_SECRET_ACCESS_KEY: "unit-secret-0000" };

beforeEach(() => sqs.reset());

async function cli(args: string[]) {
  const mem = memoryIo(ENV);
  const code = await run(args, mem.io);
  return { code, stdout: mem.stdout, stderr: mem.stderr };
}

describe("a queue ARN or URL names its account", () => {
  test("GIVEN a server that looks queues up by name only WHEN purging another account's ARN THEN it refuses and purges nothing", async () => {
    // The server ignores QueueOwnerAWSAccountId and answers with its own queue.
    sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: "http://localhost:9324/000000000000/orders" });
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { QueueArn: "arn:aws:sqs:us-east-1:000000000000:orders" } });
    const r = await cli(["purge", "arn:aws:sqs:us-east-1:123456789012:orders", "--yes"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("names account 123456789012, but the queue \"orders\"");
    expect(sqs.commandCalls(PurgeQueueCommand)).toHaveLength(0);
    expect(sqs.commandCalls(GetQueueUrlCommand)[0]!.args[0].input).toEqual({ QueueName: "orders", QueueOwnerAWSAccountId: "123456789012" });
  });

  test("the same account passes", async () => {
    sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/orders" });
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { QueueArn: "arn:aws:sqs:us-east-1:123456789012:orders", ApproximateNumberOfMessages: "2" } });
    sqs.on(PurgeQueueCommand).resolves({});
    const r = await cli(["purge", "arn:aws:sqs:us-east-1:123456789012:orders", "--yes"]);
    expect(r.code, r.stderr).toBe(0);
    expect(sqs.commandCalls(PurgeQueueCommand)).toHaveLength(1);
  });
});
