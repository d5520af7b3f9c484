import fs from "node:fs";
import type { Envelope } from "../../core/envelope.js";
import { durationFlag } from "../../core/duration.js";
import { compileExpression } from "../../core/filter.js";
import { nameOf } from "../../core/queue-ref.js";
import { parseRedrivePolicy } from "../../core/redrive-policy.js";
import { InterruptedError, UsageError } from "../../errors.js";
import { findDeadLetterSourceNames } from "../../sqs/dlq-sources.js";
import { getQueueAttributes, resolveQueue } from "../../sqs/queues.js";
import type { ReleaseOutcome } from "../../sqs/custody/holder.js";
import { inFlightLimitOf } from "../../sqs/custody/read-info.js";
import { partialFailure, takeSnapshot } from "../../sqs/snapshot.js";
import type { CommandContext } from "../context.js";
import { guardedFilter } from "../reading.js";
import { plural, positiveInt, printMessages, progress, when } from "./render.js";
// Triage insight (issue 14): see ./triage.ts.
import { TriageAggregator } from "../../core/triage.js";
import * as triage from "./triage.js";

interface Opts extends triage.TriageFlags {
  limit?: string;
  all?: boolean;
  filter?: string;
  groupBy?: string;
  save?: string;
  hold: string;
  spendLastReceive?: boolean;
}

export interface InspectSummary {
  dlq: string;
  messages: number;
  scanned: number;
  complete: boolean;
  oldestSentAt: string | null;
  newestSentAt: string | null;
  receiveCount: { min: number; max: number } | null;
  sources: Record<string, number>;
}

/** The whole snapshot as one triage group (the same counting as --group-by's groups). */
export function summarise(dlq: string, messages: Envelope[], scanned: number, complete: boolean, fallbackSources: string[]): InspectSummary {
  const all = new TriageAggregator({ knownSources: fallbackSources });
  for (const m of messages) all.add(m);
  return summaryFrom(dlq, all, scanned, complete);
}

/** The summary from a one-group aggregator already fed (a streaming scan feeds it as messages arrive). */
export function summaryFrom(dlq: string, all: TriageAggregator, scanned: number, complete: boolean): InspectSummary {
  const g = all.result()[0];
  return {
    dlq,
    messages: all.total,
    scanned,
    complete,
    oldestSentAt: g?.firstSeen ?? null,
    newestSentAt: g?.lastSeen ?? null,
    receiveCount: g?.receiveCount ? { min: g.receiveCount.min, max: g.receiveCount.max } : null,
    sources: g?.sources ?? {},
  };
}

