import { parseRedrivePolicy } from "../core/redrive-policy.js";
import type { SqsContext } from "./client.js";
import { changeVisibility, releaseHandles, type Held } from "./messages.js";
import { getQueueAttributes } from "./queues.js";

/** What the receive loops need to know about a queue before they look at it. */
export interface ReadInfo {
  fifo: boolean;
  /** The queue's visibility timeout, seconds. */
  visibilityTimeout: number;
  /** From the redrive policy; undefined when the queue has none. */
  maxReceiveCount: number | undefined;
  deadLetterTargetArn: string | undefined;
}

export async function readInfo(sqs: SqsContext, url: string, label: string): Promise<ReadInfo> {
  const a = await getQueueAttributes(sqs, url, ["RedrivePolicy", "VisibilityTimeout", "FifoQueue"], label);
  const rp = parseRedrivePolicy(a.RedrivePolicy);
  return {
    fifo: a.FifoQueue === "true",
    visibilityTimeout: Number(a.VisibilityTimeout ?? 30),
    maxReceiveCount: rp?.maxReceiveCount,
    deadLetterTargetArn: rp?.deadLetterTargetArn,
  };
}

/**
 * True when this receive used the message's last attempt: the next receive of it,
 * by anyone, moves it to the DLQ. sqsctl never releases such a message early.
 */
export function isExhausted(h: Held, info: ReadInfo): boolean {
  return info.maxReceiveCount !== undefined && (h.envelope.receiveCount ?? 0) >= info.maxReceiveCount;
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
 * Messages sqsctl keeps hidden while it polls: each is set to `holdSeconds` of
 * visibility and extended every holdSeconds/2 (a heartbeat), so a long tail or export
 * never receives the same message twice. At the end they are released (visibility 0),
 * except exhausted ones, which are left to return when their visibility ends.
 */
export class HoldSet {
  private held = new Map<string, { handle: string; exhausted: boolean }>();
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly sqs: SqsContext,
    private readonly url: string,
    private readonly holdSeconds = 60,
  ) {}

  get size(): number {
    return this.held.size;
  }

  has(messageId: string): boolean {
    return this.held.has(messageId);
  }

  /** Holds messages (replacing an older receipt handle of the same message). */
  async hold(messages: Held[], exhausted: (h: Held) => boolean): Promise<void> {
    if (!messages.length) return;
    for (const h of messages) this.held.set(h.envelope.messageId ?? h.receiptHandle, { handle: h.receiptHandle, exhausted: exhausted(h) });
    await changeVisibility(this.sqs, this.url, messages.map((h) => h.receiptHandle), this.holdSeconds);
    this.timer ??= setInterval(() => {
      this.beating = changeVisibility(this.sqs, this.url, [...this.held.values()].map((v) => v.handle), this.holdSeconds).catch(() => undefined);
    }, (this.holdSeconds * 1000) / 2);
    this.timer.unref();
  }

  /** Stops the heartbeat and releases what is held; returns how many were released and how many left hidden (exhausted). */
  async releaseAll(): Promise<{ released: number; keptHidden: number; failed: number }> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.beating;
    const release = [...this.held.values()].filter((v) => !v.exhausted).map((v) => v.handle);
    const keptHidden = this.held.size - release.length;
    this.held.clear();
    const out = await releaseHandles(this.sqs, this.url, release);
    return { released: out.ok.length, keptHidden, failed: out.failed.length };
  }
}
