import fs from "node:fs";
import type { Envelope } from "../../core/envelope.js";
import { durationFlag } from "../../core/duration.js";
import { compileGroupBy } from "../../core/filter.js";
import { nameOf } from "../../core/queue-ref.js";
import { parseRedrivePolicy } from "../../core/redrive-policy.js";
import { InterruptedError, PartialFailure, UsageError } from "../../errors.js";
import { findDeadLetterSources } from "../../sqs/dlq-sources.js";
import { getQueueAttributes, resolveQueue } from "../../sqs/queues.js";
import { takeSnapshot } from "../../sqs/snapshot.js";
import type { CommandContext } from "../context.js";
import { guardedFilter } from "../reading.js";
import { plural, positiveInt, printMessages, progress, when } from "./render.js";

interface Opts {
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

export function summarise(dlq: string, messages: Envelope[], scanned: number, complete: boolean, fallbackSources: string[]): InspectSummary {
  const sent = messages.map((m) => m.sentAt).filter((s): s is string => Boolean(s)).sort();
  const counts = messages.map((m) => m.receiveCount).filter((n): n is number => n !== undefined);
  const sources: Record<string, number> = {};
  for (const m of messages) {
    const src = m.sourceQueueArn ? nameOf(m.sourceQueueArn) : fallbackSources.length === 1 ? fallbackSources[0]! : "(unknown)";
    sources[src] = (sources[src] ?? 0) + 1;
  }
  return {
    dlq,
    messages: messages.length,
    scanned,
    complete,
    oldestSentAt: sent[0] ?? null,
    newestSentAt: sent.at(-1) ?? null,
    receiveCount: counts.length ? { min: Math.min(...counts), max: Math.max(...counts) } : null,
    sources,
  };
}

export function groupCounts(messages: Envelope[], key: (e: Envelope) => string): Array<{ value: string; count: number; percent: number }> {
  const counts = new Map<string, number>();
  for (const m of messages) counts.set(key(m), (counts.get(key(m)) ?? 0) + 1);
  return [...counts.entries()]
    .map(([value, count]) => ({ value, count, percent: Math.round((count / Math.max(1, messages.length)) * 1000) / 10 }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

export default async function inspect(ctx: CommandContext, [ref]: string[], opts: Opts): Promise<void> {
  const { ui } = ctx;
  if (opts.all && opts.limit !== undefined) throw new UsageError("--limit and --all: choose one.");
  const limitFlag = positiveInt("--limit", opts.limit);
  const filter = opts.filter ? guardedFilter(opts.filter) : undefined;
  const groupBy = opts.groupBy ? compileGroupBy(opts.groupBy) : undefined;
  const hold = durationFlag("--hold", opts.hold, { min: 5, max: 12 * 3600 });
  const limit = opts.all ? undefined : (limitFlag ?? (groupBy ? undefined : 100));

  const sqs = await ctx.sqs();
  const dlq = await resolveQueue(sqs, ref!, "DLQ");
  const attrs = await getQueueAttributes(sqs, dlq.url, ["All"], ref);
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
  const sources = (await findDeadLetterSources(sqs, dlq)).map((s) => s.name);

  const spin = await progress(ui, `Scanning ${dlq.name} (${plural(before, "message")} visible)…`);
  const snap = await takeSnapshot(sqs, dlq.url, {
    limit,
    filter,
    visibilitySeconds: hold,
    fifo: dlq.fifo,
    maxReceiveCount: ownPolicy?.maxReceiveCount,
    signal: ctx.signal,
    onProgress: (p) => spin.update(`Scanning ${dlq.name}: ${p.scanned} of ~${before} looked at${filter ? `, ${p.matched} match` : ""}…`),
  });
  let released;
  try {
    spin.stop();
    const messages = snap.messages.map((h) => h.envelope);
    const complete = snap.ended === "empty" && snap.partial === undefined;
    const summary = summarise(dlq.name, messages, snap.scanned, complete, sources);
    if (opts.save) {
      fs.writeFileSync(opts.save, messages.map((m) => JSON.stringify(m)).join("\n") + (messages.length ? "\n" : ""), { mode: 0o600 });
      ui.info(`Saved ${plural(messages.length, "message")} to ${opts.save} (NDJSON envelopes).`);
    }
    output(ctx, summary, messages, groupBy, opts, limit);
  } finally {
    released = await snap.release();
  }
  ui.info(
    `Released ${plural(released.released, "message")}: they are visible in ${dlq.name} again` +
      (released.failed ? `; ${released.failed} could not be released and come back within ${hold}s.` : "."),
  );
  if (released.keptExhausted) {
    ui.warn(`${plural(released.keptExhausted, "message")} used all ${ownPolicy?.maxReceiveCount} receives: kept hidden (not released early); the next receive moves them on.`);
  }
  if (snap.ended === "interrupted") throw new InterruptedError("Interrupted: the scan stopped early; everything it held was released.");
  if (snap.partial || snap.ended === "stalled") {
    throw new PartialFailure(`partial scan of ${dlq.name}: ${plural(snap.scanned, "message")} looked at, but ${snap.partial ?? "the DLQ still counts messages no receive returned"}.`);
  }
}

function output(
  ctx: CommandContext,
  summary: InspectSummary,
  messages: Envelope[],
  groupBy: ((e: Envelope) => string) | undefined,
  opts: Opts,
  limit: number | undefined,
): void {
  const { ui } = ctx;
  const groups = groupBy ? groupCounts(messages, groupBy) : undefined;
  if (ui.format === "json") {
    ui.json({ summary, ...(groups ? { groupBy: opts.groupBy, groups } : { messages }) });
    return;
  }
  if (groups) {
    if (ui.format === "table") printSummary(ctx, summary, opts, limit);
    ui.list(groups, [
      { header: opts.groupBy!, value: (g) => g.value },
      { header: "Count", value: (g) => g.count, align: "right" },
      { header: "%", value: (g) => g.percent.toFixed(1), align: "right" },
    ]);
    return;
  }
  // Messages: a table on a terminal; NDJSON envelopes when piped (the summary then goes to stderr).
  if (ui.streamsNdjson) {
    printSummary(ctx, summary, opts, limit, true);
    printMessages(ui, messages);
    return;
  }
  printSummary(ctx, summary, opts, limit);
  printMessages(ui, messages);
}

function printSummary(ctx: CommandContext, s: InspectSummary, opts: Opts, limit: number | undefined, toStderr = false): void {
  const { ui } = ctx;
  const scope = s.complete
    ? `all ${s.scanned} in the DLQ`
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
  for (const l of lines) {
    if (toStderr) ui.info(l);
    else ui.out(l);
  }
  if (!toStderr) ui.out("");
}
