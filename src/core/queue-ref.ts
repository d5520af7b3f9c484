import { UsageError } from "../errors.js";

/** What the user typed to name a queue, parsed without any network call. */
export type QueueRef =
  | { kind: "name"; name: string; input: string }
  | { kind: "url"; name: string; url: string; region?: string; accountId: string; input: string }
  | { kind: "arn"; name: string; region: string; accountId: string; partition: string; input: string };

const NAME_RE = /^[A-Za-z0-9_-]{1,80}$/;

/** Checks a queue name against the SQS rules (80 chars of [A-Za-z0-9_-], `.fifo` suffix allowed). */
export function isValidQueueName(name: string): boolean {
  const base = name.endsWith(".fifo") ? name.slice(0, -5) : name;
  return name.length <= 80 && NAME_RE.test(base);
}

export function isFifoName(name: string): boolean {
  return name.endsWith(".fifo");
}

/**
 * Parses a queue name, URL or ARN. `what` names the argument or flag in errors
 * (e.g. "queue", "--dlq").
 */
export function parseQueueRef(input: string, what = "queue"): QueueRef {
  const text = input.trim();
  if (text.startsWith("arn:")) {
    const parts = text.split(":");
    if (parts.length !== 6 || parts[2] !== "sqs" || !parts[3] || !/^\d{12}$/.test(parts[4] ?? "") || !parts[5]) {
      throw new UsageError(
        `${what}: "${input}" is not an SQS queue ARN.`,
        "An SQS ARN looks like arn:aws:sqs:us-east-1:123456789012:my-queue.",
      );
    }
    const name = parts[5];
    checkName(name, input, what);
    return { kind: "arn", name, region: parts[3], accountId: parts[4]!, partition: parts[1] ?? "aws", input };
  }
  if (/^https?:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new UsageError(`${what}: "${input}" is not a valid URL.`);
    }
    const segments = url.pathname.split("/").filter(Boolean);
    const name = segments.at(-1);
    const accountId = segments.at(-2);
    if (!name || !accountId) {
      throw new UsageError(
        `${what}: "${input}" is not a queue URL.`,
        "A queue URL looks like https://sqs.us-east-1.amazonaws.com/123456789012/my-queue.",
      );
    }
    checkName(name, input, what);
    const region = /^sqs\.([a-z0-9-]+)\./.exec(url.hostname)?.[1] ?? /^([a-z]{2}(-[a-z]+)+-\d)\.queue\.amazonaws\.com$/.exec(url.hostname)?.[1];
    return { kind: "url", name, url: url.toString().replace(/\/$/, ""), ...(region ? { region } : {}), accountId, input };
  }
  checkName(text, input, what);
  return { kind: "name", name: text, input };
}

function checkName(name: string, input: string, what: string): void {
  if (!isValidQueueName(name)) {
    throw new UsageError(
      `${what}: "${input}" is not a queue name, URL or ARN.`,
      "Queue names are 1-80 characters of letters, digits, '-' and '_' (FIFO names end in .fifo).",
    );
  }
}

/** The ARN of a queue, built from its URL parts (SQS ARNs and URLs carry the same three facts). */
export function arnFor(region: string, accountId: string, name: string, partition = "aws"): string {
  return `arn:${partition}:sqs:${region}:${accountId}:${name}`;
}

/** Name from an ARN or URL, for display. Returns the input when it is neither. */
export function nameOf(arnOrUrl: string): string {
  if (arnOrUrl.startsWith("arn:")) return arnOrUrl.split(":").at(-1) ?? arnOrUrl;
  if (/^https?:\/\//.test(arnOrUrl)) return arnOrUrl.replace(/\/$/, "").split("/").at(-1) ?? arnOrUrl;
  return arnOrUrl;
}
