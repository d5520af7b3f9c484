import { describe, expect, test } from "vitest";
import { attributeSummary, formatAge, matches, oneLine, renderRow, shortId, textWidth, truncate, windowStart, type ListItem } from "../../src/browse/list.js";
import { initialState, listRows, reduce, renderPicker, visibleItems, type Key, type PickerState } from "../../src/browse/picker-state.js";

const NOW = Date.parse("2026-11-22T12:00:00Z");

function item(n: number, extra: Partial<ListItem["envelope"]> = {}): ListItem {
  const id = `${String(n).padStart(8, "0")}-aaaa-bbbb-cccc-dddddddddddd`;
  return {
    id,
    envelope: {
      messageId: id,
      body: JSON.stringify({ n, tag: `tag-${n}` }),
      receiveCount: 1,
      sentAt: new Date(NOW - (n + 1) * 60_000).toISOString(),
      messageAttributes: { kind: { DataType: "String", StringValue: n % 2 ? "odd" : "even" } },
      ...extra,
    },
  };
}

const k = (name: string, sequence?: string): Key => ({ name, sequence: sequence ?? (name.length === 1 ? name : undefined) });
const press = (s: PickerState, ...keys: Key[]) => keys.reduce((acc, key) => reduce(acc, key).state, s);

describe("list rows", () => {
  test("formatAge picks the largest whole unit", () => {
    expect(formatAge(new Date(NOW - 42_000).toISOString(), NOW)).toBe("42s");
    expect(formatAge(new Date(NOW - 5 * 60_000).toISOString(), NOW)).toBe("5m");
    expect(formatAge(new Date(NOW - 3 * 3_600_000).toISOString(), NOW)).toBe("3h");
    expect(formatAge(new Date(NOW - 2 * 86_400_000).toISOString(), NOW)).toBe("2d");
    expect(formatAge(undefined, NOW)).toBe("?");
  });

  test("oneLine flattens whitespace and drops terminal control characters", () => {
    expect(oneLine("a\n\tb  c\r\n")).toBe("a b c");
    expect(oneLine("x\u001b[31mred\u0007")).toBe("x[31mred");
  });

  test("truncate cuts by characters and marks the cut", () => {
    expect(truncate("abcdef", 4)).toBe("abc…");
    expect(truncate("abc", 4)).toBe("abc");
    expect(truncate("ééééé", 3)).toBe("éé…");
  });

  test("wide characters count two columns, so a row with CJK or emoji still fits", () => {
    expect(textWidth("注文🙂a")).toBe(7);
    expect(truncate("注文注文注文", 7)).toBe("注文注…");
    const row = renderRow(item(1, { body: "注文".repeat(60) }), { now: NOW, width: 50, active: false, checked: false });
    expect(textWidth(row)).toBeLessThanOrEqual(49);
  });

  test("attributeSummary shows two attributes and how many more", () => {
    const e = item(1, {
      messageAttributes: {
        a: { DataType: "String", StringValue: "1" },
        b: { DataType: "Binary", BinaryValue: "AA==" },
        c: { DataType: "Number", StringValue: "3" },
      },
    }).envelope;
    expect(attributeSummary(e)).toBe("a=1 b=<binary> +1");
  });

  test("a row has short id, age, receive count, attributes and the start of the body, and never exceeds the width", () => {
    const row = renderRow(item(4, { receiveCount: 7, body: `{"n":4,"text":"${"x".repeat(100)}"}` }), { now: NOW, width: 60, active: true, checked: true });
    expect(row.startsWith('❯ ◉ 00000004  5m ×7  kind=even {"n":4,"text":"xxx')).toBe(true);
    expect(Array.from(row).length).toBeLessThanOrEqual(59);
    expect(row.endsWith("…")).toBe(true);
    const narrow = renderRow(item(1), { now: NOW, width: 30, active: false, checked: false });
    expect(Array.from(narrow).length).toBeLessThanOrEqual(29);
    expect(narrow.startsWith("  ◯ 00000001")).toBe(true);
  });

  test("a message whose hold lapsed is marked with !", () => {
    expect(renderRow({ ...item(2), lost: true }, { now: NOW, width: 80, active: false, checked: false })).toContain("◯!00000002");
  });

  test("shortId is the first eight characters", () => {
    expect(shortId("3f2a9c1e-1111-2222")).toBe("3f2a9c1e");
  });

  test("search matches every word, case-insensitively, over id, body, group and attributes", () => {
    const it = item(3, { groupId: "tenant-9" });
    expect(matches(it, "TAG-3")).toBe(true);
    expect(matches(it, "kind=odd tenant-9")).toBe(true);
    expect(matches(it, "00000003")).toBe(true);
    expect(matches(it, "tag-3 even")).toBe(false);
    expect(matches(it, "  ")).toBe(true);
  });

  test("windowStart keeps the cursor visible and moves as little as possible", () => {
    expect(windowStart(0, 5, 10)).toBe(0);
    expect(windowStart(12, 30, 10, 0)).toBe(3);
    expect(windowStart(5, 30, 10, 3)).toBe(3);
    expect(windowStart(2, 30, 10, 3)).toBe(2);
    expect(windowStart(29, 30, 10, 25)).toBe(20);
  });
});

