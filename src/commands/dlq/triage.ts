import fs from "node:fs";
import path from "node:path";
import type { Envelope } from "../../core/envelope.js";
import type { CompiledExpression } from "../../core/filter.js";
import { describeGrowth, growthBetween, spanText, type CountSample, type Growth } from "../../core/growth.js";
import { estimate, groupFilter, TriageAggregator, type Timeline, type TriageGroup } from "../../core/triage.js";
import { OperationError, UsageError } from "../../errors.js";
import { triageReport } from "../../output/report.js";
import { renderTimeline } from "../../output/timeline.js";
import type { Ui } from "../../output/ui.js";
import type { CommandContext } from "../context.js";
import { recordCounts } from "./count-history.js";
import { plural, positiveInt, when } from "./render.js";

/** The triage flags of `dlq inspect` (issue 14). */
export interface TriageFlags {
  timeline?: boolean;
  report?: string;
  force?: boolean;
  /** false with --no-bodies */
  bodies?: boolean;
  sample?: string;
}

export interface TriagePlan {
  sample: number | undefined;
  reportPath: string | undefined;
}

/** Checks the flags before anything is received: a report that would overwrite a file is refused here. */
export function planTriage(opts: TriageFlags & { limit?: string; all?: boolean }): TriagePlan {
  const sample = positiveInt("--sample", opts.sample);
  if (sample !== undefined && (opts.limit !== undefined || opts.all)) throw new UsageError("--sample and --limit/--all: choose one.");
  let reportPath: string | undefined;
  if (opts.report !== undefined) {
    reportPath = path.resolve(opts.report);
    if (fs.existsSync(reportPath) && !opts.force) {
      throw new UsageError(`--report: ${opts.report} already exists; nothing was scanned or written.`, "Choose another file name, or add --force to overwrite it.");
    }
    if (!fs.existsSync(path.dirname(reportPath))) throw new UsageError(`--report: the folder ${path.dirname(opts.report)} does not exist.`);
  }
  return { sample, reportPath };
}

export interface QueueCounts {
  at: number;
  attributes: Record<string, string | undefined>;
}

export function totalOf(c: QueueCounts): CountSample {
  const n = (k: string) => Number(c.attributes[k] ?? 0) || 0;
  return { at: c.at, total: n("ApproximateNumberOfMessages") + n("ApproximateNumberOfMessagesNotVisible") + n("ApproximateNumberOfMessagesDelayed") };
}

export interface GrowthView {
  /** Against the count the previous sqsctl look at this DLQ saved (none on the first look). */
  sincePrevious: Growth | null;
  /** Before against after the scan (the held messages count as in flight, so the total holds still); null when interrupted. */
  duringScan: Growth | null;
}

/** Both growth figures; saves this look's first count for the next run. */
export function growthOf(ctx: CommandContext, endpoint: string, arn: string, before: QueueCounts, after: QueueCounts | undefined): GrowthView {
  const first = totalOf(before);
  const previous = recordCounts(ctx.io.env, endpoint, [{ arn, sample: first }], (m) => ctx.ui.debug(m)).get(arn);
  return {
    sincePrevious: previous ? growthBetween(previous, first, "previous-run") : null,
    duringScan: after ? growthBetween(first, totalOf(after), "scan") : null,
  };
}

export function growthText(g: GrowthView): string {
  // A scan of a second or two says little; it is shown when it is all there is, or when it saw a change.
  const d = g.duringScan;
  const scan = d && (d.seconds >= 2 || d.delta !== 0 || !g.sincePrevious) ? describeGrowth(d) : undefined;
  const first = g.sincePrevious ? describeGrowth(g.sincePrevious) : "first look (the next one shows the change since this one)";
  return [first, scan].filter(Boolean).join("; ");
}

export interface Triage {
  groups: TriageGroup[];
  timeline: Timeline;
  scanned: number;
  approximateTotal: number;
  sampled: boolean;
}

export function triageOf(
  messages: Iterable<Envelope>,
  opts: {
    groupBy: CompiledExpression | undefined;
    knownSources: string[];
    now: number;
    scanned: number;
    approximateTotal: number;
    sampled: boolean;
    /** FIFO DLQs: SQS resets SentTimestamp when it moves a message there. */
    fifo: boolean;
  },
): Triage {
  const agg = new TriageAggregator({ groupBy: opts.groupBy, knownSources: opts.knownSources });
  for (const m of messages) agg.add(m);
  return triageFrom(agg, opts);
}

/** The insight from an aggregator already fed (streaming scans feed it as messages arrive). */
export function triageFrom(
  agg: TriageAggregator,
  opts: { now: number; scanned: number; approximateTotal: number; sampled: boolean; fifo: boolean },
): Triage {
  return {
    groups: agg.result(opts.now),
    timeline: agg.timeline({ now: opts.now, basis: opts.fifo ? "moved-to-dlq" : "sent" }),
    scanned: opts.scanned,
    approximateTotal: opts.approximateTotal,
    sampled: opts.sampled,
  };
}

