import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { fromSqsMessage } from "../../src/core/envelope.js";
import type { SqsContext } from "../../src/sqs/client.js";
import { Holder } from "../../src/sqs/custody/holder.js";
import { Journal, MoveJournal, moveState, readJournal, type JournalBinding } from "../../src/sqs/custody/journal.js";
import { dedupIdFor, moveHeld, stoppedMoveOutcome, type MoveTarget } from "../../src/sqs/custody/mover.js";
import type { Held } from "../../src/sqs/messages.js";

const sqsMock = mockClient(SQSClient);
let client: SQSClient;
let dir: string;
const holders: Holder[] = [];
const ctx = (): SqsContext => ({ client, region: "us-east-1", endpoint: "http://mock", send: (c) => client.send(c as never), destroy: () => undefined }) as SqsContext;
const standard: MoveTarget = { name: "orders", url: "http://mock/000000000000/orders", arn: "arn:aws:sqs:us-east-1:000000000000:orders", fifo: false };
const fifo: MoveTarget = { name: "jobs.fifo", url: "http://mock/000000000000/jobs.fifo", arn: "arn:aws:sqs:us-east-1:000000000000:jobs.fifo", fifo: true };
const binding: JournalBinding = { kind: "redrive", endpoint: "http://mock", account: "000000000000", queue: "http://mock/000000000000/d" };

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

/** A custody holder that holds `msgs` (as if just received). */
function holding(msgs: Held[], fifoSource = false): Holder {
  const h = new Holder(ctx(), "http://mock/000000000000/d", { holdSeconds: 60, fifo: fifoSource });
  h.add(msgs);
  holders.push(h);
  return h;
}

const journalAt = (file: string) => {
  const previous = moveState(readJournal(file));
  return new MoveJournal(Journal.open(file, binding, { holdSeconds: 60 }, { fresh: false }), previous);
};
const okDeletes = () => sqsMock.on(DeleteMessageBatchCommand).callsFake((input: { Entries: Array<{ Id: string }> }) => ({ Successful: input.Entries.map((e) => ({ Id: e.Id })), Failed: [] }));

