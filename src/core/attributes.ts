import { describePolicy } from "./access-policy.js";
import { formatDuration } from "./duration.js";
import { nameOf } from "./queue-ref.js";
import { parseRedriveAllowPolicy, parseRedrivePolicy } from "./redrive-policy.js";
import { formatBytes } from "./size.js";

const seconds = (v: string) => `${formatDuration(Number(v))}${Number(v) >= 60 ? ` (${v}s)` : ""}`;
const timestamp = (v: string) => new Date(Number(v) * 1000).toISOString();

/** Display order and rendering of the queue attributes SQS returns. */
const RENDER: Array<[attr: string, label: string, render: (v: string) => string]> = [
  ["QueueArn", "ARN", (v) => v],
  ["FifoQueue", "Type", (v) => (v === "true" ? "FIFO" : "standard")],
  ["ApproximateNumberOfMessages", "Visible messages", (v) => v],
  ["ApproximateNumberOfMessagesNotVisible", "In flight", (v) => v],
  ["ApproximateNumberOfMessagesDelayed", "Delayed", (v) => v],
  ["VisibilityTimeout", "Visibility timeout", seconds],
  ["MessageRetentionPeriod", "Retention", seconds],
  ["DelaySeconds", "Delivery delay", seconds],
  ["ReceiveMessageWaitTimeSeconds", "Receive wait (long poll)", seconds],
  ["MaximumMessageSize", "Max message size", (v) => `${formatBytes(Number(v))} (${v} bytes)`],
  ["ContentBasedDeduplication", "Content-based dedup", (v) => (v === "true" ? "on" : "off")],
  ["DeduplicationScope", "Dedup scope", (v) => v],
  ["FifoThroughputLimit", "FIFO throughput limit", (v) => v],
  ["RedrivePolicy", "Dead-letter queue", (v) => {
    const p = parseRedrivePolicy(v);
    return p ? `${nameOf(p.deadLetterTargetArn)} after ${p.maxReceiveCount} receives (${p.deadLetterTargetArn})` : v;
  }],
  ["RedriveAllowPolicy", "Redrive allow policy", (v) => {
    const p = parseRedriveAllowPolicy(v);
    if (!p) return v;
    return p.redrivePermission === "byQueue" ? `byQueue: ${(p.sourceQueueArns ?? []).map(nameOf).join(", ")}` : p.redrivePermission;
  }],
  ["SqsManagedSseEnabled", "Encryption (SSE-SQS)", (v) => (v === "true" ? "on" : "off")],
  ["KmsMasterKeyId", "Encryption (SSE-KMS key)", (v) => v],
  ["KmsDataKeyReusePeriodSeconds", "KMS data key reuse", seconds],
  ["CreatedTimestamp", "Created", timestamp],
  ["LastModifiedTimestamp", "Last modified", timestamp],
  ["Policy", "Access policy", (v) => describePolicy(v).join("\n")],
];

/** One attribute's value in readable form (as `queues show` renders it). */
export function describeAttributeValue(attr: string, value: string): string {
  const render = RENDER.find(([a]) => a === attr)?.[2];
  return render ? render(value) : value;
}

/** Queue attributes as (label, readable value) pairs, known ones first, then any others as-is. */
export function describeAttributes(attrs: Record<string, string>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const [attr, label, render] of RENDER) {
    const v = attrs[attr];
    seen.add(attr);
    if (v === undefined || v === "") continue;
    out.push([label, render(v)]);
  }
  for (const [k, v] of Object.entries(attrs)) if (!seen.has(k)) out.push([k, v]);
  return out;
}
