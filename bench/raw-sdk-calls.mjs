#!/usr/bin/env node
// The baseline for bench/startup-commands.mjs: a hand-written SDK script making the SAME
// SQS calls as one sqsctl command (read from `sqsctl ... --debug`), configured the way a
// script is (region, endpoint and credentials from the environment, the SDK's defaults).
// Usage: node bench/raw-sdk-calls.mjs list|show|create|send|receive QUEUE_NAME
import {
  ChangeMessageVisibilityBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";

const [what, name] = process.argv.slice(2);
// fauxqs names its queues sqs.REGION.localhost:PORT: keep calls on the configured endpoint.
const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
const url = async () => (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
const attrs = (QueueUrl, names) => sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: names }));

if (what === "list") {
  const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({ MaxResults: 1000 }));
  for (const u of QueueUrls) {
    const { Attributes } = await attrs(u, ["All"]);
    console.log(u.split("/").pop(), Attributes.ApproximateNumberOfMessages);
  }
} else if (what === "create") {
  // `queues create` of an existing queue with the same settings: look it up, compare, say so.
  for (let i = 0; i < 2; i++) {
    const u = await url();
    await Promise.all([attrs(u, ["All"]), sqs.send(new ListQueueTagsCommand({ QueueUrl: u }))]);
  }
  console.log("exists");
} else if (what === "send") {
  const u = await url();
  await attrs(u, ["All"]);
  await attrs(u, ["FifoQueue", "ContentBasedDeduplication", "RedrivePolicy"]);
  console.log((await sqs.send(new SendMessageCommand({ QueueUrl: u, MessageBody: "hello" }))).MessageId);
} else if (what === "receive") {
  // receive --max 1 --peek: look at one message and make it visible again at once.
  const u = await url();
  await attrs(u, ["All"]);
  await attrs(u, ["FifoQueue", "ContentBasedDeduplication", "RedrivePolicy"]);
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: u, MaxNumberOfMessages: 1, WaitTimeSeconds: 5, MessageSystemAttributeNames: ["All"], MessageAttributeNames: ["All"] }),
  );
  for (const m of Messages) console.log(JSON.stringify({ messageId: m.MessageId, body: m.Body }));
  if (Messages.length) {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({ QueueUrl: u, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 })) }),
    );
  }
} else throw new Error(`unknown: ${what}`);
sqs.destroy();
