/**
 * The live monitor's model: readings in, NDJSON samples and screen frames out.
 * Pure: no I/O, no clock (times are passed in), so every frame can be unit-tested.
 */
import { plural } from "./text.js";

/** One queue's counts at one moment, as read from GetQueueAttributes. */
export interface Reading {
  name: string;
  arn: string;
  visible: number;
  inFlight: number;
  delayed: number;
  /** The queue's dead-letter queue, when it has a redrive policy. */
  dlq: { name: string; arn: string; depth: number | null } | null;
  /** Known to be some queue's DLQ even when that queue is not watched. */
  knownDlq?: boolean;
  /** CloudWatch's numbers (cached a minute), or undefined when CloudWatch is not available. */
  metrics?: ReadingMetrics | undefined;
}

/** CloudWatch metrics of a reading: the oldest message's age and message rates a minute. */
export interface ReadingMetrics {
  oldestAgeSeconds: number | null;
  sentPerMinute: number | null;
  receivedPerMinute: number | null;
  deletedPerMinute: number | null;
}

/** One NDJSON line of `sqsctl watch` when piped. */
export interface Sample {
  time: string;
  queue: string;
  visible: number;
  inFlight: number;
  delayed: number;
  /** visible + inFlight + delayed */
  depth: number;
  /** Change in depth per minute since the previous sample; null for the first. */
  changePerMinute: number | null;
  /** True when some queue names this one as its dead-letter queue. */
  isDlq: boolean;
  dlq: string | null;
  dlqDepth: number | null;
  /** From CloudWatch; null when it is not available (see the note on stderr). */
  oldestAgeSeconds: number | null;
  sentPerMinute: number | null;
  receivedPerMinute: number | null;
  deletedPerMinute: number | null;
}

interface Point {
  t: number;
  depth: number;
}

interface Series {
  name: string;
  isDlq: boolean;
  points: Point[];
  last: Reading;
  changePerMinute: number | null;
  /** DLQ depth at the first reading and at the previous one (for "grew" highlighting). */
  dlqFirst: number | null;
  /** The DLQ's depth at each refresh (for a queue with a redrive policy). */
  dlqPoints: Point[];
}

/** Points kept per queue: enough for a wide sparkline, bounded for a long session. */
const MAX_POINTS = 240;

export class WatchModel {
  private readonly series = new Map<string, Series>();
  private readonly dlqArns = new Set<string>();
  updatedAt: number | undefined;
  /** The last refresh's error, shown on screen until a refresh succeeds. */
  error: string | undefined;

  /** Records one refresh and returns its samples, one a queue, in name order. */
  add(readings: Reading[], t: number): Sample[] {
    for (const r of readings) if (r.dlq) this.dlqArns.add(r.dlq.arn);
    const samples: Sample[] = [];
    for (const r of [...readings].sort((a, b) => a.name.localeCompare(b.name))) {
      const depth = r.visible + r.inFlight + r.delayed;
      let s = this.series.get(r.name);
      const dlqDepth = r.dlq?.depth ?? null;
      if (!s) {
        s = { name: r.name, isDlq: false, points: [], last: r, changePerMinute: null, dlqFirst: dlqDepth, dlqPoints: [] };
        this.series.set(r.name, s);
      } else {
        s.dlqFirst ??= dlqDepth;
      }
      const prev = s.points.at(-1);
      s.changePerMinute = prev && t > prev.t ? ((depth - prev.depth) * 60_000) / (t - prev.t) : null;
      s.points.push({ t, depth });
      if (s.points.length > MAX_POINTS) s.points.shift();
      if (dlqDepth !== null) s.dlqPoints.push({ t, depth: dlqDepth });
      if (s.dlqPoints.length > MAX_POINTS) s.dlqPoints.shift();
      s.last = r;
      s.isDlq = this.dlqArns.has(r.arn) || r.knownDlq === true;
      samples.push({
        time: new Date(t).toISOString(),
        queue: r.name,
        visible: r.visible,
        inFlight: r.inFlight,
        delayed: r.delayed,
        depth,
        changePerMinute: s.changePerMinute === null ? null : round1(s.changePerMinute),
        isDlq: s.isDlq,
        dlq: r.dlq?.name ?? null,
        dlqDepth,
        oldestAgeSeconds: r.metrics?.oldestAgeSeconds ?? null,
        sentPerMinute: r.metrics?.sentPerMinute ?? null,
        receivedPerMinute: r.metrics?.receivedPerMinute ?? null,
        deletedPerMinute: r.metrics?.deletedPerMinute ?? null,
      });
    }
    // A queue that disappeared (deleted, or no longer matches) leaves the screen.
    const seen = new Set(readings.map((r) => r.name));
    for (const name of this.series.keys()) if (!seen.has(name)) this.series.delete(name);
    this.updatedAt = t;
    this.error = undefined;
    return samples;
  }

