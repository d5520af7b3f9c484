import {
  ChangeMessageVisibilityBatchCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import type { SeedContext } from "./seeds.js";

/** The failures the demo consumer hits, with their share of all orders. */
export const DEMO_FAILURES = [
  { errorType: "ValidationError", share: 0.16, detail: "shippingAddress.postcode is missing" },
  { errorType: "PaymentDeclined", share: 0.1, detail: "card issuer declined the charge" },
  { errorType: "Timeout", share: 0.12, detail: "inventory-service did not answer within 5s" },
  { errorType: "DuplicateOrder", share: 0.04, detail: "order id already fulfilled" },
] as const;

export interface DemoSceneResult {
  sent: number;
  processed: number;
  deadLettered: number;
  byErrorType: Record<string, number>;
}

const CHANNELS = ["web", "mobile", "partner-api"];
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
 * `orders-dlq` after 3 receives, 400 orders sent to it, and a real consumer that
 * receives them, processes the good ones (deletes them) and fails the others for a few
 * distinct reasons (each failing order carries an `errorType` in its JSON body, as a
 * test harness injecting faults would), releasing them at once so the retries are
 * fast. The failing ones reach the DLQ through real receives past maxReceiveCount.
 * Also a `shipping` queue with a few messages and no DLQ.
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

    // Produce.
    const rand = rng(42);
    const byErrorType: Record<string, number> = {};
    for (let i = 0; i < orders; i += 10) {
      const Entries = [];
      for (let j = i; j < Math.min(orders, i + 10); j++) {
        let r = rand();
        let failure: (typeof DEMO_FAILURES)[number] | undefined;
        for (const f of DEMO_FAILURES) {
          if (r < f.share) {
            failure = f;
            break;
          }
          r -= f.share;
        }
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
    await client.send(
      new SendMessageBatchCommand({
        QueueUrl: shippingUrl,
        Entries: Array.from({ length: 5 }, (_, k) => ({ Id: String(k), MessageBody: JSON.stringify({ shipmentId: `shp-${k + 1}`, carrier: "DHL" }) })),
      }),
    );
    ctx.ui.info(`demo: sent ${orders} orders to "orders"; a consumer is working through them (some fail)…`);

    // Consume: the good ones are deleted, the bad ones released at once (visibility 0)
    // so they come back for the next attempt; after 3 receives SQS moves them to the DLQ.
    let processed = 0;
    let emptyRounds = 0;
    while (emptyRounds < 3 && !ctx.signal.aborted) {
      const res = await client.send(
        new ReceiveMessageCommand({ QueueUrl: ordersUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 30, MessageAttributeNames: ["All"] }),
      );
      const msgs = res.Messages ?? [];
      if (msgs.length === 0) {
        const a = await client.send(
          new GetQueueAttributesCommand({ QueueUrl: ordersUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }),
        );
        const left = Number(a.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(a.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
        emptyRounds = left === 0 ? emptyRounds + 1 : 0;
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      emptyRounds = 0;
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
    const d = await client.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["ApproximateNumberOfMessages"] }));
    const deadLettered = Number(d.Attributes?.ApproximateNumberOfMessages ?? 0);
    ctx.ui.info(`demo: the consumer processed ${processed} orders; ${deadLettered} failed 3 times and are now in "orders-dlq".`);
    return { sent: orders, processed, deadLettered, byErrorType };
  } finally {
    client.destroy();
  }
}
