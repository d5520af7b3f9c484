import { plural } from "../core/text.js";
import type { Timeline } from "../core/triage.js";

export interface TimelineStyle {
  /** Columns the chart may use; every line fits in it. */
  width: number;
  /** Plain ASCII (TERM=dumb, Markdown reports): '#', '=', '+'... instead of block characters. */
  ascii: boolean;
  /** Colours a group's bar segment or legend symbol (identity when colour is off). */
  paint?: (groupIndex: number, text: string) => string;
}

const ASCII_SYMBOLS = ["#", "=", "+", "o", "~", "."];
const BLOCK_SYMBOLS = ["█", "▓", "▒", "░", "▚", "·"];

/** Symbol of the i-th group in the chart. */
export function timelineSymbol(i: number, ascii: boolean): string {
  const set = ascii ? ASCII_SYMBOLS : BLOCK_SYMBOLS;
  return set[Math.min(i, set.length - 1)]!;
}

/**
 * A stacked bar chart, one row per bucket, one symbol per group:
 *
 *   11-29 14:15 |####====+                 |  12
 *
 * Bars are scaled to the fullest bucket. Each group present in a bucket gets at least
 * one character, so a single failure of a rare kind is still visible. Every line fits
 * in `style.width` columns (the minimum useful width is about 40).
 */
export function renderTimeline(t: Timeline, style: TimelineStyle): string[] {
  const paint = style.paint ?? ((_i: number, s: string) => s);
  if (t.buckets.length === 0) {
    return [t.undated ? `No timeline: none of the ${t.undated} messages has a SentTimestamp.` : "No timeline: no messages."];
  }
  const lines: string[] = [];
  const daily = t.bucketSeconds >= 86_400;
  const basis = t.basis === "moved-to-dlq" ? "time moved to the DLQ (FIFO SentTimestamp" : "time sent (SentTimestamp";
  lines.push(fit(`Failures by ${basis}, UTC), one row per ${t.bucket}:`, style.width, style.ascii));
  lines.push(...legend(t.groups, style, paint));
  const label = (start: string) => (daily ? start.slice(0, 10) : `${start.slice(5, 10)} ${start.slice(11, 16)}`);
  const labelWidth = daily ? 10 : 11;
  const max = Math.max(1, ...t.buckets.map((b) => b.total));
  const countWidth = Math.max(1, String(max).length);
  // label, space, "|", bar, "|", space, count
  const barWidth = Math.max(4, style.width - labelWidth - countWidth - 4);
  for (const b of t.buckets) {
    const cells = allocate(
      t.groups.map((k) => b.counts[k] ?? 0),
      b.total === 0 ? 0 : Math.max(1, Math.round((b.total / max) * barWidth)),
    );
    const bar = cells.map((n, i) => (n ? paint(i, timelineSymbol(i, style.ascii).repeat(n)) : "")).join("");
    const used = cells.reduce((a, c) => a + c, 0);
    lines.push(`${label(b.start)} |${bar}${" ".repeat(barWidth - used)}| ${(b.total ? String(b.total) : "").padStart(countWidth)}`);
  }
  if (t.quietSince) lines.push(fit(`Nothing newer: the newest message was sent ${t.quietSince.slice(0, 16).replace("T", " ")} UTC.`, style.width, style.ascii));
  if (t.undated) lines.push(fit(`${plural(t.undated, "message")} without a SentTimestamp ${t.undated === 1 ? "is" : "are"} not in the chart.`, style.width, style.ascii));
  return lines;
}

function legend(groups: string[], style: TimelineStyle, paint: (i: number, s: string) => string): string[] {
  const lines: string[] = [];
  let line = "";
  let visible = 0;
  groups.forEach((key, i) => {
    const name = fit(key, 30, style.ascii);
    const item = `${timelineSymbol(i, style.ascii)} ${name}`;
    const gap = visible ? 3 : 0;
    if (visible && visible + gap + item.length > style.width) {
      lines.push(line);
      line = "";
      visible = 0;
    }
    line += `${visible ? "   " : ""}${paint(i, timelineSymbol(i, style.ascii))} ${name}`;
    visible += (visible ? 3 : 0) + item.length;
  });
  if (line) lines.push(line);
  return lines;
}

/**
 * Splits `chars` characters over the counts in proportion (largest remainder), giving
 * every non-zero count at least one character while there are characters to give.
 */
export function allocate(counts: number[], chars: number): number[] {
  const total = counts.reduce((a, c) => a + c, 0);
  if (total === 0 || chars <= 0) return counts.map(() => 0);
  const exact = counts.map((c) => (c / total) * chars);
  const out = exact.map(Math.floor);
  let left = chars - out.reduce((a, c) => a + c, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left <= 0) break;
    out[i]! += 1;
    left -= 1;
  }
  for (let i = 0; i < counts.length; i++) {
    if (counts[i]! > 0 && out[i] === 0) {
      let donor = -1;
      for (let j = 0; j < out.length; j++) if (out[j]! > 1 && (donor < 0 || out[j]! > out[donor]!)) donor = j;
      if (donor < 0) break;
      out[donor]! -= 1;
      out[i] = 1;
    }
  }
  return out;
}

function fit(text: string, width: number, ascii = true): string {
  if (text.length <= width) return text;
  return ascii ? `${text.slice(0, width - 3)}...` : `${text.slice(0, width - 1)}…`;
}
