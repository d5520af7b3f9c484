import { count, plural } from "../../core/text.js";
/**
 * What a reader needs to know about a queue before it looks (the peek guard's inputs),
 * and how a read that ended early explains itself. Beside the holder, which applies
 * the guard.
 */
import { parseRedrivePolicy } from "../../core/redrive-policy.js";
import type { SqsContext } from "../client.js";
import { getQueueAttributes } from "../queues.js";
import { UsageError } from "../../errors.js";
import { IN_FLIGHT_LIMIT, IN_FLIGHT_LIMIT_NOTE, type LoopEnd } from "./receive-loop.js";

export interface ReadInfo {
  fifo: boolean;
  /** The queue's visibility timeout, seconds. */
  visibilityTimeout: number;
  /** From the redrive policy; undefined when the queue has none. */
  maxReceiveCount: number | undefined;
  deadLetterTargetArn: string | undefined;
}

/** The attributes ReadInfo is made of: pass them to resolveQueue's `also` and use readInfoOf. */
export const READ_INFO_ATTRIBUTES = ["RedrivePolicy", "VisibilityTimeout", "FifoQueue"] as const;

export async function readInfo(sqs: SqsContext, url: string, label: string): Promise<ReadInfo> {
  return readInfoOf(url, await getQueueAttributes(sqs, url, [...READ_INFO_ATTRIBUTES], label));
}

/** ReadInfo from attributes already read (READ_INFO_ATTRIBUTES among them). */
export function readInfoOf(url: string, a: Record<string, string>): ReadInfo {
  const rp = parseRedrivePolicy(a.RedrivePolicy);
  return {
    fifo: a.FifoQueue === "true" || url.endsWith(".fifo"),
    visibilityTimeout: Number(a.VisibilityTimeout ?? 30),
    maxReceiveCount: rp?.maxReceiveCount,
    deadLetterTargetArn: rp?.deadLetterTargetArn,
  };
}

/** The one-time warning for looking at a queue with a redrive policy without --delete. */
export function peekWarning(queue: string, info: ReadInfo): string | undefined {
  if (info.maxReceiveCount === undefined) return undefined;
  const dlq = info.deadLetterTargetArn?.split(":").at(-1) ?? "its DLQ";
  return (
    `${queue} has a redrive policy (maxReceiveCount ${info.maxReceiveCount} → ${dlq}): each message sqsctl looks at without --delete ` +
    `uses one of its ${info.maxReceiveCount} receives. Messages that reach the limit are kept hidden rather than released, so sqsctl itself never moves one to the DLQ (see --help).`
  );
}

/**
 * Why a read that was asked for everything did not see everything, or undefined when
 * it did (the end rule found the queue empty and nothing in flight elsewhere). A
 * partial read says so and does not exit 0 as complete.
 */
export function partialReason(end: LoopEnd, fifo: boolean): string | undefined {
  const parts: string[] = [];
  if (end.reason === "overlimit") {
    const n = end.received ?? 0;
    return `stopped at SQS's in-flight limit after ${plural(n, "message")}; the result covers those ${count(n)} (the queue has too many messages in flight: ${IN_FLIGHT_LIMIT_NOTE})`;
  }
  if (end.reason === "stalled" && end.visible) {
    parts.push(
      fifo
        ? `${plural(end.visible, "message")} could not be received: on a FIFO queue, while sqsctl holds a message the rest of its group is not returned, so a read that does not delete sees only the first message of each group`
        : `${plural(end.visible, "message")} the queue counts as visible ${end.visible === 1 ? "was" : "were"} never returned (delayed, or blocked)`,
    );
  }
  if ((end.reason === "empty" || end.reason === "stalled") && end.inFlightElsewhere) {
    parts.push(`about ${plural(end.inFlightElsewhere, "message")} ${end.inFlightElsewhere === 1 ? "was" : "were"} in flight elsewhere (another consumer, or a receive whose reply was lost) and not seen`);
  }
  return parts.length ? parts.join("; ") : undefined;
}

/**
 * The queue's in-flight limit a scan assumes: SQS's documented 120,000 (standard) or 20,000
 * (FIFO), or SQSCTL_IN_FLIGHT_LIMIT for an account whose quota was raised.
 */
export function inFlightLimitOf(env: Record<string, string | undefined>, fifo: boolean): number {
  const raw = env.SQSCTL_IN_FLIGHT_LIMIT;
  if (raw === undefined || raw === "") return fifo ? IN_FLIGHT_LIMIT.fifo : IN_FLIGHT_LIMIT.standard;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`SQSCTL_IN_FLIGHT_LIMIT: "${raw}" is not a whole number of messages.`, "Unset it (SQS's 120,000 / 20,000 FIFO), or give your queue's quota, e.g. SQSCTL_IN_FLIGHT_LIMIT=240000.");
  return n;
}
