import { sharedClientConfig, type SqsContext } from "./client.js";
import { unavailable } from "./consumers.js";

/** CloudWatch's view of one queue: the oldest message's age and message rates. */
export interface QueueMetrics {
  /** ApproximateAgeOfOldestMessage, seconds (latest datapoint), or null without data. */
  oldestAgeSeconds: number | null;
  /** Messages a minute over the window (NumberOfMessagesSent/Received/Deleted sums). */
  sentPerMinute: number | null;
  receivedPerMinute: number | null;
  deletedPerMinute: number | null;
}

export type MetricsResult = { ok: true; byQueue: Map<string, QueueMetrics> } | { ok: false; reason: string };

/** SQS publishes its metrics every minute, in 5-minute periods for most accounts. */
const PERIOD_SECONDS = 300;
const WINDOW_SECONDS = 15 * 60;
/** One GetMetricData call takes at most 500 queries; 4 a queue. */
const MAX_QUEUES_PER_CALL = 125;
/** A minute: CloudWatch data does not change faster, and `watch` redraws far more often. */
export const METRICS_CACHE_MS = 60_000;

const METRICS = [
  ["age", "ApproximateAgeOfOldestMessage", "Maximum"],
  ["sent", "NumberOfMessagesSent", "Sum"],
  ["received", "NumberOfMessagesReceived", "Sum"],
  ["deleted", "NumberOfMessagesDeleted", "Sum"],
] as const;

const cache = new Map<string, { at: number; result: MetricsResult }>();

/**
 * CloudWatch metrics for the named queues in one GetMetricData call (per 125 queues),
 * cached for a minute per queue set. Off AWS, or without cloudwatch:GetMetricData,
 * the result says why instead of throwing.
 */
export async function queueMetrics(ctx: SqsContext, queueNames: string[], now = Date.now()): Promise<MetricsResult> {
  const key = `${ctx.endpoint}|${ctx.region}|${[...queueNames].sort().join(",")}`;
  const hit = cache.get(key);
  if (hit && now - hit.at < METRICS_CACHE_MS) return hit.result;
  const result = await fetchMetrics(ctx, queueNames, now);
  cache.set(key, { at: now, result });
  return result;
}

async function fetchMetrics(ctx: SqsContext, names: string[], now: number): Promise<MetricsResult> {
  const byQueue = new Map<string, QueueMetrics>();
  if (names.length === 0) return { ok: true, byQueue };
  try {
    const { CloudWatchClient, GetMetricDataCommand } = await import("@aws-sdk/client-cloudwatch");
    const client = new CloudWatchClient(await sharedClientConfig(ctx, "CLOUDWATCH"));
    try {
      for (let i = 0; i < names.length; i += MAX_QUEUES_PER_CALL) {
        const chunk = names.slice(i, i + MAX_QUEUES_PER_CALL);
        const queries = chunk.flatMap((name, q) =>
          METRICS.map(([id, metric, stat]) => ({
            Id: `${id}${i + q}`,
            MetricStat: { Metric: { Namespace: "AWS/SQS", MetricName: metric, Dimensions: [{ Name: "QueueName", Value: name }] }, Period: PERIOD_SECONDS, Stat: stat },
            ReturnData: true,
          })),
        );
        let token: string | undefined;
        const values = new Map<string, number[]>();
        do {
          const out = await client.send(
            new GetMetricDataCommand({
              StartTime: new Date(now - WINDOW_SECONDS * 1000),
              EndTime: new Date(now),
              MetricDataQueries: queries,
              ScanBy: "TimestampDescending",
              ...(token ? { NextToken: token } : {}),
            }),
          );
          for (const r of out.MetricDataResults ?? []) values.set(r.Id ?? "", [...(values.get(r.Id ?? "") ?? []), ...(r.Values ?? [])]);
          token = out.NextToken;
        } while (token);
        chunk.forEach((name, q) => {
          const v = (id: string) => values.get(`${id}${i + q}`) ?? [];
          const rate = (id: string) => (v(id).length ? round(v(id).reduce((a, b) => a + b, 0) / ((v(id).length * PERIOD_SECONDS) / 60)) : null);
          byQueue.set(name, {
            oldestAgeSeconds: v("age").length ? Math.round(v("age")[0]!) : null,
            sentPerMinute: rate("sent"),
            receivedPerMinute: rate("received"),
            deletedPerMinute: rate("deleted"),
          });
        });
      }
      return { ok: true, byQueue };
    } finally {
      client.destroy();
    }
  } catch (err) {
    return { ok: false, reason: unavailable("CloudWatch", err, "cloudwatch:GetMetricData") };
  }
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Test hook: forget cached results. */
export function clearMetricsCache(): void {
  cache.clear();
}
