import { durationFlag } from "../../core/duration.js";
import type { Envelope } from "../../core/envelope.js";
import { compileFilter } from "../../core/filter.js";
import { InterruptedError, PartialFailure, UsageError } from "../../errors.js";
import { findDeadLetterSources, type DeadLetterSource } from "../../sqs/dlq-sources.js";
import { getQueueAttributes, resolveQueue, type QueueHandle } from "../../sqs/queues.js";
import { defaultJournalPath, findUnfinishedJournal, Journal } from "../../sqs/redrive/journal.js";
import { runManualRedrive, type ManualRedriveStats } from "../../sqs/redrive/manual.js";
import type { RedriveTarget } from "../../sqs/redrive/move.js";
import { listMoveTasks } from "../../sqs/redrive/native.js";
import { takeSnapshot } from "../../sqs/snapshot.js";
import type { CommandContext } from "../context.js";
import { runNative } from "./native-run.js";
import { plural, positiveInt, printMessages, progress } from "./render.js";

interface Opts {
  to?: string;
  filter?: string;
  max?: string;
  rate?: string;
  strategy: "auto" | "native" | "manual";
  dryRun?: boolean;
  yes?: boolean;
  journal?: string | boolean;
  concurrency: string;
  hold: string;
  verbose?: boolean;
}

