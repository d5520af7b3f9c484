import { describe, expect, test } from "vitest";
import { summarise } from "../../src/commands/dlq/inspect.js";
import type { Envelope } from "../../src/core/envelope.js";

const env = (n: number, errorType: string | undefined, extra: Partial<Envelope> = {}): Envelope => ({
  messageId: `m${n}`,
  body: JSON.stringify(errorType ? { n, errorType } : { n }),
  receiveCount: n,
  sentAt: new Date(Date.UTC(2026, 10, 22, 10, n)).toISOString(),
  ...extra,
});

describe("dlq inspect grouping and summary", () => {
  test("summarise finds the oldest and newest, the receive counts and the sources", () => {
    const msgs = [env(3, "A", { sourceQueueArn: "arn:aws:sqs:us-east-1:123456789012:orders" }), env(1, "B"), env(7, "A")];
    const s = summarise("orders-dlq", msgs, 3, true, ["orders"]);
    expect(s).toMatchObject({
      messages: 3,
      complete: true,
      oldestSentAt: "2026-11-22T10:01:00.000Z",
      newestSentAt: "2026-11-22T10:07:00.000Z",
      receiveCount: { min: 1, max: 7 },
      sources: { orders: 3 },
    });
    expect(summarise("d", msgs, 3, true, ["a", "b"]).sources).toEqual({ orders: 1, "(unknown)": 2 });
  });
});
