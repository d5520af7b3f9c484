/**
 * Reading commands on the custody engine, run in-process with the SDK mocked:
 * export --delete and its own lapsed holds (issue 15 #4), and receive --peek's summary
 * when a release fails (issue 15 #10's "could not be released" AND "released").
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { run } from "../../src/main.js";
import { Holder } from "../../src/sqs/custody/holder.js";
import type { Held } from "../../src/sqs/messages.js";
import { memoryIo } from "../helpers/memory-io.js";

const sqs = mockClient(SQSClient);
const ENV = { AWS_REGION: "eu-west-1", AWS_ACCESS_KEY_ID: "AKIAUNITTEST00000000", AWS_SECRET_ACCESS_KEY: "unit-secret-0000" };
const URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/orders";
const dir = mkdtempSync(join(tmpdir(), "sqsctl-custody-cmd-"));

const message = (id: string, handle = `rh-${id}`) => ({ MessageId: id, ReceiptHandle: handle, Body: `{"id":"${id}"}`, Attributes: { ApproximateReceiveCount: "1" } });
const deleted = () => sqs.commandCalls(DeleteMessageBatchCommand).flatMap((c) => c.args[0].input.Entries!.map((e) => e.ReceiptHandle));

async function cli(args: string[]) {
  const mem = memoryIo({ ...ENV, XDG_STATE_HOME: dir, HOME: dir });
  const code = await run(args, mem.io);
  return { code, stdout: mem.stdout, stderr: mem.stderr };
}

beforeEach(() => {
  sqs.reset();
  sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: URL });
  sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { QueueArn: "arn:aws:sqs:eu-west-1:123456789012:orders", VisibilityTimeout: "30", ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" } });
  sqs.on(ChangeMessageVisibilityBatchCommand).callsFake((input: ChangeMessageVisibilityBatchCommandInput) => ({ Successful: input.Entries!.map((e) => ({ Id: e.Id })) }));
});

/** A delete that refuses `stale` handles the way SQS does for a handle that is no longer the newest. */
const deletesRefusing = (stale: Set<string>) => (input: DeleteMessageBatchCommandInput) => ({
  Successful: input.Entries!.filter((e) => !stale.has(e.ReceiptHandle!)).map((e) => ({ Id: e.Id })),
  Failed: input.Entries!.filter((e) => stale.has(e.ReceiptHandle!)).map((e) => ({ Id: e.Id!, Code: "ReceiptHandleIsInvalid", SenderFault: true, Message: "stale" })),
});

describe("export --delete and its own lapsed holds (issue 15 #4)", () => {
  test("a message whose hold lapsed after it was written is deleted once its own receive takes it again", async () => {
    // GIVEN b's first handle goes stale before the delete, and a later receive returns b again with a new handle
    sqs.on(DeleteMessageBatchCommand).callsFake(deletesRefusing(new Set(["rh-b"])));
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [message("a"), message("b")] })
      .resolvesOnce({ Messages: [message("b", "rh-b-2")] })
      .resolves({ Messages: [] });
    const file = join(dir, "lapsed-retaken.ndjson");
    const r = await cli(["export", "orders", "--file", file, "--delete", "--wait", "1s", "--concurrency", "1"]);
    // THEN b is written once and deleted with its newest handle; the export is complete
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l).messageId)).toEqual(["a", "b"]);
    expect(deleted()).toEqual(["rh-a", "rh-b", "rh-b-2"]);
    expect(r.stderr).toContain("exported 2 messages");
    expect(r.stderr).toContain("deleted 2");
  });

  test("one that never comes back: exit 1 saying how many are left and why", async () => {
    sqs.on(DeleteMessageBatchCommand).callsFake(deletesRefusing(new Set(["rh-b"])));
    sqs.on(ReceiveMessageCommand).resolvesOnce({ Messages: [message("a"), message("b")] }).resolves({ Messages: [] });
    const file = join(dir, "lapsed-gone.ndjson");
    const r = await cli(["export", "orders", "--file", file, "--delete", "--wait", "1s", "--concurrency", "1"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/1 exported message could not be deleted \(1 hold lapsed, 0 refused\): they are in .* and still in the queue/);
  });
});

describe("export holds what it wrote as custody data only (issue 13 part 3)", () => {
  afterEach(() => vi.restoreAllMocks());

  test("without --delete every message is held to the end with no body, then released by its newest handle", async () => {
    // GIVEN a, b, then b again with a newer handle (at-least-once)
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [message("a"), message("b")] })
      .resolvesOnce({ Messages: [message("b", "rh-b-2")] })
      .resolves({ Messages: [] });
    // (what the holder still has when the export closes it)
    const atClose: Array<[string, Held]> = [];
    const close = Holder.prototype.close;
    vi.spyOn(Holder.prototype, "close").mockImplementation(function (this: Holder) {
      for (const id of this.ids()) atClose.push([id, this.get(id)!]);
      return close.call(this);
    });
    const file = join(dir, "lean.ndjson");
    const r = await cli(["export", "orders", "--file", file, "--wait", "1s", "--concurrency", "1"]);
    expect(r.code, r.stderr).toBe(0);
    // THEN each is written once, whole
    expect(readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l))).toMatchObject([{ messageId: "a", body: '{"id":"a"}' }, { messageId: "b", body: '{"id":"b"}' }]);
    // AND until the end the holder kept both, with no body, attributes or SDK message, b by its newest handle
    expect(atClose.map(([id, h]) => [id, h.receiptHandle, h.envelope.body, h.raw.Body])).toEqual([["a", "rh-a", "", undefined], ["b", "rh-b-2", "", undefined]]);
    // AND both were released (visible again) by those handles, none deleted
    const released = sqs.commandCalls(ChangeMessageVisibilityBatchCommand).flatMap((c) => c.args[0].input.Entries!).filter((e) => e.VisibilityTimeout === 0);
    expect(released.map((e) => e.ReceiptHandle).sort()).toEqual(["rh-a", "rh-b-2"]);
    expect(deleted()).toEqual([]);
  });
});

describe("receive --peek summary", () => {
  test("a release that fails is counted once: never 'could not be released' next to a claim that all were released", async () => {
    // GIVEN a server that refuses to release b at 0 s and at 1 s
    sqs.on(ChangeMessageVisibilityBatchCommand).callsFake((input: ChangeMessageVisibilityBatchCommandInput) => ({
      Successful: input.Entries!.filter((e) => e.ReceiptHandle !== "rh-b").map((e) => ({ Id: e.Id })),
      Failed: input.Entries!.filter((e) => e.ReceiptHandle === "rh-b").map((e) => ({ Id: e.Id!, Code: "InvalidParameterValue", SenderFault: true, Message: "no" })),
    }));
    sqs.on(ReceiveMessageCommand).resolvesOnce({ Messages: [message("a"), message("b")] }).resolves({ Messages: [] });
    const r = await cli(["receive", "orders", "--peek", "--wait", "0"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("2 messages received; 1 released (visible again now); 1 could not be released and return after their visibility timeout (30s).");
    expect(r.stderr).not.toContain("2 released");
  });
});
