import type { ConcurrencyControl } from "../../sqs/custody/pool.js";
import type { Envelope } from "../../core/envelope.js";
import { InterruptedError, OperationError, PartialFailure, SqsctlError, UsageError } from "../../errors.js";
import { errorContextOf, mapSdkError } from "../../sqs/errors.js";
import {
  accountOfArn,
  bindingMismatch,
  findUnfinishedMove,
  Journal,
  JournalFormatError,
  MoveJournal,
  moveState,
  newMoveJournalPath,
  readJournal,
  type JournalBinding,
  type JournalRead,
} from "../../sqs/custody/journal.js";
import type { DeadLetterSource } from "../../sqs/dlq-sources.js";
import type { QueueHandle } from "../../sqs/queues.js";
import { ForeignJournals } from "../../sqs/redrive/foreign.js";
import { runManualRedrive, type ManualRedriveStats } from "../../sqs/redrive/manual.js";
import type { CommandContext } from "../context.js";
import { plural, progress } from "./render.js";
import { targetResolver } from "./redrive-targets.js";

export interface ManualInput {
  dlq: QueueHandle;
  to: QueueHandle | undefined;
  single: DeadLetterSource | undefined;
  filter: ((e: Envelope) => boolean) | undefined;
  filterText: string | undefined;
  max: number | undefined;
  rate: number | undefined;
  concurrency: number | ConcurrencyControl;
  hold: number;
  /** --journal FILE, --no-journal (false), or the default (undefined). */
  journal: string | boolean | undefined;
  targetLabel: string;
}

/** Opens the run's journal: the given file, the unfinished one of an earlier run here, or a new one. */
function openJournal(ctx: CommandContext, m: ManualInput, binding: JournalBinding): { journal: MoveJournal; file: string | undefined } {
  const { ui } = ctx;
  const env = ctx.io.env;
  if (m.journal === false) return { journal: new MoveJournal(undefined, moveState(undefined)), file: undefined };
  let file: string;
  if (typeof m.journal === "string") file = m.journal;
  else {
    const unfinished = findUnfinishedMove(env, binding, m.dlq.name);
    if (unfinished) ui.info(`Resuming the unfinished run recorded in ${unfinished}`);
    file = unfinished ?? newMoveJournalPath(env, binding, m.dlq.name);
  }
  let read: JournalRead | undefined;
  try {
    read = readJournal(file);
  } catch (err) {
    if (err instanceof JournalFormatError) throw new UsageError(`--journal ${file}: ${err.message}`, "Give another file (a new one is created).");
    throw err;
  }
  const elsewhere = read ? bindingMismatch(read.header, binding) : "";
  if (read && elsewhere) {
    throw new UsageError(`The journal ${file} belongs to another run (${elsewhere}): it is never resumed across endpoints, accounts or queues.`, "Give another --journal file, or leave --journal out.");
  }
  const previous = moveState(read);
  let j: Journal;
  try {
    j = Journal.open(file, binding, { holdSeconds: m.hold, dlq: m.dlq.name, ...(m.filterText ? { filter: m.filterText } : {}) }, { fresh: false, fsyncMs: 60_000 });
  } catch (err) {
    throw new UsageError(`Cannot write the journal ${file}: ${(err as Error).message}`, "Pass --journal FILE somewhere writable, or --no-journal.");
  }
  j.append([{ k: "hold", holdSeconds: m.hold }]);
  return { journal: new MoveJournal(j, previous), file };
}

