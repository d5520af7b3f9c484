import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, test } from "vitest";
import type { SqsContext } from "../../src/sqs/client.js";
import { MoveJournal, moveState } from "../../src/sqs/custody/journal.js";
import { runManualRedrive } from "../../src/sqs/redrive/manual.js";
import { takeSnapshot } from "../../src/sqs/snapshot.js";

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
    const { compileFilter } = await import("../../src/core/filter.js");
    const stats = await runManualRedrive(ctx(), {
      source: { name: "d", url: "http://mock/d", fifo: false },
      targetFor: async () => ({ target: { name: "t", url: "http://mock/t", arn: "a", fifo: false } }),
      filter: compileFilter("json.errorType == 'Timeout'"),
      journal: new MoveJournal(undefined, moveState(undefined)),
      concurrency: 1,
      waitSeconds: 0,
    });
    expect(stats).toMatchObject({ moved: 1, skipped: 1, inFlightElsewhere: 0 });
    const sentBodies = sqsMock.commandCalls(SendMessageBatchCommand).flatMap((c) => c.args[0].input.Entries!.map((e) => e.MessageBody));
    expect(sentBodies).toEqual(['{"errorType":"Timeout"}']);
    const released = sqsMock.commandCalls(ChangeMessageVisibilityBatchCommand).flatMap((c) => c.args[0].input.Entries!).filter((e) => e.VisibilityTimeout === 0);
    expect(released.map((e) => e.ReceiptHandle)).toEqual(["hy"]);
  });
});