export default async function redrive(ctx: CommandContext, [ref]: string[], opts: Opts): Promise<void> {
  const { ui } = ctx;
  const max = positiveInt("--max", opts.max);
  const concurrency = positiveInt("--concurrency", opts.concurrency)!;
  if (concurrency > 64) throw new UsageError("--concurrency: at most 64.");
  const rate = opts.rate === undefined ? undefined : Number(opts.rate);
  if (rate !== undefined && !(rate > 0)) throw new UsageError(`--rate: "${opts.rate}" is not a positive number of messages a second.`);
  const hold = durationFlag("--hold", opts.hold, { min: 5, max: 12 * 3600 });
  const filter = opts.filter ? compileFilter(opts.filter) : undefined;
  const limited = Boolean(opts.filter) || max !== undefined;
  if (opts.strategy === "native" && limited) {
    throw new UsageError("--strategy native cannot use --filter or --max: SQS move tasks move everything.", "Use --strategy manual (or auto) to move a selection.");
  }

  const sqs = await ctx.sqs({ maxSockets: concurrency * 2 + 4 });
  const dlq = await resolveQueue(sqs, ref!, "DLQ");
  const to = opts.to ? await resolveQueue(sqs, opts.to, "--to") : undefined;
  const [attrs, sources] = await Promise.all([getQueueAttributes(sqs, dlq.url, ["All"], ref), findDeadLetterSources(sqs, dlq)]);
  const visible = Number(attrs.ApproximateNumberOfMessages ?? 0);
  const inFlight = Number(attrs.ApproximateNumberOfMessagesNotVisible ?? 0);

  // Strategy: native needs no filter/max and a server with move tasks.
  const tasks = opts.strategy === "manual" ? undefined : await listMoveTasks(sqs, dlq.arn, dlq.name);
  let strategy: "native" | "manual";
  let why: string;
  if (opts.strategy === "native") {
    if (!tasks) throw new UsageError(`The server at ${sqs.endpoint} has no message move tasks (StartMessageMoveTask).`, "Use --strategy manual (or auto).");
    strategy = "native";
    why = "chosen with --strategy native";
  } else if (opts.strategy === "manual") {
    strategy = "manual";
    why = "chosen with --strategy manual";
  } else if (limited) {
    strategy = "manual";
    why = `${opts.filter ? "--filter" : "--max"} needs the manual engine: SQS move tasks move everything`;
  } else if (!tasks) {
    strategy = "manual";
    why = "this server has no message move tasks, StartMessageMoveTask";
  } else {
    strategy = "native";
    why = "no --filter or --max, and the server has message move tasks";
  }
  if (strategy === "native" && rate !== undefined && (rate > 500 || !Number.isInteger(rate))) {
    throw new UsageError(`--rate: SQS move tasks take a whole number of messages a second from 1 to 500, not ${opts.rate}.`, "Use --strategy manual for other rates.");
  }
  if (strategy === "manual" && dlq.fifo && opts.filter) {
    ui.info("FIFO: a message that does not match is held until the end, and so are the later messages of its group: those are not reached in this run.");
  }
  if (strategy === "native" && tasks?.some((t) => t.status === "RUNNING")) {
    throw new UsageError(`A move task is already running on ${dlq.name}.`, `Watch it with 'sqsctl dlq moves ${dlq.name}', or cancel it with 'sqsctl dlq cancel <handle>'.`);
  }

  // Target: --to, else each message's own source (native does that itself), else the DLQ's only source.
  const single: DeadLetterSource | undefined = sources.length === 1 ? sources[0] : undefined;
  if (!to && strategy === "manual" && !single) {
    throw new UsageError(
      sources.length === 0
        ? `No queue uses ${dlq.name} as its DLQ, so there is no source queue to send its messages back to.`
        : `${dlq.name} is the DLQ of ${sources.length} queues (${sources.map((s) => s.name).join(", ")}): it is not clear where its messages go.`,
      "Say where with --to QUEUE.",
    );
  }
  const targetLabel = to ? to.name : single ? single.name : `each message's source queue: ${sources.map((s) => s.name).join(", ") || "from DeadLetterQueueSourceArn"}`;

  const planPairs: Array<[string, string]> = [
    ["from", `${dlq.name}, ${plural(visible, "message")} visible${inFlight ? `, ${inFlight} in flight` : ""}`],
    ["to", targetLabel],
    ["moving", `${max !== undefined ? `at most ${max}` : opts.filter ? "the messages matching" : "all"}${opts.filter ? ` ${opts.filter}` : ""}`],
    ["strategy", `${strategy}: ${why}`],
    ["rate", rate ? `${rate} messages/s` : "as fast as possible"],
  ];

  if (opts.dryRun) return dryRun(ctx, dlq, filter, max, planPairs, { strategy, target: targetLabel }, opts.verbose === true);

  for (const [k, v] of planPairs) ui.info(`${k.padEnd(9)} ${v}`);
  await ui.requireConfirmation(`Move ${max !== undefined ? `up to ${max}` : opts.filter ? "the matching" : `all ${visible}`} messages from ${dlq.name} to ${targetLabel}?`, {
    yes: opts.yes,
    action: `redrive ${dlq.name}`,
    notDone: "Nothing moved",
  });

  if (strategy === "native") {
    return runNative(ctx, sqs, dlq, to, rate, targetLabel);
  }
  if (rate !== undefined && rate > 0 && concurrency > 1) ui.debug(`--rate ${rate}: sends are paced across all ${concurrency} loops`);
  await runManual(ctx, { dlq, to, single, filter, max, rate, concurrency, hold, opts, targetLabel });
}

/** Messages a dry run lists on a terminal without --verbose. */
const DRY_RUN_PREVIEW = 10;

async function dryRun(
  ctx: CommandContext,
  dlq: QueueHandle,
  filter: ((e: Envelope) => boolean) | undefined,
  max: number | undefined,
  plan: Array<[string, string]>,
  json: { strategy: string; target: string },
  verbose: boolean,
): Promise<void> {
  const { ui } = ctx;
  const sqs = await ctx.sqs();
  const snap = await takeSnapshot(sqs, dlq.url, { limit: max, filter, signal: ctx.signal });
  try {
    const messages = snap.messages.map((h) => h.envelope);
    if (ui.format === "json") {
      ui.json({ dryRun: true, strategy: json.strategy, from: dlq.name, target: json.target, matching: messages.length, scanned: snap.scanned, messages });
    } else {
      // Totals first, then a bounded preview: 300 messages must not scroll the plan away.
      const write = ui.streamsNdjson ? (l: string) => ui.info(l) : (l: string) => ui.out(l);
      write(`Dry run: nothing will be moved.`);
      for (const [k, v] of plan) write(`  ${k.padEnd(9)} ${v}`);
      write(`  would move ${plural(messages.length, "message")}, of ${snap.scanned} looked at`);
      if (ui.streamsNdjson) return printMessages(ui, messages);
      const shown = verbose ? messages : messages.slice(0, DRY_RUN_PREVIEW);
      if (shown.length) {
        ui.out("");
        printMessages(ui, shown);
      }
      if (shown.length < messages.length) {
        ui.out(`${ui.ellipsis}and ${plural(messages.length - shown.length, "more message")}: --verbose lists all; -o ndjson prints every envelope.`);
      }
    }
  } finally {
    await snap.release();
  }
  if (snap.ended === "interrupted") throw new InterruptedError();
}