export async function runManual(ctx: CommandContext, m: ManualInput): Promise<void> {
  const { ui } = ctx;
  const sqs = await ctx.sqs();
  const binding: JournalBinding = { kind: "redrive", endpoint: sqs.endpoint, account: accountOfArn(m.dlq.arn), queue: m.dlq.url };
  const { journal, file } = openJournal(ctx, m, binding);
  const prev = journal.previous;
  ui.info(file ? `journal   ${file}` : "journal   none (--no-journal)");
  if (prev.finished && !prev.unfinished) ui.info("The run recorded in this journal finished; this run moves what is in the DLQ now.");
  if (prev.sentNotDeleted.size) ui.info(`${plural(prev.sentNotDeleted.size, "message")} were sent by an earlier run but not deleted from ${m.dlq.name}: they are deleted now without being sent again.`);
  if (prev.runs > 0 && prev.unfinished) ui.info(`The earlier run was stopped before it finished: messages it held come back within ${prev.holdSeconds}s, and this run waits for them.`);
  if (prev.unreadable) ui.warn(`${plural(prev.unreadable, "journal record")} could not be read (torn or damaged): what they said is treated as unknown.`);
  if (prev.unfinished && prev.ambiguousUnreported) ui.warn(`${plural(prev.ambiguousUnreported, "possible extra copy", "possible extra copies")} in the target from earlier runs that stopped (sends of unknown outcome): counted below as possible duplicates.`);
  if (prev.maybeSent.size) ui.warn(`${plural(prev.maybeSent.size, "message")} were being sent when an earlier run stopped; any still in ${m.dlq.name} are sent again and may be duplicated in the target (counted below).`);
  const foreign = file ? new ForeignJournals(ctx.io.env, binding, m.dlq.name, file).attach(journal) : undefined;

  const startedAt = Date.now();
  const spin = await progress(ui, `Moving from ${m.dlq.name}…`);
  let stats: ManualRedriveStats;
  try {
    stats = await runManualRedrive(sqs, {
      source: m.dlq,
      targetFor: targetResolver(sqs, m.dlq, m.to, m.single),
      filter: m.filter,
      max: m.max,
      rate: m.rate,
      concurrency: m.concurrency,
      holdSeconds: m.hold,
      journal,
      foreign,
      // Asked for everything: wait for what can still come back (a killed earlier run's holds,
      // and messages whose receive reply was lost: hidden for one hold) before giving up.
      waitForInFlightSeconds: Math.max(prev.runs > 0 && prev.unfinished ? prev.holdSeconds + 5 : 0, m.max === undefined ? m.hold + 5 : 0),
      signal: ctx.signal,
      onProgress: (s) => {
        const secs = (Date.now() - startedAt) / 1000;
        spin.update(`Moving from ${m.dlq.name}: ${s.moved} moved, ${s.skipped} skipped, ${s.failed} failed (${Math.round(s.moved / Math.max(secs, 0.001))}/s)…`);
      },
    });
  } catch (err) {
    spin.stop();
    // No "finished" record: the next run with this journal resumes (and reports) what is open.
    journal.close();
    const partial = (err as { redriveStats?: ManualRedriveStats }).redriveStats;
    if (!partial) throw err;
    // Ended by an error (a call that failed every attempt) or a cancelled request after an
    // interrupt: what was done before it is still the result, printed before the error.
    if (prev.unfinished) partial.possibleDuplicates += prev.ambiguousUnreported;
    // main turns a cancelled request after an interrupt into exit 130: that error stays as it is.
    const failure = ctx.signal.aborted ? undefined : mapSdkError(err, errorContextOf(err) ?? { region: sqs.region, endpoint: sqs.endpoint, queue: m.dlq.name });
    const summary = { ...summarize(partial, m, file, (Date.now() - startedAt) / 1000), ...(failure ? { error: ctx.ui.redact(failure.message) } : {}) };
    printSummary(ctx, summary, m);
    // An SQS call that failed: the same error main would print, with what to do next.
    const fromSqs = err instanceof SqsctlError || errorContextOf(err) !== undefined || (err as { $metadata?: unknown })?.$metadata !== undefined;
    if (!failure || !fromSqs) throw err;
    throw new SqsctlError(failure.message, failure.exitCode, failure.hint ?? rerunHint(file), { cause: err });
  }
  spin.stop();
  // A killed earlier run never reported the unknown-outcome sends its journal records.
  if (prev.unfinished) stats.possibleDuplicates += prev.ambiguousUnreported;
  const summary = summarize(stats, m, file, (Date.now() - startedAt) / 1000);
  const complete = stats.ended === "empty" && !stats.failed && !stats.deleteFailed && !stats.lapsed && !summary.noTargetTotal && !stats.inFlightElsewhere;
  if (complete) journal.finish(summary);
  journal.close();
  printSummary(ctx, summary, m);
  exitFor(stats, summary, m, file);
}

type Summary = ReturnType<typeof summarize> & { error?: string };

const rerunHint = (file: string | undefined) =>
  file ? `Re-run the same command (journal ${file}) to move the rest: what this run sent is deleted from the DLQ, not sent again.` : "Re-run the same command to move the rest.";

function summarize(stats: ManualRedriveStats, m: ManualInput, file: string | undefined, seconds: number) {
  const noTargetTotal = Object.values(stats.noTarget).reduce((a, b) => a + b, 0);
  return {
    strategy: "manual",
    from: m.dlq.name,
    target: m.targetLabel,
    moved: stats.moved,
    skipped: stats.skipped,
    noTarget: stats.noTarget,
    noTargetTotal,
    failed: stats.failed,
    duplicates: stats.possibleDuplicates + stats.deleteFailed + stats.lapsed,
    alreadySent: stats.alreadySent,
    sentNotDeleted: stats.deleteFailed + stats.lapsed,
    lapsed: stats.lapsed,
    possibleDuplicates: stats.possibleDuplicates,
    outOfOrder: stats.outOfOrder,
    inFlightElsewhere: stats.inFlightElsewhere,
    unreachable: stats.unreachable,
    byTarget: stats.byTarget,
    ended: stats.ended,
    seconds: Math.round(seconds * 10) / 10,
    journal: file ?? null,
    failures: stats.failures,
  };
}

