import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { recordCounts } from "../../src/commands/dlq/count-history.js";
import { growthText } from "../../src/commands/dlq/triage.js";
import type { Envelope } from "../../src/core/envelope.js";
import { compileExpression, compileFilter } from "../../src/core/filter.js";
import { describeGrowth, growthBetween } from "../../src/core/growth.js";
import { shellQuote } from "../../src/core/shell.js";
import { ALL_KEY, chooseBucket, estimate, groupFilter, TriageAggregator } from "../../src/core/triage.js";
import { triageReport, type TriageReportInput } from "../../src/output/report.js";

const T0 = Date.UTC(2026, 10, 29, 12, 0);
const MIN = 60_000;
const env = (n: number, minute: number, json: Record<string, unknown>, extra: Partial<Envelope> = {}): Envelope => ({
  messageId: `m${n}`,
  body: JSON.stringify({ n, ...json }),
  sentAt: new Date(T0 + minute * MIN).toISOString(),
  receiveCount: 4,
  ...extra,
});

describe("TriageAggregator", () => {
  test("groups by the --group-by value with count, first/last sent, sources, receive counts and one sample", () => {
    // GIVEN envelopes of two kinds, one naming its source queue
    const agg = new TriageAggregator({ groupBy: compileExpression("json.errorType", "--group-by"), knownSources: ["orders"] });
    agg.add(env(1, 10, { errorType: "Timeout" }, { messageAttributes: { channel: { DataType: "String", StringValue: "web" } } }));
    agg.add(env(2, 5, { errorType: "Timeout" }, { receiveCount: 7, sourceQueueArn: "arn:aws:sqs:us-east-1:123456789012:payments" }));
    agg.add(env(3, 30, { errorType: "Timeout" }, { firstReceivedAt: new Date(T0 + 31 * MIN).toISOString() }));
    agg.add(env(4, 20, {}));
    // WHEN the result is read
    const [timeout, none] = agg.result();
    // THEN
    expect(agg.total).toBe(4);
    expect(timeout).toMatchObject({
      key: "Timeout",
      value: "Timeout",
      count: 3,
      firstSeen: new Date(T0 + 5 * MIN).toISOString(),
      lastSeen: new Date(T0 + 30 * MIN).toISOString(),
      firstReceived: { first: new Date(T0 + 31 * MIN).toISOString(), last: new Date(T0 + 31 * MIN).toISOString() },
      sources: { orders: 2, payments: 1 },
      receiveCount: { min: 4, max: 7, distribution: { "4": 2, "7": 1 } },
    });
    expect(timeout!.sample).toMatchObject({ messageId: "m1", attributes: ["channel"], truncated: false });
    expect(none).toMatchObject({ key: "(none)", value: null, count: 1 });
    // "still happening?": how many of each were sent in the hour before a given time
    expect(agg.result(T0 + 70 * MIN).map((g) => g.lastHour)).toEqual([2, 1]);
    expect(agg.result(T0 + 31 * MIN).map((g) => g.lastHour)).toEqual([3, 1]);
  });

  test("without --group-by there is one group; an unknown source is (unknown) when the DLQ has several", () => {
    const agg = new TriageAggregator({ knownSources: ["a", "b"] });
    agg.add(env(1, 0, {}));
    agg.add(env(2, 1, {}));
    expect(agg.result()).toMatchObject([{ key: ALL_KEY, count: 2, sources: { "(unknown)": 2 } }]);
  });

  test("sources known only after messages were added (dlq inspect reads them beside its scan) still name the messages that name none", () => {
    // GIVEN an aggregator fed before the DLQ's sources are known
    const agg = new TriageAggregator({ groupBy: compileExpression("json.errorType", "--group-by") });
    agg.add(env(1, 0, { errorType: "Timeout" }));
    agg.add(env(2, 1, { errorType: "Timeout" }, { sourceQueueArn: "arn:aws:sqs:us-east-1:123456789012:orders" }));
    agg.add(env(3, 2, { errorType: "Invalid" }, { sourceQueueArn: "arn:aws:sqs:us-east-1:123456789012:payments" }));
    expect(agg.result().map((g) => g.sources)).toEqual([{ "(unknown)": 1, orders: 1 }, { payments: 1 }]);
    // WHEN they turn out to be one queue
    agg.knowSources(["orders"]);
    // THEN the unnamed message counts for it, merged with the one that named it
    expect(agg.result().map((g) => g.sources)).toEqual([{ orders: 2 }, { payments: 1 }]);
    // AND with several, it is (unknown), as when they were known from the start
    agg.knowSources(["orders", "payments"]);
    expect(agg.result()[0]!.sources).toEqual({ "(unknown)": 1, orders: 1 });
  });

  test("keeps only a shortened sample body, never splitting a surrogate pair", () => {
    const agg = new TriageAggregator({ sampleChars: 10 });
    agg.add({ messageId: "x", body: `123456789\u{1F600}tail` });
    agg.add({ messageId: "y", body: "z".repeat(10_000) });
    const s = agg.result()[0]!.sample;
    expect(s).toMatchObject({ messageId: "x", body: "123456789…", truncated: true, bodyChars: 15 });
  });

  test("aggregates 100k envelopes one at a time with one sample per group (counts, not bodies)", () => {
    const agg = new TriageAggregator({ groupBy: compileExpression("json.k", "--group-by") });
    for (let i = 0; i < 100_000; i++) agg.add({ messageId: `m${i}`, body: `{"k":"g${i % 3}","pad":"${"x".repeat(100)}"}`, sentAt: new Date(T0 + (i % 600) * 1000).toISOString() });
    const groups = agg.result();
    expect(groups.map((g) => g.count)).toEqual([33_334, 33_333, 33_333]);
    expect(groups.map((g) => g.sample.messageId)).toEqual(["m0", "m1", "m2"]);
    const tl = agg.timeline({ now: T0 + 600_000 });
    expect(tl.buckets.reduce((a, b) => a + b.total, 0)).toBe(100_000);
  });
});

