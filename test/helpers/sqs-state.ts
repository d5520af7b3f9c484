import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type Message,
  type SQSClient,
  type SendMessageBatchRequestEntry,
} from "@aws-sdk/client-sqs";

export async function urlOf(client: SQSClient, name: string): Promise<string> {
  return (await client.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
}

/** Visible and in-flight counts, from GetQueueAttributes. */
export async function counts(client: SQSClient, name: string): Promise<{ visible: number; inFlight: number }> {
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({
      QueueUrl: await urlOf(client, name),
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return { visible: Number(Attributes?.ApproximateNumberOfMessages), inFlight: Number(Attributes?.ApproximateNumberOfMessagesNotVisible) };
}

export async function sendAll(client: SQSClient, name: string, entries: Array<Omit<SendMessageBatchRequestEntry, "Id">>): Promise<void> {
  const QueueUrl = await urlOf(client, name);
  for (let i = 0; i < entries.length; i += 10) {
    const Entries = entries.slice(i, i + 10).map((e, j) => ({ ...e, Id: `m${i + j}` }));
    const out = await client.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
    if (out.Failed?.length) throw new Error(`send failed: ${JSON.stringify(out.Failed)}`);
  }
}

/**
 * Receives and deletes everything in a queue, in the order received (FIFO order per
 * group), until a few long polls in a row come back empty.
 */
export async function drain(client: SQSClient, name: string): Promise<Message[]> {
  const QueueUrl = await urlOf(client, name);
  const out: Message[] = [];
  let empty = 0;
  while (empty < 2) {
    const res = await client.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, AttributeNames: ["All"], MessageSystemAttributeNames: ["All"], MessageAttributeNames: ["All"] }),
    );
    const msgs = res.Messages ?? [];
    if (msgs.length === 0) {
      empty += 1;
      continue;
    }
    empty = 0;
    out.push(...msgs);
    await client.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: msgs.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
  }
  return out;
}
