import type { LineSet } from "../../core/batch.js";
import type { InputRules } from "../../core/message-input.js";
import { InterruptedError, OperationError, PartialFailure, UsageError } from "../../errors.js";
import { count, shortDuration, startProgress } from "../../output/progress.js";
import { bulkSend, type BulkResult, type EntryFailure } from "../../sqs/bulk-send.js";
import type { SqsContext } from "../../sqs/client.js";
import {
  accountOfArn,
  bindingMismatch,
  Journal,
  JournalFormatError,
  readJournal,
  SendJournal,
  sendJournalPath,
  sendState,
  type JournalBinding,
} from "../../sqs/custody/journal.js";
import { mapSdkError } from "../../sqs/errors.js";
import type { QueueHandle } from "../../sqs/queues.js";
import type { ConcurrencyControl } from "../../sqs/custody/pool.js";
import type { CommandContext } from "../context.js";
import type { FailedFile } from "./failed-file.js";
import { readEntries, type Validation } from "./input.js";
import type { SendBatchOptions } from "./send-batch.js";

export interface SendPass {
  ref: string;
  label: string;
  queue: QueueHandle;
  rules: InputRules;
  v: Validation;
  concurrency: number | ConcurrencyControl;
  rate: number | undefined;
  opts: SendBatchOptions;
  sqs: SqsContext;
  failedFile: FailedFile | undefined;
}

interface Resume {
  journal: SendJournal | undefined;
  path: string | undefined;
  /** Lines an earlier run confirmed: not sent again. */
  skip: LineSet | undefined;
  /** Lines an earlier run may have sent (outcome unknown, or in an unreadable record). */
  possibleDuplicates: number;
  /** The earlier run finished: nothing to send. */
  finished: Record<string, unknown> | undefined;
}

/** The journal: resume from it, or start it; bound to endpoint + account + queue + input. */
function openJournal(ctx: CommandContext, p: SendPass): Resume {
  const { ui } = ctx;
  const { v, opts } = p;
  if (opts.journal === false) return { journal: undefined, path: undefined, skip: undefined, possibleDuplicates: 0, finished: undefined };
  const binding: JournalBinding = { kind: "send-batch", endpoint: p.sqs.endpoint, account: accountOfArn(p.queue.arn), queue: p.queue.url };
  const path = opts.journal || sendJournalPath(ctx.io.env, binding, v.sha256);
  let previous;
  try {
    previous = readJournal(path);
  } catch (err) {
    if (!(err instanceof JournalFormatError) || !opts.restart) {
      throw new UsageError(`Cannot use the journal ${path}: ${(err as Error).message}`, "Pass another --journal path, or --restart to overwrite it.");
    }
  }
  const elsewhere = previous ? bindingMismatch(previous.header, binding) : "";
  const sameInput = previous !== undefined && !elsewhere && previous.header.meta.sha256 === v.sha256;
  if (previous && !sameInput && !opts.restart) {
    throw new UsageError(
      `The journal ${path} belongs to ${elsewhere ? `another place (${elsewhere})` : "a different input"}: it is never resumed across them.`,
      "Use another --journal path, or --restart to overwrite it.",
    );
  }
  const state = sameInput ? sendState(previous!) : undefined;
  const r: Resume = { journal: undefined, path, skip: undefined, possibleDuplicates: 0, finished: undefined };
  if (state?.finished && opts.resume) {
    r.finished = state.finished;
    return r;
  }
  if (state?.finished && !opts.restart) {
    ui.info(`note: this same input was sent in full to ${p.queue.name} before (journal ${path}); sending it again.`);
  } else if (state && !opts.resume && !opts.restart) {
    throw new UsageError(
      `An earlier send of this same input to ${p.queue.name} did not finish: ${count(state.confirmed.size)} of ${count(v.entries)} messages were confirmed (journal ${path}).`,
      "Add --resume to send only the rest, or --restart to send everything again.",
    );
  }
  const resuming = Boolean(state && !state.finished && opts.resume);
  if (resuming) {
    r.skip = state!.confirmed;
    const remaining = v.entries - state!.confirmed.size;
    // An unreadable record may have named up to a batch of lines: each may be in the queue already.
    r.possibleDuplicates = Math.min(remaining, state!.unknown.size + 10 * state!.unreadable);
    ui.info(`resuming: ${count(state!.confirmed.size)} messages were already confirmed; sending the other ${count(remaining)}.`);
    if (state!.unreadable) ui.warn(`${count(state!.unreadable)} journal record${state!.unreadable === 1 ? " was" : "s were"} unreadable (torn or damaged): ${state!.unreadable === 1 ? "its" : "their"} lines are treated as not confirmed and sent again.`);
    if (r.possibleDuplicates) {
      ui.warn(`up to ${count(r.possibleDuplicates)} message${r.possibleDuplicates === 1 ? "" : "s"} may have reached ${p.queue.name} in the earlier run without a record: sent again, they may be duplicates${p.rules.fifo ? " (FIFO dedup ids suppress them within 5 minutes)" : ""}.`);
    }
  } else if (opts.resume && !state) {
    ui.info(`nothing to resume (no journal at ${path}): sending everything.`);
  }
  // SQSCTL_JOURNAL_FSYNC_MS (undocumented) exists for bench/send-batch.mjs to compare fsync policies.
  const fsyncMs = Number(ctx.io.env.SQSCTL_JOURNAL_FSYNC_MS ?? 250);
  try {
    r.journal = new SendJournal(Journal.open(path, binding, { sha256: v.sha256, lines: v.lines, entries: v.entries }, { fresh: !resuming, fsyncMs: Number.isFinite(fsyncMs) ? fsyncMs : 250 }));
  } catch (err) {
    throw new UsageError(`Cannot write the journal ${path}: ${(err as Error).message}`, "Pass --journal FILE somewhere writable, or --no-journal.");
  }
  ui.info(`journal: ${path} (re-run with --resume after an interruption)`);
  return r;
}

