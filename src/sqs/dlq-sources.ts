import { nameOf } from "../core/queue-ref.js";
import type { SqsContext } from "./client.js";
import { describeQueues, getQueueAttributes, listDeadLetterSources, type QueueSummary } from "./queues.js";
import { parseRedrivePolicy } from "../core/redrive-policy.js";
import { compareNames } from "../core/text.js";

export interface DeadLetterSource {
  name: string;
  url: string;
  arn: string;
  maxReceiveCount: number;
}

/**
 * The queues that send their dead letters to `dlq`. Uses ListDeadLetterSourceQueues
 * where the server has it; otherwise scans every queue's RedrivePolicy (pass
 * `allQueues` when the caller already listed them).
 */
export async function findDeadLetterSources(
  ctx: SqsContext,
  dlq: { url: string; arn: string },
  allQueues?: QueueSummary[],
): Promise<DeadLetterSource[]> {
  const urls = allQueues ? undefined : await listDeadLetterSources(ctx, dlq.url);
  if (urls) {
    const out: DeadLetterSource[] = [];
    for (const url of urls) {
      const attrs = await getQueueAttributes(ctx, url, ["QueueArn", "RedrivePolicy"]);
      const policy = parseRedrivePolicy(attrs.RedrivePolicy);
      out.push({ name: nameOf(url), url, arn: attrs.QueueArn ?? "", maxReceiveCount: policy?.maxReceiveCount ?? 0 });
    }
    return out.sort((a, b) => compareNames(a.name, b.name));
  }
  const queues = allQueues ?? (await describeQueues(ctx));
  return queues
    .filter((q) => q.redrivePolicy?.deadLetterTargetArn === dlq.arn)
    .map((q) => ({ name: q.name, url: q.url, arn: q.arn, maxReceiveCount: q.redrivePolicy!.maxReceiveCount }));
}

/**
 * Only the names of `dlq`'s source queues: one ListDeadLetterSourceQueues where the server
 * has it (findDeadLetterSources also reads each source's attributes, one call a source).
 */
export async function findDeadLetterSourceNames(ctx: SqsContext, dlq: { url: string; arn: string }): Promise<string[]> {
  const urls = await listDeadLetterSources(ctx, dlq.url);
  if (!urls) return (await findDeadLetterSources(ctx, dlq, await describeQueues(ctx))).map((s) => s.name);
  return urls.map((u) => nameOf(u)).sort(compareNames);
}
