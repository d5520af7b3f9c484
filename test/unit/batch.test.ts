import { describe, expect, test } from "vitest";
import { BatchPacker, entryId, LineSet, lineOfEntryId } from "../../src/core/batch.js";
import { backoffMs } from "../../src/sqs/custody/retry.js";

describe("BatchPacker", () => {
  test("closes a batch at 10 entries", () => {
    const p = new BatchPacker<{ size: number; n: number }>();
    const batches: number[][] = [];
    for (let n = 0; n < 25; n++) {
      const b = p.add({ size: 1, n });
      if (b) batches.push(b.map((x) => x.n));
    }
    const rest = p.flush();
    if (rest) batches.push(rest.map((x) => x.n));
    expect(batches.map((b) => b.length)).toEqual([10, 10, 5]);
    expect(batches.flat()).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });

  test("never lets a batch pass 1 MiB, and a 1 MiB message goes alone", () => {
    const p = new BatchPacker<{ size: number }>();
    const sizes = [400_000, 400_000, 400_000, 1_048_576, 10, 10];
    const batches: number[][] = [];
    for (const size of sizes) {
      const b = p.add({ size });
      if (b) batches.push(b.map((x) => x.size));
    }
    batches.push(p.flush()!.map((x) => x.size));
    expect(batches).toEqual([[400_000, 400_000], [400_000], [1_048_576], [10, 10]]);
    for (const b of batches) expect(b.reduce((a, c) => a + c, 0)).toBeLessThanOrEqual(1_048_576);
  });

  test("flush of an empty packer is undefined", () => {
    expect(new BatchPacker().flush()).toBeUndefined();
  });
});

describe("entry ids and helpers", () => {
  test("ids follow SQS rules and map back to the line", () => {
    const id = entryId(1_000_000);
    expect(id).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
    expect(lineOfEntryId(id)).toBe(1_000_000);
    expect(lineOfEntryId("x1")).toBeUndefined();
  });

  test("backoff grows exponentially with full jitter and a cap", () => {
    const p = { attempts: 4, baseMs: 100, capMs: 10_000 };
    expect(backoffMs(0, p, () => 0.999)).toBe(99);
    expect(backoffMs(3, p, () => 0.5)).toBe(400);
    expect(backoffMs(20, p, () => 0.999)).toBe(9990);
    expect(backoffMs(5, p, () => 0)).toBe(0);
  });

  test("LineSet grows and counts distinct lines", () => {
    const s = new LineSet();
    for (const n of [1, 5, 5, 100_000, 8191]) s.add(n);
    expect(s.size).toBe(4);
    expect([1, 2, 5, 8191, 100_000, 100_001].map((n) => s.has(n))).toEqual([true, false, true, true, true, false]);
  });
});
