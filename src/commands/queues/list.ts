import { nameOf } from "../../core/queue-ref.js";
import { describeQueues, type QueueSummary } from "../../sqs/queues.js";
import type { CommandContext } from "../context.js";

export function queueJson(q: QueueSummary) {
  return {
    name: q.name,
    url: q.url,
    arn: q.arn,
    fifo: q.fifo,
    visible: q.visible,
    inFlight: q.inFlight,
    delayed: q.delayed,
    deadLetterQueue: q.redrivePolicy ? nameOf(q.redrivePolicy.deadLetterTargetArn) : null,
    maxReceiveCount: q.redrivePolicy ? q.redrivePolicy.maxReceiveCount : null,
  };
}

export default async function list(ctx: CommandContext, _args: string[], opts: { prefix?: string }): Promise<void> {
  const sqs = await ctx.sqs();
  const queues = await describeQueues(sqs, opts.prefix);
  const { ui } = ctx;
  if (queues.length === 0 && ui.format === "table") {
    ui.info(opts.prefix ? `No queues starting with "${opts.prefix}" in ${sqs.region} (${sqs.endpoint}).` : `No queues in ${sqs.region} (${sqs.endpoint}).`);
    return;
  }
  // Queues that are some other queue's DLQ get marked, so triage starts from this list.
  const dlqArns = new Set(queues.flatMap((q) => (q.redrivePolicy ? [q.redrivePolicy.deadLetterTargetArn] : [])));
  ui.list(
    queues,
    [
      { header: "Name", value: (q) => (dlqArns.has(q.arn) && q.visible > 0 ? ui.color.yellow(q.name) : q.name) },
      { header: "Type", value: (q) => (q.fifo ? "fifo" : "standard") + (dlqArns.has(q.arn) ? " (dlq)" : "") },
      { header: "Visible", value: (q) => q.visible, align: "right" },
      { header: "In flight", value: (q) => q.inFlight, align: "right" },
      { header: "Delayed", value: (q) => q.delayed, align: "right" },
      { header: "DLQ", value: (q) => (q.redrivePolicy ? nameOf(q.redrivePolicy.deadLetterTargetArn) : "") },
      { header: "Max receives", value: (q) => q.redrivePolicy?.maxReceiveCount, align: "right" },
    ],
    queueJson,
  );
}
