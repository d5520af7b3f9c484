import { UsageError } from "../errors.js";
import { durationFlag, Limits } from "./duration.js";
import { isValidQueueName } from "./queue-ref.js";
import { parseRedrivePolicy } from "./redrive-policy.js";
import { parseBytes } from "./size.js";

/**
 * The queue settings that `queues create` and `queues update` share, as Commander hands
 * them over. One home for parsing and validating them: both commands call parseSettings.
 */
export interface SettingFlags {
  /** true: --content-based-dedup; false: --no-content-based-dedup (update only). */
  contentBasedDedup?: boolean;
  maxReceive?: string;
  visibilityTimeout?: string;
  retention?: string;
  delay?: string;
  maxMessageSize?: string;
  wait?: string;
  /** true: --sse; false: --no-sse (update only). */
  sse?: boolean;
  kmsKey?: string;
  tag?: string[];
  attribute?: string[];
}

/** Flags of `queues create`, as Commander hands them over. */
export interface CreateFlags extends SettingFlags {
  fifo?: boolean;
  dlq?: string;
  createDlq?: boolean;
}

export interface ParsedSettings {
  /** SQS attributes the flags ask for (RedrivePolicy excepted: it needs the DLQ's ARN). */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  /** --max-receive, when given. */
  maxReceiveCount: number | undefined;
}

/**
 * KMS key ids SQS accepts: a key id (UUID or multi-Region mrk-...), an alias
 * (alias/name, including alias/aws/sqs), or the ARN of either.
 */
const KMS_KEY_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/i;
const KMS_ALIAS = /^alias\/[A-Za-z0-9/_-]{1,250}$/;
const KMS_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):\d{12}:(?:key\/(.+)|(alias\/.+))$/;

/** Checks a --kms-key value's format; returns the region of an ARN, if it is one. */
export function checkKmsKeyId(id: string): { region?: string } {
  if (KMS_KEY_ID.test(id) || KMS_ALIAS.test(id)) return {};
  const m = KMS_ARN.exec(id);
  if (m && ((m[2] !== undefined && KMS_KEY_ID.test(m[2])) || (m[3] !== undefined && KMS_ALIAS.test(m[3])))) return { region: m[1]! };
  throw new UsageError(
    `--kms-key: "${id}" is not a KMS key id.`,
    "Use a key id (1234abcd-12ab-34cd-56ef-1234567890ab), an alias (alias/my-key, alias/aws/sqs), or the ARN of either.",
  );
}

/** Parses and validates the shared settings flags (ranges, formats, conflicts). No I/O. */
export function parseSettings(f: SettingFlags): ParsedSettings {
  if (f.sse === true && f.kmsKey) {
    throw new UsageError("--sse and --kms-key cannot be used together.", "--sse uses SQS-managed keys; --kms-key uses your KMS key.");
  }
  if (f.sse === false && f.kmsKey) {
    throw new UsageError("--no-sse and --kms-key cannot be used together.", "--no-sse turns encryption off; --kms-key turns SSE-KMS on.");
  }
  let maxReceiveCount: number | undefined;
  if (f.maxReceive !== undefined) {
    const n = Number(f.maxReceive);
    if (!Number.isInteger(n) || n < Limits.maxReceiveCount.min || n > Limits.maxReceiveCount.max) {
      throw new UsageError(`--max-receive: "${f.maxReceive}" must be a whole number from 1 to 1000.`);
    }
    maxReceiveCount = n;
  }
  const attributes: Record<string, string> = {};
  if (f.contentBasedDedup !== undefined) attributes.ContentBasedDeduplication = String(f.contentBasedDedup);
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
  if (f.sse === true) attributes.SqsManagedSseEnabled = "true";
  if (f.kmsKey) {
    checkKmsKeyId(f.kmsKey);
    attributes.KmsMasterKeyId = f.kmsKey;
  }
  for (const kv of f.attribute ?? []) {
    const [k, v] = splitPair(kv, "--attribute", "Name=Value");
    attributes[k] = v;
  }
  const tags: Record<string, string> = {};
  for (const kv of f.tag ?? []) {
    const [k, v] = splitPair(kv, "--tag", "key=value");
    tags[k] = v;
  }
  return { attributes, tags, maxReceiveCount };
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
  for (const kv of f.attribute ?? []) {
    if (kv.startsWith("RedrivePolicy=") && (f.dlq || f.createDlq)) {
      throw new UsageError("--attribute RedrivePolicy=... conflicts with --dlq/--create-dlq.");
    }
  }
  const settings = parseSettings(f);
  const maxReceiveCount = settings.maxReceiveCount ?? DEFAULT_MAX_RECEIVE;
  const attributes: Record<string, string> = { ...(fifo ? { FifoQueue: "true" } : {}), ...settings.attributes };
  if (!f.contentBasedDedup) delete attributes.ContentBasedDeduplication;
  const tags = settings.tags;

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
    if (sameAttributeValue(k, want, have)) continue;
    diffs.push({ attribute: k, existing: have, requested: want });
  }
  return diffs;
}

/**
 * Whether an attribute already has the wanted value, by meaning: JSON-valued
 * attributes (RedrivePolicy, RedriveAllowPolicy, Policy) compare parsed, and an unset
 * attribute equals "false" or "".
 */
export function sameAttributeValue(name: string, want: string, have: string | undefined): boolean {
  if (have === want) return true;
  if ((have === undefined || have === "") && (want === "false" || want === "")) return true;
  if (name === "RedrivePolicy") {
    const a = parseRedrivePolicy(want);
    const b = parseRedrivePolicy(have);
    return a?.deadLetterTargetArn === b?.deadLetterTargetArn && a?.maxReceiveCount === b?.maxReceiveCount;
  }
  if (name === "RedriveAllowPolicy" || name === "Policy") return canonicalJson(want) !== undefined && canonicalJson(want) === canonicalJson(have);
  return false;
}

/** JSON text with object keys sorted (arrays keep their order), or undefined when not JSON. */
export function canonicalJson(text: string | undefined): string | undefined {
  if (!text) return undefined;
  try {
    const sort = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(sort) : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])])) : v;
    return JSON.stringify(sort(JSON.parse(text)));
  } catch {
    return undefined;
  }
}
