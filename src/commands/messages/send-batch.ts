import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LineSet } from "../../core/batch.js";
import type { InputRules, SendEntry } from "../../core/message-input.js";
import { InterruptedError, PartialFailure, UsageError } from "../../errors.js";
import { plural } from "../../core/text.js";
import { count, shortDuration, startProgress } from "../../output/progress.js";
import { bulkSend, type EntryFailure } from "../../sqs/bulk-send.js";
import { mapSdkError } from "../../sqs/errors.js";
import { getQueueAttributes, resolveQueue } from "../../sqs/queues.js";
import type { CommandContext } from "../context.js";
import { readEntries, validateInput, type Validation } from "./input.js";
import { defaultJournalPath, Journal, readJournal } from "./journal.js";

export interface SendBatchOptions {
  raw?: boolean;
  concurrency?: string;
  rate?: string;
  groupId?: string;
  failedFile?: string;
  dryRun?: boolean;
  journal?: string | false;
  resume?: boolean;
  restart?: boolean;
}

/** Chosen by measurement on the embedded server (bench/RESULTS.md, "## send-batch"). */
export const DEFAULT_CONCURRENCY = 8;

export default async function sendBatch(ctx: CommandContext, [ref, file]: string[], opts: SendBatchOptions): Promise<void> {
  await runSendBatch(ctx, ref!, file, opts, "send-batch");
}

export async function runSendBatch(ctx: CommandContext, ref: string, file: string | undefined, opts: SendBatchOptions, verb: string): Promise<void> {
  const { ui } = ctx;
  const concurrency = intFlag("--concurrency", opts.concurrency, DEFAULT_CONCURRENCY, 1, 256);
  const rate = opts.rate === undefined ? undefined : numberFlag("--rate", opts.rate);
  if (opts.resume && opts.restart) throw new UsageError("--resume and --restart cannot be used together.");
  const fromStdin = file === undefined || file === "-";
  if (fromStdin && ctx.io.stdin.isTTY) {
    throw new UsageError(`${verb}: no input.`, `Give a file (sqsctl ${verb} ${ref} messages.ndjson) or pipe NDJSON into it (... | sqsctl ${verb} ${ref} -).`);
  }
  const label = fromStdin ? "stdin" : file!;

  const sqs = await ctx.sqs({ maxSockets: Math.max(concurrency, 8) });
  const queue = await resolveQueue(sqs, ref);
  const qa = await getQueueAttributes(sqs, queue.url, ["MaximumMessageSize", "FifoQueue", "ContentBasedDeduplication"], ref);
  const rules: InputRules = {
    raw: opts.raw === true,
    fifo: qa.FifoQueue === "true" || queue.fifo,
    contentBasedDedup: qa.ContentBasedDeduplication === "true",
    maxMessageSize: Number(qa.MaximumMessageSize ?? 1_048_576),
    defaultGroupId: opts.groupId,
  };
  if (!rules.fifo && opts.groupId) {
    throw new UsageError(`${queue.name} is not a FIFO queue: --group-id applies only to FIFO queues (names ending in .fifo).`, "Drop the flag, or send to the FIFO queue you meant.");
  }

  // Pass 1: validate everything (and spool stdin) before sending anything.
  const spoolDir = fromStdin ? mkdtempSync(join(tmpdir(), "sqsctl-")) : undefined;
  try {
    const validating = await startProgress(ui, () => `validating ${label}…`);
    let v: Validation;
    try {
      v = await validateInput(
        fromStdin ? { stream: ctx.io.stdin as NodeJS.ReadableStream & import("node:stream").Readable, spoolPath: join(spoolDir!, "stdin.ndjson") } : { path: file! },
        rules,
        { signal: ctx.signal },
      );
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "EISDIR" || code === "EACCES") throw new UsageError(`Cannot read ${label}: ${(err as Error).message}`);
      throw err;
    } finally {
      validating.stop();
    }
    if (ctx.signal.aborted) throw new InterruptedError("Interrupted while validating: nothing was sent.");
    if (v.invalidCount > 0) {
      for (const bad of v.invalid) ui.error(`${label}:${bad.line}: ${bad.reason}`);
      if (v.invalidCount > v.invalid.length) ui.error(`… and ${v.invalidCount - v.invalid.length} more invalid lines`);
      throw new UsageError(
        `${v.invalidCount} of ${plural(v.lines, "line")} in ${label} ${v.invalidCount === 1 ? "is" : "are"} invalid: nothing was sent.`,
        rules.raw ? "Fix the lines above and run again." : 'Each line must be a JSON object like {"body": "..."} (or use --raw to send each line as a body). Fix the lines above and run again.',
      );
    }
    if (v.entries === 0) {
      // An empty input is almost always a mistake upstream (a pipeline that produced nothing, the wrong file).
      throw new UsageError(`${label} has no messages (${v.lines === 0 ? "it is empty" : "only blank lines"}): nothing was sent.`);
    }
    ui.debug(`validated ${v.lines} lines (${v.entries} messages, ${v.blank} blank), sha256 ${v.sha256}`);
    if (opts.dryRun) {
      const summary = { dryRun: true, lines: v.lines, messages: v.entries, blank: v.blank, queue: queue.name, fifo: rules.fifo, maxMessageSize: rules.maxMessageSize };
      if (ui.format !== "table") ui.json(summary);
      else ui.out(`${plural(v.entries, "message")} in ${label} ${v.entries === 1 ? "is" : "are"} valid for ${queue.name}; nothing was sent (--dry-run).`);
      return;
    }
    await sendPass(ctx, { ref, label, queueUrl: queue.url, queueName: queue.name, rules, v, concurrency, rate, opts, sqs });
  } finally {
    if (spoolDir) rmSync(spoolDir, { recursive: true, force: true });
  }
}