describe("timeline buckets", () => {
  test("the bucket size follows the span: minutes for an hour, a quarter hour for six hours, hours for days", () => {
    expect(chooseBucket(20 * MIN, 30).label).toBe("1m");
    expect(chooseBucket(60 * MIN, 30).label).toBe("5m");
    expect(chooseBucket(6 * 60 * MIN, 30).label).toBe("15m");
    expect(chooseBucket(3 * 24 * 60 * MIN, 30).label).toBe("3h");
    expect(chooseBucket(14 * 24 * 60 * MIN, 30).label).toBe("12h");
    expect(chooseBucket(60 * 24 * 60 * MIN, 30).label).toBe("7d");
  });

  test("runs to now when the failures are recent, so an empty last row means it stopped", () => {
    const agg = new TriageAggregator({ groupBy: compileExpression("json.e", "--group-by") });
    for (let m = 0; m < 60; m += 5) agg.add(env(m, m, { e: m < 30 ? "A" : "B" }));
    const tl = agg.timeline({ now: T0 + 100 * MIN });
    expect(tl.bucket).toBe("5m");
    expect(tl.start).toBe(new Date(T0).toISOString());
    expect(tl.buckets).toHaveLength(21);
    expect(tl.buckets.at(-1)).toMatchObject({ total: 0 });
    expect(tl.buckets[0]).toMatchObject({ total: 1, counts: { A: 1 } });
    expect(tl.buckets[11]).toMatchObject({ total: 1, counts: { B: 1 } });
    expect(tl.quietSince).toBeNull();
  });

  test("failures that stopped long ago keep their detail and say when they stopped", () => {
    const agg = new TriageAggregator();
    for (let m = 0; m < 30; m++) agg.add(env(m, m, {}));
    const tl = agg.timeline({ now: T0 + 10 * 24 * 60 * MIN });
    expect(tl.bucket).toBe("1m");
    expect(tl.quietSince).toBe(new Date(T0 + 29 * MIN).toISOString());
  });

  test("more groups than the chart names are folded into (other)", () => {
    const agg = new TriageAggregator({ groupBy: compileExpression("json.e", "--group-by") });
    for (let i = 0; i < 8; i++) for (let j = 0; j <= i; j++) agg.add(env(i * 10 + j, i, { e: `E${i}` }));
    const tl = agg.timeline({ now: T0 + 10 * MIN, maxGroups: 5 });
    expect(tl.groups).toEqual(["E7", "E6", "E5", "E4", "(other)"]);
    expect(tl.buckets.reduce((a, b) => a + (b.counts["(other)"] ?? 0), 0)).toBe(1 + 2 + 3 + 4);
  });
});

