import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, test } from "vitest";
import { provisionalRules, readLines, validatedAsFor, validateInput } from "../../src/commands/messages/input.js";
import { Journal, readJournal, SendJournal, sendState } from "../../src/sqs/custody/journal.js";

const dir = mkdtempSync(join(tmpdir(), "sqsctl-unit-"));

async function collect(chunks: string[], max = 100) {
  const out: Array<[number, string | undefined]> = [];
  for await (const l of readLines(Readable.from(chunks.map((c) => Buffer.from(c))), max)) out.push([l.line, l.text]);
  return out;
}

describe("readLines", () => {
  test("joins lines split across chunks and keeps a last line without newline", async () => {
    expect(await collect(["ab", "c\nd", "\n\nlast"])).toEqual([[1, "abc"], [2, "d"], [3, ""], [4, "last"]]);
  });

  test("reports an over-long line without holding it", async () => {
    expect(await collect(["short\n", "x".repeat(60), "x".repeat(60), "\nok\n"], 100)).toEqual([[1, "short"], [2, undefined], [3, "ok"]]);
  });

  test("multi-byte characters split across chunks survive", async () => {
    const bytes = Buffer.from("é€\n");
    const out: string[] = [];
    for await (const l of readLines(Readable.from([bytes.subarray(0, 1), bytes.subarray(1)]), 100)) out.push(l.text!);
    expect(out).toEqual(["é€"]);
  });
});

describe("validateInput", () => {
  test("spools stdin, hashes it, and lists every invalid line", async () => {
    const text = '{"body":"a"}\nnope\n{"body":"b"}\n{"x":1}\n';
    const spoolPath = join(dir, "spool");
    const v = await validateInput({ stream: Readable.from([Buffer.from(text)]), spoolPath }, { raw: false, fifo: false, contentBasedDedup: false, maxMessageSize: 1024 });
    expect(readFileSync(spoolPath, "utf8")).toBe(text);
    expect(v).toMatchObject({ lines: 4, entries: 2, invalidCount: 2, path: spoolPath });
    expect(v.invalid.map((i) => i.line)).toEqual([2, 4]);
    expect(v.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("validating before the queue is known (provisionalRules / validatedAsFor)", () => {
  const queue = { raw: false, fifo: false, contentBasedDedup: false, maxMessageSize: 262_144 };
  const check = async (lines: string[], rules = queue, fifoByName = false) => {
    const file = join(dir, `early-${Math.random().toString(36).slice(2)}.ndjson`);
    writeFileSync(file, lines.join("\n"));
    const pre = provisionalRules({ raw: rules.raw }, fifoByName);
    const v = await validateInput({ path: file }, pre);
    return { v, stands: validatedAsFor(v, pre, rules) };
  };

  test("a clean file within the queue's limits: the early result stands, with its largest message and longest line", async () => {
    const { v, stands } = await check(['{"body": "abc"}', '{"body": "' + "x".repeat(1000) + '"}']);
    expect(stands).toBe(true);
    expect(v).toMatchObject({ entries: 2, invalidCount: 0, maxSize: 1000 });
    expect(v.longestLine).toBe(1000 + '{"body": ""}'.length);
  });

  test("a message over the queue's own limit (valid for SQS's largest): validated again with the queue's rules", async () => {
    const { v, stands } = await check(['{"body": "' + "x".repeat(300_000) + '"}']);
    expect(v.invalidCount).toBe(0);
    expect(stands).toBe(false);
  });

  test("FIFO-ness that differs from the name, or any invalid line (its reason names the limit used): validated again", async () => {
    expect((await check(['{"body": "a", "groupId": "g"}'], { ...queue, fifo: true }, false)).stands).toBe(false);
    expect((await check(['{"body": "a", "groupId": "g"}'], { ...queue, fifo: true }, true)).stands).toBe(true);
    expect((await check(["not json"])).stands).toBe(false);
  });

  test("a line the queue's rules would not even read whole (over its line limit) is not let through", async () => {
    const small = { ...queue, maxMessageSize: 1024 };
    // 80,000 characters of an output-only field around a small body: fine for SQS's largest, too long a line for a 1 KiB queue
    const { v, stands } = await check([JSON.stringify({ body: "a", errorMessage: "e".repeat(80_000) })], small);
    expect(v.invalidCount).toBe(0);
    expect(stands).toBe(false);
  });
});

describe("send journal", () => {
  const bind = { kind: "send-batch" as const, endpoint: "http://127.0.0.1:1", account: "000000000000", queue: "u" };

  test("lines confirmed, failed, and in flight at a kill are told apart; a torn last record is unknown", () => {
    const path = join(dir, "j1.journal");
    const j = new SendJournal(Journal.open(path, bind, { sha256: "s", lines: 40 }, { fresh: true, fsyncMs: 0 }));
    j.started([1, 2, 3]);
    j.started([4, 5]);
    j.sent([1, 2]);
    j.failed([3]);
    j.started([6, 7]);
    j.journal.close();
    writeFileSync(path, readFileSync(path, "utf8") + 'abcdef012345 {"k":"S","l":[4,5]'); // killed mid-write: no newline
    const read = readJournal(path)!;
    const state = sendState(read);
    expect(read.header.meta).toEqual({ sha256: "s", lines: 40 });
    expect([1, 2, 3, 4, 6].map((n) => state.confirmed.has(n))).toEqual([true, true, false, false, false]);
    expect(state.failed.has(3)).toBe(true);
    expect([4, 5, 6, 7].every((n) => state.unknown.has(n))).toBe(true);
    expect(state.unknown.size).toBe(4);
    expect(state.unreadable).toBe(1);
  });

  test("no journal file: undefined", () => {
    expect(readJournal(join(dir, "missing.journal"))).toBeUndefined();
  });
});