export default async function inspect(ctx: CommandContext, [ref]: string[], opts: Opts): Promise<void> {
  const { ui } = ctx;
  if (opts.all && opts.limit !== undefined) throw new UsageError("--limit and --all: choose one.");
  const limitFlag = positiveInt("--limit", opts.limit);
  const filter = opts.filter ? guardedFilter(opts.filter) : undefined;
  const groupBy = opts.groupBy ? compileExpression(opts.groupBy, "--group-by") : undefined;
  const hold = durationFlag("--hold", opts.hold, { min: 5, max: 12 * 3600 });
  const plan = triage.planTriage(opts);
  const limit = plan.sample ?? (opts.all ? undefined : (limitFlag ?? (groupBy ? undefined : 100)));

  const sqs = await ctx.sqs();
  // The DLQ's attributes come with its lookup (one call): the guard below needs them before any receive.
  const dlq = await resolveQueue(sqs, ref!, "DLQ", ["All"]);
  const attrs = dlq.attributes;
  const countedBefore: triage.QueueCounts = { at: Date.now(), attributes: attrs };
  const before = Number(attrs.ApproximateNumberOfMessages ?? 0);
  const ownPolicy = parseRedrivePolicy(attrs.RedrivePolicy);
  if (ownPolicy?.maxReceiveCount === 1 && !opts.spendLastReceive) {
    throw new UsageError(
      `${dlq.name} has its own RedrivePolicy with maxReceiveCount 1 (to ${nameOf(ownPolicy.deadLetterTargetArn)}): inspect's receive would be each message's last, ` +
        `and every message looked at would move to ${nameOf(ownPolicy.deadLetterTargetArn)} at its next receive. Nothing was received.`,
      "Pass --spend-last-receive to inspect it anyway, or raise maxReceiveCount first.",
    );
  }
  if (ownPolicy) {
    ui.warn(
      `${dlq.name} has its own RedrivePolicy (to ${nameOf(ownPolicy.deadLetterTargetArn)} after ${ownPolicy.maxReceiveCount} receives): ` +
        "every look is a receive, and messages received that often move on.",
    );
  }
  if (dlq.fifo) ui.info("FIFO: while a message is held, later messages of its group are not returned, so only the first message of each group may be seen.");
  // The source queues only name the messages that do not name their own, so they are read
  // beside the scan, not before it. If that read fails, the scan stops, everything it held
  // is released, and that error is the command's.
  const sourcesFailed = new AbortController();
  let sourcesError: { err: unknown } | undefined;
  const sourcesRead = findDeadLetterSourceNames(sqs, dlq).catch((err: unknown) => {
    sourcesError = { err };
    sourcesFailed.abort();
    return [] as string[];
  });

  // A group-by needs counts, not bodies: unless --save wants every message, each envelope
  // is counted as it arrives and the holder keeps lean records (no body), so memory does
  // not grow with the bodies of a large DLQ. Output never lists messages with --group-by.
  const streaming = groupBy !== undefined && !opts.save;
  const summaryAgg = new TriageAggregator();
  const groupAgg = new TriageAggregator({ groupBy });
  const sampleFilter = plan.sample !== undefined ? filter : undefined;
  const onMatch = streaming
    ? (env: Envelope) => {
        if (sampleFilter && !sampleFilter(env)) return;
        summaryAgg.add(env);
        groupAgg.add(env);
      }
    : undefined;

  const spin = await progress(ui, `Scanning ${dlq.name} (${plural(before, "message")} visible)…`);
  const snap = await takeSnapshot(sqs, dlq.url, {
    limit,
    // --sample takes the first N messages whatever they hold and filters them here, so the sample size is known.
    filter: plan.sample === undefined ? filter : undefined,
    visibilitySeconds: hold,
    fifo: dlq.fifo,
    maxReceiveCount: ownPolicy?.maxReceiveCount,
    signal: AbortSignal.any([ctx.signal, sourcesFailed.signal]),
    // At SQS's in-flight limit the scan ends there and reports a partial result (exit 1).
    endAtInFlightLimit: true,
    inFlightLimit: inFlightLimitOf(ctx.io.env, dlq.fifo),
    onMatch,
    onProgress: (p) => spin.update(`Scanning ${dlq.name}: ${p.scanned} of ~${before} looked at${filter ? `, ${p.matched} match` : ""}…`),
  });
  let released;
  let releasing: Promise<ReleaseOutcome> | undefined;
  try {
    spin.stop();
    const sources = await sourcesRead;
    if (sourcesError) throw sourcesError.err;
    summaryAgg.knowSources(sources);
    groupAgg.knowSources(sources);
    const looked = snap.messages.map((h) => h.envelope);
    const messages = plan.sample !== undefined && filter ? looked.filter(filter) : looked;
    const complete = snap.ended === "empty" && snap.partial === undefined;
    const summary = streaming ? summaryFrom(dlq.name, summaryAgg, snap.scanned, complete) : summarise(dlq.name, messages, snap.scanned, complete, sources);
    // Triage insight (issue 14): groups, timeline, growth, report, from the snapshot's envelopes.
    // The total after the scan (growth during it) is read while everything is still held, so
    // it holds still: the end rule's own count when it ended the scan (the release starts at
    // once), otherwise one more count, with the release right behind it. Interrupted: no
    // further call before the release.
    let countedAfter: triage.QueueCounts | undefined;
    if (!ctx.signal.aborted) {
      if (snap.counts) {
        countedAfter = snap.counts;
        releasing = snap.release();
      } else {
        const at = Date.now();
        const counting = getQueueAttributes(sqs, dlq.url, ["All"]);
        releasing = snap.release();
        countedAfter = { at, attributes: await counting };
      }
    }
    const growth = triage.growthOf(ctx, sqs.endpoint, attrs.QueueArn ?? dlq.url, countedBefore, countedAfter);
    const shape = {
      now: countedAfter?.at ?? Date.now(),
      scanned: plan.sample !== undefined ? snap.matched : snap.scanned,
      approximateTotal: triage.totalOf(countedBefore).total,
      sampled: plan.sample !== undefined && !complete,
      fifo: dlq.fifo,
    };
    const insight = streaming ? triage.triageFrom(groupAgg, shape) : triage.triageOf(messages, { ...shape, groupBy, knownSources: sources });
    if (plan.reportPath) {
      triage.writeReport(ctx, plan.reportPath, opts.force === true, insight, {
        queue: { name: dlq.name, url: dlq.url },
        snapshotAt: countedAfter?.at ?? Date.now(),
        argv: reportArgv(ref!, opts),
        complete,
        groupBy: opts.groupBy,
        filter: opts.filter,
        growth: triage.growthText(growth),
        bodies: opts.bodies !== false,
      });
    }
    if (opts.save) {
      fs.writeFileSync(opts.save, messages.map((m) => JSON.stringify(m)).join("\n") + (messages.length ? "\n" : ""), { mode: 0o600 });
      ui.info(`Saved ${plural(messages.length, "message")} to ${opts.save} (NDJSON envelopes).`);
    }
    output(ctx, summary, messages, insight, growth, opts, limit, snap.partial);
  } finally {
    released = await (releasing ?? snap.release());
  }
  ui.info(
    `Released ${plural(released.released, "message")}: they are visible in ${dlq.name} again` +
      (released.failed ? `; ${released.failed} could not be released and come back within ${hold}s.` : "."),
  );
  if (released.keptExhausted) {
    ui.warn(`${plural(released.keptExhausted, "message")} used all ${ownPolicy?.maxReceiveCount} receives: kept hidden (not released early); the next receive moves them on.`);
  }
  if (snap.ended === "interrupted") throw new InterruptedError("Interrupted: the scan stopped early; everything it held was released.");
  const partial = partialFailure(snap, "scan", dlq.name);
  if (partial) throw partial;
}

