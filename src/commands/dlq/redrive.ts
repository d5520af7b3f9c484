import { durationFlag } from "../../core/duration.js";
import type { Envelope } from "../../core/envelope.js";
import { compileFilter } from "../../core/filter.js";
import { InterruptedError, UsageError } from "../../errors.js";
import { AdaptiveConcurrency } from "../../sqs/custody/adaptive.js";
import { findDeadLetterSources, type DeadLetterSource } from "../../sqs/dlq-sources.js";
import { getQueueAttributes, resolveQueue, type QueueHandle } from "../../sqs/queues.js";
import { listMoveTasks } from "../../sqs/redrive/native.js";
import { inFlightLimitOf } from "../../sqs/custody/read-info.js";
import { partialFailure, takeSnapshot } from "../../sqs/snapshot.js";
import type { CommandContext } from "../context.js";
import { runNative } from "./native-run.js";
import { plural, positiveInt, printMessages } from "./render.js";
import { runManual } from "./redrive-manual.js";

interface Opts {
  to?: string;
  filter?: string;
  max?: string;
  rate?: string;
  strategy: "auto" | "native" | "manual";
  dryRun?: boolean;
  yes?: boolean;
  journal?: string | boolean;
  concurrency?: string;
  hold: string;
  verbose?: boolean;
}

export default async function redrive(ctx: CommandContext, [ref]: string[], opts: Opts): Promise<void> {
  const { ui } = ctx;
  const max = positiveInt("--max", opts.max);
  const fixed = positiveInt("--concurrency", opts.concurrency);
  if (fixed !== undefined && fixed > 64) throw new UsageError("--concurrency: at most 64.");
  // Without --concurrency: as many calls in flight as keep raising the throughput (bench/RESULTS.md, "## speed").
  // From 32 (as send-batch): at 25 ms a call a fixed 32 moved 1.07x the raw loop, the old start at 8 0.81x.
  const concurrency = fixed ?? new AdaptiveConcurrency({ min: 1, max: 64, initial: 32 });
  const rate = opts.rate === undefined ? undefined : Number(opts.rate);
  if (rate !== undefined && !(rate > 0)) throw new UsageError(`--rate: "${opts.rate}" is not a positive number of messages a second.`);
  const hold = durationFlag("--hold", opts.hold, { min: 5, max: 12 * 3600 });
  const filter = opts.filter ? compileFilter(opts.filter) : undefined;
  const limited = Boolean(opts.filter) || max !== undefined;
  if (opts.strategy === "native" && limited) {
    throw new UsageError("--strategy native cannot use --filter or --max: SQS move tasks move everything.", "Use --strategy manual (or auto) to move a selection.");
  }

  const sqs = await ctx.sqs({ maxSockets: (fixed ?? 64) * 2 + 4 });
  const dlq = await resolveQueue(sqs, ref!, "DLQ");
  const to = opts.to ? await resolveQueue(sqs, opts.to, "--to") : undefined;
  // A target that is the DLQ itself never ends: each move makes a new MessageId (issue 15 #3).
  if (to && (to.arn === dlq.arn || to.url === dlq.url)) {
    throw new UsageError(`--to ${opts.to} is the DLQ itself (${dlq.name}): moving its messages there would never end.`, "Name the queue the messages should go back to, or leave --to out to use each message's source.");
  }
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
  if (rate !== undefined && rate > 0 && fixed !== 1) ui.debug(`--rate ${rate}: sends are paced across all ${fixed ?? "the"} loops`);
  await runManual(ctx, { dlq, to, single, filter, filterText: opts.filter, max, rate, concurrency, hold, journal: opts.journal, targetLabel });
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
  // JSON, NDJSON (also a pipe) and --verbose print every matching envelope; a terminal without --verbose
  // shows a preview, so only that many are kept (the rest are counted as they arrive).
  const listAll = ui.format !== "table" || ui.streamsNdjson || verbose;
  const preview: Envelope[] = [];
  const snap = await takeSnapshot(sqs, dlq.url, {
    limit: max,
    filter,
    signal: ctx.signal,
    onMatch: listAll ? undefined : (env) => void (preview.length < DRY_RUN_PREVIEW && preview.push(env)),
    // At SQS's in-flight limit the scan ends there: the counts cover what it saw (exit 1 below).
    endAtInFlightLimit: true,
    inFlightLimit: inFlightLimitOf(ctx.io.env, dlq.fifo),
  });
  // A scan that did not see every message gives a lower bound, and says so (exit 1).
  const partial = snap.partial;
  try {
    const messages = listAll ? snap.messages.map((h) => h.envelope) : preview;
    if (ui.format === "json") {
      ui.json({ dryRun: true, strategy: json.strategy, from: dlq.name, target: json.target, matching: messages.length, scanned: snap.scanned, ...(partial ? { partial } : {}), messages });
    } else {
      // Totals first, then a bounded preview: 300 messages must not scroll the plan away.
      const write = ui.streamsNdjson ? (l: string) => ui.info(l) : (l: string) => ui.out(l);
      write(`Dry run: nothing will be moved.`);
      for (const [k, v] of plan) write(`  ${k.padEnd(9)} ${v}`);
      write(`  would move ${partial ? "at least " : ""}${plural(snap.matched, "message")}, of ${snap.scanned} looked at${partial ? " (partial: see below)" : ""}`);
      if (ui.streamsNdjson) printMessages(ui, messages);
      else {
        const shown = verbose ? messages : messages.slice(0, DRY_RUN_PREVIEW);
        if (shown.length) {
          ui.out("");
          printMessages(ui, shown);
        }
        if (shown.length < snap.matched) {
          ui.out(`${ui.ellipsis}and ${plural(snap.matched - shown.length, "more message")}: --verbose lists all; -o ndjson prints every envelope.`);
        }
      }
    }
  } finally {
    await snap.release();
  }
  if (snap.ended === "interrupted") throw new InterruptedError();
  const failure = partialFailure(snap, "dry run", dlq.name);
  if (failure) throw failure;
}
