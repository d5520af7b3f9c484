import { UsageError } from "../errors.js";
import { durationFlag, Limits } from "./duration.js";
import { isValidQueueName } from "./queue-ref.js";
import { parseRedrivePolicy } from "./redrive-policy.js";
import { parseBytes } from "./size.js";

/** Flags of `queues create`, as Commander hands them over. */
export interface CreateFlags {
  fifo?: boolean;
  contentBasedDedup?: boolean;
  dlq?: string;
  createDlq?: boolean;
  maxReceive?: string;
  visibilityTimeout?: string;
  retention?: string;
  delay?: string;
  maxMessageSize?: string;
  wait?: string;
  sse?: boolean;
  kmsKey?: string;
  tag?: string[];
  attribute?: string[];
}

export interface CreatePlan {
  name: string;
  fifo: boolean;
  /** Attributes to set on the queue, RedrivePolicy excepted (it needs the DLQ's ARN). */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  /** How the DLQ is chosen, if any. */
  dlq: { kind: "existing"; ref: string } | { kind: "create"; name: string; attributes: Record<string, string> } | null;
  maxReceiveCount: number;
  notes: string[];
}

export const DLQ_RETENTION_SECONDS = 14 * 86400;
export const DEFAULT_MAX_RECEIVE = 5;

/** Turns the create flags into a plan, or a usage error naming the flag. No I/O. */
export function planCreate(rawName: string, f: CreateFlags): CreatePlan {
  const notes: string[] = [];
  let name = rawName.trim();
  const fifo = f.fifo === true || name.endsWith(".fifo");
  if (f.fifo && !name.endsWith(".fifo")) {
    name = `${name}.fifo`;
    notes.push(`FIFO queue names end in .fifo: creating "${name}".`);
  }
  if (!isValidQueueName(name)) {
    throw new UsageError(
      `"${rawName}" is not a valid queue name.`,
      "Use 1-80 characters of letters, digits, '-' and '_' (FIFO names end in .fifo, counted in the 80).",
    );
  }
  if (f.contentBasedDedup && !fifo) {
    throw new UsageError("--content-based-dedup only applies to FIFO queues.", "Add --fifo.");
  }
  if (f.dlq && f.createDlq) {
    throw new UsageError("--dlq and --create-dlq cannot be used together.", "Use --dlq to name an existing DLQ, or --create-dlq to make NAME-dlq.");
  }
  if (f.maxReceive !== undefined && !f.dlq && !f.createDlq) {
    throw new UsageError("--max-receive needs a dead-letter queue.", "Add --create-dlq, or --dlq QUEUE.");
  }
  if (f.sse && f.kmsKey) {
    throw new UsageError("--sse and --kms-key cannot be used together.", "--sse uses SQS-managed keys; --kms-key uses your KMS key.");
  }

  let maxReceiveCount = DEFAULT_MAX_RECEIVE;
  if (f.maxReceive !== undefined) {
    const n = Number(f.maxReceive);
    if (!Number.isInteger(n) || n < Limits.maxReceiveCount.min || n > Limits.maxReceiveCount.max) {
      throw new UsageError(`--max-receive: "${f.maxReceive}" must be a whole number from 1 to 1000.`);
    }
    maxReceiveCount = n;
  }

  const attributes: Record<string, string> = {};
  if (fifo) attributes.FifoQueue = "true";
  if (f.contentBasedDedup) attributes.ContentBasedDeduplication = "true";
  if (f.visibilityTimeout !== undefined) attributes.VisibilityTimeout = String(durationFlag("--visibility-timeout", f.visibilityTimeout, Limits.visibilityTimeout));
  if (f.retention !== undefined) attributes.MessageRetentionPeriod = String(durationFlag("--retention", f.retention, Limits.retention));
  if (f.delay !== undefined) attributes.DelaySeconds = String(durationFlag("--delay", f.delay, Limits.delay));
  if (f.wait !== undefined) attributes.ReceiveMessageWaitTimeSeconds = String(durationFlag("--wait", f.wait, Limits.wait));
  if (f.maxMessageSize !== undefined) {
    const bytes = parseBytes(f.maxMessageSize);
    if (bytes === undefined || bytes < Limits.maxMessageSize.min || bytes > Limits.maxMessageSize.max) {
      throw new UsageError(`--max-message-size: "${f.maxMessageSize}" must be 1024 to 1048576 bytes (or 1KiB to 1MiB).`);
    }
    attributes.MaximumMessageSize = String(bytes);
  }
  if (f.sse) attributes.SqsManagedSseEnabled = "true";
  if (f.kmsKey) attributes.KmsMasterKeyId = f.kmsKey;
  for (const kv of f.attribute ?? []) {
    const [k, v] = splitPair(kv, "--attribute", "Name=Value");
    if (k === "RedrivePolicy" && (f.dlq || f.createDlq)) {
      throw new UsageError("--attribute RedrivePolicy=... conflicts with --dlq/--create-dlq.");
    }
    attributes[k] = v;
  }
  const tags: Record<string, string> = {};
  for (const kv of f.tag ?? []) {
    const [k, v] = splitPair(kv, "--tag", "key=value");
    tags[k] = v;
  }

  let dlq: CreatePlan["dlq"] = null;
  if (f.dlq) dlq = { kind: "existing", ref: f.dlq };
  if (f.createDlq) {
    const base = fifo ? name.slice(0, -5) : name;
    const dlqName = `${base}-dlq${fifo ? ".fifo" : ""}`;
    if (!isValidQueueName(dlqName)) {
      throw new UsageError(`--create-dlq: the DLQ name "${dlqName}" would be longer than 80 characters.`, "Use a shorter queue name, or create the DLQ yourself and pass --dlq.");
    }
    dlq = {
      kind: "create",
      name: dlqName,
      attributes: { ...(fifo ? { FifoQueue: "true" } : {}), MessageRetentionPeriod: String(DLQ_RETENTION_SECONDS) },
    };
  }
  return { name, fifo, attributes, tags, dlq, maxReceiveCount, notes };
}

function splitPair(text: string, flag: string, shape: string): [string, string] {
  const i = text.indexOf("=");
  if (i <= 0) throw new UsageError(`${flag}: "${text}" is not ${shape}.`);
  return [text.slice(0, i), text.slice(i + 1)];
}

/** One attribute that differs between what was asked for and what the queue has. */
export interface AttributeDifference {
  attribute: string;
  existing: string | undefined;
  requested: string;
}

/**
 * Compares the requested attributes with an existing queue's. Only attributes the
 * user asked for are compared; RedrivePolicy is compared by meaning, not by text.
 */
export function diffAttributes(requested: Record<string, string>, existing: Record<string, string>): AttributeDifference[] {
  const diffs: AttributeDifference[] = [];
  for (const [k, want] of Object.entries(requested)) {
    const have = existing[k];
    if (k === "RedrivePolicy") {
      const a = parseRedrivePolicy(want);
      const b = parseRedrivePolicy(have);
      if (a?.deadLetterTargetArn === b?.deadLetterTargetArn && a?.maxReceiveCount === b?.maxReceiveCount) continue;
    } else if (have === want || (have === undefined && (want === "false" || want === ""))) {
      continue;
    }
    diffs.push({ attribute: k, existing: have, requested: want });
  }
  return diffs;
}
