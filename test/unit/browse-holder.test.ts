import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  type Message,
} from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { redriveSelected, deleteSelected } from "../../src/browse/actions.js";
import { BrowseSelection as Holder } from "../../src/sqs/custody/selection.js";
import type { SelectionOptions } from "../../src/sqs/custody/selection.js";
import { dedupIdFor, moveEntry, packBatches } from "../../src/sqs/custody/mover.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join as joinPath } from "node:path";

const journalEnv = { XDG_STATE_HOME: joinPath(mkdtempSync(joinPath(tmpdir(), "sqsctl-browse-")), "state") };
import type { SqsContext } from "../../src/sqs/client.js";

const sqsMock = mockClient(SQSClient);
const URL = "http://local/000000000000/dlq";
const OPTS: SelectionOptions = { holdSeconds: 60, waitSeconds: 0 };

function sqsContext(): SqsContext {
  const client = new SQSClient({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
  return { client, region: "us-east-1", endpoint: "test", send: <T>(c: unknown) => client.send(c as never) as Promise<T>, destroy: () => client.destroy() };
}

function msg(n: number, handle = `h${n}`, extra: Partial<Message> = {}): Message {
  return {
    MessageId: `id-${n}`,
    ReceiptHandle: handle,
    Body: JSON.stringify({ n }),
    Attributes: { SentTimestamp: String(1_700_000_000_000 + n), ApproximateReceiveCount: "1" },
    ...extra,
  };
}

/** Every batch entry succeeds unless its receipt handle is in `failing`. */
function batchReply(failing: Set<string> = new Set()) {
  return (input: { Entries?: Array<{ Id?: string; ReceiptHandle?: string }> }) => ({
    Successful: (input.Entries ?? []).filter((e) => !failing.has(e.ReceiptHandle!)).map((e) => ({ Id: e.Id })),
    Failed: (input.Entries ?? [])
      .filter((e) => failing.has(e.ReceiptHandle!))
      .map((e) => ({ Id: e.Id, Code: "ReceiptHandleIsInvalid", SenderFault: true, Message: "stale" })),
  });
}

const handlesOf = (cmd: typeof ChangeMessageVisibilityBatchCommand | typeof DeleteMessageBatchCommand) =>
  sqsMock.commandCalls(cmd).map((c) => (c.args[0].input as { Entries: Array<{ ReceiptHandle: string; VisibilityTimeout?: number }> }).Entries);

beforeEach(() => {
  sqsMock.reset();
  sqsMock.on(ChangeMessageVisibilityBatchCommand).callsFake(batchReply());
  sqsMock.on(DeleteMessageBatchCommand).callsFake(batchReply());
  // The receive loop's end rule asks the queue's counts after two empty long polls.
  sqsMock.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" } });
});
afterEach(() => vi.useRealTimers());

describe("snapshot", () => {
  test("keeps receiving past the first empty poll, de-duplicates by MessageId, keeps the newest handle", async () => {
    // GIVEN receives that return 2, nothing, the first again (its hold lapsed) plus a third, then nothing twice
    sqsMock
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [msg(1), msg(2)] })
      .resolvesOnce({})
      .resolvesOnce({ Messages: [msg(1, "h1-new"), msg(3)] })
      .resolves({});
    const holder = new Holder(sqsContext(), URL, OPTS);

    const snap = await holder.snapshot({ limit: 100, scan: 1000 });

    expect(snap).toMatchObject({ kept: 3, scanned: 3, duplicates: 1, truncated: false, released: 0 });
    expect(holder.list().map((m) => [m.id, m.receiptHandle])).toEqual([
      ["id-1", "h1-new"],
      ["id-2", "h2"],
      ["id-3", "h3"],
    ]);
    expect(sqsMock.commandCalls(ReceiveMessageCommand)[0]!.args[0].input).toMatchObject({ VisibilityTimeout: 60, MaxNumberOfMessages: 10 });
  });

  test("holds what does not match the filter until the scan ends, then releases it", async () => {
    sqsMock
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [msg(1), msg(2), msg(3)] })
      .resolves({});
    const holder = new Holder(sqsContext(), URL, OPTS);
    const snap = await holder.snapshot({ limit: 100, scan: 1000, filter: (e) => e.body.includes('"n":2') });
    expect(snap).toMatchObject({ kept: 1, scanned: 3, released: 2 });
    expect(holder.list().map((m) => m.id)).toEqual(["id-2"]);
    expect(handlesOf(ChangeMessageVisibilityBatchCommand)).toEqual([
      [expect.objectContaining({ ReceiptHandle: "h1", VisibilityTimeout: 0 }), expect.objectContaining({ ReceiptHandle: "h3", VisibilityTimeout: 0 })],
    ]);
  });

  test("ends by the receive loop's one end rule: two empty long polls and the queue counting none visible", async () => {
    sqsMock
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [msg(1), msg(2)] })
      .resolves({});
    const snap = await new Holder(sqsContext(), URL, OPTS).snapshot({ limit: 100, scan: 1000 });
    expect(snap.kept).toBe(2);
    expect(sqsMock.commandCalls(ReceiveMessageCommand)).toHaveLength(3);
    expect(sqsMock.commandCalls(GetQueueAttributesCommand)).toHaveLength(1);
  });

  test("an abort stops the scan after the request in hand", async () => {
    const ac = new AbortController();
    sqsMock.on(ReceiveMessageCommand).callsFake(() => {
      ac.abort();
      return { Messages: [msg(1)] };
    });
    const holder = new Holder(sqsContext(), URL, OPTS);
    const snap = await holder.snapshot({ limit: 100, scan: 1000, signal: ac.signal });
    expect(snap.kept).toBe(1);
    expect(sqsMock.commandCalls(ReceiveMessageCommand)).toHaveLength(1);
  });

  test("a receive that fails releases what the scan held but did not keep, and rethrows", async () => {
    sqsMock
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [msg(1), msg(2)] })
      .rejects(new Error("access denied"));
    const holder = new Holder(sqsContext(), URL, OPTS);
    await expect(holder.snapshot({ limit: 100, scan: 1000, filter: (e) => e.body.includes('"n":1') })).rejects.toThrow();
    expect(handlesOf(ChangeMessageVisibilityBatchCommand)).toEqual([[expect.objectContaining({ ReceiptHandle: "h2", VisibilityTimeout: 0 })]]);
    // The kept one is still held: the command's releaseAll gives it back.
    expect(holder.list().map((m) => m.id)).toEqual(["id-1"]);
  });

  test("stops at --limit and releases what came beyond it", async () => {
    sqsMock.on(ReceiveMessageCommand).resolves({ Messages: [msg(1), msg(2), msg(3)] });
    const holder = new Holder(sqsContext(), URL, OPTS);
    const snap = await holder.snapshot({ limit: 2, scan: 1000 });
    expect(snap).toMatchObject({ kept: 2, truncated: true, released: 1 });
    expect(sqsMock.commandCalls(ReceiveMessageCommand)).toHaveLength(1);
  });
});

