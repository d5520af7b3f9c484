import {
  CancelMessageMoveTaskCommand,
  ListMessageMoveTasksCommand,
  StartMessageMoveTaskCommand,
  type ListMessageMoveTasksResultEntry,
} from "@aws-sdk/client-sqs";
import { UsageError } from "../../errors.js";
import type { SqsContext } from "../client.js";
import { errorCode } from "../errors.js";

/** A message move task as sqsctl shows it. */
export interface MoveTask {
  taskHandle: string | undefined;
  status: string;
  sourceArn: string;
  destinationArn: string | undefined;
  moved: number;
  toMove: number | undefined;
  rate: number | undefined;
  startedAt: string | undefined;
  failureReason: string | undefined;
}

const UNSUPPORTED = new Set(["InvalidAction", "UnsupportedOperation", "UnknownOperationException", "NotImplemented"]);

function toTask(e: ListMessageMoveTasksResultEntry): MoveTask {
  return {
    taskHandle: e.TaskHandle,
    status: e.Status ?? "UNKNOWN",
    sourceArn: e.SourceArn ?? "",
    destinationArn: e.DestinationArn,
    moved: e.ApproximateNumberOfMessagesMoved ?? 0,
    toMove: e.ApproximateNumberOfMessagesToMove,
    rate: e.MaxNumberOfMessagesPerSecond,
    startedAt: e.StartedTimestamp ? new Date(e.StartedTimestamp).toISOString() : undefined,
    failureReason: e.FailureReason,
  };
}

/**
 * The move tasks of a DLQ, newest first, or undefined when the server has no
 * message-move-task API (fauxqs answers InvalidAction): the caller then uses the
 * manual engine.
 */
export async function listMoveTasks(ctx: SqsContext, sourceArn: string, label?: string): Promise<MoveTask[] | undefined> {
  try {
    const out = await ctx.client.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 10 }));
    return (out.Results ?? []).map(toTask);
  } catch (err) {
    if (UNSUPPORTED.has(errorCode(err))) return undefined;
    const { mapSdkError } = await import("../errors.js");
    throw mapSdkError(err, { region: ctx.region, endpoint: ctx.endpoint, queue: label });
  }
}

export async function startMoveTask(
  ctx: SqsContext,
  input: { sourceArn: string; destinationArn?: string | undefined; rate?: number | undefined },
  label?: string,
): Promise<string> {
  const out = await ctx.send<{ TaskHandle?: string }>(
    new StartMessageMoveTaskCommand({
      SourceArn: input.sourceArn,
      ...(input.destinationArn ? { DestinationArn: input.destinationArn } : {}),
      ...(input.rate ? { MaxNumberOfMessagesPerSecond: input.rate } : {}),
    }),
    label,
  );
  return out.TaskHandle ?? "";
}

/** The one explanation, for 'dlq moves' and 'dlq cancel', of a server without move tasks. */
export function noMoveTasks(endpoint: string, action: string, consequence: string): UsageError {
  return new UsageError(
    `The server at ${endpoint} has no message move tasks (${action}), so ${consequence}.`,
    "sqsctl's manual redrives keep a journal instead: see ~/.local/state/sqsctl/journals.",
  );
}

export async function cancelMoveTask(ctx: SqsContext, taskHandle: string): Promise<number> {
  try {
    const out = await ctx.client.send(new CancelMessageMoveTaskCommand({ TaskHandle: taskHandle }));
    return out.ApproximateNumberOfMessagesMoved ?? 0;
  } catch (err) {
    if (UNSUPPORTED.has(errorCode(err))) throw noMoveTasks(ctx.endpoint, "CancelMessageMoveTask", "there is no task to cancel");
    const { mapSdkError } = await import("../errors.js");
    throw mapSdkError(err, { region: ctx.region, endpoint: ctx.endpoint });
  }
}

/**
 * Polls the task until it is no longer RUNNING (or CANCELLING), calling onProgress
 * each time. Completed tasks may come back without their handle, so the newest task
 * started no earlier than ours is taken as ours.
 */
export async function waitForMoveTask(
  ctx: SqsContext,
  sourceArn: string,
  taskHandle: string,
  opts: { intervalMs?: number; signal?: AbortSignal | undefined; onProgress?: (t: MoveTask) => void; startedAfter: number },
): Promise<MoveTask | undefined> {
  for (;;) {
    const tasks = (await listMoveTasks(ctx, sourceArn)) ?? [];
    const mine =
      tasks.find((t) => t.taskHandle === taskHandle) ??
      tasks.find((t) => t.startedAt !== undefined && Date.parse(t.startedAt) >= opts.startedAfter - 5000);
    if (mine) {
      opts.onProgress?.(mine);
      if (mine.status !== "RUNNING" && mine.status !== "CANCELLING") return mine;
    }
    if (opts.signal?.aborted) return mine;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, opts.intervalMs ?? 1000);
      opts.signal?.addEventListener("abort", () => {
        clearTimeout(t);
        resolve();
      }, { once: true });
    });
    if (opts.signal?.aborted) return mine;
  }
}
