/** A queue's RedrivePolicy attribute, parsed. */
export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

/** The RedriveAllowPolicy attribute of a DLQ: which sources may use it. */
export interface RedriveAllowPolicy {
  redrivePermission: "allowAll" | "denyAll" | "byQueue";
  sourceQueueArns?: string[];
}

export function parseRedrivePolicy(text: string | undefined): RedrivePolicy | null {
  if (!text) return null;
  try {
    const v = JSON.parse(text) as { deadLetterTargetArn?: string; maxReceiveCount?: number | string };
    if (!v.deadLetterTargetArn) return null;
    return { deadLetterTargetArn: v.deadLetterTargetArn, maxReceiveCount: Number(v.maxReceiveCount ?? 0) };
  } catch {
    return null;
  }
}

export function parseRedriveAllowPolicy(text: string | undefined): RedriveAllowPolicy | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as RedriveAllowPolicy;
  } catch {
    return null;
  }
}

/**
 * Why `dlq` cannot be `queue`'s dead-letter queue, or undefined when it can: the same
 * type (FIFO/standard), not the queue itself, and a RedriveAllowPolicy that lets
 * this queue use it (SQS would otherwise refuse the redrive policy, or silently never move).
 */
export function deadLetterTargetProblem(
  queue: { name: string; arn: string; fifo: boolean },
  dlq: { name: string; arn: string; fifo: boolean; redriveAllowPolicy?: string | undefined },
): string | undefined {
  if (dlq.arn === queue.arn) return `"${dlq.name}" is the queue itself; a queue cannot be its own dead-letter queue.`;
  if (dlq.fifo !== queue.fifo) {
    return `"${dlq.name}" is a ${dlq.fifo ? "FIFO" : "standard"} queue, but "${queue.name}" is ${queue.fifo ? "FIFO" : "standard"}: a queue's dead-letter queue must be of the same type.`;
  }
  const allow = parseRedriveAllowPolicy(dlq.redriveAllowPolicy);
  if (allow?.redrivePermission === "denyAll") return `"${dlq.name}" has a redrive allow policy of denyAll: no queue may use it as a dead-letter queue.`;
  if (allow?.redrivePermission === "byQueue" && !(allow.sourceQueueArns ?? []).includes(queue.arn)) {
    return `"${dlq.name}"'s redrive allow policy lets only ${(allow.sourceQueueArns ?? []).map((a) => a.split(":").at(-1)).join(", ") || "no queues"} use it, not "${queue.name}".`;
  }
  return undefined;
}

/** A RedriveAllowPolicy from --redrive-allow: "all", "none", or the source queues' ARNs (at most 10). */
export function redriveAllowPolicyFor(who: "all" | "none" | string[]): string {
  if (who === "all") return JSON.stringify({ redrivePermission: "allowAll" });
  if (who === "none") return JSON.stringify({ redrivePermission: "denyAll" });
  return JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: who });
}
