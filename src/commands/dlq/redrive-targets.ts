import type { Envelope } from "../../core/envelope.js";
import { parseQueueRef } from "../../core/queue-ref.js";
import type { SqsContext } from "../../sqs/client.js";
import type { DeadLetterSource } from "../../sqs/dlq-sources.js";
import { errorCode } from "../../sqs/errors.js";
import type { MoveTarget } from "../../sqs/custody/mover.js";
import { sleep } from "../../sqs/custody/pool.js";
import { backoffMs } from "../../sqs/custody/retry.js";
import { resolveQueue, type QueueHandle } from "../../sqs/queues.js";
import type { TargetChoice } from "../../sqs/redrive/manual.js";

const TRANSIENT = /^(ThrottlingException|Throttling|RequestThrottled|TooManyRequestsException|ServiceUnavailable|InternalError|InternalFailure|RequestTimeout|TimeoutError|NetworkingError|ECONNRESET|ETIMEDOUT|EPIPE)$/;
const LOOKUP_TRIES = 4;

export function toTarget(q: QueueHandle | DeadLetterSource): MoveTarget {
  return { name: q.name, url: q.url, arn: q.arn, fifo: q.name.endsWith(".fifo") };
}

/**
 * Where each message goes: --to; else the queue its DeadLetterQueueSourceArn names; else
 * (servers that do not set the attribute) the DLQ's only source. A source ARN that cannot
 * be resolved NEVER falls back to another queue (issue 10 #3): the message stays in the
 * DLQ, counted under the reason. Transient lookup errors are retried and never cached;
 * answers (a queue, or a lasting reason) are cached for the run.
 */
export function targetResolver(sqs: SqsContext, dlq: QueueHandle, to: QueueHandle | undefined, single: DeadLetterSource | undefined): (e: Envelope) => Promise<TargetChoice> {
  const cache = new Map<string, TargetChoice>();
  const [, , , dlqRegion, dlqAccount] = dlq.arn.split(":");
  const lookup = async (arn: string): Promise<TargetChoice> => {
    let ref;
    try {
      ref = parseQueueRef(arn, "DeadLetterQueueSourceArn");
    } catch {
      return { stay: "unreadable DeadLetterQueueSourceArn" };
    }
    if (ref.kind === "arn" && ((ref.region && ref.region !== dlqRegion) || (ref.accountId && ref.accountId !== dlqAccount))) {
      return { stay: "source queue in another account or region" };
    }
    for (let attempt = 0; ; attempt++) {
      try {
        return { target: toTarget(await resolveQueue(sqs, arn, "DeadLetterQueueSourceArn")) };
      } catch (err) {
        const code = errorCode((err as { cause?: unknown }).cause ?? err) || errorCode(err);
        if (/^(QueueDoesNotExist|NonExistentQueue)$/.test(code) || /does not exist/.test((err as Error).message)) return { stay: "source queue does not exist (deleted?)" };
        if (/AccessDenied|403/.test(code) || (err as { exitCode?: number }).exitCode === 4) return { stay: "access denied to the source queue" };
        if (TRANSIENT.test(code) && attempt + 1 < LOOKUP_TRIES) {
          await sleep(backoffMs(attempt, { attempts: LOOKUP_TRIES, baseMs: 200, capMs: 2000 }));
          continue;
        }
        // Still failing: this message stays, and the next message asks again (not cached).
        throw Object.assign(new Error(`source lookup failed (${code || "error"})`), { transient: true });
      }
    }
  };
  return async (e) => {
    if (to) return { target: toTarget(to) };
    const arn = e.sourceQueueArn;
    if (!arn) return single ? { target: toTarget(single) } : { stay: "no DeadLetterQueueSourceArn, and the DLQ has no single source" };
    const known = cache.get(arn);
    if (known) return known;
    try {
      const choice = await lookup(arn);
      cache.set(arn, choice);
      return choice;
    } catch (err) {
      return { stay: (err as Error).message };
    }
  };
}
