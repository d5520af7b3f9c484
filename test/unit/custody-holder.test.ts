import { ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { fromSqsMessage } from "../../src/core/envelope.js";
import type { SqsContext } from "../../src/sqs/client.js";
import { Holder } from "../../src/sqs/custody/holder.js";
import type { Held } from "../../src/sqs/messages.js";

const sqsMock = mockClient(SQSClient);
let client: SQSClient;
const ctx = (): SqsContext => ({ client, region: "us-east-1", endpoint: "http://mock", send: (c) => client.send(c as never), destroy: () => undefined }) as SqsContext;
const held = (id: string, handle: string, receiveCount = 1): Held => {
  const raw = { MessageId: id, ReceiptHandle: handle, Body: `b-${id}`, Attributes: { ApproximateReceiveCount: String(receiveCount) } };
  return { envelope: fromSqsMessage(raw), receiptHandle: handle, raw };
};
type Entries = { Entries: Array<{ Id: string; ReceiptHandle: string; VisibilityTimeout?: number }> };
const allOk = (input: Entries) => ({ Successful: input.Entries.map((e) => ({ Id: e.Id })) });
const cmvCalls = () => sqsMock.commandCalls(ChangeMessageVisibilityBatchCommand).map((c) => c.args[0].input as Entries);
const deleted = () => sqsMock.commandCalls(DeleteMessageBatchCommand).flatMap((c) => (c.args[0].input as Entries).Entries.map((e) => e.ReceiptHandle));

beforeEach(() => {
  sqsMock.reset();
  client = new SQSClient({ region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "y" } });
  sqsMock.on(ChangeMessageVisibilityBatchCommand).callsFake(allOk);
  sqsMock.on(DeleteMessageBatchCommand).callsFake(allOk);
});
afterEach(() => vi.useRealTimers());

