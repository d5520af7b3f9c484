import { describe, expect, test } from "vitest";
import { formatRate, NO_PAINT, renderFrame, sparkline, visibleLength, WatchModel, type Paint, type Reading } from "../../src/core/watch.js";

const ARN = (n: string) => `arn:aws:sqs:us-east-1:000000000000:${n}`;
const orders = (visible: number, dlqDepth: number | null = null): Reading => ({
  name: "orders",
  arn: ARN("orders"),
  visible,
  inFlight: 2,
  delayed: 0,
  dlq: { name: "orders-dlq", arn: ARN("orders-dlq"), depth: dlqDepth },
});
const dlq = (visible: number): Reading => ({ name: "orders-dlq", arn: ARN("orders-dlq"), visible, inFlight: 0, delayed: 0, dlq: null });
const frame = (m: WatchModel, paint: Paint = NO_PAINT, width = 100, height = 20) =>
  renderFrame(m, { width, height, paint, interval: "every 2s", target: "http://127.0.0.1:9324", clock: "12:00:00" });
/** Marks painted text so tests can see what was highlighted. */
const TAGS: Paint = { ...NO_PAINT, red: (s) => `<red>${s}</red>`, yellow: (s) => `<yellow>${s}</yellow>` };

describe("samples", () => {
  test("the first has no rate; later ones give the change in depth per minute", () => {
    const m = new WatchModel();
    const first = m.add([orders(10, 0), dlq(0)], 0);
    expect(first.map((s) => [s.queue, s.depth, s.changePerMinute, s.isDlq, s.dlq, s.dlqDepth])).toEqual([
      ["orders", 12, null, false, "orders-dlq", 0],
      ["orders-dlq", 0, null, true, null, null],
    ]);
    // 30 s later: 15 more messages in orders, 3 in the DLQ
    const second = m.add([orders(25, 3), dlq(3)], 30_000);
    expect(second.map((s) => [s.queue, s.changePerMinute])).toEqual([
      ["orders", 30],
      ["orders-dlq", 6],
    ]);
    expect(second[0]!.time).toBe("1970-01-01T00:00:30.000Z");
  });

  test("a queue that disappears leaves the model", () => {
    const m = new WatchModel();
    m.add([orders(1), dlq(0)], 0);
    m.add([orders(1)], 1000);
    expect(m.rows().map((r) => r.name)).toEqual(["orders"]);
  });
});