function output(
  ctx: CommandContext,
  summary: InspectSummary,
  messages: Envelope[],
  insight: triage.Triage,
  growth: triage.GrowthView,
  opts: Opts,
  limit: number | undefined,
  partial: string | undefined,
): void {
  const { ui } = ctx;
  const bodies = opts.bodies !== false;
  if (ui.format === "json") {
    ui.json({
      summary,
      ...(partial ? { partial } : {}),
      growth,
      ...(insight.sampled ? { estimate: triage.estimateJson(insight) } : {}),
      ...(opts.groupBy ? { groupBy: opts.groupBy } : { messages: bodies ? messages : messages.map((m) => ({ ...m, body: null })) }),
      groups: triage.groupsJson(insight, opts.groupBy, opts.filter, bodies),
      ...(opts.timeline ? { timeline: insight.timeline } : {}),
    });
    return;
  }
  if (opts.groupBy) {
    if (ui.format === "table") printSummary(ctx, summary, opts, limit, false, growth);
    triage.printGroups(ui, insight, opts.groupBy, opts.filter, bodies);
    if (opts.timeline && ui.format === "table") {
      ui.out("");
      triage.printTimeline(ui, insight.timeline, false);
    }
    return;
  }
  // Messages: a table on a terminal; NDJSON envelopes when piped (the summary then goes to stderr).
  if (ui.streamsNdjson) {
    printSummary(ctx, summary, opts, limit, true, growth);
    printMessages(ui, bodies ? messages : messages.map((m) => ({ ...m, body: "" })));
    if (opts.timeline) triage.printTimeline(ui, insight.timeline, true);
    if (insight.sampled) triage.printSampleNote(ui, insight);
    return;
  }
  printSummary(ctx, summary, opts, limit, false, growth);
  printMessages(ui, bodies ? messages : messages.map((m) => ({ ...m, body: "" })));
  if (opts.timeline) {
    ui.out("");
    triage.printTimeline(ui, insight.timeline, false);
  }
  if (insight.sampled) triage.printSampleNote(ui, insight);
}

/** The command as typed, for the report's "made with" line (only the flags that shape the snapshot). */
function reportArgv(ref: string, opts: Opts): string[] {
  return [
    "dlq",
    "inspect",
    ref,
    ...(opts.groupBy ? ["--group-by", opts.groupBy] : []),
    ...(opts.filter ? ["--filter", opts.filter] : []),
    ...(opts.sample ? ["--sample", opts.sample] : opts.all ? ["--all"] : opts.limit ? ["--limit", opts.limit] : []),
    ...(opts.timeline ? ["--timeline"] : []),
    ...(opts.report ? ["--report", opts.report] : []),
    ...(opts.bodies === false ? ["--no-bodies"] : []),
  ];
}

function printSummary(ctx: CommandContext, s: InspectSummary, opts: Opts, limit: number | undefined, toStderr = false, growth?: triage.GrowthView): void {
  const { ui } = ctx;
  const scope = s.complete
    ? `all ${s.scanned} in the DLQ`
    : opts.sample !== undefined
      ? `from a sample of the first ${opts.sample} received (counts below are estimates for the whole DLQ)`
    : limit !== undefined && s.messages >= limit
      ? `the first ${s.messages}${opts.filter ? " matching" : ""} (--limit ${limit}; --all for every message)`
      : `${s.scanned} looked at (partial: see below)`;
  const lines: string[] = [
    `${ui.color.bold(s.dlq)}: ${plural(s.messages, "message")}${opts.filter ? ` matching ${opts.filter}` : ""} — ${scope}`,
  ];
  if (s.oldestSentAt) lines.push(`  sent        ${when(ui, s.oldestSentAt)} … ${when(ui, s.newestSentAt ?? undefined)}`);
  if (s.receiveCount) {
    const range = s.receiveCount.min === s.receiveCount.max ? `${s.receiveCount.min}` : `${s.receiveCount.min}-${s.receiveCount.max}`;
    lines.push(`  receives    ${range} ${ui.color.dim("(SQS has no peek: each look, this one too, counts as a receive)")}`);
  }
  const src = Object.entries(s.sources);
  if (src.length) lines.push(`  from        ${src.map(([k, v]) => `${k} (${v})`).join(", ")}`);
  if (growth) lines.push(`  growth      ${triage.growthText(growth)}`);
  for (const l of lines) {
    if (toStderr) ui.info(l);
    else ui.out(l);
  }
  if (!toStderr) ui.out("");
}
