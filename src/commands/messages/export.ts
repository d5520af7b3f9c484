import { closeSync, fstatSync, fsync, fsyncSync, openSync, readSync, writeSync } from "node:fs";
import { Limits, durationFlag } from "../../core/duration.js";
import { InterruptedError, OperationError, UsageError } from "../../errors.js";
import { isExhausted } from "../../sqs/holding.js";
import { plural } from "../../core/text.js";
import { openForReading } from "./open-for-reading.js";
import { deleteHandles, receiveOnce, releaseHandles } from "../../sqs/messages.js";
import type { CommandContext } from "../context.js";
import { positiveInt } from "./receive.js";

export interface ExportOptions {
  file: string;
  max?: string;
  delete?: boolean;
  append?: boolean;
  wait: string;
  concurrency?: string;
}

/** Without --delete, messages are received hidden for this long (no heartbeat: exports of 100k messages would need 10k calls a cycle). */
const HOLD_SECONDS = 300;
/** With --delete, long enough to write, fsync and delete a batch. */
const DELETE_VISIBILITY = 120;

export default async function exportMessages(ctx: CommandContext, [ref]: string[], opts: ExportOptions): Promise<void> {
  const { ui } = ctx;
  const max = positiveInt("--max", opts.max);
  const concurrency = Math.min(positiveInt("--concurrency", opts.concurrency) ?? 4, 32);
  const wait = durationFlag("--wait", opts.wait, { min: 1, max: Limits.wait.max });
  const toStdout = opts.file === "-";
  if (toStdout && opts.delete) {
    throw new UsageError("export --delete needs --file FILE: a message is deleted only once its line is safely on disk.");
  }

  const { sqs, queue, info } = await openForReading(ctx, ref!, opts.delete);
  let fd: number | undefined;
  if (!toStdout) {
    try {
      fd = openSync(opts.file, opts.append ? "a+" : "w", 0o600);
    } catch (err) {
      throw new UsageError(`--file: cannot write ${opts.file}: ${(err as Error).message}`);
    }
    if (opts.append) endTornLine(fd);
  }

  const seen = new Set<string>();
  const held: string[] = [];
  let written = 0;
  let claimed = 0;
  let deleted = 0;
  let notDeleted = 0;
  let exhausted = 0;
  let syncing: Promise<void> | undefined;
  let syncedUpTo = 0;
  let writes = 0;
  // Group commit: one fsync covers every line written before it started, so parallel
  // workers share fsyncs instead of queueing one each.
  const flushed = async (upTo: number): Promise<void> => {
    while (syncedUpTo < upTo) {
      if (!syncing) {
        const target = writes;
        syncing = new Promise<void>((resolve, reject) => fsync(fd!, (err) => (err ? reject(err) : resolve()))).then(() => {
          syncedUpTo = Math.max(syncedUpTo, target);
          syncing = undefined;
        });
      }
      await syncing;
    }
  };

  // Several receive loops in parallel; each stops at its first empty long poll.
  const worker = async (): Promise<void> => {
    while (!ctx.signal.aborted) {
      const want = max === undefined ? 10 : Math.min(10, max - claimed);
      if (want <= 0) return;
      claimed += want;
      const batch = await receiveOnce(
        sqs,
        queue.url,
        { max: want, waitSeconds: wait, visibilityTimeout: opts.delete ? DELETE_VISIBILITY : HOLD_SECONDS },
        ref,
      );
      const fresh = batch.filter((h) => {
        const id = h.envelope.messageId ?? h.receiptHandle;
        if (seen.has(id)) {
          // Back after its visibility ran out (a very long export): already written once.
          if (!opts.delete && !isExhausted(h, info)) held.push(h.receiptHandle);
          return false;
        }
        seen.add(id);
        return true;
      });
      claimed -= want - fresh.length;
      if (batch.length === 0) return;
      if (!fresh.length) continue;
      const text = fresh.map((h) => `${JSON.stringify(h.envelope)}\n`).join("");
      if (fd === undefined) ui.ndjsonLines(fresh.map((h) => h.envelope));
      else writeSync(fd, text);
      written += fresh.length;
      const mine = ++writes;
      if (opts.delete) {
        // The lines must be on disk before the messages leave the queue.
        await flushed(mine);
        const out = await deleteHandles(sqs, queue.url, fresh.map((h) => h.receiptHandle));
        deleted += out.ok.length;
        notDeleted += out.failed.length;
      } else {
        for (const h of fresh) {
          if (isExhausted(h, info)) exhausted += 1;
          else held.push(h.receiptHandle);
        }
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    if (fd !== undefined) {
      fsyncSync(fd);
      closeSync(fd);
    }
    if (held.length) {
      const r = await releaseHandles(sqs, queue.url, held);
      if (r.failed.length) ui.warn(`${plural(r.failed.length, "message")} could not be released; they return after their visibility timeout.`);
    }
  }

  const where = toStdout ? "stdout" : opts.file;
  ui.info(
    `exported ${plural(written, "message")} from ${queue.name} to ${where}` +
      (opts.delete ? `; deleted ${deleted}` : written ? "; all left in the queue (visible again now)" : "") +
      (exhausted ? `; ${exhausted} used all ${info.maxReceiveCount} receives and stay hidden until their visibility timeout ends` : "") +
      ".",
  );
  if (ui.format === "json" && !toStdout) ui.json({ exported: written, deleted, notDeleted, file: opts.file });
  if (notDeleted) {
    throw new OperationError(
      `${plural(notDeleted, "exported message")} could not be deleted: they are in ${opts.file} and still in the queue, so an import would duplicate them.`,
    );
  }
  if (ctx.signal.aborted) throw new InterruptedError(`Interrupted: ${plural(written, "message")} exported${opts.delete ? ` and deleted` : ""} before stopping.`);
}

/**
 * A file cut short by a crash mid-write ends without a newline; appending to it as it
 * is would glue the next message onto the torn line, and that message (deleted once
 * written) would be unreadable. Start on a fresh line instead.
 */
function endTornLine(fd: number): void {
  const size = fstatSync(fd).size;
  if (size === 0) return;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  if (last[0] !== 0x0a) writeSync(fd, "\n");
}