describe("groupFilter", () => {
  const msgs = [env(1, 0, { e: "Timeout" }), env(2, 0, { e: "it's bad" }), env(3, 0, { e: 42 }), env(4, 0, {}), env(5, 0, { e: "" }), env(6, 0, { e: "Timeout", x: 1 })];
  test.each([
    ["Timeout", "Timeout", "json.e == 'Timeout'"],
    ["it's bad", "it's bad", "json.e == 'it\\'s bad'"],
    ["42", 42, "json.e == `42`"],
    ["(none)", null, "json.e == `null` || json.e == ''"],
  ])("the filter for group %s selects exactly that group", (key, value, expected) => {
    const f = groupFilter("json.e", { key, value })!;
    expect(f).toBe(expected);
    const by = compileExpression("json.e", "--group-by");
    const agg = new TriageAggregator({ groupBy: by });
    for (const m of msgs) agg.add(m);
    const want = agg.result().find((g) => g.key === key)!.count;
    expect(msgs.filter(compileFilter(f)).length).toBe(want);
  });

  test("keeps the user's --filter and parenthesises an expression that is not a plain path", () => {
    expect(groupFilter("json.e || json.f", { key: "A", value: "A" }, "receiveCount > `3`")).toBe("(receiveCount > `3`) && ((json.e || json.f) == 'A')");
    expect(groupFilter(undefined, { key: ALL_KEY, value: null }, "json.x")).toBe("json.x");
    expect(groupFilter(undefined, { key: ALL_KEY, value: null })).toBeUndefined();
  });

  test("estimates scale sampled counts to the queue", () => {
    expect(estimate(10, 50, 1000)).toBe(200);
    expect(estimate(3, 3, 1)).toBe(3);
  });
});

describe("shellQuote", () => {
  test.each(["orders-dlq", "json.errorType == 'Timeout'", "a \"b\" $HOME `x` !y", "it's \"both\"", "json.e == `42`", "tab\there"])(
    "bash reads %s back unchanged",
    (arg) => {
      const r = spawnSync("bash", ["-c", `printf '%s' ${shellQuote(arg)}`], { encoding: "utf8" });
      expect(r.stdout).toBe(arg);
    },
  );
});