describe("Holder custody", () => {
  test("keeps one entry per MessageId and deletes with the newest receipt handle", async () => {
    // GIVEN m1 received twice (at-least-once), the second time with a new handle
    const holder = new Holder(ctx(), "http://mock/q", { holdSeconds: 30, fifo: false });
    const first = holder.add([held("m1", "h1"), held("m2", "h2")]);
    const again = holder.add([held("m1", "h1-new")]);
    // THEN only the first delivery counts as new, and the newest handle wins
    expect(first.map((h) => h.envelope.messageId)).toEqual(["m1", "m2"]);
    expect(again).toEqual([]);
    expect(holder.get("m1")?.receiptHandle).toBe("h1-new");
    // WHEN m1 is deleted
    const out = await holder.delete(["m1"]);
    // THEN the delete used the newest handle, and m1 is no longer held
    expect(out).toEqual({ deleted: ["m1"], failed: [], lapsed: [] });
    expect(deleted()).toEqual(["h1-new"]);
    expect(holder.has("m1")).toBe(false);
    await holder.close();
  });

  test("reads the Failed list of a delete: failed entries are reported and stay held", async () => {
    // GIVEN a server that refuses to delete m2
    sqsMock.on(DeleteMessageBatchCommand).callsFake((input: Entries) => ({
      Successful: input.Entries.filter((e) => e.ReceiptHandle !== "h2").map((e) => ({ Id: e.Id })),
      Failed: input.Entries.filter((e) => e.ReceiptHandle === "h2").map((e) => ({ Id: e.Id, Code: "AccessDenied", SenderFault: true })),
    }));
    const holder = new Holder(ctx(), "http://mock/q", { holdSeconds: 30, fifo: false });
    holder.add([held("m1", "h1"), held("m2", "h2")]);
    // WHEN both are deleted
    const out = await holder.delete(["m1", "m2"]);
    // THEN m1 is deleted, m2 is reported failed and is still held (released on close)
    expect(out.deleted).toEqual(["m1"]);
    expect(out.failed).toEqual([{ id: "m2", code: "AccessDenied" }]);
    expect(holder.has("m2")).toBe(true);
    expect(await holder.close()).toEqual({ released: 1, failed: 0, keptExhausted: 0 });
  });

  test("one heartbeat at a time: a slow beat is never stacked on, and one that overran its interval is followed at once", async () => {
    vi.useFakeTimers();
    // GIVEN a server whose visibility changes take 25 s to answer
    let calls = 0;
    let running = 0;
    let most = 0;
    sqsMock.on(ChangeMessageVisibilityBatchCommand).callsFake(async (input: Entries) => {
      calls += 1;
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 25_000));
      running -= 1;
      return allOk(input);
    });
    const holder = new Holder(ctx(), "http://mock/q", { holdSeconds: 30, fifo: false });
    holder.add([held("m1", "h1"), held("m2", "h2")]);
    // WHEN 24 s pass (a hold is renewed once half of it is left: at 15 s)
    await vi.advanceTimersByTimeAsync(24_000);
    // THEN one beat is in flight, not two, and it renews both for holdSeconds
    expect(calls).toBe(1);
    expect(cmvCalls()[0]!.Entries.map((e) => [e.ReceiptHandle, e.VisibilityTimeout])).toEqual([["h1", 30], ["h2", 30]]);
    // AND when it answers (at 40 s, past the first deadline of 30 s) the holds are renewed, not
    // lapsed, and the next beat starts at once (not at a later tick, past the new deadline of 45 s)
    await vi.advanceTimersByTimeAsync(17_000);
    expect(holder.lapsed()).toEqual([]);
    expect(calls).toBe(2);
    expect(most).toBe(1);
    holder.forget(["m1", "m2"]);
    // (close waits for the beat in hand, which answers 25 s after it was sent)
    const closed = holder.close();
    await vi.advanceTimersByTimeAsync(25_000);
    await closed;
  });

  test("a heartbeat entry that fails lapses that hold: it is reported and never deleted as done", async () => {
    vi.useFakeTimers();
    // GIVEN a server that will not renew m2 (someone else received it: its handle is stale)
    sqsMock.on(ChangeMessageVisibilityBatchCommand).callsFake((input: Entries) => ({
      Successful: input.Entries.filter((e) => e.ReceiptHandle !== "h2").map((e) => ({ Id: e.Id })),
      Failed: input.Entries.filter((e) => e.ReceiptHandle === "h2").map((e) => ({ Id: e.Id, Code: "ReceiptHandleIsInvalid", SenderFault: true })),
    }));
    const holder = new Holder(ctx(), "http://mock/q", { holdSeconds: 30, fifo: false });
    holder.add([held("m1", "h1"), held("m2", "h2")]);
    // WHEN the heartbeat renews them (half the hold left)
    await vi.advanceTimersByTimeAsync(15_000);
    // THEN m2 is lapsed, and a delete of both deletes only m1 and reports m2 as lapsed
    expect(holder.lapsed()).toEqual(["m2"]);
    const out = await holder.delete(["m1", "m2"]);
    expect(out).toEqual({ deleted: ["m1"], failed: [], lapsed: ["m2"] });
    expect(deleted()).toEqual(["h1"]);
    // AND a new receive of m2 makes it ours again
    holder.add([held("m2", "h2-new")]);
    expect(holder.lapsed()).toEqual([]);
    holder.forget(["m2"]);
    await holder.close();
  });

  test("a hold whose local deadline passed (process suspended, no beat ran) is lapsed", async () => {
    vi.useFakeTimers();
    const holder = new Holder(ctx(), "http://mock/q", { holdSeconds: 30, fifo: false });
    holder.add([held("m1", "h1")]);
    // WHEN the clock jumps past the hold without any timer running
    vi.setSystemTime(Date.now() + 31_000);
    // THEN the hold is lapsed, a delete refuses it, and close does not release a stale handle
    expect(holder.lapsed()).toEqual(["m1"]);
    expect(await holder.delete(["m1"])).toEqual({ deleted: [], failed: [], lapsed: ["m1"] });
    expect(deleted()).toEqual([]);
    expect(await holder.close()).toEqual({ released: 0, failed: 0, keptExhausted: 0 });
    expect(holder.lapsed()).toEqual(["m1"]);
  });

  test("release keeps a message that used its last receive hidden (peek guard); close is idempotent", async () => {
    // GIVEN maxReceiveCount 2 and m2 on its second receive
    const holder = new Holder(ctx(), "http://mock/q", { holdSeconds: 30, fifo: false, maxReceiveCount: 2 });
    holder.add([held("m1", "h1", 1), held("m2", "h2", 2)]);
    // WHEN the holder closes, twice
    const a = await holder.close();
    const b = await holder.close();
    // THEN m1 is released (visibility 0), m2 kept hidden, and the second close made no call
    expect(a).toEqual({ released: 1, failed: 0, keptExhausted: 1 });
    expect(b).toBe(a);
    expect(cmvCalls().flatMap((c) => c.Entries.map((e) => [e.ReceiptHandle, e.VisibilityTimeout]))).toEqual([["h1", 0]]);
  });

  test("a release the server refuses at 0 s is tried at 1 s; what still fails is counted, not claimed released", async () => {
    sqsMock.on(ChangeMessageVisibilityBatchCommand).callsFake((input: Entries) => ({
      Successful: input.Entries.filter((e) => e.VisibilityTimeout === 1 && e.ReceiptHandle === "h1").map((e) => ({ Id: e.Id })),
      Failed: input.Entries.filter((e) => e.VisibilityTimeout === 0 || e.ReceiptHandle !== "h1").map((e) => ({ Id: e.Id, Code: "InvalidParameterValue", SenderFault: true })),
    }));
    const holder = new Holder(ctx(), "http://mock/q", { holdSeconds: 30, fifo: false });
    holder.add([held("m1", "h1"), held("m2", "h2")]);
    expect(await holder.release()).toEqual({ released: 1, failed: 1, keptExhausted: 0 });
    expect(holder.size).toBe(0);
  });

  test("a release in hand: a beat meanwhile does not hide those messages again, and a receive of one meanwhile is a new hold", async () => {
    // GIVEN m1, m2 held, and a server whose release (VisibilityTimeout 0) answers only when told
    let answer: () => void = () => undefined;
    let gated = true;
    sqsMock.on(ChangeMessageVisibilityBatchCommand).callsFake(async (input: Entries) => {
      if (gated && input.Entries.some((e) => e.VisibilityTimeout === 0)) await new Promise<void>((r) => (answer = r));
      return allOk(input);
    });
    const holder = new Holder(ctx(), "http://mock/q", { holdSeconds: 30, fifo: false });
    holder.add([held("m1", "h1"), held("m2", "h2")]);
    // WHEN m1 is released, and while that call is out a beat runs and m1 is received again
    const releasing = holder.release(["m1"]);
    await vi.waitFor(() => expect(cmvCalls().some((c) => c.Entries.some((e) => e.VisibilityTimeout === 0))).toBe(true));
    await holder.beat();
    const fresh = holder.add([held("m1", "h1-again")]);
    gated = false;
    answer();
    expect(await releasing).toEqual({ released: 1, failed: 0, keptExhausted: 0 });
    // THEN no beat renewed the handle being released
    const renewed = cmvCalls().flatMap((c) => c.Entries.filter((e) => (e.VisibilityTimeout ?? 0) > 0).map((e) => e.ReceiptHandle));
    expect(renewed).not.toContain("h1");
    expect(renewed).toContain("h2");
    // AND the new receive of m1 is held (new to the holder), with its new handle
    expect(fresh.map((h) => h.envelope.messageId)).toEqual(["m1"]);
    expect(holder.get("m1")?.receiptHandle).toBe("h1-again");
    await holder.close();
  });

  test("release and delete over many messages run their 10-entry calls side by side, and read every Failed list", async () => {
    // GIVEN 300 held messages and a server that answers each batch call after a few ms
    let running = 0;
    let most = 0;
    const answerLater = (fail: (e: { ReceiptHandle: string }) => boolean) => async (input: Entries) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      running -= 1;
      return {
        Successful: input.Entries.filter((e) => !fail(e)).map((e) => ({ Id: e.Id })),
        Failed: input.Entries.filter(fail).map((e) => ({ Id: e.Id, Code: "ReceiptHandleIsInvalid", SenderFault: true, Message: "no" })),
      };
    };
    sqsMock.on(DeleteMessageBatchCommand).callsFake(answerLater((e) => e.ReceiptHandle === "h7"));
    sqsMock.on(ChangeMessageVisibilityBatchCommand).callsFake(answerLater((e) => e.ReceiptHandle === "h250"));
    const holder = new Holder(ctx(), "http://mock/q", { holdSeconds: 30, fifo: false });
    holder.add(Array.from({ length: 300 }, (_, i) => held(`m${i}`, `h${i}`)));
    // WHEN 100 are deleted and the rest released
    const del = await holder.delete(Array.from({ length: 100 }, (_, i) => `m${i}`));
    const deleteMost = most;
    most = 0;
    const rel = await holder.close();
    // THEN the calls ran in parallel (not one after another), every entry was sent once,
    // and the one Failed entry of each is reported, not counted as done
    expect(deleteMost).toBeGreaterThan(1);
    expect(most).toBeGreaterThan(1);
    expect(deleted()).toHaveLength(100);
    expect(del.deleted).toHaveLength(99);
    expect(del.failed).toEqual([{ id: "m7", code: "ReceiptHandleIsInvalid" }]);
    expect(rel.released).toBe(199);
    expect(rel.failed).toBe(1);
    // AND the message whose delete the server called invalid is lapsed: reported, not released
    expect(holder.lapsed()).toEqual(["m7"]);
  });
});