function exitFor(stats: ManualRedriveStats, s: Summary, m: ManualInput, file: string | undefined): void {
  if (stats.ended === "interrupted") {
    throw new InterruptedError("Interrupted: the batches in hand were finished and everything else was released.", "Re-run the same command to move the rest.");
  }
  const problems: string[] = [];
  if (stats.failed) problems.push(`${plural(stats.failed, "message")} could not be sent (left in ${m.dlq.name})`);
  if (s.noTargetTotal) problems.push(`${plural(s.noTargetTotal, "message")} had no target (${Object.entries(stats.noTarget).map(([why, n]) => `${n}: ${why}`).join("; ")}) and stayed in ${m.dlq.name}`);
  if (s.sentNotDeleted) problems.push(`${plural(s.sentNotDeleted, "message")} were sent but are still in ${m.dlq.name}${stats.lapsed ? ` (${stats.lapsed} because this run's hold lapsed)` : ""}`);
  // Asked for everything: what someone else holds, or FIFO groups a consumer blocks, are left.
  if (m.max === undefined) {
    if (stats.inFlightElsewhere) problems.push(`${plural(stats.inFlightElsewhere, "message")} in ${m.dlq.name} were held by another consumer and not reached`);
    if (stats.unreachable) problems.push(`${plural(stats.unreachable, "message")} are still visible in ${m.dlq.name} but no receive returned them${m.dlq.fifo ? " (FIFO groups blocked by a message someone else holds)" : ""}`);
  }
  if (problems.length) {
    throw new PartialFailure(
      `Not everything was moved: ${problems.join("; ")}.`,
      s.sentNotDeleted && file ? `Re-run the same command (journal ${file}) to delete the sent ones without sending them again, and to move the rest.` : "Re-run when the messages are visible again to move the rest.",
    );
  }
  if (stats.ended === "stalled" && m.max !== undefined && stats.moved < m.max) {
    throw new OperationError(`Stopped early: ${stats.moved} of at most ${m.max} moved; the rest were not receivable.`);
  }
}

function printSummary(ctx: CommandContext, s: Summary, m: ManualInput): void {
  const { ui } = ctx;
  if (ui.format !== "table") {
    ui.json(s);
    return;
  }
  const rate = s.seconds > 0 ? Math.round(s.moved / s.seconds) : s.moved;
  // The summary of work done: stderr, silenced by -q (the JSON summary is the stdout result).
  // A run an error stopped gets no check mark: main prints the error after these lines.
  if (s.error !== undefined) ui.info(`stopped by an error after moving ${plural(s.moved, "message")} from ${m.dlq.name} to ${m.targetLabel}: manual, ${s.seconds}s, ${rate}/s`);
  else ui.success(`moved ${plural(s.moved, "message")} from ${m.dlq.name} to ${m.targetLabel}: manual, ${s.seconds}s, ${rate}/s`);
  const skippedWhy = [m.filterText ? "did not match --filter" : "", m.max !== undefined ? "over --max" : ""].filter(Boolean).join(" or ") || "not moved";
  ui.info(`  skipped     ${s.skipped}${s.skipped ? `: ${skippedWhy}; left in the DLQ` : ""}`);
  for (const [why, n] of Object.entries(s.noTarget)) ui.info(`  no target   ${n}: ${why}; left in the DLQ`);
  ui.info(`  failed      ${s.failed}${s.failed ? ": send failed; left in the DLQ" : ""}`);
  ui.info(`  duplicates  ${s.duplicates}${s.duplicates ? `: ${s.possibleDuplicates} possibly sent twice by an interrupted earlier run, another process or a send whose outcome was unknown; ${s.sentNotDeleted} sent but still in the DLQ` : ""}`);
  if (s.outOfOrder) ui.info(`  reordered   ${s.outOfOrder}: accepted behind a failed earlier message of their FIFO group`);
  if (s.alreadySent) ui.info(`  resumed     ${s.alreadySent} deleted from the DLQ without sending again: a journal showed them sent`);
  if (s.inFlightElsewhere) ui.info(`  in flight   ${s.inFlightElsewhere} held by another consumer were not looked at; re-run when they are visible again`);
  if (s.unreachable) ui.info(`  unreachable ${s.unreachable} visible but not returned by any receive`);
  for (const f of s.failures.slice(0, 5)) ui.warn(`${f.messageId}: ${f.code}: ${f.message}`);
  if (s.failures.length > 5) ui.warn(`…and ${s.failures.length - 5} more (see the journal and -o json).`);
}
