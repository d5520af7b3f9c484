import { describe, expect, test } from "vitest";
import { UsageError } from "../../src/errors.js";
import { colorWanted } from "../../src/output/color.js";
import type { OutputFormat } from "../../src/output/io.js";
import { displayWidth, fitWidths, layoutTable, stripAnsi, truncate, wrap } from "../../src/output/table.js";
import { keepTarget, targetFlags, targetFromArgv } from "../../src/output/target.js";
import { Ui, type Column } from "../../src/output/ui.js";
import { plural } from "../../src/core/text.js";
import { memoryIo } from "../helpers/memory-io.js";

function ui(opts: { env?: Record<string, string>; tty?: boolean; columns?: number; output?: OutputFormat; query?: string; quiet?: boolean; local?: boolean } = {}) {
  const m = memoryIo(opts.env ?? {}, { tty: opts.tty ?? false });
  if (opts.columns !== undefined) Object.assign(m.io.stdout, { columns: opts.columns });
  const u = new Ui(m.io, {
    color: true,
    ...(opts.output ? { output: opts.output } : {}),
    ...(opts.query !== undefined ? { query: opts.query } : {}),
    ...(opts.quiet ? { quiet: true } : {}),
    ...(opts.local ? { local: true } : {}),
  });
  return { ui: u, m };
}

interface Q { name: string; type: string; visible: number; inFlight: number; delayed: number; dlq: string; max: number }
// The `queues list` columns, with names as long as real ones get.
const queueColumns: Column<Q>[] = [
  { header: "Name", value: (q) => q.name },
  { header: "Type", value: (q) => q.type },
  { header: "Visible", value: (q) => q.visible, align: "right" },
  { header: "In flight", value: (q) => q.inFlight, align: "right" },
  { header: "Delayed", value: (q) => q.delayed, align: "right" },
  { header: "DLQ", value: (q) => q.dlq },
  { header: "Max receives", value: (q) => q.max, align: "right" },
];
const queues: Q[] = [
  { name: "payments-settlement-eu-west-1-prod", type: "standard", visible: 12, inFlight: 0, delayed: 0, dlq: "payments-settlement-eu-west-1-prod-dlq", max: 5 },
  { name: "payments-settlement-eu-west-1-prod-dlq", type: "standard (dlq)", visible: 1204, inFlight: 3, delayed: 0, dlq: "", max: 0 },
];

describe("tables fit the terminal", () => {
  test("GIVEN a queues table wider than 80 columns WHEN drawn on an 80-column terminal THEN no line is wider than 80 and no name is lost", () => {
    const wide = ui({ tty: true, columns: 200 });
    wide.ui.list(queues, queueColumns);
    const natural = Math.max(...wide.m.stdout.trimEnd().split("\n").map(displayWidth));
    expect(natural).toBeGreaterThan(80);

    const { ui: u, m } = ui({ tty: true, columns: 80 });
    u.list(queues, queueColumns);
    const lines = m.stdout.trimEnd().split("\n");
    for (const l of lines) expect(displayWidth(l), l).toBeLessThanOrEqual(80);
    // Wrapped, not cut: every character of every name is still there.
    expect(m.stdout).not.toContain("…");
    const laid = layoutTable(queueColumns.map((c) => c.header), queues.map((q) => queueColumns.map((c) => String(c.value(q) || "-"))), queueColumns.map(() => "wrap"), 80);
    expect(laid.rows.map((r) => r[0]!.replace(/\n/g, ""))).toEqual(queues.map((q) => q.name));
    expect(laid.rows[0]![0]).toContain("-\n"); // broken after a dash
  });

  test("preview columns marked truncate are cut with an ellipsis, not wrapped", () => {
    const { ui: u, m } = ui({ tty: true, columns: 80 });
    const rows = [{ id: "3f2a9c1e", body: "x".repeat(200) }];
    u.list(rows, [
      { header: "Message", value: (r) => r.id },
      { header: "Body", value: (r) => r.body, overflow: "truncate" },
    ]);
    const lines = m.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(5); // top, header, separator, one row, bottom
    expect(m.stdout).toContain("…");
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(80);
  });

  test("COLUMNS is used when the terminal does not say", () => {
    const { ui: u, m } = ui({ tty: true, env: { COLUMNS: "60" } });
    Object.assign(m.io.stdout, { columns: undefined });
    expect(u.width).toBe(60);
  });

  test("TERM=dumb draws ASCII borders", () => {
    const { ui: u, m } = ui({ tty: true, env: { TERM: "dumb" }, columns: 80 });
    u.list(queues, queueColumns);
    expect(m.stdout).toMatch(/^\+-+\+/);
    expect(m.stdout).not.toMatch(/[│┌┐└┘├┤┬┴┼─…]/);
  });

  test("piped tables are never cut, and an expression header is printed as written", () => {
    const { ui: u, m } = ui({ tty: false, columns: 40 });
    u.list([{ v: "Timeout", n: 3 }], [
      { header: "json.errorType", value: (r) => r.v, literal: true },
      { header: "Count", value: (r) => r.n, align: "right" },
    ]);
    expect(m.stdout.split("\n")[0]).toBe("json.errorType  COUNT");
  });

  test("layout helpers: fitWidths gives up the widest first; wrap and truncate respect the width", () => {
    expect(fitWidths([30, 10, 5], [6, 6, 5], 30)).toEqual([15, 10, 5]);
    expect(fitWidths([3, 3], [3, 3], 2)).toEqual([3, 3]);
    expect(wrap("orders (5), payments-eu (3)", 12)).toEqual(["orders (5),", "payments-eu", "(3)"]);
    expect(wrap("averyveryverylongname", 8)).toEqual(["averyver", "yverylon", "gname"]);
    expect(wrap("orders-dlq-eu", 8)).toEqual(["orders-", "dlq-eu"]);
    expect(truncate("héllo wörld", 6)).toBe("héllo…");
    expect(displayWidth("\u001b[33mdlq\u001b[39m")).toBe(3);
    expect(displayWidth("日本")).toBe(4);
    const l = layoutTable(["Name"], [["\u001b[33mpayments-settlement-dlq\u001b[39m"]], ["wrap"], 20);
    // Each wrapped line keeps its colour.
    expect(l.rows[0]![0]!.split("\n").every((line) => line.startsWith("\u001b[33m") && line.endsWith("\u001b[39m"))).toBe(true);
    expect(stripAnsi(l.rows[0]![0]!).replace(/\n/g, "")).toBe("payments-settlement-dlq");
  });
});