describe("growth", () => {
  test("describes the change between two counts", () => {
    expect(describeGrowth(growthBetween({ at: 0, total: 10 }, { at: 300_000, total: 52 }, "interval"))).toBe("+42 in the last 5 min");
    expect(describeGrowth(growthBetween({ at: 0, total: 10 }, { at: 12_000, total: 10 }, "scan"))).toBe("no change during this 12s scan");
    expect(describeGrowth(growthBetween({ at: 0, total: 10 }, { at: 7_200_000, total: 7 }, "previous-run"))).toBe("-3 since the previous look 2 h ago");
  });

  test("inspect's growth line: the previous look first, a trivial scan left out, nothing made up when interrupted", () => {
    const prev = growthBetween({ at: 0, total: 10 }, { at: 300_000, total: 52 }, "previous-run");
    const scan = (seconds: number, delta = 0) => growthBetween({ at: 0, total: 5 }, { at: seconds * 1000, total: 5 + delta }, "scan");
    expect(growthText({ sincePrevious: prev, duringScan: scan(1) })).toBe("+42 since the previous look 5 min ago");
    expect(growthText({ sincePrevious: prev, duringScan: scan(1, 2) })).toBe("+42 since the previous look 5 min ago; +2 during this 1s scan");
    expect(growthText({ sincePrevious: null, duringScan: null })).toBe("first look (the next one shows the change since this one)");
  });

  test("the count history returns the previous look's count and survives a corrupt file", () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "sqsctl-counts-"));
    try {
      const e = { SQSCTL_HOME: home };
      expect(recordCounts(e, "http://x", [{ arn: "arn:q", sample: { at: Date.now() - 1000, total: 5 } }]).get("arn:q")).toBeUndefined();
      expect(recordCounts(e, "http://x", [{ arn: "arn:q", sample: { at: Date.now(), total: 9 } }]).get("arn:q")).toMatchObject({ total: 5 });
      // another endpoint is another queue
      expect(recordCounts(e, "http://y", [{ arn: "arn:q", sample: { at: Date.now(), total: 1 } }]).get("arn:q")).toBeUndefined();
      fs.writeFileSync(path.join(home, "dlq-counts.json"), "{not json");
      const errors: string[] = [];
      expect(recordCounts(e, "http://x", [{ arn: "arn:q", sample: { at: Date.now(), total: 9 } }], (m) => errors.push(m)).get("arn:q")).toBeUndefined();
      expect(errors.join()).toContain("dlq-counts.json");
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});

describe("triageReport", () => {
  const agg = new TriageAggregator({ groupBy: compileExpression("json.errorType", "--group-by"), knownSources: ["orders"] });
  agg.add(env(1, 0, { errorType: "Timeout", email: "jane@example.com" }, { messageAttributes: { trace: { DataType: "String", StringValue: "t" } } }));
  agg.add(env(2, 3, { errorType: "Bad|Pipe ```x```" }));
  const input = (bodies: boolean): TriageReportInput => ({
    queue: { name: "orders-dlq", url: "https://sqs.us-east-1.amazonaws.com/123456789012/orders-dlq" },
    snapshotAt: new Date(T0 + 5 * MIN).toISOString(),
    command: ["sqsctl", "dlq", "inspect", "orders-dlq", "--group-by", "json.errorType"],
    scanned: 2,
    complete: true,
    approximateTotal: 2,
    sampled: false,
    groupBy: "json.errorType",
    filter: undefined,
    groups: agg.result(),
    timeline: ["chart line"],
    growth: "+2 in the last 5 min",
    connection: ["--region", "us-east-1"],
    bodies,
  });

  test("has the queue, time, totals, group table, timeline block, a sample each and the redrive commands", () => {
    const md = triageReport(input(true));
    expect(md).toContain("# DLQ triage: orders-dlq");
    expect(md).toContain("2026-11-29 12:05:00 UTC");
    expect(md).toContain("2 total, all 2 messages in the DLQ");
    expect(md).toContain("| Timeout | 1 | 50.0 | 2026-11-29 12:00:00 UTC | 2026-11-29 12:00:00 UTC | - | 4 | orders (1) |");
    expect(md).toContain("| Bad\\|Pipe \\`\\`\\`x\\`\\`\\` | 1 |");
    expect(md).toContain("```text\nchart line\n```");
    expect(md).toContain("jane@example.com");
    // a body holding ``` gets a longer fence
    expect(md).toContain("````json\n");
    expect(md).toContain(`sqsctl --region us-east-1 dlq redrive orders-dlq --filter "json.errorType == 'Timeout'" --dry-run`);
    expect(md).toContain("Attributes: `trace`");
  });

  test("--no-bodies leaves every body out", () => {
    const md = triageReport(input(false));
    expect(md).not.toContain("jane@example.com");
    expect(md).not.toContain('"n":1');
    expect(md).toContain("Bodies left out");
  });
});