describe("hold", () => {
  async function heldThree(): Promise<Holder> {
    sqsMock
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [msg(1), msg(2), msg(3)] })
      .resolves({});
    const holder = new Holder(sqsContext(), URL, OPTS);
    await holder.snapshot({ limit: 100, scan: 1000 });
    sqsMock.resetHistory();
    return holder;
  }

  test("the heartbeat extends every held message once half its 60 s hold is left; a failed entry marks that message lost", async () => {
    vi.useFakeTimers();
    const holder = await heldThree();
    sqsMock.on(ChangeMessageVisibilityBatchCommand).callsFake(batchReply(new Set(["h2"])));
    holder.startHeartbeat();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(handlesOf(ChangeMessageVisibilityBatchCommand)).toEqual([
      ["h1", "h2", "h3"].map((h) => expect.objectContaining({ ReceiptHandle: h, VisibilityTimeout: 60 })),
    ]);
    expect(holder.list().map((m) => [m.id, m.state])).toEqual([
      ["id-1", "held"],
      ["id-2", "lost"],
      ["id-3", "held"],
    ]);
    holder.stopHeartbeat();
  });

  test("a heartbeat after the hold already ran out marks those messages lost without trusting the stale handle", async () => {
    const holder = await heldThree();
    vi.useFakeTimers({ now: Date.now() + 61_000, toFake: ["Date"] });
    await holder.custody.beat();
    expect(holder.list().map((m) => m.state)).toEqual(["lost", "lost", "lost"]);
    expect(handlesOf(ChangeMessageVisibilityBatchCommand)).toEqual([]);
  });

  test("verify re-fetches a lost message (new handle) and releases others received on the way", async () => {
    const holder = await heldThree();
    // GIVEN id-2's hold lapsed (the heartbeat could not renew it)
    sqsMock.on(ChangeMessageVisibilityBatchCommand).callsFake(batchReply(new Set(["h2"])));
    await holder.custody.beat();
    expect(holder.get("id-2")!.state).toBe("lost");
    sqsMock.on(ChangeMessageVisibilityBatchCommand).callsFake(batchReply());
    sqsMock
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [msg(9, "h9"), msg(2, "h2-new")] })
      .resolves({});
    const v = await holder.verify(["id-1", "id-2"]);
    expect(v).toEqual({ ready: ["id-1", "id-2"], missing: [], refetched: ["id-2"] });
    expect(holder.get("id-2")!.receiptHandle).toBe("h2-new");
    const calls = handlesOf(ChangeMessageVisibilityBatchCommand);
    expect(calls).toContainEqual([expect.objectContaining({ ReceiptHandle: "h9", VisibilityTimeout: 0 })]);
  });

  test("a hold that ran out by the clock is treated as lost; one not found again is reported missing", async () => {
    const holder = await heldThree();
    vi.useFakeTimers({ now: Date.now() + 61_000, toFake: ["Date"] });
    sqsMock.on(ReceiveMessageCommand).resolves({});
    const v = await holder.verify(["id-3"]);
    expect(v).toEqual({ ready: [], missing: ["id-3"], refetched: [] });
    // The stale handle is not used to extend.
    expect(handlesOf(ChangeMessageVisibilityBatchCommand)).toEqual([]);
  });

  test("a release refused with 0 s is tried again with 1 s", async () => {
    const holder = await heldThree();
    sqsMock.on(ChangeMessageVisibilityBatchCommand).callsFake((input: { Entries: Array<{ Id: string; VisibilityTimeout: number }> }) => ({
      Successful: input.Entries.filter((e) => e.VisibilityTimeout > 0).map((e) => ({ Id: e.Id })),
      Failed: input.Entries.filter((e) => e.VisibilityTimeout === 0).map((e) => ({ Id: e.Id, Code: "InternalError", SenderFault: false })),
    }));
    expect(await holder.releaseAll()).toEqual({ released: 3, failed: 0, lost: 0 });
    // releaseHandles itself tries a passing entry failure again a few times before
    // the holder falls back to 1 s.
    const calls = handlesOf(ChangeMessageVisibilityBatchCommand).map((entries) => entries.map((e) => e.VisibilityTimeout));
    expect(calls[0]).toEqual([0, 0, 0]);
    expect(calls.at(-1)).toEqual([1, 1, 1]);
    expect(calls.slice(0, -1).every((c) => c.every((v) => v === 0))).toBe(true);
  });

  test("releaseAll gives back only what was not acted on", async () => {
    const holder = await heldThree();
    holder.markDone(["id-1"]);
    sqsMock.on(ChangeMessageVisibilityBatchCommand).callsFake(batchReply(new Set(["h3"])));
    await holder.custody.beat();
    sqsMock.on(ChangeMessageVisibilityBatchCommand).callsFake(batchReply());
    sqsMock.resetHistory();
    const r = await holder.releaseAll();
    expect(r).toEqual({ released: 1, failed: 0, lost: 1 });
    expect(handlesOf(ChangeMessageVisibilityBatchCommand)).toEqual([[expect.objectContaining({ ReceiptHandle: "h2", VisibilityTimeout: 0 })]]);
  });
});

