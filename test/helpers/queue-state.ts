import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type Message,
  type SQSClient,
} from "@aws-sdk/client-sqs";

/** Message counts of a queue, straight from the server. */
export interface Counts {
  visible: number;
  inFlight: number;
  delayed: number;
  total: number;
}

export async function counts(client: SQSClient, url: string): Promise<Counts> {
  const { Attributes: a } = await client.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"],
    }),
  );
  const visible = Number(a?.ApproximateNumberOfMessages ?? 0);
  const inFlight = Number(a?.ApproximateNumberOfMessagesNotVisible ?? 0);
  const delayed = Number(a?.ApproximateNumberOfMessagesDelayed ?? 0);
  return { visible, inFlight, delayed, total: visible + inFlight + delayed };
}

/**
 * Waits until nothing is in flight (messages a killed process held have come back).
 * The embedded server returns expired messages lazily, on the next receive, so this
 * pokes with a receive whose messages it releases at once. That adds a receive to
 * their counts: do not use it on a queue with a redrive policy.
 */
export async function waitUntilNoneInFlight(client: SQSClient, url: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while ((await counts(client, url)).inFlight > 0) {
    if (Date.now() > until) throw new Error(`messages still in flight in ${url} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
    const out = await client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 30, WaitTimeSeconds: 0 }));
    const msgs = out.Messages ?? [];
    if (msgs.length) {
      await client.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: url,
          Entries: msgs.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })),
        }),
      );
    }
  }
}

/**
 * Receives and deletes every message, returning them. Stops after two empty
 * receives in a row while the counts say nothing is left (the embedded server is
 * exact, so this is a full drain, not a sample). `workers` receive in parallel
 * (use 1 for FIFO order checks).
 */
export async function drain(client: SQSClient, url: string, workers = 8): Promise<Message[]> {
  const got: Message[] = [];
  const worker = async () => {
    let empty = 0;
    while (empty < 2) {
      const out = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
          VisibilityTimeout: 300,
          MessageAttributeNames: ["All"],
          MessageSystemAttributeNames: ["All"],
        }),
      );
      const msgs = out.Messages ?? [];
      if (msgs.length === 0) {
        if ((await counts(client, url)).visible === 0) empty += 1;
        continue;
      }
      empty = 0;
      got.push(...msgs);
      await client.send(
        new DeleteMessageBatchCommand({ QueueUrl: url, Entries: msgs.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }),
      );
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return got;
}

/** How many times each key occurs. */
export function tally(keys: Iterable<string>): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

/** Sends `bodies` (with optional per-message fields) in batches of 10 through the SDK, checking every Failed list. */
export async function seed(
  client: SQSClient,
  url: string,
  bodies: string[],
  extra: (i: number) => Record<string, unknown> = () => ({}),
  /** Batches in flight at once; 1 keeps FIFO order. */
  parallel = 16,
): Promise<void> {
  const batches: Array<Promise<void>> = [];
  for (let i = 0; i < bodies.length; i += 10) {
    const Entries = bodies.slice(i, i + 10).map((b, j) => ({ Id: `e${i + j}`, MessageBody: b, ...extra(i + j) }));
    batches.push(
      client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries })).then((out) => {
        if (out.Failed?.length) throw new Error(`seeding failed: ${JSON.stringify(out.Failed)}`);
      }),
    );
    if (batches.length >= parallel) await Promise.all(batches.splice(0));
  }
  await Promise.all(batches);
}
