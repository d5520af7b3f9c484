import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SQSClient,
  type ChangeMessageVisibilityBatchCommandInput,
  type DeleteMessageBatchCommandInput,
} from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, test } from "vitest";
import { run } from "../../src/main.js";
import { memoryIo } from "../helpers/memory-io.js";

const sqs = mockClient(SQSClient);
const ENV = { AWS_REGION: "eu-west-1", AWS_ACCESS_KEY_ID: "AKIAUNITTEST00000000", AWS_SECRET_ACCESS_KEY: "unit-secret-0000" };
const URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/orders";

function message(id: string, receiveCount: number, body = `{"n": "${id}"}`) {
  return { MessageId: id, ReceiptHandle: `rh-${id}`, Body: body, Attributes: { ApproximateReceiveCount: String(receiveCount), SentTimestamp: "1763769600000" } };
}

function arrange(redrive: boolean) {
  sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: URL });
  sqs.on(GetQueueAttributesCommand).resolves({
    Attributes: {
      QueueArn: "arn:aws:sqs:eu-west-1:123456789012:orders",
      VisibilityTimeout: "30",
      ...(redrive ? { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: "arn:aws:sqs:eu-west-1:123456789012:orders-dlq", maxReceiveCount: 3 }) } : {}),
    },
  });
  sqs.on(ChangeMessageVisibilityBatchCommand).callsFake((input: ChangeMessageVisibilityBatchCommandInput) => ({ Successful: input.Entries!.map((e) => ({ Id: e.Id })) }));
  sqs.on(DeleteMessageBatchCommand).callsFake((input: DeleteMessageBatchCommandInput) => ({ Successful: input.Entries!.map((e) => ({ Id: e.Id })) }));
}

const visibilityCalls = () =>
  sqs.commandCalls(ChangeMessageVisibilityBatchCommand).flatMap((c) => c.args[0].input.Entries!.map((e) => [e.ReceiptHandle, e.VisibilityTimeout]));
const deleted = () => sqs.commandCalls(DeleteMessageBatchCommand).flatMap((c) => c.args[0].input.Entries!.map((e) => e.ReceiptHandle));

async function cli(args: string[]) {
  const mem = memoryIo(ENV);
  const code = await run(args, mem.io);
  return { code, stdout: mem.stdout, stderr: mem.stderr };
}

beforeEach(() => sqs.reset());

describe("peek guard", () => {
  test("GIVEN a redrive queue WHEN peeking THEN warn once and never release a message that used its last receive", async () => {
    arrange(true);
    sqs.on(ReceiveMessageCommand).resolvesOnce({ Messages: [message("a", 1), message("b", 3)] }).resolves({ Messages: [] });
    const r = await cli(["receive", "orders", "--peek", "--wait", "0"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.match(/has a redrive policy \(maxReceiveCount 3/g)).toHaveLength(1);
    expect(r.stderr).toContain("1 message has now used all 3 receives");
    expect(visibilityCalls()).toEqual([["rh-a", 0]]);
    expect(r.stdout.trim().split("\n")).toHaveLength(2);
  });

  test("no redrive policy: no warning, everything released", async () => {
    arrange(false);
    sqs.on(ReceiveMessageCommand).resolvesOnce({ Messages: [message("a", 1), message("b", 30)] }).resolves({ Messages: [] });
    const r = await cli(["receive", "orders", "--peek", "--wait", "0"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("redrive");
    expect(visibilityCalls()).toEqual([["rh-a", 0], ["rh-b", 0]]);
  });

  test("receive --delete deletes exactly what it printed", async () => {
    arrange(true);
    sqs.on(ReceiveMessageCommand).resolvesOnce({ Messages: [message("a", 1), message("b", 2)] }).resolves({ Messages: [] });
    const r = await cli(["receive", "orders", "--delete", "--wait", "0"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("redrive policy");
    expect(r.stdout.trim().split("\n").map((l) => JSON.parse(l).messageId)).toEqual(["a", "b"]);
    expect(deleted()).toEqual(["rh-a", "rh-b"]);
  });
});

describe("tail", () => {
  test("--delete --filter deletes only what matched; the rest stays held until tail stops (one receive each), then is released", async () => {
    arrange(false);
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [message("a", 1, '{"ok": true}'), message("b", 1, '{"ok": false}')] })
      .resolvesOnce({ Messages: [message("b", 2, '{"ok": false}')] })
      .resolves({ Messages: [] });
    const r = await cli(["tail", "orders", "--delete", "--until-empty", "--wait", "1s", "--filter", "json.ok"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split("\n").map((l) => JSON.parse(l).messageId)).toEqual(["a"]);
    expect(deleted()).toEqual(["rh-a"]);
    // b: held from its first receive (hidden 60 s by the receive itself) and released once, when tail stopped.
    expect(visibilityCalls()).toEqual([["rh-b", 0]]);
    expect(sqs.commandCalls(ReceiveMessageCommand)[0]!.args[0].input).toMatchObject({ VisibilityTimeout: 60 });
    expect(r.stderr).toContain("1 message shown; 1 deleted; 1 not matching --filter (left in the queue); 1 released (visible again now)");
  });
});
