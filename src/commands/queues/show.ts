import { parsePolicy, type AccessPolicy } from "../../core/access-policy.js";
import { describeAttributes } from "../../core/attributes.js";
import { parseRedriveAllowPolicy, parseRedrivePolicy } from "../../core/redrive-policy.js";
import { findDeadLetterSources } from "../../sqs/dlq-sources.js";
import { getQueueAttributes, getQueueTags, resolveQueue } from "../../sqs/queues.js";
import type { CommandContext } from "../context.js";

export default async function show(ctx: CommandContext, [ref]: string[]): Promise<void> {
  const sqs = await ctx.sqs();
  const queue = await resolveQueue(sqs, ref!);
  const [attributes, tags] = await Promise.all([getQueueAttributes(sqs, queue.url, ["All"], ref), getQueueTags(sqs, queue.url)]);
  const sources = await findDeadLetterSources(sqs, queue);
  const { ui } = ctx;
  const pairs: Array<[string, string]> = [["Name", queue.name], ["URL", queue.url], ...describeAttributes(attributes)];
  pairs.push(["Tags", Object.keys(tags).length ? Object.entries(tags).map(([k, v]) => `${k}=${v}`).join(", ") : "-"]);
  pairs.push([
    "Used as DLQ by",
    sources.length ? sources.map((s) => `${s.name} (after ${s.maxReceiveCount} receives)`).join(", ") : "-",
  ]);
  // Multi-line values (the access policy, one statement a line) line up under the first.
  const width = Math.max(...pairs.map(([k]) => k.length));
  for (const p of pairs) p[1] = p[1].split("\n").join(`\n${" ".repeat(width + 2)}`);
  ui.record(pairs, {
    name: queue.name,
    url: queue.url,
    arn: queue.arn,
    fifo: attributes.FifoQueue === "true",
    attributes,
    redrivePolicy: parseRedrivePolicy(attributes.RedrivePolicy),
    redriveAllowPolicy: parseRedriveAllowPolicy(attributes.RedriveAllowPolicy),
    accessPolicy: policyOrText(attributes.Policy),
    tags,
    deadLetterSources: sources,
  });
}

function policyOrText(text: string | undefined): AccessPolicy | string | null {
  try {
    return parsePolicy(text) ?? null;
  } catch {
    return text ?? null;
  }
}