describe("picker keys", () => {
  const items = [item(0), item(1), item(2), item(3)];

  test("arrows move within bounds; space toggles; enter acts on the selection in list order", () => {
    let s = initialState(items);
    s = press(s, k("up"), k("down"), k("down"), k("space"), k("up"), k("up"), k("space"));
    expect(s.cursor).toBe(0);
    expect([...s.checked]).toEqual([items[2]!.id, items[0]!.id]);
    const r = reduce(s, k("return"));
    expect(r.result).toEqual({ kind: "act", ids: [items[0]!.id, items[2]!.id] });
  });

  test("enter with nothing selected acts on the message under the cursor", () => {
    const s = press(initialState(items), k("down"));
    expect(reduce(s, k("return")).result).toEqual({ kind: "act", ids: [items[1]!.id] });
  });

  test("q and Esc leave; r asks for more messages; other letters only show a hint", () => {
    const s = initialState(items);
    expect(reduce(s, k("r")).result).toEqual({ kind: "reload" });
    expect(reduce(press(s, k("down")), k("v")).result).toEqual({ kind: "view", ids: [items[1]!.id] });
    expect(reduce(s, k("q")).result).toEqual({ kind: "quit" });
    expect(reduce(s, k("escape")).result).toEqual({ kind: "quit" });
    const x = reduce(s, k("x"));
    expect(x.result).toBeUndefined();
    expect(x.state.note).toContain("Press / to search");
  });

  test("/ starts a search: letters (q and space included) go to the query, enter keeps it, Esc clears it", () => {
    let s = press(initialState(items), k("/"), k("t"), k("a"), k("g"), k("-"), k("2"));
    expect(s.searching).toBe(true);
    expect(visibleItems(s).map((i) => i.id)).toEqual([items[2]!.id]);
    s = press(s, k("backspace"), k("3"));
    expect(s.query).toBe("tag-3");
    s = press(s, k("return"));
    expect(s.searching).toBe(false);
    expect(s.query).toBe("tag-3");
    expect(reduce(s, k("return")).result).toEqual({ kind: "act", ids: [items[3]!.id] });
    s = press(s, k("/"), k("q"), k("space", " "));
    expect(s.query).toBe("tag-3q ");
    s = press(s, k("escape"));
    expect(s).toMatchObject({ searching: false, query: "" });
  });

  test("a selects every shown message, a again clears them; tab selects and moves while searching", () => {
    let s = press(initialState(items), k("/"), k("o"), k("d"), k("d"), k("return"), k("a"));
    expect([...s.checked]).toEqual([items[1]!.id, items[3]!.id]);
    s = press(s, k("a"));
    expect(s.checked.size).toBe(0);
    s = press(s, k("/"), k("tab"));
    expect(s.checked.has(items[1]!.id)).toBe(true);
    expect(s.cursor).toBe(1);
  });

  test("a search that matches nothing cannot be acted on", () => {
    const s = press(initialState(items), k("/"), k("z"), k("z"), k("return"));
    const r = reduce(s, k("return"));
    expect(r.result).toBeUndefined();
    expect(r.state.note).toBe("Nothing to act on here.");
  });

  test("returning to the list keeps the cursor and drops selected ids that were acted on", () => {
    const s = initialState([items[0]!, items[2]!], { cursor: 3, checked: new Set([items[1]!.id, items[2]!.id]), query: "" });
    expect(s.cursor).toBe(1);
    expect([...s.checked]).toEqual([items[2]!.id]);
  });
});

describe("picker screen", () => {
  const many = Array.from({ length: 50 }, (_, i) => item(i));

  test("fits the terminal: title, a window of rows, status and help", () => {
    const s = press(initialState(many), k("pagedown"), k("pagedown"), k("space"));
    const view = renderPicker(s, { title: "orders-dlq", width: 80, rows: 20, now: NOW });
    const lines = [view.top, ...view.bottom.split("\n")];
    expect(lines.length).toBeLessThanOrEqual(19);
    expect(view.bottom.split("\n").length).toBe(listRows(20) + 2);
    expect(view.bottom).toContain("❯ ◉ 00000020");
    expect(view.bottom).toContain("50 held · showing 6-21 of 50 · 1 selected · enter acts on the 1 selected");
    expect(view.bottom).toContain("space select");
    for (const l of lines) expect(Array.from(l).length).toBeLessThan(80);
  });

  test("shows the search and the number of matches, and says when nothing matches", () => {
    const s = press(initialState(many), k("/"), k("t"), k("a"), k("g"), k("-"), k("4"), k("9"));
    const view = renderPicker(s, { title: "q", width: 80, rows: 20, now: NOW });
    expect(view.top).toBe("q  search: tag-49");
    expect(view.bottom).toContain("50 held · 1 match · 0 selected");
    expect(view.bottom).toContain("esc clear search");
    const none = renderPicker(press(s, k("x")), { title: "q", width: 80, rows: 20, now: NOW });
    expect(none.bottom).toContain('(no message matches "tag-49x")');
  });
});
