import type { SqsContext } from "./client.js";
import { Holder } from "./custody/holder.js";
import { readInfo } from "./custody/read-info.js";
import { receiveInto } from "./custody/receive-loop.js";
import { queueMetrics } from "./metrics.js";

export interface OldestAge {
  seconds: number | null;
  /** cloudwatch: ApproximateAgeOfOldestMessage; sampled: the oldest SentTimestamp among up to 10 received messages (a lower bound). */
  source: "cloudwatch" | "sampled" | null;
}

/** Sampled receives in flight at once across DLQs: `dlq list` stays quick on many DLQs. */
const SAMPLE_LANES = 8;

/**
 * Each DLQ's oldest message age: CloudWatch's ApproximateAgeOfOldestMessage (one
 * GetMetricData for all), or, when CloudWatch cannot be asked, the oldest SentTimestamp
 * of one sampled receive, held by THE holder and released at once (the peek guard
 * applies). Only DLQs with visible messages are sampled. `note` says why CloudWatch
 * was not used.
 */
export async function oldestAges(
  ctx: SqsContext,
  dlqs: Array<{ name: string; url: string; visible: number }>,
  now = Date.now(),
): Promise<{ ages: Map<string, OldestAge>; note?: string }> {
  const ages = new Map<string, OldestAge>();
  const metrics = await queueMetrics(ctx, dlqs.map((d) => d.name));
  if (metrics.ok) {
    for (const d of dlqs) {
      const s = metrics.byQueue.get(d.name)?.oldestAgeSeconds ?? null;
      ages.set(d.name, { seconds: s, source: s === null ? null : "cloudwatch" });
    }
    return { ages };
  }
  const todo = dlqs.filter((d) => d.visible > 0);
  for (const d of dlqs) ages.set(d.name, { seconds: null, source: null });
  let next = 0;
  const lane = async () => {
    while (next < todo.length) {
      const d = todo[next++]!;
      const oldest = await sampleOldestSent(ctx, d.url, d.name).catch(() => undefined);
      if (oldest !== undefined) ages.set(d.name, { seconds: Math.max(0, Math.round((now - oldest) / 1000)), source: "sampled" });
    }
  };
  await Promise.all(Array.from({ length: Math.min(SAMPLE_LANES, todo.length) }, lane));
  return { ages, note: `${metrics.reason} Oldest ages marked "sampled" come from the oldest of up to 10 received messages (a lower bound); those messages were released at once.` };
}

/** One receive of up to 10 messages into a holder, released right away: the oldest SentTimestamp (ms), or undefined. */
async function sampleOldestSent(ctx: SqsContext, url: string, label: string): Promise<number | undefined> {
  const info = await readInfo(ctx, url, label);
  const holder = new Holder(ctx, url, { holdSeconds: 30, fifo: info.fifo, maxReceiveCount: info.maxReceiveCount });
  let oldest: number | undefined;
  try {
    for await (const batch of receiveInto(ctx, url, holder, { max: 10, waitSeconds: 1, untilEmpty: true, label })) {
      for (const h of batch) {
        const sent = Number(h.raw.Attributes?.SentTimestamp);
        if (Number.isFinite(sent) && sent > 0) oldest = Math.min(oldest ?? sent, sent);
      }
      break;
    }
  } finally {
    await holder.close();
  }
  return oldest;
}