/** The second pass: send what the journal does not show as confirmed, and account for every line. */
export async function sendPass(ctx: CommandContext, p: SendPass): Promise<void> {
  const { ui } = ctx;
  const { v } = p;
  const resume = openJournal(ctx, p);
  if (resume.finished) {
    const sent = Number(resume.finished.sent ?? 0) + Number(resume.finished.alreadySent ?? 0);
    if (ui.format !== "table") ui.json({ sent: 0, failed: 0, lines: v.lines, alreadySent: sent, finished: true, possibleDuplicates: 0 });
    else ui.out(`nothing to send: the earlier run of this input to ${p.queue.name} finished (${count(sent)} sent; journal ${resume.path}).`);
    return;
  }
  const journal = resume.journal;
  const failedSample: EntryFailure[] = [];
  const started = performance.now();
  const alreadySent = resume.skip?.size ?? 0;
  const toSend = v.entries - alreadySent;
  let sent = 0;
  let failed = 0;
  const progress = await startProgress(ui, () => {
    const secs = (performance.now() - started) / 1000;
    const r = sent / Math.max(secs, 0.001);
    return `sent ${count(sent)}/${count(toSend)} to ${p.queue.name} · ${count(Math.round(r))} msg/s · ETA ${sent ? shortDuration((toSend - sent - failed) / r) : "…"}${failed ? ` · ${count(failed)} failed` : ""}`;
  });
  let result: BulkResult;
  let ended = false;
  try {
    result = await bulkSend(
      p.sqs.client,
      p.queue.url,
      readEntries(v.path, p.rules, resume.skip),
      {
        beforeSend: (entries) => journal?.started(entries.map((e) => e.line)),
        onSent: (entries) => {
          sent += entries.length;
          journal?.sent(entries.map((e) => e.line));
        },
        onFailed: (failures) => {
          failed += failures.length;
          journal?.failed(failures.map((f) => f.entry.line));
          if (failedSample.length < 10) failedSample.push(...failures.slice(0, 10 - failedSample.length));
          p.failedFile?.write(failures);
        },
      },
      { concurrency: p.concurrency, rate: p.rate, fifo: p.rules.fifo, signal: ctx.signal },
    );
    ended = true;
  } catch (err) {
    throw mapSdkError(err, { region: p.sqs.region, endpoint: p.sqs.endpoint, queue: p.ref });
  } finally {
    progress.stop();
    if (ended || (p.failedFile?.written ?? 0) > 0) p.failedFile?.commit();
    else p.failedFile?.discard();
  }

  const seconds = Math.round((performance.now() - started) / 10) / 100;
  const possibleDuplicates = resume.possibleDuplicates + result.possibleDuplicates;
  const notSent = toSend - result.sent - result.failed;
  const summary = {
    sent: result.sent,
    failed: result.failed,
    lines: v.lines,
    seconds,
    ...(resume.skip ? { alreadySent } : {}),
    possibleDuplicates,
    ...(result.outOfOrder ? { outOfOrder: result.outOfOrder } : {}),
    ...(notSent ? { notSent } : {}),
  };
  // Every validated message is accounted for before the run is marked finished.
  const accounted = alreadySent + result.sent + result.failed;
  if (journal) {
    if (!result.interrupted && result.failed === 0 && accounted === v.entries) journal.journal.finish(summary);
    journal.journal.close();
  }
  if (ui.format !== "table") ui.json(summary);
  else {
    const r = Math.round(result.sent / Math.max(seconds, 0.01));
    ui.out(
      `${ui.color.green("sent")} ${count(result.sent)} message${result.sent === 1 ? "" : "s"} to ${ui.color.bold(p.queue.name)} in ${seconds}s (${count(r)}/s)` +
        (result.failed ? `; ${ui.color.red(`${count(result.failed)} failed`)}` : "") +
        (resume.skip ? `; ${count(alreadySent)} already sent earlier` : ""),
    );
  }
  warnings(ctx, p, result, possibleDuplicates);
  if (result.failed) {
    for (const f of failedSample) ui.error(`${p.label}:${f.entry.line}: ${f.code}${ui.debugEnabled ? `: ${f.message}` : ""}`);
    throw new PartialFailure(
      `${count(result.failed)} of ${count(toSend)} messages were not sent.`,
      p.failedFile
        ? `They are in ${p.failedFile.path} with their line and error code: fix them and run 'sqsctl send-batch ${p.ref} ${p.failedFile.path}'.`
        : journal
          ? `Re-run with --resume to retry only them, or add --failed-file FILE to keep them.`
          : "Add --failed-file FILE to keep them.",
    );
  }
  if (result.interrupted) {
    throw new InterruptedError(`Interrupted: ${count(result.sent)} sent, ${count(notSent)} not sent.`, journal ? `Run the same command with --resume to send only the rest.` : undefined);
  }
  if (accounted !== v.entries) {
    throw new OperationError(
      `${count(v.entries - accounted)} of ${count(v.entries)} validated messages were neither confirmed nor failed: the journal is kept unfinished.`,
      resume.path ? `Run the same command with --resume to send them.` : undefined,
    );
  }
}

function warnings(ctx: CommandContext, p: SendPass, result: BulkResult, possibleDuplicates: number): void {
  const { ui } = ctx;
  if (result.possibleDuplicates) {
    ui.warn(
      `${count(result.possibleDuplicates)} message${result.possibleDuplicates === 1 ? " was" : "s were"} sent in an attempt whose outcome was unknown (connection lost, timeout or 5xx): ${result.possibleDuplicates === 1 ? "it" : "they"} may be in ${p.queue.name} twice${p.rules.fifo ? " (FIFO dedup ids suppress that within 5 minutes)" : ""}.`,
    );
  } else if (possibleDuplicates) {
    ui.warn(`${count(possibleDuplicates)} possible duplicate${possibleDuplicates === 1 ? "" : "s"} from the earlier run (see above).`);
  }
  if (result.outOfOrder) {
    ui.warn(
      `${count(result.outOfOrder)} message${result.outOfOrder === 1 ? " was" : "s were"} accepted by SQS in the same call behind an earlier message of ${result.outOfOrder === 1 ? "its" : "their"} group that failed: that group's order is broken there. The rest of each such group was not sent (GroupOrderKept).`,
    );
  }
}
