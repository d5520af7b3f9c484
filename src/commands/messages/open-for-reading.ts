import type { SqsContext } from "../../sqs/client.js";
import { Holder } from "../../sqs/custody/holder.js";
import { peekWarning, READ_INFO_ATTRIBUTES, readInfoOf, type ReadInfo } from "../../sqs/custody/read-info.js";
import { resolveQueue, type QueueHandle } from "../../sqs/queues.js";
import type { CommandContext } from "../context.js";

/**
 * The start shared by receive, tail and export: resolve the queue, read what the peek
 * guard needs, and warn once when looking without --delete spends receive attempts.
 */
export async function openForReading(
  ctx: CommandContext,
  ref: string,
  deleting: boolean | undefined,
): Promise<{ sqs: SqsContext; queue: QueueHandle; info: ReadInfo }> {
  const sqs = await ctx.sqs();
  const queue = await resolveQueue(sqs, ref, "queue", READ_INFO_ATTRIBUTES);
  const info = readInfoOf(queue.url, queue.attributes);
  if (!deleting) {
    const w = peekWarning(queue.name, info);
    if (w) ctx.ui.warn(w);
  }
  return { sqs, queue, info };
}

/**
 * The holder for a reading command: the queue's FIFO-ness and peek guard, holds of
 * `holdSeconds`. Lean: receive, tail and export print or write each message from the batch
 * the receive loop hands them and never read a body back from the holder, so what it keeps
 * until the end (export holds all it wrote, so nothing is received twice) is custody data only.
 */
export function holderFor(sqs: SqsContext, queue: QueueHandle, info: ReadInfo, holdSeconds: number): Holder {
  return new Holder(sqs, queue.url, { holdSeconds, fifo: info.fifo, maxReceiveCount: info.maxReceiveCount, lean: true });
}
