import { describe, expect, test } from "vitest";
import { attrFlagValue, parseAttrFlag, parseInputLine, type InputRules } from "../../src/core/message-input.js";

const std: InputRules = { raw: false, fifo: false, contentBasedDedup: false, maxMessageSize: 1_048_576 };
const fifo: InputRules = { ...std, fifo: true };

function reason(text: string, rules = std): string {
  const r = parseInputLine(text, 7, rules);
  if (r.kind !== "invalid") throw new Error(`expected invalid, got ${JSON.stringify(r)}`);
  return r.reason;
}

describe("parseInputLine", () => {
  test("accepts an envelope with short-form attributes and expands them", () => {
    const r = parseInputLine(JSON.stringify({ body: "hi", messageAttributes: { s: "v", n: 3, b: { DataType: "Binary", BinaryValue: "AAE=" } } }), 3, std);
    expect(r).toEqual({
      kind: "entry",
      entry: {
        line: 3,
        body: "hi",
        size: 2 + (1 + 6 + 1) + (1 + 6 + 1) + (1 + 6 + 2),
        attributes: {
          s: { DataType: "String", StringValue: "v" },
          n: { DataType: "Number", StringValue: "3" },
          b: { DataType: "Binary", BinaryValue: "AAE=" },
        },
      },
    });
  });

  test("ignores the fields an export writes, so exports re-import", () => {
    const r = parseInputLine(JSON.stringify({ messageId: "x", body: "b", receiveCount: 4, sentAt: "2026-01-01T00:00:00Z", sequenceNumber: "1" }), 1, std);
    expect(r.kind).toBe("entry");
  });

  test("ignores the receipt handle receive -o json prints, so its output can be sent again", () => {
    const r = parseInputLine(JSON.stringify({ messageId: "x", body: "b", receiptHandle: "AQEB..." }), 1, std);
    expect(r.kind).toBe("entry");
  });

  test("names what is wrong with a bad line", () => {
    expect(reason("not json")).toMatch(/^not valid JSON/);
    expect(reason("[1,2]")).toBe('expected a JSON object like {"body": "..."}, got an array');
    expect(reason('{"bdy": "x"}')).toMatch(/unknown field "bdy"/);
    expect(reason('{"messageAttributes": {}}')).toBe('"body" is missing');
    expect(reason('{"body": ""}')).toMatch(/the body is empty/);
    expect(reason('{"body": "a\\u0000b"}')).toBe("the body has a character SQS rejects: U+0000 at offset 1");
    expect(reason('{"body": "x", "delaySeconds": 901}')).toMatch(/delaySeconds/);
    expect(reason('{"body": "x", "messageAttributes": {"n": {"DataType": "Number", "StringValue": "abc"}}}')).toMatch(/is not a number/);
    expect(reason('{"body": "x", "messageAttributes": {"AWS.x": "v"}}')).toMatch(/must not start with "AWS."/);
  });

  test("at most 10 attributes", () => {
    const attrs = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, "v"]));
    expect(reason(JSON.stringify({ body: "x", messageAttributes: attrs }))).toBe("11 message attributes; SQS allows at most 10");
  });

  test("checks the size against the queue's own limit, attributes included", () => {
    const rules = { ...std, maxMessageSize: 1024 };
    expect(parseInputLine(JSON.stringify({ body: "x".repeat(1024) }), 1, rules).kind).toBe("entry");
    expect(reason(JSON.stringify({ body: "x".repeat(1020), messageAttributes: { k: "v" } }), rules)).toMatch(/over the queue's MaximumMessageSize of 1 KiB/);
  });

  test("FIFO: needs a group, derives a stable dedup id, refuses per-message delay", () => {
    expect(reason('{"body": "x"}', fifo)).toMatch(/no groupId/);
    const a = parseInputLine('{"body": "x"}', 5, { ...fifo, defaultGroupId: "g" });
    const b = parseInputLine('{"body": "x"}', 5, { ...fifo, defaultGroupId: "g" });
    expect(a.kind === "entry" && a.entry.groupId).toBe("g");
    expect(a.kind === "entry" && a.entry.dedupId).toMatch(/^[0-9a-f]{64}$/);
    expect(a).toEqual(b);
    const cbd = parseInputLine('{"body": "x", "groupId": "g"}', 5, { ...fifo, contentBasedDedup: true });
    expect(cbd.kind === "entry" && cbd.entry.dedupId).toBeUndefined();
    expect(reason('{"body": "x", "groupId": "g", "delaySeconds": 5}', fifo)).toMatch(/not allowed on a FIFO queue/);
    expect(reason('{"body": "x", "groupId": "has space"}', fifo)).toMatch(/"groupId" may contain only/);
  });

  test("standard queue: group and dedup ids from a FIFO export are dropped", () => {
    const r = parseInputLine('{"body": "x", "groupId": "g", "dedupId": "d"}', 1, std);
    expect(r).toEqual({ kind: "entry", entry: { line: 1, body: "x", size: 1 } });
  });

  test("raw mode: the line is the body; blank lines are skipped; CRLF is trimmed", () => {
    const raw = { ...std, raw: true };
    expect(parseInputLine('{"not": "parsed"}\r', 2, raw)).toEqual({ kind: "entry", entry: { line: 2, body: '{"not": "parsed"}', size: 17 } });
    expect(parseInputLine("", 3, raw)).toEqual({ kind: "blank" });
    expect(parseInputLine("   ", 3, std)).toEqual({ kind: "blank" });
  });
});

describe("parseAttrFlag", () => {
  test("String by default, typed with a colon, files with @", () => {
    expect(parseAttrFlag("source=web")).toEqual({ name: "source", dataType: "String", value: "web" });
    expect(parseAttrFlag("n:Number=3")).toEqual({ name: "n", dataType: "Number", value: "3" });
    expect(parseAttrFlag("eq=a=b")).toEqual({ name: "eq", dataType: "String", value: "a=b" });
    expect(parseAttrFlag("blob:Binary=@x.bin")).toEqual({ name: "blob", dataType: "Binary", file: "x.bin" });
    expect(attrFlagValue({ name: "blob", dataType: "Binary", file: "x" }, new Uint8Array([0, 1]))).toEqual({ DataType: "Binary", BinaryValue: "AAE=" });
  });

  test("rejects what is not an attribute", () => {
    expect(parseAttrFlag("novalue")).toMatch(/not NAME=VALUE/);
    expect(parseAttrFlag("k:Float=1")).toMatch(/"Float" is not a type/);
    expect(parseAttrFlag("bad name=1")).toMatch(/names may contain only/);
  });
});
