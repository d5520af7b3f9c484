import { parsePolicy, type AccessPolicy } from "../../core/access-policy.js";
import { describeAttributes } from "../../core/attributes.js";
import { formatDuration } from "../../core/duration.js";
import { parseRedriveAllowPolicy, parseRedrivePolicy } from "../../core/redrive-policy.js";
import { lambdaTriggers, snsSubscriptions, type Lookup } from "../../sqs/consumers.js";
import { findDeadLetterSources } from "../../sqs/dlq-sources.js";
import { queueMetrics } from "../../sqs/metrics.js";
import { getQueueTags, resolveQueue } from "../../sqs/queues.js";
import type { CommandContext } from "../context.js";

export default async function show(ctx: CommandContext, [ref]: string[]): Promise<void> {
  const sqs = await ctx.sqs();
  const queue = await resolveQueue(sqs, ref!, "queue", ["All"]);
  const attributes = queue.attributes;
  // Who reads and writes the queue, and CloudWatch's numbers, from the services' own
  // APIs; a service that cannot be asked is one note, never a failed `show`.
  const [tags, sources, lambda, sns, metrics] = await Promise.all([
    getQueueTags(sqs, queue.url),
    findDeadLetterSources(sqs, queue),
    lambdaTriggers(sqs, queue.arn),
    snsSubscriptions(sqs, queue.arn),
    queueMetrics(sqs, [queue.name]),
  ]);
  const m = metrics.ok ? metrics.byQueue.get(queue.name) : undefined;
  const { ui } = ctx;
  const pairs: Array<[string, string]> = [["Name", queue.name], ["URL", queue.url], ...describeAttributes(attributes)];
  pairs.push(["Tags", Object.keys(tags).length ? Object.entries(tags).map(([k, v]) => `${k}=${v}`).join(", ") : "-"]);
  pairs.push([
    "Used as DLQ by",
    sources.length ? sources.map((s) => `${s.name} (after ${s.maxReceiveCount} receives)`).join(", ") : "-",
  ]);
  pairs.push(["Lambda triggers", lookupText(lambda, (t) =>
    `${t.functionName} (${t.state}, batch ${t.batchSize ?? "?"}, max concurrency ${t.maximumConcurrency ?? "-"}, ReportBatchItemFailures ${t.reportBatchItemFailures ? "on" : "off"})`)]);
  pairs.push(["SNS subscriptions", lookupText(sns, (s) =>
    `${s.topicName} (${s.rawDelivery ? "raw" : "SNS envelope"}${s.filterPolicy ? `, filter on ${s.filterPolicyScope === "MessageBody" ? "body" : "attributes"} ${JSON.stringify(s.filterPolicy)}` : ", no filter"}${s.pendingConfirmation ? ", pending confirmation" : ""})`)]);
  pairs.push(["Oldest message (CW)", m?.oldestAgeSeconds != null ? formatDuration(m.oldestAgeSeconds) : "n/a"]);
  pairs.push(["Per minute (CW)", m ? `sent ${m.sentPerMinute ?? "n/a"}, received ${m.receivedPerMinute ?? "n/a"}, deleted ${m.deletedPerMinute ?? "n/a"}` : "n/a"]);
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
    lambdaTriggers: lambda.ok ? lambda.items : null,
    snsSubscriptions: sns.ok ? sns.items : null,
    metrics: m ? { source: "CloudWatch", ...m } : null,
    unavailable: [lambda, sns, metrics].flatMap((l) => (l.ok ? [] : [l.reason])),
  });
  for (const l of [lambda, sns, metrics]) {
    if (!l.ok) ui.info(`note: ${l.reason}`);
    else if ("note" in l && l.note) ui.info(`note: ${l.note}`);
  }
}

function lookupText<T>(l: Lookup<T>, line: (item: T) => string): string {
  if (!l.ok) return "n/a";
  return l.items.length ? l.items.map(line).join("\n") : "-";
}

function policyOrText(text: string | undefined): AccessPolicy | string | null {
  try {
    return parsePolicy(text) ?? null;
  } catch {
    return text ?? null;
  }
}
