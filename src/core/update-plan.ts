import { describeAttributeValue } from "./attributes.js";
import { diffPolicies, parsePolicy } from "./access-policy.js";
import { sameAttributeValue } from "./create-plan.js";
import { formatDuration } from "./duration.js";
import { nameOf } from "./queue-ref.js";
import { parseRedrivePolicy } from "./redrive-policy.js";

/** One setting that changes, with why it is risky when it is. */
export interface Change {
  /** SQS attribute name, or "tag:KEY". */
  key: string;
  before: string | undefined;
  after: string | undefined;
  /** Set when the change needs confirmation (--yes off a terminal): what it does to messages. */
  risk?: string;
}

export interface QueueState {
  attributes: Record<string, string>;
  tags: Record<string, string>;
}

export interface Desired {
  /** Attributes to set ("" removes RedrivePolicy, KmsMasterKeyId, Policy, ...). */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  untag: string[];
  /** --no-sse: turn off both SSE-SQS and SSE-KMS. */
  sseOff?: boolean;
}

const encrypted = (a: Record<string, string | undefined>) => a.SqsManagedSseEnabled === "true" || Boolean(a.KmsMasterKeyId);

/**
 * What an update changes: only the settings that differ (compared by meaning), each
 * with its risk. Encryption is one setting to users: turning SSE-SQS on clears a KMS
 * key and the other way round, since SQS allows one kind at a time. Pure.
 */
export function planChanges(current: QueueState, desired: Desired): Change[] {
  const want = { ...desired.attributes };
  const have = current.attributes;
  if (desired.sseOff) {
    want.SqsManagedSseEnabled = "false";
    want.KmsMasterKeyId = "";
  }
  if (want.SqsManagedSseEnabled === "true" && have.KmsMasterKeyId) want.KmsMasterKeyId = "";
  if (want.KmsMasterKeyId && have.SqsManagedSseEnabled === "true") want.SqsManagedSseEnabled = "false";

  const changes: Change[] = [];
  for (const [key, after] of Object.entries(want)) {
    const before = have[key];
    if (sameAttributeValue(key, after, before)) continue;
    changes.push({ key, before, after });
  }
  for (const c of changes) c.risk = riskOf(c, have, { ...have, ...want });
  for (const [k, v] of Object.entries(desired.tags)) if (current.tags[k] !== v) changes.push({ key: `tag:${k}`, before: current.tags[k], after: v });
  for (const k of desired.untag) if (k in current.tags) changes.push({ key: `tag:${k}`, before: current.tags[k], after: undefined });
  return changes;
}

function riskOf(c: Change, before: Record<string, string>, after: Record<string, string | undefined>): string | undefined {
  if (c.key === "MessageRetentionPeriod" && c.before !== undefined && Number(c.after) < Number(c.before)) {
    return `shortens retention: SQS deletes messages older than ${formatDuration(Number(c.after))}, including ones already in the queue`;
  }
  if (c.key === "RedrivePolicy") {
    const a = parseRedrivePolicy(c.before);
    const b = parseRedrivePolicy(c.after);
    if (a && !b) return `removes the dead-letter queue ${nameOf(a.deadLetterTargetArn)}: failing messages are retried until retention ends, then lost`;
    if (a && b && a.deadLetterTargetArn !== b.deadLetterTargetArn) return `re-points the dead-letter queue from ${nameOf(a.deadLetterTargetArn)} to ${nameOf(b.deadLetterTargetArn)}: messages already in ${nameOf(a.deadLetterTargetArn)} stay there`;
    if (a && b && b.maxReceiveCount < a.maxReceiveCount) return `lowers maxReceiveCount from ${a.maxReceiveCount} to ${b.maxReceiveCount}: messages already received ${b.maxReceiveCount}+ times move to the DLQ on their next receive`;
  }
  if ((c.key === "SqsManagedSseEnabled" || c.key === "KmsMasterKeyId") && encrypted(before) && !encrypted(after)) {
    return "turns server-side encryption off: new messages are stored unencrypted";
  }
  return undefined;
}

const LABELS: Record<string, string> = {
  VisibilityTimeout: "Visibility timeout",
  MessageRetentionPeriod: "Retention",
  DelaySeconds: "Delivery delay",
  ReceiveMessageWaitTimeSeconds: "Receive wait",
  MaximumMessageSize: "Max message size",
  ContentBasedDeduplication: "Content-based dedup",
  RedrivePolicy: "Dead-letter queue",
  RedriveAllowPolicy: "Redrive allow policy",
  SqsManagedSseEnabled: "Encryption (SSE-SQS)",
  KmsMasterKeyId: "Encryption (SSE-KMS key)",
  Policy: "Access policy",
};

/** The label users see for a change's key. */
export function changeLabel(key: string): string {
  return key.startsWith("tag:") ? `tag ${key.slice(4)}` : (LABELS[key] ?? key);
}

/**
 * The before/after lines of a change list. An access policy is shown statement by
 * statement (- removed, + added); everything else as "label: before -> after".
 */
export function renderChanges(changes: Change[]): string[] {
  const width = Math.max(0, ...changes.filter((c) => c.key !== "Policy").map((c) => changeLabel(c.key).length));
  const lines: string[] = [];
  const show = (key: string, v: string | undefined) => (v === undefined || v === "" ? "(none)" : key.startsWith("tag:") ? v : describeAttributeValue(key, v));
  for (const c of changes) {
    if (c.key === "Policy") {
      lines.push(`${changeLabel(c.key)}:`);
      const diff = diffPolicies(parsePolicy(c.before), parsePolicy(c.after));
      lines.push(...(diff.length ? diff : ["  (same statements, different text)"]).map((l) => `  ${l}`));
    } else {
      lines.push(`${changeLabel(c.key).padEnd(width)}  ${show(c.key, c.before)}  ->  ${show(c.key, c.after)}`);
    }
    if (c.risk) lines.push(`${"".padEnd(width)}  ! ${c.risk}`);
  }
  return lines;
}

/** A change as JSON for -o json. */
export function changeJson(c: Change): Record<string, unknown> {
  return { setting: c.key, label: changeLabel(c.key), before: c.before ?? null, after: c.after ?? null, ...(c.risk ? { risk: c.risk } : {}) };
}
