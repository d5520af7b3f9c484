import { DeleteQueueCommand } from "@aws-sdk/client-sqs";
import { getQueueAttributes, resolveQueue } from "../../sqs/queues.js";
import { messageCounts } from "../purge.js";
import type { CommandContext } from "../context.js";

export default async function del(ctx: CommandContext, [ref]: string[], opts: { yes?: boolean }): Promise<void> {
  const { ui } = ctx;
  const sqs = await ctx.sqs();
  const queue = await resolveQueue(sqs, ref!);
  const counts = messageCounts(await getQueueAttributes(sqs, queue.url, ["All"], ref));
  const ok = await ui.confirm(
    `Delete queue ${queue.name} and its ${counts.total} message${counts.total === 1 ? "" : "s"}?`,
    { yes: opts.yes, action: `delete queue ${queue.name}` },
  );
  if (!ok) {
    ui.info("Not deleted.");
    return;
  }
  await sqs.send(new DeleteQueueCommand({ QueueUrl: queue.url }), ref);
  if (ui.format !== "table") ui.json({ deleted: queue.name, url: queue.url, messages: counts.total });
  else ui.out(`${ui.color.green("deleted")} queue ${ui.color.bold(queue.name)} (${counts.total} messages)`);
}
