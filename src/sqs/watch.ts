import { GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import type { Reading } from "../core/watch.js";
import { parseRedrivePolicy } from "../core/redrive-policy.js";
import type { SqsContext } from "./client.js";
import { errorCode } from "./errors.js";
import { getQueueAttributes, listDeadLetterSources, listQueueUrls, resolveQueue } from "./queues.js";

const COUNTS = [
  "QueueArn",
  "ApproximateNumberOfMessages",
  "ApproximateNumberOfMessagesNotVisible",
  "ApproximateNumberOfMessagesDelayed",
  "RedrivePolicy",
] as const;

const gone = (err: unknown) => /QueueDoesNotExist|NonExistentQueue/.test(errorCode((err as { cause?: unknown }).cause ?? err));

/**
 * Reads the counts of the watched queues, and the depth of each one's DLQ, once per
 * call. Named queues are resolved once (a typo fails at start); a prefix (or nothing)
 * is listed again on every call so queues created meanwhile appear.
 */
export class QueuePoller {
  private named: Array<{ name: string; url: string }> | undefined;
  private readonly dlqUrls = new Map<string, string | null>();
  private readonly dlqDecided = new Map<string, boolean>();
  private allDlqArns: Promise<Set<string>> | undefined;
  /** How many matching queues were left out by the limit at the last read. */
  leftOut = 0;

  constructor(
    private readonly sqs: SqsContext,
    private readonly refs: string[],
    private readonly prefix: string | undefined,
    private readonly limit = 100,
  ) {}

  async read(): Promise<Reading[]> {
    let targets: Array<{ name: string; url: string }>;
    if (this.refs.length > 0) {
      this.named ??= await Promise.all(this.refs.map((r) => resolveQueue(this.sqs, r)));
      targets = this.named;
    } else {
      const urls = (await listQueueUrls(this.sqs, this.prefix)).sort();
      this.leftOut = Math.max(0, urls.length - this.limit);
      targets = urls.slice(0, this.limit).map((url) => ({ url, name: url.replace(/\/$/, "").split("/").at(-1) ?? url }));
    }
    const readings = (await mapLimit(targets, 8, (t) => this.readOne(t.name, t.url))).filter((r): r is Reading => r !== null);
    // A DLQ is marked (and its growth shown) even when its source queue is not on screen.
    const urls = new Map(targets.map((t) => [t.name, t.url]));
    const watchedDlqs = new Set(readings.flatMap((r) => (r.dlq ? [r.dlq.arn] : [])));
    await mapLimit(readings, 8, async (r) => {
      if (!watchedDlqs.has(r.arn)) r.knownDlq = await this.isSomeonesDlq(r, urls.get(r.name)!);
    });

    // DLQ depth: from this read when the DLQ is watched too, else one more request.
    const byArn = new Map(readings.map((r) => [r.arn, r]));
    await mapLimit(readings, 8, async (r) => {
      if (!r.dlq) return;
      const watched = byArn.get(r.dlq.arn);
      if (watched) {
        r.dlq.depth = watched.visible + watched.inFlight + watched.delayed;
        return;
      }
      const url = await this.dlqUrl(r.dlq.arn, r.dlq.name);
      if (!url) return;
      const a = await getQueueAttributes(this.sqs, url, [...COUNTS], r.dlq.name).catch(() => undefined);
      if (a) r.dlq.depth = depthOf(a);
    });
    return readings;
  }

  private async readOne(name: string, url: string): Promise<Reading | null> {
    let a: Record<string, string>;
    try {
      a = await getQueueAttributes(this.sqs, url, [...COUNTS], name);
    } catch (err) {
      if (gone(err) && this.refs.length === 0) return null;
      throw err;
    }
    const policy = parseRedrivePolicy(a.RedrivePolicy);
    return {
      name,
      arn: a.QueueArn ?? "",
      visible: Number(a.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0),
      delayed: Number(a.ApproximateNumberOfMessagesDelayed ?? 0),
      dlq: policy ? { arn: policy.deadLetterTargetArn, name: policy.deadLetterTargetArn.split(":").at(-1) ?? "", depth: null } : null,
    };
  }

  /**
   * Whether some queue names this one as its dead-letter queue: decided once per queue,
   * with ListDeadLetterSourceQueues where the server has it, else from every queue's
   * RedrivePolicy (read once for the session).
   */
  private async isSomeonesDlq(r: Reading, url: string): Promise<boolean> {
    let known = this.dlqDecided.get(r.name);
    if (known === undefined) {
      const sources = await listDeadLetterSources(this.sqs, url).catch(() => null);
      if (sources) known = sources.length > 0;
      else if (sources === undefined) {
        this.allDlqArns ??= this.scanDlqArns().catch(() => new Set<string>());
        known = (await this.allDlqArns).has(r.arn);
      } else known = false;
      this.dlqDecided.set(r.name, known);
    }
    return known;
  }

  private async scanDlqArns(): Promise<Set<string>> {
    const arns = new Set<string>();
    await mapLimit(await listQueueUrls(this.sqs), 8, async (u) => {
      const a = await getQueueAttributes(this.sqs, u, ["RedrivePolicy"]).catch(() => undefined);
      const p = parseRedrivePolicy(a?.RedrivePolicy);
      if (p) arns.add(p.deadLetterTargetArn);
    });
    return arns;
  }

  private async dlqUrl(arn: string, name: string): Promise<string | null> {
    if (!this.dlqUrls.has(arn)) {
      const account = arn.split(":")[4];
      const out = await this.sqs.client
        .send(new GetQueueUrlCommand({ QueueName: name, ...(account && /^\d{12}$/.test(account) ? { QueueOwnerAWSAccountId: account } : {}) }))
        .catch(() => undefined);
      this.dlqUrls.set(arn, out?.QueueUrl ?? null);
    }
    return this.dlqUrls.get(arn) ?? null;
  }
}

function depthOf(a: Record<string, string>): number {
  return Number(a.ApproximateNumberOfMessages ?? 0) + Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) + Number(a.ApproximateNumberOfMessagesDelayed ?? 0);
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
