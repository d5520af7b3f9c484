import { describe, expect, test } from "vitest";
import { layout, messageLines, prettyBody, reduceViewer, renderViewer, safeText, wrap } from "../../src/browse/viewer.js";
import type { Envelope } from "../../src/core/envelope.js";

const NOW = Date.parse("2026-11-22T12:00:00Z");
const env: Envelope = {
  messageId: "3f2a9c1e-1111-2222-3333-444455556666",
  body: '{"orderId":42,"error":{"type":"Timeout"}}',
  receiveCount: 4,
  sentAt: "2026-11-22T09:00:00.000Z",
  groupId: "g1",
  messageAttributes: {
    reason: { DataType: "String", StringValue: "Timeout" },
    blob: { DataType: "Binary", BinaryValue: "AAEC" },
  },
};

describe("view content", () => {
  test("a JSON body is pretty-printed; anything else is shown as it is", () => {
    expect(prettyBody('{"a":[1,2]}')).toEqual({ text: '{\n  "a": [\n    1,\n    2\n  ]\n}', json: true });
    expect(prettyBody("{not json")).toEqual({ text: "{not json", json: false });
    expect(prettyBody("plain")).toEqual({ text: "plain", json: false });
  });

  test("control characters that could drive the terminal are removed, newlines kept", () => {
    expect(safeText("a\u001b[2Jb\r\nc\td\u0007")).toBe("a[2Jb\nc  d");
  });

  test("shows the fields, every attribute with its type, and the body", () => {
    const text = messageLines(env, NOW).map((l) => l.text).join("\n");
    expect(text).toContain("MessageId    3f2a9c1e-1111-2222-3333-444455556666");
    expect(text).toContain("sent         2026-11-22T09:00:00.000Z (3h ago)");
    expect(text).toContain("receives     4");
    expect(text).toContain("group        g1");
    expect(text).toContain("Attributes (2)");
    expect(text).toMatch(/reason {2}String +Timeout/);
    expect(text).toMatch(/blob {4}Binary +AAEC \(base64\)/);
    expect(text).toContain("Body (41 bytes, JSON)");
    expect(text).toContain('    "type": "Timeout"');
  });

  test("long lines wrap to the width so nothing wraps on screen", () => {
    expect(wrap("abcdefg", 3)).toEqual(["abc", "def", "g"]);
    expect(wrap("注文注文a", 5)).toEqual(["注文", "注文a"]);
    const lines = layout([{ text: "x".repeat(25), kind: "text" }], 10);
    expect(lines).toEqual(["xxxxxxxxxx", "xxxxxxxxxx", "xxxxx"]);
  });
});

describe("viewer keys and screen", () => {
  const dims = { count: 2, lines: 50, page: 10 };

  test("scrolls within bounds, pages, and switches message", () => {
    let s = { index: 0, offset: 0 };
    s = reduceViewer(s, { name: "up" }, dims).state;
    expect(s.offset).toBe(0);
    s = reduceViewer(s, { name: "pagedown" }, dims).state;
    expect(s.offset).toBe(10);
    s = reduceViewer(s, { name: "end" }, dims).state;
    expect(s.offset).toBe(40);
    s = reduceViewer(s, { name: "right" }, dims).state;
    expect(s).toEqual({ index: 1, offset: 0 });
    s = reduceViewer(s, { name: "right" }, dims).state;
    expect(s.index).toBe(1);
  });

  test("q, Esc, Enter and Backspace go back", () => {
    for (const key of [{ name: "q", sequence: "q" }, { name: "escape" }, { name: "return" }, { name: "backspace" }]) {
      expect(reduceViewer({ index: 0, offset: 0 }, key, dims).result).toBe("back");
    }
  });

  test("a screen is never taller than the terminal", () => {
    const big: Envelope = { ...env, body: JSON.stringify(Array.from({ length: 100 }, (_, i) => ({ i }))) };
    const v = renderViewer([big, env], { index: 0, offset: 5 }, { width: 60, rows: 20, now: NOW });
    expect(1 + v.bottom.split("\n").length).toBeLessThanOrEqual(19);
    expect(v.top).toMatch(/^Message 1 of 2 · lines 6-22 of \d+$/);
    expect(v.bottom).toContain("←→ message");
  });
});
