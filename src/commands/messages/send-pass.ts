import type { InputRules } from "../../core/message-input.js";
import { plural } from "../../core/text.js";
import { InterruptedError, OperationError, PartialFailure } from "../../errors.js";
import { count, shortDuration, startProgress } from "../../output/progress.js";
import { bulkSend, type BulkResult, type EntryFailure } from "../../sqs/bulk-send.js";
import type { SqsContext } from "../../sqs/client.js";
import { mapSdkError } from "../../sqs/errors.js";
import type { QueueHandle } from "../../sqs/queues.js";
import type { ConcurrencyControl } from "../../sqs/custody/pool.js";
import type { CommandContext } from "../context.js";
import type { FailedFile } from "./failed-file.js";
import { readEntries, type Validation } from "./input.js";
import { openJournal } from "./send-resume.js";
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
        onAmbiguous: (entries) => journal?.ambiguous(entries.map((e) => e.line)),
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
    // What was confirmed before the error is written (confirmations may wait for the next write).
    journal?.journal.close();
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
    ui.success(
      `sent ${plural(result.sent, "message")} to ${ui.color.bold(p.queue.name)} in ${seconds}s (${count(r)}/s)` +
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
