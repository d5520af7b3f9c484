import { PurgeQueueCommand } from "@aws-sdk/client-sqs";
import { plural } from "../core/text.js";
import { OperationError } from "../errors.js";
import { errorCode } from "../sqs/errors.js";
import { resolveQueue } from "../sqs/queues.js";
import type { CommandContext } from "./context.js";

export function messageCounts(attrs: Record<string, string>) {
  const visible = Number(attrs.ApproximateNumberOfMessages ?? 0);
  const inFlight = Number(attrs.ApproximateNumberOfMessagesNotVisible ?? 0);
  const delayed = Number(attrs.ApproximateNumberOfMessagesDelayed ?? 0);
  return { visible, inFlight, delayed, total: visible + inFlight + delayed };
}

export default async function purge(ctx: CommandContext, [ref]: string[], opts: { yes?: boolean }): Promise<void> {
  const { ui } = ctx;
  const sqs = await ctx.sqs();
  const queue = await resolveQueue(sqs, ref!, "queue", ["All"]);
  const counts = messageCounts(queue.attributes);
  await ui.requireConfirmation(
    `Purge ${queue.name}: delete all ${plural(counts.total, "message")} (${counts.visible} visible, ${counts.inFlight} in flight, ${counts.delayed} delayed)? This cannot be undone.`,
    { yes: opts.yes, action: `purge ${queue.name}`, typeToConfirm: queue.name, notDone: `Not purged` },
  );
  try {
    await sqs.client.send(new PurgeQueueCommand({ QueueUrl: queue.url }));
  } catch (err) {
    if (errorCode(err) === "PurgeQueueInProgress") {
      throw new OperationError(
        `A purge of ${queue.name} is already in progress (SQS allows one purge a queue every 60 seconds).`,
        "Its messages are being deleted; check again in a minute with 'sqsctl queues show'.",
      );
    }
    throw err;
  }
  if (ui.format !== "table") ui.json({ purged: queue.name, url: queue.url, messages: counts.total, visible: counts.visible, inFlight: counts.inFlight, delayed: counts.delayed });
  else ui.success(`purged ${ui.color.bold(queue.name)}: ${plural(counts.total, "message")} (${counts.visible} visible, ${counts.inFlight} in flight, ${counts.delayed} delayed). SQS may take up to 60 s to finish.`);
}
