import { describe, expect, test } from "vitest";
import { compileExpression } from "../../src/core/filter.js";
import { TriageAggregator, type Timeline } from "../../src/core/triage.js";
import { allocate, renderTimeline } from "../../src/output/timeline.js";

const T0 = Date.UTC(2026, 10, 29, 12, 0);
const MIN = 60_000;

/** A DLQ where a trickle of one failure runs all along and another starts late and spikes. */
function scene(): Timeline {
  const agg = new TriageAggregator({ groupBy: compileExpression("json.e", "--group-by") });
  let n = 0;
  for (let m = 0; m < 360; m += 7) agg.add({ messageId: `a${n++}`, body: '{"e":"ValidationError"}', sentAt: new Date(T0 + m * MIN).toISOString() });
  for (let m = 285; m < 360; m += 1) agg.add({ messageId: `b${n++}`, body: '{"e":"Timeout"}', sentAt: new Date(T0 + m * MIN).toISOString() });
  for (let i = 0; i < 6; i++) agg.add({ messageId: `c${n++}`, body: `{"e":"AVeryLongErrorNameThatGoesOnAndOn${i}"}`, sentAt: new Date(T0 + 100 * MIN).toISOString() });
  return agg.timeline({ now: T0 + 360 * MIN });
}

describe("renderTimeline", () => {
  test("fits in 80 columns and is plain ASCII for TERM=dumb", () => {
    const lines = renderTimeline(scene(), { width: 80, ascii: true });
    expect(lines.length).toBeGreaterThan(20);
    for (const l of lines) {
      expect(l.length).toBeLessThanOrEqual(80);
      expect(l).toMatch(/^[\x20-\x7e]*$/);
    }
  });

  test("one row per bucket, stacked by group, scaled to the fullest bucket", () => {
    const t = scene();
    const lines = renderTimeline(t, { width: 80, ascii: true });
    const rows = lines.filter((l) => /^\d\d-\d\d \d\d:\d\d \|/.test(l));
    expect(rows).toHaveLength(t.buckets.length);
    expect(t.bucket).toBe("15m");
    // the legend names the groups with their symbols, largest first, the rest folded
    expect(lines[1]).toContain("# Timeout");
    expect(lines.join("\n")).toContain("(other)");
    // the fullest bucket fills the bar; the trickle-only rows are short; counts at the end
    const widths = rows.map((r) => r.slice(r.indexOf("|") + 1, r.lastIndexOf("|")).trimEnd().length);
    const max = Math.max(...t.buckets.map((b) => b.total));
    const fullest = t.buckets.findIndex((b) => b.total === max);
    expect(widths[fullest]).toBe(rows[0]!.lastIndexOf("|") - rows[0]!.indexOf("|") - 1);
    expect(rows[fullest]).toMatch(new RegExp(`\\| +${max}$`));
    expect(rows[0]).toMatch(/^11-29 12:00 \|=+ +\| +\d+$/);
    expect(rows.at(-2)).toMatch(/\|#+=+ *\|/);
    // the bucket holding "now" is empty: nothing was sent since
    expect(rows.at(-1)).toMatch(/^11-29 18:00 \| +\| +$/);
  });

  test("uses block characters when not ASCII, and stays in a narrow terminal", () => {
    const lines = renderTimeline(scene(), { width: 50, ascii: false });
    expect(lines.join("")).toContain("█");
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(50);
  });

  test("on a FIFO DLQ the times are when SQS moved the messages there, and the chart says so", () => {
    const agg = new TriageAggregator();
    agg.add({ body: "x", sentAt: new Date(T0).toISOString() });
    const lines = renderTimeline(agg.timeline({ now: T0 + MIN, basis: "moved-to-dlq" }), { width: 80, ascii: true });
    expect(lines[0]).toBe("Failures by time moved to the DLQ (FIFO SentTimestamp, UTC), one row per 1m:");
  });

  test("says so when there is nothing to chart", () => {
    const agg = new TriageAggregator();
    agg.add({ body: "x" });
    expect(renderTimeline(agg.timeline({ now: T0 }), { width: 80, ascii: true })).toEqual(["No timeline: none of the 1 messages has a SentTimestamp."]);
  });
});

describe("allocate", () => {
  test("splits in proportion and keeps a rare group visible", () => {
    expect(allocate([50, 50], 10)).toEqual([5, 5]);
    expect(allocate([1000, 1], 10)).toEqual([9, 1]);
    expect(allocate([0, 3, 0], 4)).toEqual([0, 4, 0]);
    expect(allocate([1, 1, 1], 0)).toEqual([0, 0, 0]);
  });
});