/** The groups as -o json wants them: `{key, count, firstSeen, lastSeen, sources, sample}` and more. */
export function groupsJson(t: Triage, groupBy: string | undefined, userFilter: string | undefined, bodies: boolean): unknown[] {
  return t.groups.map(groupJson(t, groupBy, userFilter, bodies));
}

function groupJson(t: Triage, groupBy: string | undefined, userFilter: string | undefined, bodies: boolean): (g: TriageGroup) => unknown {
  const matched = t.groups.reduce((a, g) => a + g.count, 0);
  return (g) => ({
    key: g.key,
    count: g.count,
    ...(t.sampled ? { estimatedCount: estimate(g.count, t.scanned, t.approximateTotal) } : {}),
    percent: Math.round((g.count / Math.max(1, matched)) * 1000) / 10,
    firstSeen: g.firstSeen,
    lastSeen: g.lastSeen,
    firstReceived: g.firstReceived,
    lastHour: g.lastHour ?? null,
    sources: g.sources,
    receiveCount: g.receiveCount,
    filter: groupFilter(groupBy, g, userFilter) ?? null,
    sample: bodies ? g.sample : { ...g.sample, body: null },
  });
}

export function estimateJson(t: Triage): unknown {
  return t.sampled ? { sampleSize: t.scanned, approximateTotal: t.approximateTotal, note: SAMPLE_NOTE } : undefined;
}

const SAMPLE_NOTE =
  "Counts are estimates scaled from the sample. SQS hands out messages from a random-ish subset of its servers on each receive, so the sample is " +
  "spread over the queue roughly at random, not evenly in time (on FIFO queues only the head of each message group is seen).";

/** The group table, one sample line per group, and the estimate note (table output). */
export function printGroups(ui: Ui, t: Triage, groupBy: string, userFilter: string | undefined, bodies: boolean): void {
  const matched = t.groups.reduce((a, g) => a + g.count, 0);
  const count = (n: number) => (t.sampled ? `~${estimate(n, t.scanned, t.approximateTotal)}` : n);
  // FIFO DLQs: SentTimestamp is when SQS moved the message there.
  const moved = t.timeline.basis === "moved-to-dlq";
  ui.list(t.groups, [
    { header: groupBy, value: (g) => g.key, literal: true },
    { header: t.sampled ? "Count (est.)" : "Count", value: (g) => count(g.count), align: "right" },
    { header: "%", value: (g) => ((g.count / Math.max(1, matched)) * 100).toFixed(1), align: "right" },
    { header: moved ? "First moved" : "First sent", value: (g) => when(ui, g.firstSeen ?? undefined) },
    { header: moved ? "Last moved" : "Last sent", value: (g) => when(ui, g.lastSeen ?? undefined) },
    { header: "Last 1h", value: (g) => (t.sampled ? `~${estimate(g.lastHour ?? 0, t.scanned, t.approximateTotal)}` : (g.lastHour ?? 0)), align: "right" },
    { header: "Recv", value: (g) => (g.receiveCount ? (g.receiveCount.min === g.receiveCount.max ? g.receiveCount.min : `${g.receiveCount.min}-${g.receiveCount.max}`) : "") },
    // The summary above names the sources; a column only when groups differ in them.
    ...(new Set(t.groups.flatMap((g) => Object.keys(g.sources))).size > 1 ? [{ header: "Sources", value: (g: TriageGroup) => Object.keys(g.sources).join(", ") }] : []),
  ], groupJson(t, groupBy, userFilter, bodies));
  if (ui.format !== "table") return;
  ui.out("");
  ui.out(ui.color.bold("One of each:"));
  const width = Math.max(60, ui.io.stdout.columns ?? 100);
  const keyWidth = Math.min(24, Math.max(...t.groups.map((g) => g.key.length)));
  const ascii = ui.io.env.TERM === "dumb";
  for (const g of t.groups) {
    const s = g.sample;
    const attrs = s.attributes.length ? ` [${s.attributes.join(",")}]` : "";
    const body = bodies ? ` ${s.body.replace(/\s+/g, " ")}` : "";
    const line = `  ${shorten(g.key, keyWidth, ascii).padEnd(keyWidth)}  ${(s.messageId ?? "").slice(0, 8)}${attrs}${body}`;
    ui.out(shorten(line, width, ascii));
  }
  if (t.sampled) printSampleNote(ui, t);
}

export function printSampleNote(ui: Ui, t: Triage): void {
  ui.info(`Estimates from a sample of ${plural(t.scanned, "message")} of ~${t.approximateTotal}. ${SAMPLE_NOTE.slice(SAMPLE_NOTE.indexOf("SQS"))}`);
}

/** The timeline chart (table output): 80 columns at most, colour per group when colour is on, ASCII with TERM=dumb. */
export function printTimeline(ui: Ui, t: Timeline, toStderr: boolean): void {
  const palette = [ui.color.red, ui.color.yellow, ui.color.cyan, ui.color.magenta, ui.color.green, ui.color.gray];
  const columns = ui.io.stdout.isTTY && ui.io.stdout.columns ? ui.io.stdout.columns : 80;
  const lines = renderTimeline(t, {
    width: Math.min(80, Math.max(40, columns)),
    ascii: ui.io.env.TERM === "dumb",
    paint: (i, s) => palette[Math.min(i, palette.length - 1)]!(s),
  });
  for (const l of lines) {
    if (toStderr) ui.info(l);
    else ui.out(l);
  }
}