describe("heartbeat: renews only the holds about to run out (issue 13 part 3, time)", () => {
  const renewed = () => cmvCalls().filter((c) => c.Entries.some((e) => (e.VisibilityTimeout ?? 0) > 0)).map((c) => c.Entries.map((e) => e.ReceiptHandle));

  test("a beat renews a hold once half of it is left, and skips one further from its deadline", async () => {
    vi.useFakeTimers();
    // GIVEN a 30 s hold on m1 at 0 s and on m2 at 5 s
    const holder = new Holder(ctx(), "http://mock/q", { holdSeconds: 30, fifo: false });
    holder.add([held("m1", "h1")]);
    await vi.advanceTimersByTimeAsync(5_000);
    holder.add([held("m2", "h2")]);
    // WHEN 10 s more pass (15 s: m1 has 15 s left, m2 20 s)
    await vi.advanceTimersByTimeAsync(10_000);
    // THEN only m1 was renewed (every hold, every 10 s, before)
    expect(renewed()).toEqual([["h1"]]);
    // AND at 20 s, m2 (15 s left) is renewed; m1, renewed at 15 s, is not
    await vi.advanceTimersByTimeAsync(5_000);
    expect(renewed()).toEqual([["h1"], ["h2"]]);
    expect(holder.lapsed()).toEqual([]);
    holder.forget(["m1", "m2"]);
    await holder.close();
  });

  test("100 holds kept for 120 s cost one renewal each every half hold: 80 calls, not 120", async () => {
    vi.useFakeTimers();
    const holder = new Holder(ctx(), "http://mock/q", { holdSeconds: 30, fifo: false });
    holder.add(Array.from({ length: 100 }, (_, i) => held(`m${i}`, `h${i}`)));
    // WHEN 120 s pass
    await vi.advanceTimersByTimeAsync(120_000);
    // THEN each hold was renewed at 15, 30, ... 120 s (8 times; every 10 s before: 12), none lapsed
    const calls = renewed();
    expect(calls).toHaveLength(80);
    expect(calls.every((c) => c.length === 10)).toBe(true);
    expect(new Set(calls.flat()).size).toBe(100);
    expect(holder.lapsed()).toEqual([]);
    holder.forget(holder.ids());
    await holder.close();
  });

  test("a hold a beat skipped survives the next beat starting late by almost 5/12 of the hold", async () => {
    vi.useFakeTimers();
    // GIVEN m1 held at 0 s for 30 s, and the last beat that skips it (12.5 s: 17.5 s left)
    const holder = new Holder(ctx(), "http://mock/q", { holdSeconds: 30, fifo: false });
    holder.add([held("m1", "h1")]);
    await vi.advanceTimersByTimeAsync(12_500);
    expect(renewed()).toEqual([]);
    // WHEN the process stalls for 12 s (a GC pause, a busy event loop): no timer runs
    vi.setSystemTime(Date.now() + 12_000);
    // AND the next beat comes, 12 s late, with 3 s left on m1
    await vi.advanceTimersByTimeAsync(2_500);
    // THEN it renews m1 in time: nothing lapsed because it was skipped
    expect(renewed()).toEqual([["h1"]]);
    expect(holder.lapsed()).toEqual([]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(holder.lapsed()).toEqual([]);
    holder.forget(["m1"]);
    await holder.close();
  });

  test("over a slow server (7 s a call, beats longer than their interval) holds arriving all the time never lapse, and no hold is in two calls at once", async () => {
    vi.useFakeTimers();
    const inFlight = new Set<string>();
    let overlap = false;
    sqsMock.on(ChangeMessageVisibilityBatchCommand).callsFake(async (input: Entries) => {
      for (const e of input.Entries) {
        if (inFlight.has(e.ReceiptHandle)) overlap = true;
        inFlight.add(e.ReceiptHandle);
      }
      await new Promise((r) => setTimeout(r, 7_000));
      for (const e of input.Entries) inFlight.delete(e.ReceiptHandle);
      return allOk(input);
    });
    const holder = new Holder(ctx(), "http://mock/q", { holdSeconds: 30, fifo: false });
    // WHEN 10 holds arrive every second for 60 s, and the run goes on to 120 s
    for (let t = 0; t < 120; t++) {
      if (t < 60) holder.add(Array.from({ length: 10 }, (_, i) => held(`m${t}-${i}`, `h${t}-${i}`)));
      await vi.advanceTimersByTimeAsync(1_000);
      // THEN no hold lapses, at any second
      expect(holder.lapsed()).toEqual([]);
    }
    expect(overlap).toBe(false);
    expect(holder.size).toBe(600);
    holder.forget(holder.ids());
    const closed = holder.close();
    await vi.advanceTimersByTimeAsync(7_000);
    await closed;
  });

  test("delete renews first only the holds it deletes that are about to run out, not every hold", async () => {
    vi.useFakeTimers();
    const holder = new Holder(ctx(), "http://mock/q", { holdSeconds: 30, fifo: false });
    holder.add([held("m1", "h1"), held("m2", "h2")]);
    // GIVEN both holds 1.5 s from their deadline (the process stalled: no beat ran)
    vi.setSystemTime(Date.now() + 28_500);
    // WHEN m1 is deleted
    expect(await holder.delete(["m1"])).toEqual({ deleted: ["m1"], failed: [], lapsed: [] });
    // THEN m1 alone was renewed before its delete (m2 is the next beat's)
    expect(renewed()).toEqual([["h1"]]);
    expect(deleted()).toEqual(["h1"]);
    holder.forget(["m2"]);
    await holder.close();
  });

  test("a hold's deadline counts from when its receive was sent, and isLapsed reads one hold", async () => {
    vi.useFakeTimers();
    const holder = new Holder(ctx(), "http://mock/q", { holdSeconds: 30, fifo: false });
    // GIVEN a receive sent 29 s ago (a long poll, a busy event loop) that hid m1 for 30 s
    holder.add([held("m1", "h1")], Date.now() - 29_000);
    holder.add([held("m2", "h2")]);
    expect(holder.isLapsed("m1")).toBe(false);
    // WHEN 1 s passes with no beat (the process stalled)
    vi.setSystemTime(Date.now() + 1_000);
    // THEN m1's hold lapsed (the server may show it again now); m2's did not
    expect(holder.isLapsed("m1")).toBe(true);
    expect(holder.isLapsed("m2")).toBe(false);
    expect(holder.isLapsed("nope")).toBe(false);
    expect(holder.lapsed()).toEqual(["m1"]);
    holder.forget(["m1", "m2"]);
    await holder.close();
  });
});

describe("lean records: custody data only, custody unchanged (issue 13 part 3)", () => {
  test("lighten drops the body but keeps the newest handle, receive count, heartbeat, delete, peek guard and release", async () => {
    vi.useFakeTimers();
    // GIVEN maxReceiveCount 3: m1 (1st receive) and m2 (3rd: exhausted) lightened, m3 kept whole
    const holder = new Holder(ctx(), "http://mock/q", { holdSeconds: 30, fifo: false, maxReceiveCount: 3 });
    holder.add([held("m1", "h1"), held("m2", "h2", 3), held("m3", "h3")]);
    holder.lighten(["m1", "m2"]);
    // THEN m1 and m2 carry no body, attributes or SDK message; m3 is untouched
    expect(holder.isLean("m1")).toBe(true);
    expect(holder.isLean("m3")).toBe(false);
    expect(holder.isLean("nope")).toBe(false);
    expect(holder.get("m1")).toEqual({ receiptHandle: "h1", envelope: { body: "", messageId: "m1", receiveCount: 1 }, raw: { MessageId: "m1", ReceiptHandle: "h1" } });
    expect(holder.get("m3")!.envelope.body).toBe("b-m3");
    // WHEN m1 is received again (a newer handle, a higher count)
    expect(holder.add([held("m1", "h1-new", 2)])).toEqual([]);
    // THEN it stays lean, with the newest handle and count
    expect(holder.isLean("m1")).toBe(true);
    expect(holder.get("m1")).toMatchObject({ receiptHandle: "h1-new", envelope: { body: "", receiveCount: 2 } });
    // AND one heartbeat renews all three by their newest handles
    await vi.advanceTimersByTimeAsync(15_000);
    expect(cmvCalls()[0]!.Entries.map((e) => [e.ReceiptHandle, e.VisibilityTimeout]).sort()).toEqual([["h1-new", 30], ["h2", 30], ["h3", 30]]);
    // AND the peek guard still reads the lean m2's receive count
    expect(holder.exhausted("m2")).toBe(true);
    // AND a delete uses the newest handle; close releases m3, keeps m2 hidden
    expect(await holder.delete(["m1"])).toEqual({ deleted: ["m1"], failed: [], lapsed: [] });
    expect(deleted()).toEqual(["h1-new"]);
    sqsMock.resetHistory();
    expect(await holder.close()).toEqual({ released: 1, failed: 0, keptExhausted: 1 });
    expect(cmvCalls().flatMap((c) => c.Entries.map((e) => [e.ReceiptHandle, e.VisibilityTimeout]))).toEqual([["h3", 0]]);
  });

  test("a lean holder returns whole messages from add, keeps none, and still lapses a hold the heartbeat could not renew", async () => {
    vi.useFakeTimers();
    sqsMock.on(ChangeMessageVisibilityBatchCommand).callsFake((input: Entries) => ({
      Successful: input.Entries.filter((e) => e.ReceiptHandle !== "h2").map((e) => ({ Id: e.Id })),
      Failed: input.Entries.filter((e) => e.ReceiptHandle === "h2").map((e) => ({ Id: e.Id, Code: "ReceiptHandleIsInvalid", SenderFault: true })),
    }));
    const holder = new Holder(ctx(), "http://mock/q", { holdSeconds: 30, fifo: false, lean: true });
    const fresh = holder.add([held("m1", "h1"), held("m2", "h2")]);
    // THEN the caller gets the bodies; the holder keeps custody data only
    expect(fresh.map((h) => h.envelope.body)).toEqual(["b-m1", "b-m2"]);
    for (const id of ["m1", "m2"]) {
      expect(holder.isLean(id)).toBe(true);
      expect(holder.get(id)!.envelope.body).toBe("");
      expect(holder.get(id)!.raw.Body).toBeUndefined();
    }
    // WHEN the heartbeat cannot renew m2
    await vi.advanceTimersByTimeAsync(15_000);
    // THEN m2 is lapsed: never deleted as done, not released with its stale handle
    expect(await holder.delete(["m1", "m2"])).toEqual({ deleted: ["m1"], failed: [], lapsed: ["m2"] });
    expect(deleted()).toEqual(["h1"]);
    expect(await holder.close()).toEqual({ released: 0, failed: 0, keptExhausted: 0 });
    expect(holder.lapsed()).toEqual(["m2"]);
  });
});
