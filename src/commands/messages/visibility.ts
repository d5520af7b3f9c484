import { plural } from "../../core/text.js";
import { durationFlag, Limits } from "../../core/duration.js";
import { PartialFailure, UsageError } from "../../errors.js";
import { changeVisibility } from "../../sqs/messages.js";
import { resolveQueue } from "../../sqs/queues.js";
import type { CommandContext } from "../context.js";

/** `sqsctl visibility Q --receipt-handle H --timeout 5m`: hide a received message longer, or give it back (0s). */
export default async function visibility(ctx: CommandContext, [ref]: string[], opts: { receiptHandle: string[]; timeout: string }): Promise<void> {
  const { ui } = ctx;
  if (!opts.receiptHandle?.length) throw new UsageError("--receipt-handle is required (from 'sqsctl receive -o json').");
  const seconds = durationFlag("--timeout", opts.timeout, Limits.visibilityTimeout);
  const sqs = await ctx.sqs();
  const queue = await resolveQueue(sqs, ref!);
  const out = await changeVisibility(sqs, queue.url, opts.receiptHandle, seconds);
  if (ui.format !== "table") ui.json({ queue: queue.name, visibilityTimeout: seconds, changed: out.ok.length, failed: out.failed.map((f) => ({ receiptHandle: f.receiptHandle, code: f.code })) });
  else ui.out(`${seconds === 0 ? "released" : `hidden for ${opts.timeout} from now:`} ${out.ok.length} message${out.ok.length === 1 ? "" : "s"} in ${queue.name}`);
  for (const f of out.failed) ui.error(`not changed (${f.code}): ${f.message || "the receipt handle was refused"}`);
  if (out.failed.length) throw new PartialFailure(`${out.failed.length} of ${plural(opts.receiptHandle.length, "receipt handle")} ${out.failed.length === 1 ? "was" : "were"} refused.`, "A receipt handle is valid only while the message is in flight from that receive.");
}
