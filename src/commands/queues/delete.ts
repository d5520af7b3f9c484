import { DeleteQueueCommand } from "@aws-sdk/client-sqs";
import { findDeadLetterSources } from "../../sqs/dlq-sources.js";
import { plural } from "../../core/text.js";
import { resolveQueue } from "../../sqs/queues.js";
import { messageCounts } from "../purge.js";
import type { CommandContext } from "../context.js";

export default async function del(ctx: CommandContext, [ref]: string[], opts: { yes?: boolean }): Promise<void> {
  const { ui } = ctx;
  const sqs = await ctx.sqs();
  const queue = await resolveQueue(sqs, ref!, "queue", ["All"]);
  const counts = messageCounts(queue.attributes);
  // Deleting a DLQ leaves its sources pointing at nothing: their failing messages then
  // have nowhere to go. Say which queues, before asking.
  const sources = await findDeadLetterSources(sqs, queue);
  const dlqOf = sources.map((s) => s.name).join(", ");
  if (sources.length) {
    ui.warn(
      `${queue.name} is the dead-letter queue of ${dlqOf}. ` +
        `After it is deleted, their failed messages have no DLQ to move to (change them with 'sqsctl queues update ${sources[0]!.name} --dlq Q' or --no-dlq).`,
    );
  }
  await ui.requireConfirmation(`Delete queue ${queue.name}${sources.length ? ` (the DLQ of ${dlqOf})` : ""} and its ${plural(counts.total, "message")}?`, {
    yes: opts.yes,
    action: `delete queue ${queue.name}${sources.length ? ` (the dead-letter queue of ${dlqOf})` : ""}`,
    notDone: `Queue ${queue.name} not deleted`,
  });
  await sqs.send(new DeleteQueueCommand({ QueueUrl: queue.url }), ref);
  if (ui.format !== "table") ui.json({ deleted: queue.name, url: queue.url, messages: counts.total, deadLetterQueueOf: sources.map((s) => s.name) });
  else ui.success(`deleted queue ${ui.color.bold(queue.name)} and its ${plural(counts.total, "message")}`);
}
