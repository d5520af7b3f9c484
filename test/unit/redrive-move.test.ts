import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DeleteMessageBatchCommand, SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { fromSqsMessage } from "../../src/core/envelope.js";
import type { SqsContext } from "../../src/sqs/client.js";
import type { Held } from "../../src/sqs/messages.js";
import { Journal } from "../../src/sqs/redrive/journal.js";
import { dedupIdFor, moveHeldMessages, type RedriveTarget } from "../../src/sqs/redrive/move.js";

const sqsMock = mockClient(SQSClient);
let client: SQSClient;
let dir: string;
const ctx = (): SqsContext => ({ client, region: "us-east-1", endpoint: "http://mock", send: (c) => client.send(c as never), destroy: () => undefined }) as SqsContext;
const standard: RedriveTarget = { name: "orders", url: "http://mock/000000000000/orders", arn: "arn:aws:sqs:us-east-1:000000000000:orders", fifo: false };
const fifo: RedriveTarget = { name: "jobs.fifo", url: "http://mock/000000000000/jobs.fifo", arn: "arn:aws:sqs:us-east-1:000000000000:jobs.fifo", fifo: true };

function held(n: number, extra: Record<string, string> = {}): Held {
  const raw = {
    MessageId: `id-${n}`,
    ReceiptHandle: `rh-${n}`,
    Body: `body-${n}`,
    Attributes: { ApproximateReceiveCount: "4", ...extra },
    MessageAttributes: { reason: { DataType: "String", StringValue: "Timeout" } },
  };
  return { envelope: fromSqsMessage(raw), receiptHandle: raw.ReceiptHandle, raw };
}

