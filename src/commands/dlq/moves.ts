import { nameOf } from "../../core/queue-ref.js";
import { UsageError } from "../../errors.js";
import { resolveQueue } from "../../sqs/queues.js";
import { listMoveTasks } from "../../sqs/redrive/native.js";
import type { CommandContext } from "../context.js";
import { when } from "./render.js";

export default async function moves(ctx: CommandContext, [ref]: string[]): Promise<void> {
  const { ui } = ctx;
  const sqs = await ctx.sqs();
  const dlq = await resolveQueue(sqs, ref!, "DLQ");
  const tasks = await listMoveTasks(sqs, dlq.arn, dlq.name);
  if (!tasks) {
    throw new UsageError(
      `The server at ${sqs.endpoint} has no message move tasks (ListMessageMoveTasks), so there are none to list.`,
      "sqsctl's manual redrives keep a journal instead: see ~/.local/state/sqsctl/journals.",
    );
  }
  if (tasks.length === 0 && ui.format === "table") {
    ui.info(`No move tasks on ${dlq.name}. Start one with: sqsctl dlq redrive ${dlq.name}`);
    return;
  }
  ui.list(tasks, [
    { header: "Status", value: (t) => t.status },
    { header: "Moved", value: (t) => t.moved, align: "right" },
    { header: "To move", value: (t) => t.toMove, align: "right" },
    { header: "Rate", value: (t) => t.rate, align: "right" },
    { header: "Started", value: (t) => when(ui, t.startedAt) },
    { header: "To", value: (t) => (t.destinationArn ? nameOf(t.destinationArn) : "source queues") },
    { header: "Handle", value: (t) => t.taskHandle ?? (t.failureReason ? `failed: ${t.failureReason}` : "") },
  ]);
}
