import { ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, test } from "vitest";
import type { SqsContext } from "../../src/sqs/client.js";
import { deleteHandles, releaseHandles } from "../../src/sqs/messages.js";

const sqs = mockClient(SQSClient);
const client = new SQSClient({ region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "y" } });
const ctx = { client } as unknown as SqsContext;
const URL = "https://sqs.us-east-1.amazonaws.com/123456789012/q";

beforeEach(() => sqs.reset());

const handles = (n: number) => Array.from({ length: n }, (_, i) => `h${i}`);

describe("batch deletes and releases retry what failed for a passing reason", () => {
  test("GIVEN an entry failing with InternalError once WHEN releasing THEN it is tried again and released", async () => {
    sqs
      .on(ChangeMessageVisibilityBatchCommand)
      .resolvesOnce({ Successful: [{ Id: "0" }, { Id: "2" }], Failed: [{ Id: "1", Code: "InternalError", SenderFault: false, Message: "oops" }] })
      .resolves({ Successful: [{ Id: "0" }] });
    const out = await releaseHandles(ctx, URL, handles(3));
    expect(out.failed).toEqual([]);
    expect(out.ok.sort()).toEqual(["h0", "h1", "h2"]);
    const calls = sqs.commandCalls(ChangeMessageVisibilityBatchCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.args[0].input.Entries).toEqual([{ Id: "0", ReceiptHandle: "h1", VisibilityTimeout: 0 }]);
  });

  test("a sender fault (an invalid receipt handle) is reported, not retried", async () => {
    sqs.on(DeleteMessageBatchCommand).resolves({
      Successful: [{ Id: "0" }],
      Failed: [{ Id: "1", Code: "ReceiptHandleIsInvalid", SenderFault: true, Message: "bad" }],
    });
    const out = await deleteHandles(ctx, URL, handles(2));
    expect(out.ok).toEqual(["h0"]);
    expect(out.failed).toEqual([{ receiptHandle: "h1", code: "ReceiptHandleIsInvalid", message: "bad" }]);
    expect(sqs.commandCalls(DeleteMessageBatchCommand)).toHaveLength(1);
  });

  test("a whole call the SDK gave up on is not retried again on top (one retry policy): its entries are reported", async () => {
    const down = Object.assign(new Error("down"), { name: "ServiceUnavailable", $metadata: { httpStatusCode: 503 } });
    sqs.on(ChangeMessageVisibilityBatchCommand).rejects(down);
    const out = await releaseHandles(ctx, URL, handles(2));
    expect(out.failed.map((f) => [f.receiptHandle, f.code])).toEqual([
      ["h0", "ServiceUnavailable"],
      ["h1", "ServiceUnavailable"],
    ]);
    expect(sqs.commandCalls(ChangeMessageVisibilityBatchCommand)).toHaveLength(1);
  });
});
