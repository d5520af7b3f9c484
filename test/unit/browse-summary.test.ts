import { describe, expect, test } from "vitest";
import { leaveNotes, snapshotNotes } from "../../src/browse/summary.js";

const snap = { kept: 5, scanned: 5, released: 0, duplicates: 0, truncated: false, releaseFailed: 0 };
const ctx = { queue: "orders-dlq", fifo: false, limit: 100, scan: 1000, visibleBefore: 5, holdSeconds: 60 };

describe("snapshot notes", () => {
  test("say how many are held and how to leave", () => {
    expect(snapshotNotes(snap, ctx)).toEqual({
      empty: false,
      info: ["Holding 5 messages from orders-dlq. They stay hidden from consumers until you leave; q or Esc leaves, Ctrl-C too."],
      warn: [],
    });
  });

  test("name the flag that stopped the scan, and the filter", () => {
    const n = snapshotNotes({ ...snap, kept: 2, scanned: 40, truncated: true }, { ...ctx, filter: "json.n > `2`", limit: 2, visibleBefore: 300 });
    expect(n.info[0]).toBe("Holding 2 messages from orders-dlq matching json.n > `2` (40 read) (stopped at --limit 2; about 300 were visible). They stay hidden from consumers until you leave; q or Esc leaves, Ctrl-C too.");
  });

  test("explain FIFO groups hiding the rest, and release failures", () => {
    const n = snapshotNotes({ ...snap, kept: 3, scanned: 3, releaseFailed: 1 }, { ...ctx, queue: "pay.fifo", fifo: true, visibleBefore: 9 });
    expect(n.info[1]).toContain("pay.fifo is FIFO");
    expect(n.info[1]).toContain("about 6 more are not listed yet");
    expect(n.warn).toEqual(["1 message read but not kept could not be released; they become visible within 60 s."]);
  });

  test("nothing held: one line, and empty", () => {
    expect(snapshotNotes({ ...snap, kept: 0, scanned: 0 }, ctx)).toEqual({ empty: true, info: ["orders-dlq has no visible messages."], warn: [] });
    expect(snapshotNotes({ ...snap, kept: 0, scanned: 7 }, { ...ctx, filter: "x" }).info).toEqual(["No message in orders-dlq matches x (7 read)."]);
  });
});

describe("leave notes", () => {
  test("released, and what the session did", () => {
    expect(leaveNotes({ queue: "q", released: 3, lost: 0, deleted: 2, moved: 1, exhausted: 0 })).toEqual({
      info: ["Released 3 messages: visible in q again now. This session deleted 2, moved 1."],
      warn: [],
    });
    expect(leaveNotes({ queue: "q", released: 0, lost: 0, deleted: 1, moved: 0, exhausted: 0 }).info).toEqual(["This session deleted 1."]);
  });

  test("warn about messages that used every receive and holds that lapsed", () => {
    const n = leaveNotes({ queue: "q", released: 1, lost: 1, deleted: 0, moved: 0, exhausted: 2, maxReceiveCount: 3 });
    expect(n.warn).toEqual([
      "2 messages have now been received 3 times: the next receive by anyone moves them to the DLQ.",
      "1 message had slipped out of this session's hold (visible again already, or taken by a consumer).",
    ]);
  });
});