describe("frames", () => {
  test("show counts, DLQ depth, the rate and a sparkline for each queue", () => {
    const m = new WatchModel();
    m.add([orders(0, 0), dlq(0)], 0);
    m.add([orders(6, 1), dlq(1)], 60_000);
    m.add([orders(12, 1), dlq(1)], 120_000);
    const lines = frame(m, NO_PAINT, 120);
    expect(lines[0]).toMatch(/^sqsctl watch {2}2 queues {2}every 2s {2}http:\/\/127\.0\.0\.1:9324 +12:00:00 {2}q to quit$/);
    expect(lines[2]).toMatch(/^QUEUE +VISIBLE +IN FLIGHT +DELAYED +DLQ DEPTH +Δ\/MIN +OLDEST +SENT\/RCV\/DEL +DEPTH OVER SESSION$/);
    expect(lines[3]).toMatch(/^orders +12 +2 +0 +1 \(\+1\) +\+6 +n\/a +n\/a +▁▅█$/);
    expect(lines[4]).toMatch(/^orders-dlq \(dlq\) +1 +0 +0 +0 +n\/a +n\/a +▁██$/);
    for (const l of lines) expect(visibleLength(l)).toBeLessThanOrEqual(120);
  });

  test("CloudWatch columns: the oldest message's age and sent/received/deleted a minute, or n/a with one note why", () => {
    // GIVEN a reading with CloudWatch metrics and one without
    const m = new WatchModel();
    const samples = m.add(
      [{ ...orders(3, 0), metrics: { oldestAgeSeconds: 420, sentPerMinute: 12.4, receivedPerMinute: 11, deletedPerMinute: null } }, dlq(0)],
      0,
    );
    // THEN samples carry them (null when unknown) and the frame shows them
    expect(samples[0]).toMatchObject({ oldestAgeSeconds: 420, sentPerMinute: 12.4, receivedPerMinute: 11, deletedPerMinute: null });
    expect(samples[1]).toMatchObject({ oldestAgeSeconds: null, sentPerMinute: null });
    const lines = renderFrame(m, { width: 120, height: 20, paint: NO_PAINT, interval: "every 2s", target: "x", clock: "", metricsNote: "CloudWatch: not available at this endpoint." });
    expect(lines[3]).toMatch(/^orders +3 +2 +0 +0 +7m +12\/11\/- /);
    expect(lines[4]).toMatch(/ n\/a +n\/a/);
    expect(lines.filter((l) => l.includes("CloudWatch: not available at this endpoint."))).toHaveLength(1);
  });

  test("a DLQ that grew within the last minute is red; one holding messages is yellow", () => {
    const m = new WatchModel();
    m.add([orders(0, 0), dlq(0)], 0);
    m.add([orders(0, 2), dlq(2)], 2000);
    let lines = frame(m, TAGS);
    expect(lines.find((l) => l.includes("orders-dlq"))).toMatch(/^<red>orders-dlq \(dlq\) *<\/red>/);
    expect(lines.find((l) => l.startsWith("orders "))).toContain("<red>");
    // Still red a few refreshes later, so a person glancing at the screen sees it ...
    m.add([orders(0, 2), dlq(2)], 4000);
    expect(frame(m, TAGS).find((l) => l.includes("orders-dlq"))).toMatch(/^<red>/);
    // ... and no longer once a minute has passed without growth, but yellow while it holds messages.
    m.add([orders(0, 2), dlq(2)], 63_000);
    lines = frame(m, TAGS);
    expect(lines.find((l) => l.includes("orders-dlq"))).toMatch(/^<yellow>orders-dlq \(dlq\)/);
    expect(lines.join("\n")).not.toContain("<red>");
  });

  test("never wider or taller than the terminal, and says how many queues did not fit", () => {
    const m = new WatchModel();
    const many = Array.from({ length: 30 }, (_, i): Reading => ({
      name: `queue-with-a-rather-long-name-${String(i).padStart(2, "0")}`,
      arn: ARN(`q${i}`),
      visible: i,
      inFlight: 0,
      delayed: 0,
      dlq: null,
    }));
    m.add(many, 0);
    const lines = frame(m, NO_PAINT, 60, 12);
    expect(lines).toHaveLength(12);
    for (const l of lines) expect(visibleLength(l)).toBeLessThanOrEqual(60);
    expect(lines.at(-1)).toMatch(/… 22 more queues/);
    const limited = renderFrame(m, { width: 120, height: 40, paint: NO_PAINT, interval: "every 2s", target: "x", clock: "", leftOut: 5 });
    expect(limited[0]).toContain("30 of 35 queues (narrow with --prefix)");
  });

  test("shows a failed refresh until the next one succeeds", () => {
    const m = new WatchModel();
    m.add([dlq(0)], 0);
    m.error = "connect ECONNREFUSED";
    expect(frame(m)[1]).toContain("refresh failed: connect ECONNREFUSED (retrying)");
    m.add([dlq(0)], 1000);
    expect(frame(m)[1]).toBe("");
  });
});

test("sparkline scales between min and max, and a flat series stays flat", () => {
  expect(sparkline([0, 7, 14], 10)).toBe("▁▅█");
  expect(sparkline([5, 5, 5], 10)).toBe("▄▄▄");
  expect(sparkline([0, 0], 10)).toBe("▁▁");
  expect(sparkline([1, 2, 3, 4], 2)).toBe("▁█");
});

test("rates: whole numbers from 10 up, one decimal below, a sign when not zero", () => {
  expect([formatRate(null), formatRate(0), formatRate(0.04), formatRate(2.55), formatRate(-12.4), formatRate(30)]).toEqual(["", "0", "0", "+2.6", "-12", "+30"]);
});
