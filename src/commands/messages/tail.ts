import { Limits, durationFlag } from "../../core/duration.js";
import { compileFilter } from "../../core/filter.js";
import { OperationError } from "../../errors.js";
import { plural } from "../../core/text.js";
import { printMessage } from "../../output/message-view.js";
import { HoldSet, isExhausted } from "../../sqs/holding.js";
import { openForReading } from "./open-for-reading.js";
import { deleteHandles, receiveOnce, releaseHandles, type Held } from "../../sqs/messages.js";
import type { CommandContext } from "../context.js";
import { positiveInt } from "./receive.js";

export interface TailOptions {
  delete?: boolean;
  max?: string;
  untilEmpty?: boolean;
  filter?: string;
  wait: string;
}

export default async function tail(ctx: CommandContext, [ref]: string[], opts: TailOptions): Promise<void> {
  const { ui } = ctx;
  const max = positiveInt("--max", opts.max);
  const wait = durationFlag("--wait", opts.wait, { min: 1, max: Limits.wait.max });
  const filter = opts.filter ? compileFilter(opts.filter) : undefined;

  const { sqs, queue, info } = await openForReading(ctx, ref!, opts.delete);
  if (!ui.streamsNdjson) ui.info(`tailing ${queue.name}${opts.delete ? " (deleting what is shown)" : ""}; Ctrl-C to stop.`);

  const hold = new HoldSet(sqs, queue.url);
  const seen = new Set<string>();
  let shown = 0;
  let skipped = 0;
  let deleteFailed = 0;
  try {
    while (!ctx.signal.aborted && (max === undefined || shown < max)) {
      const batch = await receiveOnce(sqs, queue.url, { max: 10, waitSeconds: wait }, ref);
      if (batch.length === 0) {
        if (opts.untilEmpty && !ctx.signal.aborted) break;
        continue;
      }
      const toDelete: Held[] = [];
      const toRelease: Held[] = [];
      const toHold: Held[] = [];
      for (const h of batch) {
        const id = h.envelope.messageId ?? h.receiptHandle;
        if (seen.has(id) || hold.has(id)) {
          // Shown (or skipped) before and back again: keep it hidden until we stop, so
          // tail neither repeats it nor spins receiving it.
          toHold.push(h);
          continue;
        }
        seen.add(id);
        const wanted = (max === undefined || shown < max) && (!filter || filter(h.envelope));
        if (wanted) {
          shown += 1;
          printMessage(ui, h.envelope, shown);
        } else skipped += 1;
        if (wanted && opts.delete) toDelete.push(h);
        else if (isExhausted(h, info)) toHold.push(h);
        else toRelease.push(h);
      }
      // The request in hand is always finished, even after Ctrl-C: delete what was
      // shown, release or hold the rest.
      if (toDelete.length) deleteFailed += (await deleteHandles(sqs, queue.url, toDelete.map((h) => h.receiptHandle))).failed.length;
      if (toRelease.length) await releaseHandles(sqs, queue.url, toRelease.map((h) => h.receiptHandle));
      await hold.hold(toHold, (h) => isExhausted(h, info));
    }
  } finally {
    const r = await hold.releaseAll();
    const parts = [`${plural(shown, "message")} ${opts.delete ? "shown and deleted" : "shown"}`];
    if (skipped) parts.push(`${skipped} not matching --filter${opts.delete ? " (left in the queue)" : ""}`);
    if (r.keptHidden) parts.push(`${r.keptHidden} kept hidden: they used all ${info.maxReceiveCount} receives and return after their visibility timeout`);
    ui.info(`${ctx.signal.aborted ? "stopped: " : ""}${parts.join("; ")}.`);
  }
  if (deleteFailed) throw new OperationError(`${plural(deleteFailed, "shown message")} could not be deleted; they return to the queue after their visibility timeout.`);
}
