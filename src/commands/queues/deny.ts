import { parsePolicy, removeStatement } from "../../core/access-policy.js";
import { planChanges } from "../../core/update-plan.js";
import { resolveQueue } from "../../sqs/queues.js";
import type { CommandContext } from "../context.js";
import { applyWithDiff } from "./apply-changes.js";

/** `queues deny Q --sid SID`: removes one statement of the access policy. */
export default async function deny(ctx: CommandContext, [ref]: string[], flags: { sid: string; dryRun?: boolean }): Promise<void> {
  const sqs = await ctx.sqs();
  const queue = await resolveQueue(sqs, ref!, "queue", ["Policy"]);
  const attributes = queue.attributes;
  const policy = removeStatement(parsePolicy(attributes.Policy, `${queue.name}'s current policy`), flags.sid, queue.name);
  const changes = planChanges({ attributes, tags: {} }, { attributes: { Policy: policy ? JSON.stringify(policy) : "" }, tags: {}, untag: [] });
  await applyWithDiff(ctx, sqs, queue, changes, { dryRun: flags.dryRun });
}
