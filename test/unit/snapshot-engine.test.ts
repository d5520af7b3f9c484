import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, test, vi } from "vitest";
import type { SqsContext } from "../../src/sqs/client.js";
import { Holder } from "../../src/sqs/custody/holder.js";
import { MoveJournal, moveState } from "../../src/sqs/custody/journal.js";
import { runManualRedrive } from "../../src/sqs/redrive/manual.js";
import { partialFailure, snapshotPartial, takeSnapshot } from "../../src/sqs/snapshot.js";
import { PartialFailure } from "../../src/errors.js";
import { compileExpression, compileFilter } from "../../src/core/filter.js";
import { TriageAggregator } from "../../src/core/triage.js";
import type { Envelope } from "../../src/core/envelope.js";

const sqsMock = mockClient(SQSClient);
let client: SQSClient;
const ctx = (): SqsContext => ({ client, region: "us-east-1", endpoint: "http://mock", send: (c) => client.send(c as never), destroy: () => undefined }) as SqsContext;
const msg = (id: string, handle: string) => ({ MessageId: id, ReceiptHandle: handle, Body: `body-${id}`, Attributes: {} });

beforeEach(() => {
  sqsMock.reset();
  client = new SQSClient({ region: "us-east-1" });
  sqsMock.on(ChangeMessageVisibilityBatchCommand).callsFake((input: { Entries: Array<{ Id: string }> }) => ({ Successful: input.Entries.map((e) => ({ Id: e.Id })) }));
  sqsMock.on(DeleteMessageBatchCommand).callsFake((input: { Entries: Array<{ Id: string }> }) => ({ Successful: input.Entries.map((e) => ({ Id: e.Id })) }));
});

describe("takeSnapshot", () => {
  test("keeps one entry per MessageId, holds the newest receipt handle, and releases everything once", async () => {
    // GIVEN a queue that delivers m1 twice (at-least-once) and then runs dry
    sqsMock
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [msg("m1", "h1"), msg("m2", "h2")] })
      .resolvesOnce({ Messages: [msg("m1", "h1-again"), msg("m3", "h3")] })
      .resolves({ Messages: [] });
    sqsMock.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: "0" } });

    const snap = await takeSnapshot(ctx(), "http://mock/q", { concurrency: 1, waitSeconds: 0 });
    expect(snap.messages.map((h) => h.envelope.messageId)).toEqual(["m1", "m2", "m3"]);
    expect(snap).toMatchObject({ scanned: 3, ended: "empty", partial: undefined });
    // AND nothing was deleted; the release makes the three visible again, m1 by its newest handle
    const released = await snap.release();
    expect(released).toEqual({ released: 3, failed: 0, keptExhausted: 0 });
    expect(sqsMock.commandCalls(DeleteMessageBatchCommand)).toHaveLength(0);
    const entries = sqsMock.commandCalls(ChangeMessageVisibilityBatchCommand).flatMap((c) => c.args[0].input.Entries!);
    expect(entries.map((e) => [e.ReceiptHandle, e.VisibilityTimeout]).sort()).toEqual([["h1-again", 0], ["h2", 0], ["h3", 0]]);
  });
});

