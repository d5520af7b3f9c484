/**
 * count() and compareNames() (src/core/text.ts) stand in for toLocaleString("en-US") and
 * localeCompare() on a command's start-up path (no ICU locale data to load): they must
 * give exactly what ICU gives, for the inputs they answer themselves and beyond.
 */
import { describe, expect, test } from "vitest";
import { compareNames, count, plural } from "../../src/core/text.js";

describe("count is toLocaleString('en-US')", () => {
  test.each([0, 1, 7, 999, 1000, 1001, 12_345, 999_999, 1_000_000, 1_234_567_890, -1, -999, -1000, -1_234_567, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER])("%d", (n) => {
    expect(count(n)).toBe(n.toLocaleString("en-US"));
  });

  test.each([-0, 1.5, 1234.5678, 2 ** 60, 1e21, Number.NaN, Number.POSITIVE_INFINITY])("%d (left to ICU)", (n) => {
    expect(count(n)).toBe(n.toLocaleString("en-US"));
  });

  test("plural uses it", () => {
    expect(plural(1_234_567, "message")).toBe("1,234,567 messages");
  });
});

describe("compareNames orders queue names as localeCompare does", () => {
  const sign = (x: number) => Math.sign(x);

  test("every pair of names up to 3 characters from a mixed alphabet", () => {
    const alphabet = ["_", "-", ".", "0", "9", "a", "A", "b", "B", "z", "Z"];
    const names = [""];
    for (let len = 0; len < 3; len++) for (const n of names.filter((x) => x.length === len)) for (const c of alphabet) names.push(n + c);
    const wrong: string[] = [];
    for (const a of names) for (const b of names) if (sign(compareNames(a, b)) !== sign(a.localeCompare(b))) wrong.push(`${a} vs ${b}`);
    expect(names.length).toBe(1 + 11 + 121 + 1331);
    expect(wrong.slice(0, 10)).toEqual([]);
  });

  test("realistic names, sorted", () => {
    const names = ["orders-dlq", "Orders", "orders", "orders.fifo", "orders_dlq", "orders-DLQ", "orders2", "orders10", "ORDERS-dlq", "a", "A-1", "a_1", "a.1", "payments-dlq.fifo", "_x", "-x", "0x"];
    expect([...names].sort(compareNames)).toEqual([...names].sort((a, b) => a.localeCompare(b)));
  });

  test("a character a queue name cannot hold goes to localeCompare", () => {
    for (const [a, b] of [
      ["é", "e"],
      ["a b", "a-b"],
      ["Zürich", "zurich"],
      ["~q", "q"],
    ] as const) {
      expect(sign(compareNames(a, b))).toBe(sign(a.localeCompare(b)));
    }
  });
});
