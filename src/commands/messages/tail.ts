import { Limits, durationFlag } from "../../core/duration.js";
import { OperationError } from "../../errors.js";
import { printMessage } from "../../output/message-view.js";
import { idOf, type ReleaseOutcome } from "../../sqs/custody/holder.js";
import { receiveInto } from "../../sqs/custody/receive-loop.js";
import type { CommandContext } from "../context.js";
import { guardedFilter, plural, stdoutFailed } from "../reading.js";
import { holderFor, openForReading } from "./open-for-reading.js";
import { positiveInt } from "./receive.js";

export interface TailOptions {
  delete?: boolean;
  max?: string;
  untilEmpty?: boolean;
  filter?: string;
  wait: string;
}

/** Each hold lasts this long and is renewed by the holder's heartbeat. */
const HOLD_SECONDS = 60;

/**
 * Streams messages as they arrive. Everything received stays in the holder until tail
 * ends (one receive per message, never two: a released message would come straight
 * back to tail's own next poll), then is released; with --delete, shown messages are
 * deleted once stdout accepted their lines.
 */
export default async function tail(ctx: CommandContext, [ref]: string[], opts: TailOptions): Promise<void> {
  const { ui } = ctx;
  const max = positiveInt("--max", opts.max);
  const wait = durationFlag("--wait", opts.wait, { min: 1, max: Limits.wait.max });
  const filter = opts.filter ? guardedFilter(opts.filter) : undefined;

  const { sqs, queue, info } = await openForReading(ctx, ref!, opts.delete);
  if (!ui.streamsNdjson) ui.info(`tailing ${queue.name}${opts.delete ? " (deleting what is shown)" : ""}; Ctrl-C to stop.`);

  // The long poll in hand is finished, not cut: a poll abandoned on the client stays
  // open on the server and would swallow the messages we release next.
  const onAbort = () => ui.info(`stopping after the receive in progress (up to ${wait}s); Ctrl-C again to quit at once.`);
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  const holder = holderFor(sqs, queue, info, HOLD_SECONDS);
  let shown = 0;
  let written = 0;
  let skipped = 0;
  let deleted = 0;
  const notDeleted: string[] = [];
  let failure: unknown;
  let r: ReleaseOutcome = { released: 0, failed: 0, keptExhausted: 0 };
  try {
    for await (const batch of receiveInto(sqs, queue.url, holder, { waitSeconds: wait, untilEmpty: opts.untilEmpty, signal: ctx.signal, label: ref })) {
      // The filter runs over the whole batch first: if it throws, nothing of this batch was shown or deleted.
      const wanted = batch.filter((h) => !filter || filter(h.envelope));
      const show = max === undefined ? wanted : wanted.slice(0, max - shown);
      skipped += batch.length - wanted.length;
      for (const h of show) printMessage(ui, h.envelope, ++shown);
      try {
        await ui.stdoutAccepted();
      } catch (err) {
        failure = stdoutFailed(err, `${plural(written, "message")} written${opts.delete ? `, ${deleted} deleted` : ""}`);
        break;
      }
      written += show.length;
      if (opts.delete && show.length) {
        const out = await holder.delete(show.map(idOf));
        deleted += out.deleted.length;
        notDeleted.push(...out.lapsed, ...out.failed.map((f) => f.id));
      }
      if (max !== undefined && shown >= max) break;
    }
  } catch (err) {
    failure = err;
  } finally {
    ctx.signal.removeEventListener("abort", onAbort);
    r = await holder.close();
  }
  const parts = [`${plural(written, "message")} shown`];
  if (opts.delete) parts.push(`${deleted} deleted`);
  if (skipped) parts.push(`${skipped} not matching --filter${opts.delete ? " (left in the queue)" : ""}`);
  if (r.released) parts.push(`${r.released} released (visible again now)`);
  if (r.failed) parts.push(`${r.failed} could not be released and return within ${HOLD_SECONDS}s`);
  if (r.keptExhausted) parts.push(`${r.keptExhausted} kept hidden: they used all ${info.maxReceiveCount} receives and return after their visibility timeout`);
  ui.info(`${ctx.signal.aborted ? "stopped: " : failure ? "failed: " : ""}${parts.join("; ")}.`);
  if (failure) throw failure;
  if (notDeleted.length) throw new OperationError(`${plural(notDeleted.length, "shown message")} could not be deleted (hold lapsed or refused); they return to the queue after their visibility timeout.`);
}