export interface ReportContext {
  queue: { name: string; url: string };
  snapshotAt: number;
  argv: string[];
  complete: boolean;
  groupBy: string | undefined;
  filter: string | undefined;
  growth: string | undefined;
  bodies: boolean;
}

/** Writes the Markdown report (to a temporary file renamed into place, so a crash leaves no half report). */
export function writeReport(ctx: CommandContext, file: string, force: boolean, t: Triage, r: ReportContext): void {
  const g = ctx.globals;
  const port = ctx.io.env.SQSCTL_LOCAL_PORT;
  const connection = [
    ...(g.local ? ["--local"] : []),
    ...(g.endpointUrl ? ["--endpoint-url", withoutUserinfo(g.endpointUrl)] : []),
    ...(g.region ? ["--region", g.region] : []),
    ...(g.profile ? ["--profile", g.profile] : []),
  ];
  const text = triageReport({
    queue: r.queue,
    snapshotAt: new Date(r.snapshotAt).toISOString(),
    command: ["sqsctl", ...connection, ...r.argv],
    scanned: t.scanned,
    complete: r.complete,
    approximateTotal: t.approximateTotal,
    sampled: t.sampled,
    groupBy: r.groupBy,
    filter: r.filter,
    groups: t.groups,
    timeline: t.timeline.buckets.length ? renderTimeline(t.timeline, { width: 80, ascii: true }) : undefined,
    growth: r.growth,
    connection,
    envPrefix: g.local && port && port !== "9324" ? `SQSCTL_LOCAL_PORT=${port} ` : "",
    bodies: r.bodies,
    movedTimes: t.timeline.basis === "moved-to-dlq",
  });
  // Checked again here: the file may have appeared while the scan ran.
  if (fs.existsSync(file) && !force) throw new UsageError(`--report: ${file} appeared while the scan ran; not overwritten.`, "Add --force to overwrite it.");
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, text, { mode: 0o600 });
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw new OperationError(`--report: could not write ${file}: ${(err as Error).message}`, "Choose a file in a folder you can write to.", { cause: err });
  }
  ctx.ui.info(`Wrote the report to ${file}${r.bodies ? " (bodies shortened; --no-bodies leaves them out)" : " (no bodies)"}.`);
}

/** An endpoint URL without user:password@ (never printed, never written). */
function withoutUserinfo(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = "";
    u.password = "";
    return u.toString();
  } catch {
    return url;
  }
}

function shorten(text: string, width: number, ascii: boolean): string {
  if (text.length <= width) return text;
  return ascii ? `${text.slice(0, width - 3)}...` : `${text.slice(0, width - 1)}…`;
}

/**
 * Growth for `dlq list`, kept fast: by default each DLQ's count against the one the
 * previous look saved (no waiting); with --growth, a second count that long after the
 * first. Either way this look's count is saved for the next one.
 */
export async function listGrowth(
  ctx: CommandContext,
  endpoint: string,
  dlqs: Array<{ arn: string; url: string; counts: QueueCounts }>,
  intervalSeconds: number | undefined,
  recount: (url: string) => Promise<Record<string, string | undefined>>,
): Promise<Map<string, Growth | null>> {
  const out = new Map<string, Growth | null>();
  if (intervalSeconds !== undefined && dlqs.length) {
    ctx.ui.info(`Counting again in ${intervalSeconds}s to measure growth…`);
    await sleep(intervalSeconds * 1000, ctx.signal);
    if (!ctx.signal.aborted) {
      const later = await Promise.all(dlqs.map(async (d) => ({ d, counts: { at: Date.now(), attributes: await recount(d.url) } })));
      for (const { d, counts } of later) out.set(d.arn, growthBetween(totalOf(d.counts), totalOf(counts), "interval"));
      recordCounts(ctx.io.env, endpoint, later.map(({ d, counts }) => ({ arn: d.arn, sample: totalOf(counts) })), (m) => ctx.ui.debug(m));
      return out;
    }
  }
  const previous = recordCounts(ctx.io.env, endpoint, dlqs.map((d) => ({ arn: d.arn, sample: totalOf(d.counts) })), (m) => ctx.ui.debug(m));
  for (const d of dlqs) {
    const p = previous.get(d.arn);
    out.set(d.arn, p ? growthBetween(p, totalOf(d.counts), "previous-run") : null);
  }
  return out;
}

/** Short form for a table cell: "+42 in 5 min". */
export function growthCell(g: Growth | null | undefined): string {
  if (!g) return "";
  return `${g.delta > 0 ? "+" : g.delta < 0 ? "-" : "±"}${Math.abs(g.delta)} in ${spanText(g.seconds)}`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