beforeEach(() => {
  sqsMock.reset();
  client = new SQSClient({ region: "us-east-1" });
  sqsMock.on(ChangeMessageVisibilityBatchCommand).callsFake((input: { Entries: Array<{ Id: string }> }) => ({ Successful: input.Entries.map((e) => ({ Id: e.Id })) }));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sqsctl-move-"));
});
afterEach(async () => {
  for (const h of holders.splice(0)) await h.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("moveHeld", () => {
  test("deletes only the entries whose send succeeded; the failed ones stay in the DLQ", async () => {
    // GIVEN a target that rejects entries 1 (retryable, every time) and 3 (permanent)
    sqsMock.on(SendMessageBatchCommand).callsFake((input: { Entries: Array<{ Id: string }> }) => ({
      Successful: input.Entries.filter((e) => e.Id !== "e1" && e.Id !== "e3").map((e) => ({ Id: e.Id, MessageId: `new-${e.Id}` })),
      Failed: input.Entries.filter((e) => e.Id === "e1" || e.Id === "e3").map((e) =>
        e.Id === "e1" ? { Id: "e1", Code: "InternalError", SenderFault: false, Message: "try again" } : { Id: "e3", Code: "InvalidMessageContents", SenderFault: true, Message: "bad" },
      ),
    }));
    okDeletes();
    const file = path.join(dir, "j.journal");
    const journal = journalAt(file);
    const msgs = [0, 1, 2, 3, 4].map((n) => held(n));

    // WHEN five held messages are moved
    const out = await moveHeld(ctx(), holding(msgs), msgs, standard, journal);
    journal.close();

    // THEN the two failures are reported and never deleted
    expect(out.sendFailed.map((f) => [f.held.envelope.messageId, f.code])).toEqual([["id-1", "InternalError"], ["id-3", "InvalidMessageContents"]]);
    expect(out.moved.map((m) => m.messageId)).toEqual(["id-0", "id-2", "id-4"]);
    const deleted = sqsMock.commandCalls(DeleteMessageBatchCommand).flatMap((c) => c.args[0].input.Entries!.map((e) => e.ReceiptHandle));
    expect(deleted.sort()).toEqual(["rh-0", "rh-2", "rh-4"]);
    // and the body and attributes went to the target unchanged
    const sent = sqsMock.commandCalls(SendMessageBatchCommand)[0]!.args[0].input.Entries!;
    expect(sent[0]).toMatchObject({ MessageBody: "body-0", MessageAttributes: { reason: { DataType: "String", StringValue: "Timeout" } } });
    expect(sent[0]).not.toHaveProperty("MessageGroupId");
    // and the journal holds sent + deleted for exactly the moved ones, sent before deleted
    const recs = readJournal(file)!.records;
    expect(recs.filter((r) => r.k === "sent").map((r) => r.id)).toEqual(["id-0", "id-2", "id-4"]);
    expect(recs.filter((r) => r.k === "deleted").flatMap((r) => r.ids as string[])).toEqual(["id-0", "id-2", "id-4"]);
    expect(recs.findIndex((r) => r.k === "deleted")).toBeGreaterThan(recs.findLastIndex((r) => r.k === "sent"));
  });

  test("a fatal error part-way: what was sent before it is deleted and counted, the rest stay and are counted, the error is rethrown", async () => {
    // GIVEN a target that takes the first batch, then refuses every call (its policy changed)
    let calls = 0;
    sqsMock.on(SendMessageBatchCommand).callsFake((input: { Entries: Array<{ Id: string }> }) => {
      calls += 1;
      if (calls > 1) throw Object.assign(new Error("not authorized to SendMessage"), { name: "AccessDenied", $fault: "client", $metadata: { httpStatusCode: 403 } });
      return { Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: `new-${e.Id}` })), Failed: [] };
    });
    okDeletes();
    const file = path.join(dir, "fatal.journal");
    const journal = journalAt(file);
    const msgs = Array.from({ length: 25 }, (_, n) => held(n));
    // WHEN 25 held messages (three batches) are moved
    const err = await moveHeld(ctx(), holding(msgs), msgs, standard, journal).then(
      () => undefined,
      (e: unknown) => e,
    );
    journal.close();
    // THEN the error comes back, carrying what was done
    expect((err as Error).name).toBe("AccessDenied");
    const done = stoppedMoveOutcome(err)!;
    // the first batch is out of the DLQ (else it would sit in both queues, a copy nobody reported)
    expect(done.moved.map((m) => m.messageId)).toEqual(msgs.slice(0, 10).map((m) => m.envelope.messageId));
    const deleted = sqsMock.commandCalls(DeleteMessageBatchCommand).flatMap((c) => c.args[0].input.Entries!.map((e) => e.ReceiptHandle));
    expect(deleted.sort()).toEqual(msgs.slice(0, 10).map((m) => m.receiptHandle).sort());
    // and the other 15 are counted as not sent, with the error's code
    expect(done.sendFailed.map((f) => f.held.envelope.messageId)).toEqual(msgs.slice(10).map((m) => m.envelope.messageId));
    expect(new Set(done.sendFailed.map((f) => f.code))).toEqual(new Set(["AccessDenied"]));
    // and the journal says sent before deleted for exactly the first ten
    const recs = readJournal(file)!.records;
    expect(recs.filter((r) => r.k === "deleted").flatMap((r) => r.ids as string[]).sort()).toEqual(msgs.slice(0, 10).map((m) => m.envelope.messageId!).sort());
  });

  test("a send call that throws deletes nothing", async () => {
    sqsMock.on(SendMessageBatchCommand).rejects(Object.assign(new Error("socket hang up"), { name: "NetworkingError" }));
    const msgs = [held(1), held(2)];
    const out = await moveHeld(ctx(), holding(msgs), msgs, standard, new MoveJournal(undefined, moveState(undefined)));
    expect(out.sendFailed).toHaveLength(2);
    expect(out.ambiguous).toBe(2);
    expect(sqsMock.commandCalls(DeleteMessageBatchCommand)).toHaveLength(0);
  });

  test("FIFO: THE dedup id from the MessageId; a failed entry stops its group; what SQS accepted behind it is reported out of order, not passed off as in order", async () => {
    // GIVEN the target fails e0 (group a) for good and accepts the rest of the call
    sqsMock.on(SendMessageBatchCommand).callsFake((input: { Entries: Array<{ Id: string }> }) => ({
      Successful: input.Entries.filter((e) => e.Id !== "e0").map((e) => ({ Id: e.Id, MessageId: `new-${e.Id}` })),
      Failed: input.Entries.some((e) => e.Id === "e0") ? [{ Id: "e0", Code: "InvalidParameterValue", SenderFault: true }] : [],
    }));
    okDeletes();
    // 11 messages: the first 10 fill one batch; the 11th (group a) comes after a's failure
    const msgs = Array.from({ length: 11 }, (_, i) => held(i, { MessageGroupId: i % 2 === 0 ? "a" : "b" }));
    const out = await moveHeld(ctx(), holding(msgs, true), msgs, fifo, new MoveJournal(undefined, moveState(undefined)));
    const first = sqsMock.commandCalls(SendMessageBatchCommand)[0]!.args[0].input.Entries!;
    expect(first[1]).toMatchObject({ MessageGroupId: "b", MessageDeduplicationId: dedupIdFor("id-1") });
    expect(dedupIdFor("id-1")).toMatch(/^[0-9a-f]{64}$/);
    // THEN the 11th (group a, a later batch) is never sent
    expect(sqsMock.commandCalls(SendMessageBatchCommand)).toHaveLength(1);
    expect(out.sendFailed.map((f) => [f.held.envelope.messageId, f.code])).toEqual([["id-0", "InvalidParameterValue"], ["id-10", "GroupOrderKept"]]);
    // and the four of group a that SQS accepted behind id-0 in the same call are counted as out of order
    expect(out.outOfOrder).toBe(4);
    expect(out.moved).toHaveLength(9);
  });

  test("a message the journal shows as sent is deleted without being sent again", async () => {
    const file = path.join(dir, "resume.journal");
    const earlier = new MoveJournal(Journal.open(file, binding, { holdSeconds: 30 }, { fresh: true }), moveState(undefined));
    earlier.sending(standard.url, ["id-1", "id-2", "id-3"]);
    earlier.sent([{ id: "id-1", to: standard.url, tid: "new-1" }, { id: "id-2", to: standard.url, tid: "new-2" }]);
    earlier.deleted(["id-2"]);
    earlier.close();
    fs.appendFileSync(file, '0123456789ab {"k":"del'); // killed mid-write
    sqsMock.on(SendMessageBatchCommand).callsFake((input: { Entries: Array<{ Id: string }> }) => ({ Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: "x" })) }));
    okDeletes();
    const journal = journalAt(file);
    expect(journal.previous).toMatchObject({ runs: 1, unfinished: true, holdSeconds: 30, unreadable: 1 });
    expect([...journal.previous.sentNotDeleted.keys()]).toEqual(["id-1"]);
    expect([...journal.earlierMaybeSent]).toEqual([["id-3", 1]]);
    const msgs = [held(1), held(3)];
    const out = await moveHeld(ctx(), holding(msgs), msgs, standard, journal);
    journal.close();
    expect(out.alreadySent).toEqual(["id-1"]);
    expect(out.moved.map((m) => m.messageId)).toEqual(["id-3"]);
    expect(out.sent).toEqual(["id-3"]);
    const sentBodies = sqsMock.commandCalls(SendMessageBatchCommand).flatMap((c) => c.args[0].input.Entries!.map((e) => e.MessageBody));
    expect(sentBodies).toEqual(["body-3"]);
  });

  test("a lapsed hold: sent, NOT deleted with the stale handle, NOT counted as moved (issue 10 #7)", async () => {
    sqsMock.on(SendMessageBatchCommand).callsFake((input: { Entries: Array<{ Id: string }> }) => ({ Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: "x" })) }));
    okDeletes();
    // GIVEN the heartbeat could not renew the hold (the handle is stale)
    sqsMock.on(ChangeMessageVisibilityBatchCommand).callsFake((input: { Entries: Array<{ Id: string }> }) => ({ Successful: [], Failed: input.Entries.map((e) => ({ Id: e.Id, Code: "ReceiptHandleIsInvalid", SenderFault: true })) }));
    const msgs = [held(1)];
    const h = holding(msgs);
    await h.beat();
    expect(h.lapsed()).toEqual(["id-1"]);
    // WHEN it is moved
    const out = await moveHeld(ctx(), h, msgs, standard, new MoveJournal(undefined, moveState(undefined)));
    // THEN it is reported as lapsed, never deleted, never moved
    expect(out.lapsed.map((m) => m.envelope.messageId)).toEqual(["id-1"]);
    expect(out.moved).toEqual([]);
    expect(sqsMock.commandCalls(DeleteMessageBatchCommand)).toHaveLength(0);
  });
});