describe("colour", () => {
  test.each([
    ["a terminal", {}, true, true],
    ["piped", {}, false, false],
    ["FORCE_COLOR=1 piped", { FORCE_COLOR: "1" }, false, true],
    ["FORCE_COLOR empty piped", { FORCE_COLOR: "" }, false, true],
    ["FORCE_COLOR=0 on a terminal", { FORCE_COLOR: "0" }, true, false],
    ["NO_COLOR=1", { NO_COLOR: "1" }, true, false],
    ["an empty NO_COLOR is ignored", { NO_COLOR: "" }, true, true],
    ["NO_COLOR beats FORCE_COLOR", { NO_COLOR: "1", FORCE_COLOR: "1" }, true, false],
    ["TERM=dumb", { TERM: "dumb" }, true, false],
    ["FORCE_COLOR beats TERM=dumb", { TERM: "dumb", FORCE_COLOR: "1" }, true, true],
  ])("%s", (_name, env, tty, expected) => {
    expect(colorWanted(env as Record<string, string>, tty)).toBe(expected);
  });

  test("--no-color beats everything, and JSON is never coloured", () => {
    expect(colorWanted({ FORCE_COLOR: "1" }, true, false)).toBe(false);
    expect(ui({ tty: true, output: "json", env: { FORCE_COLOR: "1" } }).ui.colorEnabled).toBe(false);
    expect(ui({ tty: false, env: { FORCE_COLOR: "1" } }).ui.colorEnabled).toBe(true);
  });
});

describe("--query", () => {
  test("applies to the JSON document, and implies -o json", () => {
    const { ui: u, m } = ui({ query: "[].name" });
    expect(u.format).toBe("json");
    u.list(queues, queueColumns, (q) => ({ name: q.name, visible: q.visible }));
    expect(JSON.parse(m.stdout)).toEqual(queues.map((q) => q.name));
  });

  test("applies to each NDJSON line", () => {
    const { ui: u, m } = ui({ query: "body", output: "ndjson" });
    u.ndjsonLine({ body: "a" });
    u.ndjsonLines([{ body: "b" }, { nobody: 1 }]);
    expect(m.stdout).toBe('"a"\n"b"\nnull\n');
  });

  test("cannot be combined with -o table; a bad expression is a one-line usage error", () => {
    expect(() => ui({ query: "name", output: "table" })).toThrow(UsageError);
    let err: unknown;
    try {
      ui({ query: "[?visible > 0]" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toContain("--query");
    expect((err as Error).message).not.toMatch(/TypeError|undefined/);
  });
});

describe("notes and summaries", () => {
  test("-q silences notes and summaries of work, not warnings or errors", () => {
    const { ui: u, m } = ui({ quiet: true });
    u.info("note");
    u.success("purged orders");
    u.warn("careful");
    u.error("broken", "try this");
    expect(m.stderr).not.toContain("note");
    expect(m.stderr).not.toContain("purged");
    expect(m.stderr).toContain("warning: careful");
    expect(m.stderr).toContain("error: broken");
  });

  test("suggested commands keep the target the user gave", () => {
    const { ui: u, m } = ui({ local: true });
    u.info("Watch it: sqsctl dlq moves orders-dlq    Cancel it: sqsctl dlq cancel H");
    u.info("Start the server: sqsctl local; sqsctl's own journal");
    expect(m.stderr).toContain("sqsctl --local dlq moves orders-dlq");
    expect(m.stderr).toContain("sqsctl --local dlq cancel H");
    expect(m.stderr).toContain("Start the server: sqsctl local; sqsctl's own journal");
    expect(keepTarget("try 'sqsctl queues list'", targetFlags({ endpointUrl: "http://127.0.0.1:9324", region: "eu-west-1" }))).toBe(
      "try 'sqsctl --endpoint-url http://127.0.0.1:9324 --region eu-west-1 queues list'",
    );
    expect(targetFromArgv(["purge", "q", "--endpoint-url=http://h:1", "--profile", "dev"])).toEqual(["--endpoint-url", "http://h:1", "--profile", "dev"]);
    expect(keepTarget("sqsctl queues list", [])).toBe("sqsctl queues list");
  });

  test("one plural helper", () => {
    expect(plural(1, "message")).toBe("1 message");
    expect(plural(0, "message")).toBe("0 messages");
    expect(plural(1200, "message")).toBe("1,200 messages");
    expect(plural(2, "entry", "entries")).toBe("2 entries");
  });
});