beforeEach(() => {
  sqsMock.reset();
  client = new SQSClient({ region: "us-east-1" });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sqsctl-move-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("moveHeldMessages", () => {
  test("deletes only the entries whose send succeeded; the failed ones stay in the DLQ", async () => {
    // GIVEN a target that rejects entries 1 and 3 of the batch
    sqsMock.on(SendMessageBatchCommand).callsFake((input: { Entries: Array<{ Id: string }> }) => ({
      Successful: input.Entries.filter((e) => e.Id !== "1" && e.Id !== "3").map((e) => ({ Id: e.Id, MessageId: `new-${e.Id}` })),
      Failed: [
        { Id: "1", Code: "InternalError", SenderFault: false, Message: "try again" },
        { Id: "3", Code: "InvalidMessageContents", SenderFault: true, Message: "bad" },
      ],
    }));
    sqsMock.on(DeleteMessageBatchCommand).callsFake((input: { Entries: Array<{ Id: string }> }) => ({ Successful: input.Entries.map((e) => ({ Id: e.Id })), Failed: [] }));
    const journal = Journal.open(path.join(dir, "j.ndjson"), { dlq: { name: "d", url: "u", arn: "a" }, holdSeconds: 60 });

    // WHEN five held messages are moved
    const out = await moveHeldMessages(ctx(), { sourceUrl: "http://mock/000000000000/d", target: standard, held: [0, 1, 2, 3, 4].map((n) => held(n)), journal });
    journal.close();

    // THEN the two failures are reported and never deleted
    expect(out.sendFailed.map((f) => [f.held.envelope.messageId, f.code])).toEqual([["id-1", "InternalError"], ["id-3", "InvalidMessageContents"]]);
    expect(out.moved.map((m) => m.messageId)).toEqual(["id-0", "id-2", "id-4"]);
    const deleted = sqsMock.commandCalls(DeleteMessageBatchCommand).flatMap((c) => c.args[0].input.Entries!.map((e) => e.ReceiptHandle));
    expect(deleted).toEqual(["rh-0", "rh-2", "rh-4"]);
    // and the body and attributes went to the target unchanged
    const sent = sqsMock.commandCalls(SendMessageBatchCommand)[0]!.args[0].input.Entries!;
    expect(sent[0]).toMatchObject({ MessageBody: "body-0", MessageAttributes: { reason: { DataType: "String", StringValue: "Timeout" } } });
    expect(sent[0]).not.toHaveProperty("MessageGroupId");
    // and the journal holds sent + deleted for exactly the moved ones, sent before deleted
    const lines = fs.readFileSync(path.join(dir, "j.ndjson"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { type: string; id?: string });
    const sentIds = lines.filter((l) => l.type === "sent").map((l) => l.id);
    const deletedIds = lines.filter((l) => l.type === "deleted").map((l) => l.id);
    expect(sentIds).toEqual(["id-0", "id-2", "id-4"]);
    expect(deletedIds).toEqual(["id-0", "id-2", "id-4"]);
    expect(lines.findIndex((l) => l.type === "deleted")).toBeGreaterThan(lines.findLastIndex((l) => l.type === "sent"));
  });

  test("a send call that throws deletes nothing", async () => {
    sqsMock.on(SendMessageBatchCommand).rejects(Object.assign(new Error("socket hang up"), { name: "NetworkingError" }));
    const out = await moveHeldMessages(ctx(), { sourceUrl: "u", target: standard, held: [held(1), held(2)] });
    expect(out.sendFailed).toHaveLength(2);
    expect(sqsMock.commandCalls(DeleteMessageBatchCommand)).toHaveLength(0);
  });

  test("FIFO: keeps the group, derives the dedup id from the MessageId, and stops a group after a failure", async () => {
    sqsMock.on(SendMessageBatchCommand).callsFake((input: { Entries: Array<{ Id: string }> }) => ({
      Successful: input.Entries.filter((e) => e.Id !== "0").map((e) => ({ Id: e.Id, MessageId: `new-${e.Id}` })),
      Failed: [{ Id: "0", Code: "InternalError", SenderFault: false }],
    }));
    sqsMock.on(DeleteMessageBatchCommand).callsFake((input: { Entries: Array<{ Id: string }> }) => ({ Successful: input.Entries.map((e) => ({ Id: e.Id })) }));
    // 11 messages: the first 10 fill one batch; the 11th (group a) comes after a's failure
    const msgs = Array.from({ length: 11 }, (_, i) => held(i, { MessageGroupId: i % 2 === 0 ? "a" : "b" }));
    const out = await moveHeldMessages(ctx(), { sourceUrl: "u", target: fifo, held: msgs });
    const first = sqsMock.commandCalls(SendMessageBatchCommand)[0]!.args[0].input.Entries!;
    expect(first[1]).toMatchObject({ MessageGroupId: "b", MessageDeduplicationId: dedupIdFor("id-1") });
    expect(dedupIdFor("id-1")).toMatch(/^[0-9a-f]{64}$/);
    expect(sqsMock.commandCalls(SendMessageBatchCommand)).toHaveLength(1);
    expect(out.sendFailed.map((f) => [f.held.envelope.messageId, f.code])).toEqual([["id-0", "InternalError"], ["id-10", "GroupOrderKept"]]);
    expect(out.moved).toHaveLength(9);
  });

  test("a message the journal shows as sent is deleted without being sent again", async () => {
    const file = path.join(dir, "resume.ndjson");
    fs.writeFileSync(
      file,
      [
        { type: "run", at: "t", pid: 1, dlq: { name: "d", url: "u", arn: "a" }, holdSeconds: 30 },
        { type: "sending", to: standard.url, ids: ["id-1", "id-2", "id-3"] },
        { type: "sent", id: "id-1", to: standard.url, targetMessageId: "new-1" },
        { type: "sent", id: "id-2", to: standard.url, targetMessageId: "new-2" },
        { type: "deleted", id: "id-2" },
      ]
        .map((l) => JSON.stringify(l))
        .join("\n") + '\n{"type":"del',
    );
    sqsMock.on(SendMessageBatchCommand).callsFake((input: { Entries: Array<{ Id: string }> }) => ({ Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: "x" })) }));
    sqsMock.on(DeleteMessageBatchCommand).callsFake((input: { Entries: Array<{ Id: string }> }) => ({ Successful: input.Entries.map((e) => ({ Id: e.Id })) }));
    const journal = Journal.open(file, { dlq: { name: "d", url: "u", arn: "a" }, holdSeconds: 30 });
    expect(journal.previous).toMatchObject({ runs: 1, ended: false, holdSeconds: 30, pendingDelete: 1 });
    expect([...journal.previous.maybeSent]).toEqual(["id-3"]);
    const out = await moveHeldMessages(ctx(), { sourceUrl: "u", target: standard, held: [held(1), held(3)], journal });
    journal.close();
    expect(out.alreadySent).toEqual(["id-1"]);
    expect(out.moved.map((m) => m.messageId)).toEqual(["id-3"]);
    const sentBodies = sqsMock.commandCalls(SendMessageBatchCommand).flatMap((c) => c.args[0].input.Entries!.map((e) => e.MessageBody));
    expect(sentBodies).toEqual(["body-3"]);
  });
});

describe("Journal.durable", () => {
  test("concurrent callers share fsyncs", async () => {
    const j = Journal.open(path.join(dir, "g.ndjson"), { dlq: { name: "d", url: "u", arn: "a" }, holdSeconds: 60 });
    await Promise.all(Array.from({ length: 50 }, (_, i) => (j.sent([{ id: `m${i}`, to: "t", targetMessageId: "x" }]), j.durable())));
    j.close();
    expect(j.syncs).toBeGreaterThanOrEqual(1);
    expect(j.syncs).toBeLessThanOrEqual(2);
    expect(fs.readFileSync(path.join(dir, "g.ndjson"), "utf8").match(/"sent"/g)).toHaveLength(50);
  });
});