interface ManualInput {
  dlq: QueueHandle;
  to: QueueHandle | undefined;
  single: DeadLetterSource | undefined;
  filter: ((e: Envelope) => boolean) | undefined;
  max: number | undefined;
  rate: number | undefined;
  concurrency: number;
  hold: number;
  opts: Opts;
  targetLabel: string;
}

async function runManual(ctx: CommandContext, m: ManualInput): Promise<void> {
  const { ui } = ctx;
  const sqs = await ctx.sqs();
  const env = ctx.io.env;
  let file: string | undefined;
  if (typeof m.opts.journal === "string") file = m.opts.journal;
  else if (m.opts.journal !== false) {
    const unfinished = findUnfinishedJournal(env, m.dlq.name, m.dlq.arn);
    if (unfinished) ui.info(`Resuming the unfinished run recorded in ${unfinished}`);
    file = unfinished ?? defaultJournalPath(env, m.dlq.name);
  }
  const journal = Journal.open(file, { dlq: { name: m.dlq.name, url: m.dlq.url, arn: m.dlq.arn }, holdSeconds: m.hold, ...(m.opts.filter ? { filter: m.opts.filter } : {}) });
  const prev = journal.previous;
  ui.info(file ? `journal   ${file}` : "journal   none (--no-journal)");
  if (prev.pendingDelete) ui.info(`${plural(prev.pendingDelete, "message")} were sent by an earlier run but not deleted from ${m.dlq.name}: they are deleted now without being sent again.`);
  if (prev.runs > 0 && !prev.ended) {
    ui.info(`The earlier run was stopped before it finished: messages it held come back within ${prev.holdSeconds}s, and this run waits for them.`);
  }
  if (prev.maybeSent.size) {
    ui.warn(`${plural(prev.maybeSent.size, "message")} were being sent when an earlier run stopped; any still in ${m.dlq.name} are sent again and may be duplicated in the target (counted below).`);
  }

  const cache = new Map<string, Promise<RedriveTarget | undefined>>();
  const targetFor = (e: Envelope): Promise<RedriveTarget | undefined> => {
    if (m.to) return Promise.resolve(m.to);
    const arn = e.sourceQueueArn;
    if (arn) {
      let p = cache.get(arn);
      if (!p) {
        p = resolveQueue(sqs, arn, "DeadLetterQueueSourceArn").catch(() => (m.single ? toTarget(m.single) : undefined));
        cache.set(arn, p);
      }
      return p;
    }
    return Promise.resolve(m.single ? toTarget(m.single) : undefined);
  };

  const startedAt = Date.now();
  const spin = await progress(ui, `Moving from ${m.dlq.name}…`);
  let stats: ManualRedriveStats;
  try {
    stats = await runManualRedrive(sqs, {
      source: m.dlq,
      targetFor,
      filter: m.filter,
      max: m.max,
      rate: m.rate,
      concurrency: m.concurrency,
      holdSeconds: m.hold,
      journal,
      maybeSent: prev.maybeSent,
      waitForInFlightSeconds: prev.runs > 0 && !prev.ended ? prev.holdSeconds + 5 : 0,
      signal: ctx.signal,
      onProgress: (s) => {
        const secs = (Date.now() - startedAt) / 1000;
        const waiting = s.inFlightElsewhere > 0 ? `; waiting for ${s.inFlightElsewhere} held by the earlier run to come back` : "";
        spin.update(`Moving from ${m.dlq.name}: ${s.moved} moved, ${s.skipped} skipped, ${s.failed} failed (${Math.round(s.moved / Math.max(secs, 0.001))}/s)${waiting}…`);
      },
    });
  } catch (err) {
    spin.stop();
    journal.close();
    throw err;
  }
  spin.stop();
  const seconds = (Date.now() - startedAt) / 1000;
  const duplicates = stats.possibleDuplicates + stats.deleteFailed;
  const summary = {
    strategy: "manual",
    from: m.dlq.name,
    target: m.targetLabel,
    moved: stats.moved,
    skipped: stats.skipped,
    failed: stats.failed,
    duplicates,
    alreadySent: stats.alreadySent,
    sentNotDeleted: stats.deleteFailed,
    possibleDuplicates: stats.possibleDuplicates,
    inFlightElsewhere: stats.inFlightElsewhere,
    byTarget: stats.byTarget,
    ended: stats.ended,
    seconds: Math.round(seconds * 10) / 10,
    journal: file ?? null,
    failures: stats.failures,
  };
  journal.end(summary);
  journal.close();
  printSummary(ctx, summary, m);

  if (stats.ended === "interrupted") {
    throw new InterruptedError("Interrupted: the batches in hand were finished and everything else was released.", "Re-run the same command to move the rest.");
  }
  if (stats.failed || stats.deleteFailed) {
    throw new PartialFailure(
      `${plural(stats.failed, "message")} could not be sent${stats.deleteFailed ? ` and ${stats.deleteFailed} were sent but not deleted from ${m.dlq.name}` : ""}.`,
      stats.deleteFailed && file ? `Re-run with --journal ${file} to delete the sent ones from the DLQ without sending them again.` : "They are still in the DLQ; re-run to try again.",
    );
  }
}

