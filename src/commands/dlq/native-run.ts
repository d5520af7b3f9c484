import { InterruptedError, PartialFailure } from "../../errors.js";
import type { SqsContext } from "../../sqs/client.js";
import type { QueueHandle } from "../../sqs/queues.js";
import { cancelMoveTask, startMoveTask, waitForMoveTask, type MoveTask } from "../../sqs/redrive/native.js";
import type { CommandContext } from "../context.js";
import { plural, progress } from "./render.js";

/**
 * The native redrive: one StartMessageMoveTask, then progress from
 * ListMessageMoveTasks until it is done. Ctrl-C asks (on a terminal) whether to
 * cancel the task or leave it running; either way the handle is printed.
 */
export async function runNative(
  ctx: CommandContext,
  sqs: SqsContext,
  dlq: QueueHandle,
  to: QueueHandle | undefined,
  rate: number | undefined,
  targetLabel: string,
): Promise<void> {
  const { ui } = ctx;
  const startedAt = Date.now();
  const handle = await startMoveTask(sqs, { sourceArn: dlq.arn, destinationArn: to?.arn, rate }, dlq.name);
  ui.info(`Started move task ${handle}`);
  const spin = await progress(ui, `Moving from ${dlq.name}…`);
  const task = await waitForMoveTask(sqs, dlq.arn, handle, {
    startedAfter: startedAt,
    signal: ctx.signal,
    onProgress: (t) => spin.update(`Moving from ${dlq.name}: ${t.moved}${t.toMove !== undefined ? ` of ${t.toMove}` : ""} moved (${t.status})…`),
  });
  spin.stop();

  if (ctx.signal.aborted && (!task || task.status === "RUNNING")) {
    let cancelled = false;
    if (ui.interactive) {
      cancelled = await ui.confirm("Cancel the move task? (No leaves it running in SQS.)", { action: "cancel the move task" });
    }
    if (cancelled) {
      const moved = await cancelMoveTask(sqs, handle);
      ui.info(`Cancelled the move task; ${plural(moved, "message")} had moved.`);
    } else {
      ui.info(`The move task keeps running in SQS: ${handle}`);
      ui.info(`Watch it: sqsctl dlq moves ${dlq.name}    Cancel it: sqsctl dlq cancel ${handle}`);
    }
    throw new InterruptedError();
  }
  const summary = {
    strategy: "native",
    from: dlq.name,
    target: targetLabel,
    moved: task?.moved ?? 0,
    skipped: 0,
    failed: task?.status === "FAILED" ? Math.max(0, (task.toMove ?? 0) - task.moved) : 0,
    duplicates: 0,
    status: task?.status ?? "UNKNOWN",
    taskHandle: handle,
    seconds: Math.round((Date.now() - startedAt) / 100) / 10,
    ...(task?.failureReason ? { failureReason: task.failureReason } : {}),
  };
  if (ui.format !== "table") ui.json(summary);
  else if (task?.status === "COMPLETED") ui.success(`moved ${plural(summary.moved, "message")} from ${dlq.name} to ${targetLabel}: native move task, ${summary.seconds}s`);
  else ui.info(`${ui.color.yellow(task?.status ?? "unknown")}: ${plural(summary.moved, "message")} moved from ${dlq.name} to ${targetLabel}: native move task, ${summary.seconds}s`);
  if (task?.status === "FAILED" || task?.status === "CANCELLED") {
    throw new PartialFailure(`The move task ${task.status === "FAILED" ? `failed: ${task.failureReason ?? "no reason given"}` : "was cancelled"}.`, describe(task));
  }
}

function describe(t: MoveTask): string {
  return `${t.moved} moved${t.toMove !== undefined ? ` of ${t.toMove}` : ""}; the rest are still in the DLQ.`;
}
