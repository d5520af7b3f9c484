import { DeleteQueueCommand } from "@aws-sdk/client-sqs";
import { plural } from "../../core/text.js";
import { getQueueAttributes, resolveQueue } from "../../sqs/queues.js";
import { messageCounts } from "../purge.js";
import type { CommandContext } from "../context.js";

export default async function del(ctx: CommandContext, [ref]: string[], opts: { yes?: boolean }): Promise<void> {
  const { ui } = ctx;
  const sqs = await ctx.sqs();
  const queue = await resolveQueue(sqs, ref!);
  const counts = messageCounts(await getQueueAttributes(sqs, queue.url, ["All"], ref));
  await ui.requireConfirmation(`Delete queue ${queue.name} and its ${plural(counts.total, "message")}?`, {
    yes: opts.yes,
    action: `delete queue ${queue.name}`,
    notDone: `Queue ${queue.name} not deleted`,
  });
  await sqs.send(new DeleteQueueCommand({ QueueUrl: queue.url }), ref);
  if (ui.format !== "table") ui.json({ deleted: queue.name, url: queue.url, messages: counts.total });
  else ui.success(`deleted queue ${ui.color.bold(queue.name)} and its ${plural(counts.total, "message")}`);
}