describe("actions", () => {
  async function held(messages: Message[]): Promise<Holder> {
    sqsMock.on(ReceiveMessageCommand).resolvesOnce({ Messages: messages }).resolves({});
    const holder = new Holder(sqsContext(), URL, OPTS);
    await holder.snapshot({ limit: 100, scan: 1000 });
    sqsMock.resetHistory();
    return holder;
  }

  test("delete uses this session's receipt handles and reports per-entry failures", async () => {
    const holder = await held([msg(1), msg(2), msg(3)]);
    sqsMock.on(DeleteMessageBatchCommand).callsFake(batchReply(new Set(["h3"])));
    const out = await deleteSelected(sqsContext(), holder, ["id-1", "id-3"]);
    expect(out.deleted).toEqual(["id-1"]);
    expect(out.failed).toEqual([{ id: "id-3", code: "ReceiptHandleIsInvalid", message: "stale" }]);
    expect(handlesOf(DeleteMessageBatchCommand)).toEqual([[expect.objectContaining({ ReceiptHandle: "h1" }), expect.objectContaining({ ReceiptHandle: "h3" })]]);
    expect(holder.list().map((m) => m.id)).toEqual(["id-2", "id-3"]);
  });

  test("an interrupt stops a delete between batches; the rest stay held", async () => {
    const holder = await held(Array.from({ length: 25 }, (_, i) => msg(i)));
    const ac = new AbortController();
    sqsMock.on(DeleteMessageBatchCommand).callsFake((input: { Entries: Array<{ Id: string; ReceiptHandle: string }> }) => {
      ac.abort();
      return batchReply()(input);
    });
    const out = await deleteSelected(sqsContext(), holder, holder.list().map((m) => m.id), ac.signal);
    expect(out.deleted).toHaveLength(10);
    expect(out.skipped).toBe(15);
    expect(holder.list()).toHaveLength(15);
  });

  test("redrive deletes from the source only what the target accepted", async () => {
    const holder = await held([msg(1), msg(2), msg(3)]);
    sqsMock.on(SendMessageBatchCommand).resolves({
      Successful: [{ Id: "e0", MessageId: "n0", MD5OfMessageBody: "" }, { Id: "e2", MessageId: "n2", MD5OfMessageBody: "" }],
      Failed: [{ Id: "e1", Code: "InvalidParameterValue", SenderFault: true, Message: "too big" }],
    });
    const out = await redriveSelected(sqsContext(), holder, ["id-1", "id-2", "id-3"], { name: "orders", url: "http://local/000000000000/orders", fifo: false }, undefined, { env: journalEnv });
    expect(out.moved).toEqual(["id-1", "id-3"]);
    expect(out.sendFailed).toEqual([{ id: "id-2", code: "InvalidParameterValue", message: "too big" }]);
    expect(handlesOf(DeleteMessageBatchCommand)).toEqual([[expect.objectContaining({ ReceiptHandle: "h1" }), expect.objectContaining({ ReceiptHandle: "h3" })]]);
    expect(holder.list().map((m) => m.id)).toEqual(["id-2"]);
  });

  test("a send that throws deletes nothing", async () => {
    const holder = await held([msg(1)]);
    sqsMock.on(SendMessageBatchCommand).rejects(new Error("connection reset"));
    const out = await redriveSelected(sqsContext(), holder, ["id-1"], { name: "orders", url: "u", fifo: false }, undefined, { env: journalEnv });
    expect(out.moved).toEqual([]);
    expect(out.sendFailed[0]).toMatchObject({ id: "id-1", message: "connection reset" });
    expect(sqsMock.commandCalls(DeleteMessageBatchCommand)).toHaveLength(0);
  });

  test("sent but not deleted is reported as a duplicate and stays in the list", async () => {
    const holder = await held([msg(1)]);
    sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [{ Id: "e0", MessageId: "n0", MD5OfMessageBody: "" }], Failed: [] });
    sqsMock.on(DeleteMessageBatchCommand).callsFake(batchReply(new Set(["h1"])));
    const out = await redriveSelected(sqsContext(), holder, ["id-1"], { name: "orders", url: "u", fifo: false }, undefined, { env: journalEnv });
    expect(out.duplicates).toEqual([{ id: "id-1", code: "ReceiptHandleIsInvalid", message: "the delete from the source failed" }]);
    expect(holder.list().map((m) => m.id)).toEqual(["id-1"]);
  });

  test("redrive goes through THE mover: journaled before the delete, a FIFO group stops after a failure (issue 10 #9)", async () => {
    // GIVEN three held messages of one FIFO group; the target fails the first
    const g = { Attributes: { MessageGroupId: "g" } } as Partial<Message>;
    const holder = await held([msg(1, "h1", g), msg(2, "h2", g), msg(3, "h3", g)]);
    sqsMock.on(SendMessageBatchCommand).callsFake((input: { Entries: Array<{ Id: string }> }) => ({
      Successful: input.Entries.filter((e) => e.Id !== "e0").map((e) => ({ Id: e.Id, MessageId: `n-${e.Id}`, MD5OfMessageBody: "" })),
      Failed: input.Entries.some((e) => e.Id === "e0") ? [{ Id: "e0", Code: "InvalidParameterValue", SenderFault: true, Message: "no" }] : [],
    }));
    sqsMock.on(DeleteMessageBatchCommand).callsFake(batchReply());
    const out = await redriveSelected(sqsContext(), holder, ["id-1", "id-2", "id-3"], { name: "t.fifo", url: "http://local/000000000000/t.fifo", fifo: true }, undefined, { env: journalEnv });
    // THEN the two accepted behind the failed head are reported (moved, but out of order is counted by the mover), the head stays
    expect(out.sendFailed.map((f) => f.id)).toEqual(["id-1"]);
    expect(out.journal).toBeDefined();
    const { readJournal } = await import("../../src/sqs/custody/journal.js");
    const recs = readJournal(out.journal!)!.records.map((r) => r.k);
    expect(recs.indexOf("sent")).toBeGreaterThan(-1);
    expect(recs.indexOf("deleted")).toBeGreaterThan(recs.lastIndexOf("sent"));
  });

  test("a FIFO target keeps the group id and gets THE dedup id dlq redrive uses (issue 10 #9)", () => {
    const entry = moveEntry({ messageId: "abc", body: "b", groupId: "g1", messageAttributes: { k: { DataType: "String", StringValue: "v" } } }, { name: "t.fifo", url: "u", arn: "", fifo: true });
    expect(entry.entry).toEqual({
      MessageBody: "b",
      MessageGroupId: "g1",
      MessageDeduplicationId: dedupIdFor("abc"),
      MessageAttributes: { k: { DataType: "String", StringValue: "v" } },
    });
    expect(moveEntry({ messageId: "abc", body: "b", groupId: "g" }, { name: "t", url: "u", arn: "", fifo: false }).entry).toEqual({ MessageBody: "b" });
  });

  test("batches hold at most 10 entries and 1 MiB", () => {
    const small = Array.from({ length: 23 }, () => ({ envelope: { body: "x" } }));
    const size = (m: { envelope: { body: string } }) => m.envelope.body.length;
    expect([...packBatches(small, size)].map((b) => b.length)).toEqual([10, 10, 3]);
    const big = Array.from({ length: 3 }, () => ({ envelope: { body: "x".repeat(600_000) } }));
    expect([...packBatches(big, size)].map((b) => b.length)).toEqual([1, 1, 1]);
  });
});
