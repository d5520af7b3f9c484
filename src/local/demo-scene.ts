import {
  ChangeMessageVisibilityBatchCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { withSeedClock } from "./seed-clock.js";
import type { SeedContext } from "./seeds.js";

/**
 * The failures the demo consumer hits: each one's share of the orders sent while it
 * is active, and when it is active (minutes before the end of the scene, which is now).
 * Together they tell a story an on-call engineer can read off the timeline: a steady
 * trickle of bad addresses and declined cards, a burst of duplicates from a replay
 * that stopped, and an inventory-service outage that started 75 minutes ago and is
 * still going.
 */
export const DEMO_FAILURES = [
  { errorType: "ValidationError", share: 0.12, from: 360, to: 0, detail: "shippingAddress.postcode is missing" },
  { errorType: "PaymentDeclined", share: 0.06, from: 360, to: 0, detail: "card issuer declined the charge" },
  { errorType: "DuplicateOrder", share: 0.35, from: 270, to: 230, detail: "order id already fulfilled" },
  { errorType: "Timeout", share: 0.5, from: 75, to: 0, detail: "inventory-service did not answer within 5s" },
] as const;

/** The scene covers this many minutes before now, in phases this many minutes apart. */
const SCENE_MINUTES = 360;
const PHASE_MINUTES = 10;

export interface DemoSceneResult {
  sent: number;
  processed: number;
  deadLettered: number;
  byErrorType: Record<string, number>;
}

const CHANNELS = ["web", "mobile", "partner-api"];

/** The failure (if any) an order sent `minutesAgo` meets, from a uniform random number. */
function pickFailure(r: number, minutesAgo: number): (typeof DEMO_FAILURES)[number] | undefined {
  for (const f of DEMO_FAILURES) {
    if (minutesAgo > f.from || minutesAgo < f.to) continue;
    if (r < f.share) return f;
    r -= f.share;
  }
  return undefined;
}

/** Receives until the queue is empty: deletes the good orders, releases the failing ones at once. */
async function consume(client: SQSClient, ordersUrl: string, signal: AbortSignal): Promise<number> {
  let processed = 0;
  while (!signal.aborted) {
    const res = await client.send(
      new ReceiveMessageCommand({ QueueUrl: ordersUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 30, MessageAttributeNames: ["All"] }),
    );
    const msgs = res.Messages ?? [];
    if (msgs.length === 0) {
      const a = await client.send(
        new GetQueueAttributesCommand({ QueueUrl: ordersUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }),
      );
      const left = Number(a.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(a.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
      if (left === 0) return processed;
      await new Promise((r) => setTimeout(r, 20));
      continue;
    }
    const ok = msgs.filter((m) => !(JSON.parse(m.Body ?? "{}") as { errorType?: string }).errorType);
    const bad = msgs.filter((m) => !ok.includes(m));
    if (ok.length) {
      await client.send(new DeleteMessageBatchCommand({ QueueUrl: ordersUrl, Entries: ok.map((m, k) => ({ Id: String(k), ReceiptHandle: m.ReceiptHandle! })) }));
      processed += ok.length;
    }
    if (bad.length) {
      await client.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: ordersUrl,
          Entries: bad.map((m, k) => ({ Id: String(k), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })),
        }),
      );
    }
  }
  return processed;
}
const CURRENCIES = ["EUR", "USD", "GBP"];

/** A small deterministic PRNG so every demo shows the same scene. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * The demo scene: an `orders` queue whose RedrivePolicy sends a message to
 * `orders-dlq` after 3 receives, 400 orders sent to it over the last six hours, and a
 * real consumer that receives them, processes the good ones (deletes them) and fails
 * the others for a few distinct reasons (each failing order carries an `errorType` in
 * its JSON body, as a test harness injecting faults would), releasing them at once so
 * the retries are fast. The failing ones reach the DLQ through real receives past
 * maxReceiveCount. Also a `shipping` queue with a few messages and no DLQ.
 *
 * The six hours pass in phases on the seed clock (see seed-clock.ts): the orders of
 * each phase are sent and consumed at that phase's time, so their SentTimestamp and
 * receive times spread over the hours and `dlq inspect --timeline` has a story to show.
 * That needs the embedded server in this process (as `sqsctl local`, the demo and the
 * tests run it); against another server every order is simply sent now.
 */