interface SendPass {
  ref: string;
  label: string;
  queueUrl: string;
  queueName: string;
  rules: InputRules;
  v: Validation;
  concurrency: number;
  rate: number | undefined;
  opts: SendBatchOptions;
  sqs: Awaited<ReturnType<CommandContext["sqs"]>>;
}

async function sendPass(ctx: CommandContext, p: SendPass): Promise<void> {
  const { ui } = ctx;
  const { v, opts } = p;
  const header = { queueUrl: p.queueUrl, sha256: v.sha256, lines: v.lines };

  // Created (emptied) up front so a stale file from an earlier run never passes for this run's failures.
  const failedFd: number | undefined = opts.failedFile ? openFailedFile(opts.failedFile) : undefined;

  // The journal: resume from it, or start it.
  let journal: Journal | undefined;
  let skip: LineSet | undefined;
  let possibleDuplicates = 0;
  if (opts.journal !== false) {
    const path = opts.journal || defaultJournalPath(ctx.io.env, p.queueUrl, v.sha256);
    const previous = readJournal(path);
    const matches = previous && previous.header.sha256 === v.sha256 && previous.header.queueUrl === p.queueUrl;
    if (previous && !matches && !opts.restart) {
      throw new UsageError(`The journal ${path} belongs to a different input or queue.`, "Use another --journal path, or --restart to overwrite it.");
    }
    if (matches && !opts.resume && !opts.restart) {
      throw new UsageError(
        `An earlier send of this same input to ${p.queueName} did not finish: ${count(previous.confirmed.size)} of ${count(v.entries)} messages were confirmed (journal ${path}).`,
        "Add --resume to send only the rest, or --restart to send everything again.",
      );
    }
    if (matches && opts.resume) {
      skip = previous.confirmed;
      possibleDuplicates = previous.unknown.size;
      ui.info(`resuming: ${count(previous.confirmed.size)} messages were already confirmed; sending the other ${count(v.entries - previous.confirmed.size)}.`);
      if (possibleDuplicates) {
        ui.warn(`${count(possibleDuplicates)} message${possibleDuplicates === 1 ? " was" : "s were"} in flight when the earlier run stopped: ${possibleDuplicates === 1 ? "it is" : "they are"} sent again and may be duplicates${p.rules.fifo ? " (FIFO dedup ids suppress them within 5 minutes)" : ""}.`);
      }
    } else if (opts.resume) {
      ui.info(`nothing to resume (no journal at ${path}): sending everything.`);
    }
    // SQSCTL_JOURNAL_FSYNC_MS (undocumented) exists for bench/send-batch.mjs to compare fsync policies.
    const fsyncMs = Number(ctx.io.env.SQSCTL_JOURNAL_FSYNC_MS ?? 250);
    try {
      journal = new Journal(path, header, !(matches && opts.resume), Number.isFinite(fsyncMs) ? fsyncMs : 250);
    } catch (err) {
      throw new UsageError(`Cannot write the journal ${path}: ${(err as Error).message}`, "Pass --journal FILE somewhere writable, or --no-journal.");
    }
    ui.info(`journal: ${path} (re-run with --resume after an interruption)`);
  }

  // Failed entries go to --failed-file as envelopes with their line and error.

  const failedSample: EntryFailure[] = [];
  const writeFailed = (failures: EntryFailure[]) => {
    if (failedSample.length < 10) failedSample.push(...failures.slice(0, 10 - failedSample.length));
    if (failedFd === undefined) return;
    writeSync(failedFd, failures.map((f) => `${JSON.stringify({ ...envelopeOf(f.entry), line: f.entry.line, errorCode: f.code, errorMessage: f.message })}\n`).join(""));
  };

  const started = performance.now();
  const toSend = v.entries - (skip?.size ?? 0);
  let sent = 0;
  let failed = 0;
  const progress = await startProgress(ui, () => {
    const secs = (performance.now() - started) / 1000;
    const r = sent / Math.max(secs, 0.001);
    return `sent ${count(sent)}/${count(toSend)} to ${p.queueName} · ${count(Math.round(r))} msg/s · ETA ${sent ? shortDuration((toSend - sent - failed) / r) : "…"}${failed ? ` · ${count(failed)} failed` : ""}`;
  });
  let result;
  try {
    result = await bulkSend(
      p.sqs.client,
      p.queueUrl,
      readEntries(v.path, p.rules, skip),
      {
        beforeSend: (entries) => journal?.started(entries.map((e) => e.line)),
        onSent: (entries) => {
          sent += entries.length;
          journal?.sent(entries.map((e) => e.line));
        },
        onFailed: (failures) => {
          failed += failures.length;
          journal?.failed(failures.map((f) => f.entry.line));
          writeFailed(failures);
        },
      },
      { concurrency: p.concurrency, rate: p.rate, fifo: p.rules.fifo, signal: ctx.signal },
    );
  } catch (err) {
    throw mapSdkError(err, { region: p.sqs.region, endpoint: p.sqs.endpoint, queue: p.ref });
  } finally {
    progress.stop();
    journal?.close();
    if (failedFd !== undefined) closeSync(failedFd);
  }

  const seconds = Math.round((performance.now() - started) / 10) / 100;
  const complete = result.failed === 0 && result.notSent === 0 && !result.interrupted;
  if (complete) journal?.remove();
  const summary = {
    sent: result.sent,
    failed: result.failed,
    lines: v.lines,
    seconds,
    ...(skip ? { alreadySent: skip.size } : {}),
    possibleDuplicates: possibleDuplicates + result.possibleDuplicates,
    ...(result.notSent || result.interrupted ? { notSent: v.entries - (skip?.size ?? 0) - result.sent - result.failed } : {}),
  };
  if (ui.format !== "table") ui.json(summary);
  else {
    const rate = Math.round(result.sent / Math.max(seconds, 0.01));
    ui.success(
      `sent ${plural(result.sent, "message")} to ${ui.color.bold(p.queueName)} in ${seconds}s (${count(rate)}/s)` +
        (result.failed ? `; ${ui.color.red(`${count(result.failed)} failed`)}` : "") +
        (skip ? `; ${count(skip.size)} already sent earlier` : ""),
    );
  }
  if (result.possibleDuplicates) {
    ui.warn(
      `${count(result.possibleDuplicates)} message${result.possibleDuplicates === 1 ? " was" : "s were"} sent again after an attempt whose outcome was unknown (connection lost, timeout or 5xx): ${result.possibleDuplicates === 1 ? "it" : "they"} may be in ${p.queueName} twice${p.rules.fifo ? " (FIFO dedup ids suppress that within 5 minutes)" : ""}.`,
    );
  }
  if (result.failed) {
    for (const f of failedSample) ui.error(`${p.label}:${f.entry.line}: ${f.code}${ui.debugEnabled ? `: ${f.message}` : ""}`);
    throw new PartialFailure(
      `${count(result.failed)} of ${count(toSend)} messages were not sent.`,
      opts.failedFile
        ? `They are in ${opts.failedFile} with their line and error code: fix them and run 'sqsctl send-batch ${p.ref} ${opts.failedFile}'.`
        : journal
          ? `Re-run with --resume to retry only them, or add --failed-file FILE to keep them.`
          : "Add --failed-file FILE to keep them.",
    );
  }
  if (result.interrupted) {
    throw new InterruptedError(
      `Interrupted: ${count(result.sent)} sent, ${count(summary.notSent ?? 0)} not sent.`,
      journal ? `Run the same command with --resume to send only the rest.` : undefined,
    );
  }
}

function openFailedFile(path: string): number {
  try {
    return openSync(path, "w", 0o600);
  } catch (err) {
    throw new UsageError(`--failed-file: cannot write ${path}: ${(err as Error).message}`);
  }
}

function envelopeOf(e: SendEntry): Record<string, unknown> {
  return {
    body: e.body,
    ...(e.attributes ? { messageAttributes: e.attributes } : {}),
    ...(e.groupId !== undefined ? { groupId: e.groupId } : {}),
    ...(e.dedupId !== undefined ? { dedupId: e.dedupId } : {}),
    ...(e.delaySeconds ? { delaySeconds: e.delaySeconds } : {}),
  };
}

function intFlag(flag: string, text: string | undefined, dflt: number, min: number, max: number): number {
  if (text === undefined) return dflt;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag}: "${text}" must be a whole number from ${min} to ${max}.`);
  return n;
}

function numberFlag(flag: string, text: string): number {
  const n = Number(text.replace(/\/s$/, ""));
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag}: "${text}" must be a positive number of messages a second (e.g. --rate 500).`);
  return n;
}