describe("snapshotPartial and partialFailure (dlq inspect and a redrive --dry-run say partial the same way)", () => {
  test("a snapshot stopped on purpose is not partial; one that saw less than the queue holds says why, exit 1", () => {
    // Stopped by its limit or an interrupt: not partial, whatever the counts said (those say so themselves)
    expect(snapshotPartial("limit", { reason: "max", visible: 5 }, false)).toBeUndefined();
    expect(snapshotPartial("interrupted", { reason: "aborted", inFlightElsewhere: 3 }, false)).toBeUndefined();
    // Empty and nothing elsewhere: complete
    expect(snapshotPartial("empty", { reason: "empty", visible: 0, inFlightElsewhere: 0 }, false)).toBeUndefined();
    // Empty, but messages in flight elsewhere were not seen
    expect(snapshotPartial("empty", { reason: "empty", visible: 0, inFlightElsewhere: 2 }, false)).toMatch(/about 2 messages were in flight elsewhere/);
    // Stalled: the visible messages no receive returned; FIFO says why
    expect(snapshotPartial("stalled", { reason: "stalled", visible: 4 }, false)).toMatch(/^4 messages the queue counts as visible were never returned/);
    expect(snapshotPartial("stalled", { reason: "stalled", visible: 4 }, true)).toMatch(/on a FIFO queue/);
    // Stalled with no number to give: still partial, never complete
    expect(snapshotPartial("stalled", { reason: "stalled" }, false)).toBe("the DLQ still counts messages no receive returned");
    // SQS's in-flight limit
    expect(snapshotPartial("overlimit", { reason: "overlimit", received: 7 }, false)).toMatch(/^stopped at SQS's in-flight limit after 7 messages/);

    expect(partialFailure({ partial: undefined, scanned: 3 }, "scan", "orders-dlq")).toBeUndefined();
    const e = partialFailure({ partial: "the DLQ still counts messages no receive returned", scanned: 1 }, "dry run", "orders-dlq");
    expect(e).toBeInstanceOf(PartialFailure);
    expect(e!.message).toBe("partial dry run of orders-dlq: 1 message looked at, but the DLQ still counts messages no receive returned.");
  });
});

describe("takeSnapshot with onMatch (dlq inspect --group-by)", () => {
  const err = (id: string, handle: string, type: string, receives: string) => ({
    MessageId: id,
    ReceiptHandle: handle,
    Body: JSON.stringify({ errorType: type, pad: "x".repeat(500) }),
    Attributes: { ApproximateReceiveCount: receives, SentTimestamp: "1700000000000" },
    MessageAttributes: { trace: { DataType: "String", StringValue: `t-${id}` } },
  });
  const deliveries = () =>
    sqsMock
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [err("m1", "h1", "Timeout", "1"), err("m2", "h2", "Auth", "3")] })
      .resolvesOnce({ Messages: [err("m1", "h1-again", "Timeout", "2"), err("m3", "h3", "Timeout", "1")] })
      .resolves({ Messages: [] });

  test("holds no body or attributes, counts the same groups and samples as the kept snapshot, and releases the same handles", async () => {
    sqsMock.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: "0" } });
    const groupBy = compileExpression("json.errorType", "--group-by");
    const opts = { concurrency: 1, waitSeconds: 0, maxReceiveCount: 3 };

    // GIVEN the old way: every envelope kept, grouped after the scan
    deliveries();
    const kept = await takeSnapshot(ctx(), "http://mock/q", opts);
    const before = new TriageAggregator({ groupBy });
    for (const h of kept.messages) before.add(h.envelope);
    // the kept snapshot has the bodies in messages; its holder keeps custody data only
    expect(kept.messages[0]!.envelope.body).toContain("Timeout");
    expect(kept.held.get("m1")!.envelope.body).toBe("");
    const keptRelease = await kept.release();
    const keptHandles = sqsMock.commandCalls(ChangeMessageVisibilityBatchCommand).flatMap((c) => c.args[0].input.Entries!.map((e) => e.ReceiptHandle)).sort();

    // WHEN the same deliveries are scanned streaming into an aggregator
    sqsMock.resetHistory();
    deliveries();
    const seen: Envelope[] = [];
    const after = new TriageAggregator({ groupBy });
    const snap = await takeSnapshot(ctx(), "http://mock/q", { ...opts, onMatch: (env) => { seen.push(env); after.add(env); } });

    // THEN nothing is kept in messages, and the held records carry no body, no attributes, no raw Body
    expect(snap.messages).toEqual([]);
    expect(snap).toMatchObject({ matched: 3, scanned: 3, ended: "empty" });
    expect(seen.map((e) => e.messageId)).toEqual(["m1", "m2", "m3"]);
    for (const id of snap.held.ids()) {
      const h = snap.held.get(id)!;
      expect(h.envelope.body).toBe("");
      expect(h.envelope.messageAttributes).toBeUndefined();
      expect(h.raw.Body).toBeUndefined();
      expect(h.raw.MessageAttributes).toBeUndefined();
      expect(Object.keys(h.envelope).sort()).toEqual(["body", "messageId", "receiveCount"]);
    }
    // AND custody still has what it needs: the newest handle, the receive count (the peek guard keeps m2, at 3 of 3, hidden)
    expect(snap.held.get("m1")).toMatchObject({ receiptHandle: "h1-again", envelope: { receiveCount: 2 } });
    expect(snap.held.exhausted("m2")).toBe(true);
    // AND the groups (counts, first/last seen, sources, receive counts, samples) are unchanged
    expect(after.result(1_700_000_100_000)).toEqual(before.result(1_700_000_100_000));
    expect(after.result(1_700_000_100_000).map((g) => [g.key, g.count])).toEqual([["Timeout", 2], ["Auth", 1]]);
    // AND the release is the same as before: same handles, m2 kept hidden
    const released = await snap.release();
    expect(released).toEqual(keptRelease);
    expect(released).toEqual({ released: 2, failed: 0, keptExhausted: 1 });
    const handles = sqsMock.commandCalls(ChangeMessageVisibilityBatchCommand).flatMap((c) => c.args[0].input.Entries!.map((e) => e.ReceiptHandle)).sort();
    expect(handles).toEqual(keptHandles);
    expect(handles).toEqual(["h1-again", "h3"]);
    expect(sqsMock.commandCalls(DeleteMessageBatchCommand)).toHaveLength(0);
  });
});

/** A manual redrive of the messages whose JSON body has errorType Timeout, one receive at a time, no journal. */
const redriveTimeouts = () =>
  runManualRedrive(ctx(), {
    source: { name: "d", url: "http://mock/d", fifo: false },
    targetFor: async () => ({ target: { name: "t", url: "http://mock/t", arn: "a", fifo: false } }),
    filter: compileFilter("json.errorType == 'Timeout'"),
    journal: new MoveJournal(undefined, moveState(undefined)),
    concurrency: 1,
    waitSeconds: 0,
  });