  rows(): Series[] {
    return [...this.series.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** A DLQ (or a queue's DLQ) that grew at the last refresh. */
  /**
   * A DLQ (or a queue's DLQ) that grew within the last minute: long enough to be seen
   * between refreshes, short enough to go quiet once failures stop.
   */
  static dlqGrew(s: Series): boolean {
    return grewWithin(s.isDlq ? s.points : s.dlqPoints, GREW_WINDOW_MS);
  }
}

export const GREW_WINDOW_MS = 60_000;

function grewWithin(points: Point[], windowMs: number): boolean {
  const last = points.at(-1);
  if (!last) return false;
  for (let i = points.length - 1; i > 0 && points[i]!.t >= last.t - windowMs; i--) {
    if (points[i]!.depth > points[i - 1]!.depth) return true;
  }
  return false;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

const BARS = "▁▂▃▄▅▆▇█";

/** A sparkline of the last `width` values, scaled between their min and max. */
export function sparkline(values: number[], width: number): string {
  const v = values.slice(-width);
  if (v.length === 0) return "";
  const min = Math.min(...v);
  const max = Math.max(...v);
  if (max === min) return (max === 0 ? BARS[0]! : BARS[3]!).repeat(v.length);
  return v.map((x) => BARS[Math.round(((x - min) / (max - min)) * (BARS.length - 1))]!).join("");
}

/** A compact age: 45s, 12m, 3h, 2d. */
export function formatAge(seconds: number): string {
  for (const [unit, size] of [["d", 86400], ["h", 3600], ["m", 60]] as const) if (seconds >= size) return `${Math.floor(seconds / size)}${unit}`;
  return `${Math.round(seconds)}s`;
}

/** "+12", "-3.5", "0", "" (no rate yet). */
export function formatRate(perMinute: number | null): string {
  if (perMinute === null) return "";
  const r = Math.abs(perMinute) >= 10 ? Math.round(perMinute) : round1(perMinute);
  if (r === 0) return "0";
  return `${r > 0 ? "+" : ""}${r}`;
}

/** Styling hooks; chalk fits, and tests pass identity functions. */
export interface Paint {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  inverse(s: string): string;
}

export const NO_PAINT: Paint = { bold: (s) => s, dim: (s) => s, red: (s) => s, yellow: (s) => s, green: (s) => s, inverse: (s) => s };

export interface FrameOptions {
  width: number;
  height: number;
  paint: Paint;
  /** e.g. "every 2s" */
  interval: string;
  /** where the numbers come from, e.g. the endpoint */
  target: string;
  /** wall-clock time of the frame, already formatted (keeps this module clock-free) */
  clock: string;
  /** Matching queues left out by the watch limit. */
  leftOut?: number;
  /** Why the CloudWatch columns say n/a (one line under the rows). */
  metricsNote?: string | undefined;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
export const visibleLength = (s: string) => [...s.replace(ANSI, "")].length;

function fit(text: string, width: number, align: "left" | "right" = "left"): string {
  const len = visibleLength(text);
  if (len > width) {
    const plain = [...text.replace(ANSI, "")];
    return width <= 1 ? plain.slice(0, width).join("") : `${plain.slice(0, width - 1).join("")}…`;
  }
  const pad = " ".repeat(width - len);
  return align === "right" ? pad + text : text + pad;
}

/**
 * The whole screen as lines (no cursor movement): a title line, a header, one row a
 * queue, and a footer. Rows beyond the height are summarised, never wrapped.
 */
export function renderFrame(model: WatchModel, o: FrameOptions): string[] {
  const p = o.paint;
  const rows = model.rows();
  const width = Math.max(20, o.width);
  const wantedName = Math.max(12, ...rows.map((r) => r.name.length + (r.isDlq ? 6 : 0)));
  // Narrow terminals get narrower number columns before queue names are cut.
  const wide = { visible: 9, inFlight: 10, delayed: 8, dlq: 12, rate: 8 };
  const narrow = { visible: 7, inFlight: 6, delayed: 7, dlq: 9, rate: 6 };
  // CloudWatch columns: the oldest message's age, and sent/received/deleted a minute.
  const cw = { age: 7, rates: 14 };
  const sum = (w: typeof wide) => w.visible + w.inFlight + w.delayed + w.dlq + w.rate + cw.age + cw.rates + 8;
  const numW = width - sum(wide) >= Math.min(wantedName, 24) ? wide : narrow;
  const fixed = sum(numW);
  const head = numW === wide ? { inFlight: "IN FLIGHT", dlq: "DLQ DEPTH" } : { inFlight: "FLIGHT", dlq: "DLQ" };
  const nameW = Math.min(wantedName, Math.max(8, width - fixed - 1));
  const spare = width - fixed - nameW - 1;
  const sparkW = spare >= 6 ? Math.min(40, spare) : 0;

  const count = o.leftOut ? `${rows.length} of ${rows.length + o.leftOut} queues (narrow with --prefix)` : `${plural(rows.length, "queue")}`;
  const title = `${p.bold("sqsctl watch")}  ${count}  ${o.interval}  ${o.target}`;
  const right = `${o.clock}  ${p.dim("q to quit")}`;
  const gap = width - visibleLength(title) - visibleLength(right);
  const lines = [gap >= 1 ? title + " ".repeat(gap) + right : fit(title, width)];
  lines.push(model.error ? p.red(fit(`refresh failed: ${model.error} (retrying)`, width)) : "");

  const cols = [
    fit("QUEUE", nameW),
    fit("VISIBLE", numW.visible, "right"),
    fit(head.inFlight, numW.inFlight, "right"),
    fit("DELAYED", numW.delayed, "right"),
    fit(head.dlq, numW.dlq, "right"),
    fit("Δ/MIN", numW.rate, "right"),
    fit("OLDEST", cw.age, "right"),
    fit("SENT/RCV/DEL", cw.rates, "right"),
    ...(sparkW >= 4 ? [fit("DEPTH OVER SESSION", sparkW)] : []),
  ];
  lines.push(p.bold(cols.join(" ").trimEnd()));

  const room = Math.max(1, o.height - lines.length);
  const shown = rows.length > room ? rows.slice(0, room - 1) : rows;
  for (const s of shown) {
    const grew = WatchModel.dlqGrew(s);
    const r = s.last;
    let name = fit(s.name + (s.isDlq ? " (dlq)" : ""), nameW);
    if (s.isDlq && grew) name = p.red(p.bold(name));
    else if (s.isDlq && r.visible > 0) name = p.yellow(name);
    let dlqCell = "";
    if (r.dlq) {
      const since = r.dlq.depth !== null && s.dlqFirst !== null ? r.dlq.depth - s.dlqFirst : 0;
      dlqCell = `${r.dlq.depth ?? "?"}${since > 0 ? ` (+${since})` : ""}`;
    }
    let dlqText = fit(dlqCell, numW.dlq, "right");
    if (!s.isDlq && grew) dlqText = p.red(p.bold(dlqText));
    const rate = formatRate(s.changePerMinute);
    let rateText = fit(rate, numW.rate, "right");
    if (rate.startsWith("+") && s.isDlq) rateText = p.red(rateText);
    const spark = sparkW >= 4 ? sparkline(s.points.map((x) => x.depth), sparkW) : "";
    lines.push(
      [
        name,
        fit(String(r.visible), numW.visible, "right"),
        fit(String(r.inFlight), numW.inFlight, "right"),
        fit(String(r.delayed), numW.delayed, "right"),
        dlqText,
        rateText,
        fit(r.metrics?.oldestAgeSeconds != null ? formatAge(r.metrics.oldestAgeSeconds) : "n/a", cw.age, "right"),
        fit(r.metrics ? [r.metrics.sentPerMinute, r.metrics.receivedPerMinute, r.metrics.deletedPerMinute].map((v) => (v === null ? "-" : String(Math.round(v)))).join("/") : "n/a", cw.rates, "right"),
        ...(sparkW >= 4 ? [s.isDlq && grew ? p.red(spark) : spark] : []),
      ]
        .join(" ")
        .trimEnd(),
    );
  }
  if (shown.length < rows.length) lines.push(p.dim(`… ${rows.length - shown.length} more queues: narrow with --prefix or name them`));
  if (rows.length === 0) lines.push(p.dim("No queues match yet; waiting for one to appear."));
  if (o.metricsNote) lines.push(p.dim(fit(`OLDEST, SENT/RCV/DEL (CloudWatch, per minute): ${o.metricsNote}`, width)));
  // A narrow terminal cuts lines (losing their colour) rather than wrapping them.
  return lines.slice(0, Math.max(1, o.height)).map((l) => (visibleLength(l) > width ? fit(l, width) : l));
}