export async function seedDemo(ctx: SeedContext, orders = 400): Promise<DemoSceneResult> {
  const client = new SQSClient({ endpoint: ctx.endpoint, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  try {
    const dlqUrl = (await client.send(new CreateQueueCommand({ QueueName: "orders-dlq", Attributes: { MessageRetentionPeriod: "1209600" } }))).QueueUrl!;
    const dlqArn = (await client.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
    const ordersUrl = (
      await client.send(
        new CreateQueueCommand({
          QueueName: "orders",
          Attributes: { VisibilityTimeout: "30", RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 }) },
        }),
      )
    ).QueueUrl!;
    const shippingUrl = (await client.send(new CreateQueueCommand({ QueueName: "shipping" }))).QueueUrl!;

    await client.send(
      new SendMessageBatchCommand({
        QueueUrl: shippingUrl,
        Entries: Array.from({ length: 5 }, (_, k) => ({ Id: String(k), MessageBody: JSON.stringify({ shipmentId: `shp-${k + 1}`, carrier: "DHL" }) })),
      }),
    );
    ctx.ui.info(`demo: sending ${orders} orders to "orders" over the last ${SCENE_MINUTES / 60} hours (on the seed clock); a consumer works through them (some fail)…`);

    const rand = rng(42);
    const byErrorType: Record<string, number> = {};
    const phases = SCENE_MINUTES / PHASE_MINUTES;
    const end = Date.now();
    let processed = 0;
    let sent = 0;
    await withSeedClock(async (clock) => {
      for (let p = 0; p < phases && !ctx.signal.aborted; p++) {
        const minutesAgo = SCENE_MINUTES - (p + 1) * PHASE_MINUTES;
        const upTo = Math.round(((p + 1) / phases) * orders);
        // Produce this phase's orders, spread over its minutes.
        // Phase p covers the PHASE_MINUTES before `minutesAgo`; its orders are sent spread over them.
        const sentAgo = (k: number) => minutesAgo + PHASE_MINUTES * 0.9 * (1 - (k - sent) / Math.max(1, upTo - sent));
        for (let i = sent; i < upTo; i += 10) {
          clock.set(end - sentAgo(i) * 60_000);
          const Entries = [];
          for (let j = i; j < Math.min(upTo, i + 10); j++) {
            const failure = pickFailure(rand(), sentAgo(j));
            const channel = CHANNELS[Math.floor(rand() * CHANNELS.length)]!;
            const body = {
              orderId: `ord-${10000 + j}`,
              customerId: `cus-${Math.floor(rand() * 900) + 100}`,
              amount: Math.round(rand() * 50000) / 100,
              currency: CURRENCIES[Math.floor(rand() * CURRENCIES.length)],
              items: Math.floor(rand() * 5) + 1,
              ...(failure ? { errorType: failure.errorType, error: failure.detail } : {}),
            };
            if (failure) byErrorType[failure.errorType] = (byErrorType[failure.errorType] ?? 0) + 1;
            Entries.push({
              Id: String(j),
              MessageBody: JSON.stringify(body),
              MessageAttributes: {
                eventType: { DataType: "String", StringValue: "OrderPlaced" },
                channel: { DataType: "String", StringValue: channel },
              },
            });
          }
          const out = await client.send(new SendMessageBatchCommand({ QueueUrl: ordersUrl, Entries }));
          if (out.Failed?.length) throw new Error(`demo: ${out.Failed.length} orders were not sent (${out.Failed[0]?.Code})`);
        }
        sent = upTo;
        // Consume them a little later: the good ones are deleted, the bad ones released at
        // once (visibility 0) so they come back for the next attempt; after 3 receives SQS
        // moves them to the DLQ.
        clock.set(end - minutesAgo * 60_000);
        processed += await consume(client, ordersUrl, ctx.signal);
      }
    });
    const d = await client.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["ApproximateNumberOfMessages"] }));
    const deadLettered = Number(d.Attributes?.ApproximateNumberOfMessages ?? 0);
    ctx.ui.info(`demo: the consumer processed ${processed} orders; ${deadLettered} failed 3 times and are now in "orders-dlq".`);
    return { sent, processed, deadLettered, byErrorType };
  } finally {
    client.destroy();
  }
}