function toTarget(s: DeadLetterSource): RedriveTarget {
  return { name: s.name, url: s.url, arn: s.arn, fifo: s.name.endsWith(".fifo") };
}

function printSummary(ctx: CommandContext, s: Record<string, unknown> & { moved: number; skipped: number; failed: number; duplicates: number; alreadySent: number; sentNotDeleted: number; possibleDuplicates: number; inFlightElsewhere: number; seconds: number; failures: Array<{ messageId: string; code: string; message: string }> }, m: ManualInput): void {
  const { ui } = ctx;
  if (ui.format !== "table") {
    ui.json(s);
    return;
  }
  const rate = s.seconds > 0 ? Math.round(s.moved / s.seconds) : s.moved;
  // The summary of work done: stderr, silenced by -q (the JSON summary is the stdout result).
  ui.success(`moved ${plural(s.moved, "message")} from ${m.dlq.name} to ${m.targetLabel}: manual, ${s.seconds}s, ${rate}/s`);
  const skippedWhy = [m.opts.filter ? "did not match --filter" : "", m.max !== undefined ? "over --max" : ""].filter(Boolean).join(" or ") || "no target";
  ui.info(`  skipped     ${s.skipped}${s.skipped ? `: ${skippedWhy}; left in the DLQ` : ""}`);
  ui.info(`  failed      ${s.failed}${s.failed ? ": send failed; left in the DLQ" : ""}`);
  ui.info(`  duplicates  ${s.duplicates}${s.duplicates ? `: ${s.possibleDuplicates} possibly sent twice by an interrupted earlier run or a send whose outcome was unknown; ${s.sentNotDeleted} sent but not deleted` : ""}`);
  if (s.alreadySent) ui.info(`  resumed     ${s.alreadySent} deleted from the DLQ without sending again: the journal showed them sent`);
  if (s.inFlightElsewhere) ui.info(`  in flight   ${s.inFlightElsewhere} held by another consumer were not looked at; re-run when they are visible again`);
  for (const f of s.failures.slice(0, 5)) ui.warn(`${f.messageId}: ${f.code}: ${f.message}`);
  if (s.failures.length > 5) ui.warn(`…and ${s.failures.length - 5} more (see the journal and -o json).`);
}

