import { Limits, durationFlag } from "../../core/duration.js";
import type { Envelope } from "../../core/envelope.js";
import { InterruptedError, OperationError, UsageError } from "../../errors.js";
import { plural } from "../../core/text.js";
import { printMessage } from "../../output/message-view.js";
import { isExhausted } from "../../sqs/holding.js";
import { openForReading } from "./open-for-reading.js";
import { deleteHandles, receiveOnce, releaseHandles, type Held } from "../../sqs/messages.js";
import type { CommandContext } from "../context.js";

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

export default async function receive(ctx: CommandContext, [ref]: string[], opts: ReceiveOptions): Promise<void> {
  const { ui } = ctx;
  if (opts.delete && opts.peek) throw new UsageError("--delete and --peek cannot be used together.", "--peek releases messages at once; --delete consumes them.");
  const max = positiveInt("--max", opts.max) ?? 10;
  const wait = durationFlag("--wait", opts.wait, Limits.wait);
  const visibility = opts.visibilityTimeout === undefined ? undefined : durationFlag("--visibility-timeout", opts.visibilityTimeout, Limits.visibilityTimeout);

  const { sqs, queue, info } = await openForReading(ctx, ref!, opts.delete);

  const seen = new Set<string>();
  const printed: Envelope[] = [];
  const toRelease: string[] = [];
  const deleteAtEnd: string[] = [];
  let exhausted = 0;
  let deleteFailed = 0;
  // Loop until --max, an empty long poll, or Ctrl-C. Messages stay in flight while we
  // loop (they are released, for --peek, only at the end), so the loop never sees one twice.
  while (printed.length < max && !ctx.signal.aborted) {
    const batch = await receiveOnce(
      sqs,
      queue.url,
      { max: Math.min(10, max - printed.length), waitSeconds: wait, ...(visibility !== undefined ? { visibilityTimeout: visibility } : {}) },
      ref,
    );
    if (batch.length === 0) break;
    const fresh: Held[] = [];
    for (const h of batch) {
      const id = h.envelope.messageId ?? h.receiptHandle;
      // A message whose visibility ran out during the loop can come back: show it once.
      if (seen.has(id)) {
        if (opts.peek && !isExhausted(h, info)) toRelease.push(h.receiptHandle);
        continue;
      }
      seen.add(id);
      fresh.push(h);
    }
    for (const h of fresh) {
      // The receipt handle rides along (not with --delete: it is spent) so a script can
      // pass it to 'sqsctl delete --receipt-handle' or 'sqsctl visibility'.
      const env: Envelope = opts.delete ? h.envelope : { ...h.envelope, receiptHandle: h.receiptHandle };
      printed.push(env);
      if (ui.format !== "json") printMessage(ui, env, printed.length);
      if (isExhausted(h, info) && !opts.delete) exhausted += 1;
      else if (opts.peek) toRelease.push(h.receiptHandle);
    }
    if (opts.delete && fresh.length) {
      // Deleted only after printing. A JSON array is printed at the end, so for -o json
      // the deletes wait until then.
      if (ui.format === "json") deleteAtEnd.push(...fresh.map((h) => h.receiptHandle));
      else deleteFailed += (await deleteHandles(sqs, queue.url, fresh.map((h) => h.receiptHandle))).failed.length;
    }
  }
  if (ui.format === "json") ui.json(printed);

  if (deleteAtEnd.length) deleteFailed += (await deleteHandles(sqs, queue.url, deleteAtEnd)).failed.length;
  if (toRelease.length) {
    const r = await releaseHandles(sqs, queue.url, toRelease);
    if (r.failed.length) ui.warn(`${plural(r.failed.length, "message")} could not be released; they return after their visibility timeout.`);
  }

  if (printed.length === 0) {
    ui.info(`No messages in ${queue.name}${wait ? ` (waited ${wait}s)` : ""}.`);
  } else if (opts.delete) {
    ui.info(`${plural(printed.length, "message")} received and deleted.`);
  } else if (opts.peek) {
    const released = printed.length - exhausted;
    ui.info(`${plural(printed.length, "message")} received; ${released} released (visible again now).`);
  } else {
    const vt = visibility ?? info.visibilityTimeout;
    ui.info(`${plural(printed.length, "message")} received; in flight (hidden from consumers) for ${vt}s. Use --peek to release at once, --delete to consume.`);
  }
  if (exhausted) {
    ui.warn(
      `${exhausted} message${exhausted === 1 ? " has" : "s have"} now used all ${info.maxReceiveCount} receives: not released early; ${exhausted === 1 ? "it returns" : "they return"} after the visibility timeout and the next receive moves ${exhausted === 1 ? "it" : "them"} to the DLQ.`,
    );
  }
  if (ctx.signal.aborted) throw new InterruptedError(`Interrupted after ${plural(printed.length, "message")}.`);
  if (deleteFailed) throw new OperationError(`${plural(deleteFailed, "printed message")} could not be deleted; they return to the queue after their visibility timeout.`);
}
