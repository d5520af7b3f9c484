import { mkdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import type { InputRules } from "../../core/message-input.js";
import { isFifoName, parseQueueRef } from "../../core/queue-ref.js";
import { plural } from "../../core/text.js";
import { InterruptedError, UsageError } from "../../errors.js";
import { count, startProgress } from "../../output/progress.js";
import { AdaptiveConcurrency } from "../../sqs/custody/adaptive.js";
import { removeStaleSpools, spoolPath } from "../../sqs/custody/journal.js";
import { resolveQueue } from "../../sqs/queues.js";
import type { CommandContext } from "../context.js";
import { FailedFile } from "./failed-file.js";
import { provisionalRules, validatedAsFor, validateInput, type Validation } from "./input.js";
import { sendPass } from "./send-pass.js";

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

/** The level of a fixed run (kept for --concurrency's range message). */
export const DEFAULT_CONCURRENCY = 8;
/**
 * Without --concurrency the level adapts while the run goes (custody/adaptive.ts). It
 * starts at 64: the raw loader's best at 25 ms a call (32 and 64 measure within a few
 * percent there), and the controller keeps a doubling only when it pays x1.4, which a
 * CPU-bound machine never shows, so a start at 32 stayed at 32 (0.86 of the raw loader
 * against 0.93 from 64, same reps); on loopback 64 measured as fast as 32 (1.07 / 1.01).
 * It grows toward ADAPTIVE_MAX at higher latency, halves on throttling, and settles lower
 * when that is as fast. Chosen by measurement (bench/RESULTS.md, "2e").
 */
export const ADAPTIVE_INITIAL = 64;
export const ADAPTIVE_MAX = 128;

export default async function sendBatch(ctx: CommandContext, [ref, file]: string[], opts: SendBatchOptions): Promise<void> {
  await runSendBatch(ctx, ref!, file, opts, "send-batch");
}

export async function runSendBatch(ctx: CommandContext, ref: string, file: string | undefined, opts: SendBatchOptions, verb: string): Promise<void> {
  const { ui } = ctx;
  const fixed = opts.concurrency === undefined ? undefined : intFlag("--concurrency", opts.concurrency, DEFAULT_CONCURRENCY, 1, 256);
  const concurrency = fixed ?? new AdaptiveConcurrency({ min: 1, max: ADAPTIVE_MAX, initial: ADAPTIVE_INITIAL });
  const rate = opts.rate === undefined ? undefined : numberFlag("--rate", opts.rate);
  if (opts.resume && opts.restart) throw new UsageError("--resume and --restart cannot be used together.");
  const fromStdin = file === undefined || file === "-";
  if (fromStdin && ctx.io.stdin.isTTY) {
    throw new UsageError(`${verb}: no input.`, `Give a file (sqsctl ${verb} ${ref} messages.ndjson) or pipe NDJSON into it (... | sqsctl ${verb} ${ref} -).`);
  }
  const label = fromStdin ? "stdin" : file!;
  // Checked before anything is read or sent; the file itself is only written at the end.
  const failedFile = opts.failedFile !== undefined && !opts.dryRun ? FailedFile.check(opts.failedFile, fromStdin ? undefined : file) : undefined;

  const sqs = await ctx.sqs({ maxSockets: Math.max(fixed ?? ADAPTIVE_MAX, 8) });
  // A file is validated while the queue is looked up (a round trip or two), with rules that
  // need no answer from the queue; where the queue's own rules could judge a line
  // otherwise, it is validated again with them. Nothing is sent before the check is done.
  const early = fromStdin ? undefined : validateEarly(file!, ref, opts, ctx.signal);
  let queue: Awaited<ReturnType<typeof resolveQueue>>;
  let qa: Record<string, string>;
  try {
    queue = await resolveQueue(sqs, ref, "queue", ["MaximumMessageSize", "FifoQueue", "ContentBasedDeduplication"]);
    qa = queue.attributes;
  } catch (err) {
    early?.cancel();
    throw err;
  }
  const rules: InputRules = {
    raw: opts.raw === true,
    fifo: qa.FifoQueue === "true" || queue.fifo,
    contentBasedDedup: qa.ContentBasedDeduplication === "true",
    maxMessageSize: Number(qa.MaximumMessageSize ?? 1_048_576),
    defaultGroupId: opts.groupId,
  };
  if (!rules.fifo && opts.groupId) {
    early?.cancel();
    throw new UsageError(`${queue.name} is not a FIFO queue: --group-id applies only to FIFO queues (names ending in .fifo).`, "Drop the flag, or send to the FIFO queue you meant.");
  }

  // Pass 1: validate everything (and spool stdin beside the journals) before sending anything.
  let spool: string | undefined;
  if (fromStdin) {
    removeStaleSpools(ctx.io.env);
    spool = spoolPath(ctx.io.env);
    mkdirSync(dirname(spool), { recursive: true, mode: 0o700 });
  }
  try {
    const validating = await startProgress(ui, () => `validating ${label}…`);
    let v: Validation;
    try {
      const pre = await early?.result;
      v =
        pre && validatedAsFor(pre, early!.rules, rules)
          ? pre
          : await validateInput(
              spool ? { stream: ctx.io.stdin as NodeJS.ReadableStream & import("node:stream").Readable, spoolPath: spool } : { path: file! },
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
    // Said once the input is known good (a refused run removes it at once, silently).
    if (spool) ui.info(`spooling stdin to ${spool} (removed when the run ends)`);
    ui.debug(`validated ${v.lines} lines (${v.entries} messages, ${v.blank} blank), sha256 ${v.sha256}`);
    if (opts.dryRun) {
      const summary = { dryRun: true, lines: v.lines, messages: v.entries, blank: v.blank, queue: queue.name, fifo: rules.fifo, maxMessageSize: rules.maxMessageSize };
      if (ui.format !== "table") ui.json(summary);
      else ui.out(`${plural(v.entries, "message")} in ${label} ${v.entries === 1 ? "is" : "are"} valid for ${queue.name}; nothing was sent (--dry-run).`);
      return;
    }
    await sendPass(ctx, { ref, label, queue, rules, v, concurrency, rate, opts, sqs, failedFile });
  } finally {
    if (spool) rmSync(spool, { force: true });
  }
}

/** The first pass over a file, started before the queue's rules are known (see provisionalRules). */
function validateEarly(file: string, ref: string, opts: SendBatchOptions, signal: AbortSignal): { rules: InputRules; result: Promise<Validation>; cancel(): void } | undefined {
  let fifoByName: boolean;
  try {
    fifoByName = isFifoName(parseQueueRef(ref).name);
  } catch {
    return undefined; // resolveQueue says what is wrong with the name
  }
  const rules = provisionalRules({ raw: opts.raw === true, defaultGroupId: opts.groupId }, fifoByName);
  const stop = new AbortController();
  const result = validateInput({ path: file }, rules, { signal: AbortSignal.any([signal, stop.signal]) });
  // Awaited only once the queue is known: a file that cannot be read must not be an unhandled rejection meanwhile.
  result.catch(() => undefined);
  return { rules, result, cancel: () => stop.abort() };
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
