import { Limits, durationFlag } from "../../core/duration.js";
import { InterruptedError, OperationError, UsageError } from "../../errors.js";
import { printMessage } from "../../output/message-view.js";
import { idOf, isExhausted, type ReleaseOutcome } from "../../sqs/custody/holder.js";
import { partialReason } from "../../sqs/custody/read-info.js";
import { receiveInto, type LoopEnd } from "../../sqs/custody/receive-loop.js";
import type { Held } from "../../sqs/messages.js";
import type { CommandContext } from "../context.js";
import { plural, stdoutFailed } from "../reading.js";
import { holderFor, openForReading } from "./open-for-reading.js";

export interface ReceiveOptions {
  max: string;
  wait: string;
  visibilityTimeout?: string;
  delete?: boolean;
  peek?: boolean;
}

export function positiveInt(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag}: "${text}" must be a whole number of at least 1.`);
  return n;
}

/**
 * Receives up to --max messages into the holder (the heartbeat keeps them hidden for as
 * long as the run takes), prints them, then: --delete deletes each batch once stdout
 * accepted its lines; --peek releases everything; by default they are left in flight
 * for the visibility timeout.
 */
export default async function receive(ctx: CommandContext, [ref]: string[], opts: ReceiveOptions): Promise<void> {
  const { ui } = ctx;
  if (opts.delete && opts.peek) throw new UsageError("--delete and --peek cannot be used together.", "--peek releases messages at once; --delete consumes them.");
  const max = positiveInt("--max", opts.max) ?? 10;
  const wait = durationFlag("--wait", opts.wait, Limits.wait);
  const visibility = opts.visibilityTimeout === undefined ? undefined : durationFlag("--visibility-timeout", opts.visibilityTimeout, Limits.visibilityTimeout);

  const { sqs, queue, info } = await openForReading(ctx, ref!, opts.delete);
  const vt = visibility ?? info.visibilityTimeout;
  const holder = holderFor(sqs, queue, info, Math.max(1, vt));
  const end: LoopEnd = {};
  const printed: Held[] = [];
  let written = 0;
  let deleted = 0;
  const notDeleted: string[] = [];
  let writeError: unknown;
  let release: ReleaseOutcome | undefined;

  // Deleted only once stdout accepted the lines; a lapsed hold or a Failed entry is never counted as deleted.
  const accepted = async (batch: Held[]): Promise<boolean> => {
    try {
      await ui.stdoutAccepted();
    } catch (err) {
      writeError = err;
      return false;
    }
    written += batch.length;
    if (opts.delete) {
      const out = await holder.delete(batch.map(idOf));
      deleted += out.deleted.length;
      notDeleted.push(...out.lapsed, ...out.failed.map((f) => f.id));
    }
    return true;
  };

  try {
    for await (const batch of receiveInto(sqs, queue.url, holder, { max, waitSeconds: wait, untilEmpty: true, signal: ctx.signal, end, label: ref })) {
      printed.push(...batch);
      if (ui.format === "json") continue; // one JSON array at the end
      batch.forEach((h, i) => printMessage(ui, h.envelope, printed.length - batch.length + i + 1));
      if (!(await accepted(batch))) break;
    }
    if (ui.format === "json") {
      ui.json(printed.map((h) => h.envelope));
      await accepted(printed);
    }
    // Without --peek/--delete the messages stay in flight for the visibility timeout (the documented default).
    if (!opts.peek && !opts.delete && !writeError) holder.forget(printed.map(idOf));
  } finally {
    release = await holder.close();
  }

  if (writeError) {
    throw stdoutFailed(writeError, `${plural(written, "message")} written${opts.delete ? `, ${deleted} deleted` : ""}; ${release.released} released`);
  }
  summarise(ctx, { n: printed.length, queue: queue.name, wait, vt, deleted, release, opts, info });
  if (printed.length < max && !ctx.signal.aborted) {
    const why = partialReason(end, info.fifo);
    if (why) ui.warn(`fewer than --max ${max}: ${why}.`);
  }
  if (!opts.delete && !opts.peek) {
    const exhausted = printed.filter((h) => isExhausted(h, info.maxReceiveCount)).length;
    if (exhausted) warnExhausted(ctx, exhausted, info.maxReceiveCount);
  }
  if (ctx.signal.aborted) throw new InterruptedError(`Interrupted after ${plural(printed.length, "message")}.`);
  if (notDeleted.length) {
    throw new OperationError(`${plural(notDeleted.length, "printed message")} could not be deleted (hold lapsed or refused); they return to the queue after their visibility timeout.`);
  }
}

function summarise(
  ctx: CommandContext,
  s: { n: number; queue: string; wait: number; vt: number; deleted: number; release: ReleaseOutcome; opts: ReceiveOptions; info: { maxReceiveCount: number | undefined } },
): void {
  const { ui } = ctx;
  if (s.n === 0) ui.info(`No messages in ${s.queue}${s.wait ? ` (waited ${s.wait}s)` : ""}.`);
  else if (s.opts.delete) ui.info(`${plural(s.n, "message")} received; ${s.deleted} deleted.`);
  else if (s.opts.peek) {
    const notReleased = s.release.failed ? `; ${s.release.failed} could not be released and return after their visibility timeout (${s.vt}s)` : "";
    ui.info(`${plural(s.n, "message")} received; ${s.release.released} released (visible again now)${notReleased}.`);
    if (s.release.keptExhausted) warnExhausted(ctx, s.release.keptExhausted, s.info.maxReceiveCount);
  } else {
    ui.info(`${plural(s.n, "message")} received; in flight (hidden from consumers) for ${s.vt}s. Use --peek to release at once, --delete to consume.`);
  }
}

function warnExhausted(ctx: CommandContext, n: number, maxReceiveCount: number | undefined): void {
  ctx.ui.warn(
    `${n} message${n === 1 ? " has" : "s have"} now used all ${maxReceiveCount} receives: not released early; ${n === 1 ? "it returns" : "they return"} after the visibility timeout and the next receive moves ${n === 1 ? "it" : "them"} to the DLQ.`,
  );
}
