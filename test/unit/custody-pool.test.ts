import { describe, expect, test } from "vitest";
import { RateLimiter, runPool, type ConcurrencyControl } from "../../src/sqs/custody/pool.js";
import { retryEntries, backoffMs, ENTRY_RETRY } from "../../src/sqs/custody/retry.js";

const tick = () => new Promise<void>((r) => setImmediate(r));

describe("runPool", () => {
  test("runs every item, never more than `concurrency` at once", async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await runPool(
      Array.from({ length: 50 }, (_, i) => i),
      async (i) => {
        running += 1;
        peak = Math.max(peak, running);
        await tick();
        running -= 1;
        done.push(i);
      },
      { concurrency: 4 },
    );
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(peak).toBe(4);
  });

  test("pulls from an async source only when a slot is free", async () => {
    let pulled = 0;
    let finished = 0;
    async function* source() {
      for (let i = 0; i < 20; i++) {
        pulled += 1;
        // never more than (finished + concurrency + the one being pulled) ahead
        expect(pulled - finished).toBeLessThanOrEqual(3);
        yield i;
      }
    }
    await runPool(source(), async () => {
      await tick();
      finished += 1;
    }, { concurrency: 2 });
    expect(finished).toBe(20);
  });

  test("the first error stops the pull, waits for the tasks in hand, then is rethrown", async () => {
    const started: number[] = [];
    const settled: number[] = [];
    const signals: AbortSignal[] = [];
    const run = runPool(
      Array.from({ length: 100 }, (_, i) => i),
      async (i, signal) => {
        started.push(i);
        signals.push(signal);
        await tick();
        if (i === 2) throw new Error("boom");
        await tick();
        settled.push(i);
      },
      { concurrency: 3 },
    );
    await expect(run).rejects.toThrow("boom");
    // the tasks that were running when 2 failed have settled before the pool returned
    expect(started.filter((i) => i !== 2).every((i) => settled.includes(i))).toBe(true);
    expect(started.length).toBeLessThan(10);
    expect(signals.every((s) => s.aborted)).toBe(true);
  });

  test("an abort of the caller's signal stops the pull without an error", async () => {
    const ac = new AbortController();
    let n = 0;
    await runPool(Array.from({ length: 100 }, (_, i) => i), async () => {
      n += 1;
      if (n === 5) ac.abort();
      await tick();
    }, { concurrency: 2, signal: ac.signal });
    expect(n).toBeLessThan(8);
  });

  test("asks a ConcurrencyControl before every start", async () => {
    let limit = 1;
    let running = 0;
    const peaks: number[] = [];
    const control: ConcurrencyControl = { current: () => limit, record: () => undefined };
    await runPool(Array.from({ length: 30 }, (_, i) => i), async (i) => {
      running += 1;
      peaks.push(running);
      if (i === 10) limit = 5;
      await tick();
      await tick();
      running -= 1;
    }, { concurrency: control });
    expect(Math.max(...peaks.slice(0, 10))).toBe(1);
    expect(Math.max(...peaks)).toBe(5);
  });
});

describe("RateLimiter", () => {
  test("spaces units to the rate (schedules, never sleeps in the test)", async () => {
    const limiter = new RateLimiter(1000);
    const ac = new AbortController();
    ac.abort(); // sleeps end at once; the schedule still advances
    for (let i = 0; i < 10; i++) await limiter.take(10, ac.signal);
    // 100 units at 1000/s: the next slot is ~100 ms ahead of the start
    const ahead = (limiter as unknown as { next: number }).next - performance.now();
    expect(ahead).toBeGreaterThan(50);
    expect(ahead).toBeLessThanOrEqual(100);
  });
});

describe("retryEntries", () => {
  const noSleep = async () => undefined;

  test("retries only the entries that failed for a passing reason or got no answer, in order", async () => {
    const calls: string[][] = [];
    const out = await retryEntries(["a", "b", "c", "d"], async (pending) => {
      calls.push(pending);
      if (calls.length === 1) {
        return {
          ok: ["a"],
          failed: [
            { entry: "b", code: "AWS.SimpleQueueService.InternalError", message: "", senderFault: false },
            { entry: "c", code: "InvalidParameterValue", message: "bad", senderFault: true },
          ], // d: no answer
        };
      }
      return { ok: pending, failed: [] };
    }, { sleep: noSleep });
    expect(calls).toEqual([["a", "b", "c", "d"], ["b", "d"]]);
    expect(out.ok).toEqual(["a", "b", "d"]);
    expect(out.failed.map((f) => [f.entry, f.code])).toEqual([["c", "InvalidParameterValue"]]);
  });

  test("gives up after the policy's attempts: one policy, no stacked outer retries", async () => {
    let calls = 0;
    const out = await retryEntries(["a"], async (pending) => {
      calls += 1;
      return { ok: [], failed: pending.map((entry) => ({ entry, code: "InternalError", message: "", senderFault: false })) };
    }, { sleep: noSleep });
    expect(calls).toBe(ENTRY_RETRY.attempts);
    expect(out.failed).toHaveLength(1);
  });

  test("a call that throws is not retried here (the SDK did); a fatal code is rethrown", async () => {
    let calls = 0;
    const out = await retryEntries(["a", "b"], async () => {
      calls += 1;
      throw Object.assign(new Error("socket hang up"), { name: "TimeoutError" });
    }, { sleep: noSleep });
    expect(calls).toBe(1);
    expect(out.failed.map((f) => f.code)).toEqual(["TimeoutError", "TimeoutError"]);
    await expect(retryEntries(["a"], async () => {
      throw Object.assign(new Error("gone"), { name: "QueueDoesNotExist" });
    }, { sleep: noSleep })).rejects.toThrow("gone");
  });

  test("stops between attempts on abort: the rest are notTried", async () => {
    const ac = new AbortController();
    const out = await retryEntries(["a", "b"], async (pending) => {
      ac.abort();
      return { ok: [], failed: pending.map((entry) => ({ entry, code: "InternalError", message: "", senderFault: false })) };
    }, { sleep: noSleep, signal: ac.signal });
    expect(out.notTried).toEqual(["a", "b"]);
    expect(out.failed).toEqual([]);
  });

  test("backoff has full jitter under the cap", () => {
    expect(backoffMs(0, ENTRY_RETRY, () => 0.999)).toBeLessThan(ENTRY_RETRY.baseMs);
    expect(backoffMs(20, ENTRY_RETRY, () => 0.999)).toBeLessThan(ENTRY_RETRY.capMs);
  });
});