describe("runManualRedrive", () => {
  test("does not stop at the first empty receive: it ends after several empty polls and the DLQ reporting 0", async () => {
    // GIVEN receives that come back empty first, then with messages, then empty
    sqsMock
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [] })
      .resolvesOnce({ Messages: [msg("a", "ha"), msg("b", "hb")] })
      .resolvesOnce({ Messages: [] })
      .resolvesOnce({ Messages: [msg("c", "hc")] })
      .resolves({ Messages: [] });
    sqsMock.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" } });
    sqsMock.on(SendMessageBatchCommand).callsFake((input: { Entries: Array<{ Id: string }> }) => ({ Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: `new-${e.Id}` })) }));

    const stats = await runManualRedrive(ctx(), {
      source: { name: "d", url: "http://mock/d", fifo: false },
      targetFor: async () => ({ target: { name: "t", url: "http://mock/t", arn: "arn:aws:sqs:us-east-1:000000000000:t", fifo: false } }),
      journal: new MoveJournal(undefined, moveState(undefined)),
      concurrency: 1,
      waitSeconds: 0,
    });
    expect(stats).toMatchObject({ moved: 3, failed: 0, skipped: 0, ended: "empty" });
    const deleted = sqsMock.commandCalls(DeleteMessageBatchCommand).flatMap((c) => c.args[0].input.Entries!.map((e) => e.ReceiptHandle));
    expect(deleted.sort()).toEqual(["ha", "hb", "hc"]);
    expect(sqsMock.commandCalls(ReceiveMessageCommand).length).toBeGreaterThanOrEqual(6); // the one end rule (receive-loop.ts): 2 empty polls, then the count
  });

  test("messages that do not match the filter are held to the end, then released, never sent", async () => {
    sqsMock
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [{ ...msg("x", "hx"), Body: '{"errorType":"Timeout"}' }, { ...msg("y", "hy"), Body: '{"errorType":"ValidationError"}' }] })
      .resolves({ Messages: [] });
    sqsMock.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "1" } });
    sqsMock.on(SendMessageBatchCommand).callsFake((input: { Entries: Array<{ Id: string }> }) => ({ Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: "n" })) }));
    const stats = await redriveTimeouts();
    expect(stats).toMatchObject({ moved: 1, skipped: 1, inFlightElsewhere: 0 });
    const sentBodies = sqsMock.commandCalls(SendMessageBatchCommand).flatMap((c) => c.args[0].input.Entries!.map((e) => e.MessageBody));
    expect(sentBodies).toEqual(['{"errorType":"Timeout"}']);
    const released = sqsMock.commandCalls(ChangeMessageVisibilityBatchCommand).flatMap((c) => c.args[0].input.Entries!).filter((e) => e.VisibilityTimeout === 0);
    expect(released.map((e) => e.ReceiptHandle)).toEqual(["hy"]);
  });

  test("a filtered redrive keeps no body of what it leaves: held to the end as custody data, re-deliveries too, then released by the newest handle", async () => {
    // GIVEN x matches, y and z do not; y comes back with a newer handle (its hold is ours again)
    sqsMock
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [{ ...msg("x", "hx"), Body: '{"errorType":"Timeout"}' }, { ...msg("y", "hy"), Body: '{"errorType":"Auth"}' }] })
      .resolvesOnce({ Messages: [{ ...msg("y", "hy-2"), Body: '{"errorType":"Auth"}' }, { ...msg("z", "hz"), Body: '{"errorType":"Auth"}' }] })
      .resolves({ Messages: [] });
    sqsMock.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" } });
    sqsMock.on(SendMessageBatchCommand).callsFake((input: { Entries: Array<{ Id: string }> }) => ({ Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: "n" })) }));
    const atClose: Array<[string, string, string, boolean]> = [];
    const close = Holder.prototype.close;
    const spy = vi.spyOn(Holder.prototype, "close").mockImplementation(function (this: Holder) {
      for (const id of this.ids()) atClose.push([id, this.get(id)!.receiptHandle, this.get(id)!.envelope.body, this.isLean(id)]);
      return close.call(this);
    });
    try {
      const stats = await redriveTimeouts();
      // THEN x is moved whole, y and z are left (y counted once)
      expect(stats).toMatchObject({ moved: 1, skipped: 2 });
      expect(sqsMock.commandCalls(SendMessageBatchCommand).flatMap((c) => c.args[0].input.Entries!.map((e) => e.MessageBody))).toEqual(['{"errorType":"Timeout"}']);
      // AND at the end the holder had y and z as custody data only (y by its newest handle), x not at all
      expect(atClose.sort()).toEqual([["y", "hy-2", "", true], ["z", "hz", "", true]]);
      // AND they were released by those handles
      const released = sqsMock.commandCalls(ChangeMessageVisibilityBatchCommand).flatMap((c) => c.args[0].input.Entries!).filter((e) => e.VisibilityTimeout === 0);
      expect(released.map((e) => e.ReceiptHandle).sort()).toEqual(["hy-2", "hz"]);
    } finally {
      spy.mockRestore();
    }
  });
});
