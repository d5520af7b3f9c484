import { Limits, durationFlag } from "../../core/duration.js";
import { InterruptedError, OperationError, UsageError } from "../../errors.js";
import { idOf, type ReleaseOutcome } from "../../sqs/custody/holder.js";
import { runPool } from "../../sqs/custody/pool.js";
import { inFlightLimitOf, partialReason } from "../../sqs/custody/read-info.js";
import { DEFAULT_RECEIVERS, receiveInto, type LoopEnd } from "../../sqs/custody/receive-loop.js";
import type { Held } from "../../sqs/messages.js";
import type { CommandContext } from "../context.js";
import { plural, stdoutFailed } from "../reading.js";
import { openSink } from "./export-sink.js";
import { holderFor, openForReading } from "./open-for-reading.js";
import { positiveInt } from "./receive.js";

export interface ExportOptions {
  file: string;
  max?: string;
  delete?: boolean;
  append?: boolean;
  wait: string;
  concurrency?: string;
}

/** Each hold lasts this long and is renewed by the holder's heartbeat for as long as the export runs. */
const HOLD_SECONDS = 60;

/**
 * Receives everything (or --max) into the holder with parallel receivers, writes each
 * batch as NDJSON lines and, with --delete, deletes a batch only once its lines are on
 * disk (written and fsynced). Workers run in the one pool: the first failure stops the
 * rest, and every exit path releases what is still held.
 */
export default async function exportMessages(ctx: CommandContext, [ref]: string[], opts: ExportOptions): Promise<void> {
  const { ui } = ctx;
  const max = positiveInt("--max", opts.max);
  const concurrency = Math.min(positiveInt("--concurrency", opts.concurrency) ?? DEFAULT_RECEIVERS, 32);
  const wait = durationFlag("--wait", opts.wait, { min: 1, max: Limits.wait.max });
  const toStdout = opts.file === "-";
  if (toStdout && opts.delete) {
    throw new UsageError("export --delete needs --file FILE: a message is deleted only once its line is safely on disk.");
  }

  const { sqs, queue, info } = await openForReading(ctx, ref!, opts.delete);
  const sink = openSink(opts.file, opts.append, ui);
  const holder = holderFor(sqs, queue, info, HOLD_SECONDS);
  const end: LoopEnd = {};
  let written = 0;
  let deleted = 0;
  // Written (durably) but not deleted yet: a lapsed hold, or a delete the server refused.
  const pending = new Set<string>();
  const refused = new Set<string>();
  let release: ReleaseOutcome = { released: 0, failed: 0, keptExhausted: 0 };
  let failure: unknown;

  const deleteIds = async (ids: string[]) => {
    if (!ids.length) return;
    const out = await holder.delete(ids);
    deleted += out.deleted.length;
    for (const id of out.deleted) pending.delete(id);
    // A handle the server called invalid lapsed the hold: like a lapsed one, our own receive may take it again.
    for (const id of out.lapsed) pending.add(id);
    for (const f of out.failed) (holder.isLapsed(f.id) ? pending : refused).add(f.id);
  };
  // A lapsed message our own receive took again has a fresh handle: delete it now (it was written already).
  const retaken = () => [...pending].filter((id) => holder.has(id) && !holder.isLapsed(id));

  const work = async (batch: Held[]) => {
    try {
      await sink.write(batch.map((h) => h.envelope), opts.delete === true);
    } catch (err) {
      throw toStdout ? stdoutFailed(err, `${plural(written, "message")} written`) : new OperationError(`cannot write ${opts.file}: ${(err as Error).message}`);
    }
    written += batch.length;
    if (opts.delete) await deleteIds([...batch.map(idOf), ...retaken()]);
  };

  try {
    const batches = receiveInto(sqs, queue.url, holder, { max, waitSeconds: wait, untilEmpty: true, receivers: concurrency, signal: ctx.signal, end, label: ref, endAtInFlightLimit: true, inFlightLimit: inFlightLimitOf(ctx.io.env, info.fifo) });
    await runPool(batches, work, { concurrency, signal: ctx.signal });
    if (opts.delete) await deleteIds(retaken());
  } catch (err) {
    failure = err;
  } finally {
    try {
      sink.close();
    } catch (err) {
      failure ??= new OperationError(`cannot write ${opts.file}: ${(err as Error).message}`);
    }
    release = await holder.close();
  }

  const lapsed = holder.lapsed().length;
  const where = toStdout ? "stdout" : opts.file;
  ui.info(
    `exported ${plural(written, "message")} from ${queue.name} to ${where}` +
      (opts.delete ? `; deleted ${deleted}` : written ? `; ${release.released} released (visible again now)` : "") +
      (release.failed ? `; ${release.failed} could not be released and return within ${HOLD_SECONDS}s` : "") +
      (release.keptExhausted ? `; ${release.keptExhausted} used all ${info.maxReceiveCount} receives and stay hidden until their visibility timeout ends` : "") +
      ".",
  );
  const why = max !== undefined && written >= max ? undefined : partialReason(end, info.fifo);
  if (ui.format === "json" && !toStdout) ui.json({ exported: written, deleted, notDeleted: pending.size + refused.size, file: opts.file, ...(why ? { partial: why } : {}) });
  if (failure) throw failure;
  if (pending.size || refused.size) {
    throw new OperationError(
      `${plural(pending.size + refused.size, "exported message")} could not be deleted (${plural(pending.size, "hold")} lapsed, ${refused.size} refused): ` +
        `they are in ${opts.file} and still in the queue (possible duplicates on import).`,
    );
  }
  if (ctx.signal.aborted) throw new InterruptedError(`Interrupted: ${plural(written, "message")} exported${opts.delete ? ` and ${deleted} deleted` : ""} before stopping.`);
  if (why || end.reason === "stalled") {
    throw new OperationError(`partial export: ${plural(written, "message")} written, but ${why ?? "the queue still counts messages that could not be received"}.`);
  }
  if (lapsed && !opts.delete) ui.warn(`${plural(lapsed, "hold")} lapsed during the export: those messages may have been received by a consumer meanwhile.`);
}
