import { SendMessageBatchCommand, SQSClient, type SendMessageBatchCommandInput } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, test, vi } from "vitest";
import { RateLimiter } from "../../src/sqs/custody/pool.js";
import type { SendEntry } from "../../src/core/message-input.js";
import { bulkSend, type EntryFailure } from "../../src/sqs/bulk-send.js";

const sqs = mockClient(SQSClient);
const client = new SQSClient({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
const URL = "http://localhost/000000000000/q";
const noSleep = async () => undefined;

function entries(n: number, group?: (i: number) => string): SendEntry[] {
  return Array.from({ length: n }, (_, i) => ({ line: i + 1, body: `m${i + 1}`, size: 3, ...(group ? { groupId: group(i + 1) } : {}) }));
}
async function* from<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}
function calls(): SendMessageBatchCommandInput[] {
  return sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input);
}
const ok = (input: SendMessageBatchCommandInput, except: string[] = []) => ({
  Successful: (input.Entries ?? []).filter((e) => !except.includes(e.Id!)).map((e) => ({ Id: e.Id!, MessageId: `id-${e.Id}`, MD5OfMessageBody: "x" })),
});

beforeEach(() => sqs.reset());

describe("bulkSend", () => {
  test("GIVEN a partial batch failure WHEN sending THEN only the failed entries are retried, and a permanent failure is reported", async () => {
    // GIVEN: the first call fails l2 (throttled, retryable) and l3 (sender fault, permanent)
    let call = 0;
    sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => {
      call += 1;
      if (call === 1) {
        return {
          ...ok(input, ["l2", "l3"]),
          Failed: [
            { Id: "l2", Code: "ThrottlingException", SenderFault: false, Message: "slow down" },
            { Id: "l3", Code: "InvalidMessageContents", SenderFault: true, Message: "bad" },
          ],
        };
      }
      return ok(input);
    });
    const sent: number[] = [];
    const failed: EntryFailure[] = [];
    // WHEN
    const result = await bulkSend(client, URL, from(entries(5)), { onSent: (e) => sent.push(...e.map((x) => x.line)), onFailed: (f) => failed.push(...f) }, { concurrency: 1, fifo: false, sleep: noSleep });
    // THEN
    expect(calls().map((c) => c.Entries!.map((e) => e.Id))).toEqual([["l1", "l2", "l3", "l4", "l5"], ["l2"]]);
    expect(result).toEqual({ sent: 4, failed: 1, notSent: 0, possibleDuplicates: 0, outOfOrder: 0, interrupted: false });
    expect(sent.sort()).toEqual([1, 2, 4, 5]);
    expect(failed.map((f) => [f.entry.line, f.code])).toEqual([[3, "InvalidMessageContents"]]);
  });

  test("an entry that keeps failing with a retryable code is reported after the last attempt", async () => {
    sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => ({
      ...ok(input, ["l1"]),
      Failed: [{ Id: "l1", Code: "AWS.SimpleQueueService.InternalError", SenderFault: false, Message: "oops" }],
    }));
    const failed: EntryFailure[] = [];
    const result = await bulkSend(client, URL, from(entries(2)), { onFailed: (f) => failed.push(...f) }, { concurrency: 2, fifo: false, sleep: noSleep, policy: { attempts: 3, baseMs: 0, capMs: 0 } });
    expect(calls()).toHaveLength(3);
    expect(result.sent).toBe(1);
    expect(failed.map((f) => [f.entry.line, f.code])).toEqual([[1, "InternalError"]]);
  });

  test("a call the SDK gave up on is not retried again here (one retry policy); a 5xx counts its entries as possible duplicates", async () => {
    // GIVEN the SDK's own retries ended in a 503 (the server may have acted on it)
    const unavailable = Object.assign(new Error("down"), { name: "ServiceUnavailable", $metadata: { httpStatusCode: 503 } });
    sqs.on(SendMessageBatchCommand).rejectsOnce(unavailable).callsFake((input: SendMessageBatchCommandInput) => ok(input));
    const failed: EntryFailure[] = [];
    // WHEN
    const result = await bulkSend(client, URL, from(entries(3)), { onFailed: (f) => failed.push(...f) }, { concurrency: 1, fifo: false, sleep: noSleep });
    // THEN one call, its entries failed with the code, and each counted as a possible duplicate
    expect(calls()).toHaveLength(1);
    expect(result).toEqual({ sent: 0, failed: 3, notSent: 0, possibleDuplicates: 3, outOfOrder: 0, interrupted: false });
    expect(failed.map((f) => f.code)).toEqual(["ServiceUnavailable", "ServiceUnavailable", "ServiceUnavailable"]);
  });

  test("a fatal error (queue gone) stops the run and is rethrown", async () => {
    sqs.on(SendMessageBatchCommand).rejects(Object.assign(new Error("gone"), { name: "QueueDoesNotExist" }));
    await expect(bulkSend(client, URL, from(entries(40)), {}, { concurrency: 2, fifo: false, sleep: noSleep })).rejects.toThrow("gone");
    expect(calls().length).toBeLessThanOrEqual(4);
  });

  test("packs 10 entries a batch and keeps at most --concurrency calls in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    sqs.on(SendMessageBatchCommand).callsFake(async (input: SendMessageBatchCommandInput) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight -= 1;
      return ok(input);
    });
    const result = await bulkSend(client, URL, from(entries(205)), {}, { concurrency: 4, fifo: false });
    expect(result.sent).toBe(205);
    expect(calls().map((c) => c.Entries!.length).sort((a, b) => a - b)).toEqual([5, ...Array(20).fill(10)]);
    expect(peak).toBe(4);
  });

  test("FIFO: a group's messages go out in input order, one batch at a time", async () => {
    let inFlightPerGroup = new Map<string, number>();
    let overlap = false;
    sqs.on(SendMessageBatchCommand).callsFake(async (input: SendMessageBatchCommandInput) => {
      const groups = new Set(input.Entries!.map((e) => e.MessageGroupId!));
      for (const g of groups) {
        if ((inFlightPerGroup.get(g) ?? 0) > 0) overlap = true;
        inFlightPerGroup.set(g, (inFlightPerGroup.get(g) ?? 0) + 1);
      }
      await new Promise((r) => setTimeout(r, Math.random() * 4));
      for (const g of groups) inFlightPerGroup.set(g, inFlightPerGroup.get(g)! - 1);
      return ok(input);
    });
    inFlightPerGroup = new Map();
    await bulkSend(client, URL, from(entries(300, (i) => `g${i % 5}`)), {}, { concurrency: 4, fifo: true });
    expect(overlap).toBe(false);
    const order = new Map<string, number[]>();
    for (const c of calls()) for (const e of c.Entries!) order.set(e.MessageGroupId!, [...(order.get(e.MessageGroupId!) ?? []), Number(e.Id!.slice(1))]);
    for (const lines of order.values()) expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  test("stops reading on abort and counts what was not sent", async () => {
    const ac = new AbortController();
    sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => {
      ac.abort();
      return ok(input);
    });
    const result = await bulkSend(client, URL, from(entries(100)), {}, { concurrency: 1, fifo: false, signal: ac.signal });
    expect(result.interrupted).toBe(true);
    expect(result.sent).toBe(10);
    expect(result.sent + result.notSent).toBeLessThanOrEqual(100);
  });

  test("rate: every message goes through the one rate limiter", async () => {
    sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => ok(input));
    const take = vi.spyOn(RateLimiter.prototype, "take");
    await bulkSend(client, URL, from(entries(30)), {}, { concurrency: 1, fifo: false, rate: 100_000 });
    expect(take.mock.calls.reduce((n, c) => n + (c[0] as number), 0)).toBe(30);
    take.mockRestore();
  });

  test("FIFO group stop: a failed entry stops the rest of its group (in order, never sent), other groups go on", async () => {
    // GIVEN l1 (group a) fails for good; l3 (group a) rides in the same call and is accepted behind it
    sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => ({
      ...ok(input, ["l1"]),
      Failed: input.Entries!.some((e) => e.Id === "l1") ? [{ Id: "l1", Code: "InvalidMessageContents", SenderFault: true, Message: "bad" }] : [],
    }));
    const failed: EntryFailure[] = [];
    // WHEN 30 messages alternate between groups a and b (one lane: batches in order)
    const result = await bulkSend(client, URL, from(entries(30, (i) => (i % 2 ? "a" : "b"))), { onFailed: (f) => failed.push(...f) }, { concurrency: 1, fifo: true, sleep: noSleep });
    // THEN group a's later batches are not sent: they fail with GroupOrderKept, in order
    const sentA = calls().flatMap((c) => c.Entries!).filter((e) => e.MessageGroupId === "a").map((e) => e.Id);
    expect(sentA).toEqual(["l1", "l3", "l5", "l7", "l9"]);
    expect(failed.map((f) => [f.entry.line, f.code])).toEqual([[1, "InvalidMessageContents"], ...[11, 13, 15, 17, 19, 21, 23, 25, 27, 29].map((l) => [l, "GroupOrderKept"])]);
    // and the 4 of group a that SQS accepted behind l1 in the same call are reported as out of order, not passed off as in order
    expect(result.outOfOrder).toBe(4);
    expect(result.sent).toBe(15 + 4);
  });
});
