#!/usr/bin/env node
// The baseline for bench/startup-commands.mjs: a hand-written SDK script making the SAME
// SQS calls as one sqsctl command (read from `sqsctl ... --debug`), configured the way a
// script is (region, endpoint and credentials from the environment, the SDK's defaults).
// Usage: node bench/raw-sdk-calls.mjs [--minimal] list|create|send|receive|purge|dlq-list [QUEUE_NAME]
// --minimal: only the calls the job itself needs, as the shortest script would make them
// (create: CreateQueue, which is idempotent; send: GetQueueUrl, SendMessage; receive:
// GetQueueUrl, ReceiveMessage, ChangeMessageVisibilityBatch; purge: GetQueueUrl, PurgeQueue),
// with no check of the queue's settings, account or ARN.
import {
  ChangeMessageVisibilityBatchCommand,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";

const minimal = process.argv[2] === "--minimal";
const [what, name] = process.argv.slice(minimal ? 3 : 2);
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
} else if (minimal && what === "create") {
  console.log((await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl);
} else if (what === "create") {
  // `queues create` of an existing queue with the same settings: look it up, compare, say so.
  const u = await url();
  await Promise.all([attrs(u, ["All"]), sqs.send(new ListQueueTagsCommand({ QueueUrl: u }))]);
  console.log("exists");
} else if (what === "send") {
  const u = await url();
  if (!minimal) await attrs(u, ["QueueArn", "MaximumMessageSize", "FifoQueue", "ContentBasedDeduplication"]);
  console.log((await sqs.send(new SendMessageCommand({ QueueUrl: u, MessageBody: "hello" }))).MessageId);
} else if (what === "receive") {
  // receive --max 1 --peek: look at one message and make it visible again at once.
  const u = await url();
  if (!minimal) await attrs(u, ["QueueArn", "RedrivePolicy", "VisibilityTimeout", "FifoQueue"]);
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: u, MaxNumberOfMessages: 1, WaitTimeSeconds: 5, MessageSystemAttributeNames: ["All"], MessageAttributeNames: ["All"] }),
  );
  for (const m of Messages) console.log(JSON.stringify({ messageId: m.MessageId, body: m.Body }));
  if (Messages.length) {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({ QueueUrl: u, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 })) }),
    );
  }
} else if (what === "purge") {
  // purge --yes: look the queue up, read its counts, purge.
  const u = await url();
  const { Attributes = {} } = minimal ? {} : await attrs(u, ["All"]);
  await sqs.send(new PurgeQueueCommand({ QueueUrl: u }));
  console.log("purged", name, Attributes.ApproximateNumberOfMessages);
} else if (what === "dlq-list") {
  // dlq list: every queue's attributes, the DLQs are the ones a RedrivePolicy names, then
  // CloudWatch's oldest-message age for them (same endpoint; a local server refuses it).
  const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({ MaxResults: 1000 }));
  const queues = await Promise.all(QueueUrls.map(async (u) => ({ url: u, attributes: (await attrs(u, ["All"])).Attributes })));
  const targets = new Set(queues.map((q) => q.attributes.RedrivePolicy && JSON.parse(q.attributes.RedrivePolicy).deadLetterTargetArn).filter(Boolean));
  const dlqs = queues.filter((q) => targets.has(q.attributes.QueueArn));
  // Only this command needs CloudWatch: a script for it would import it; the others would not.
  const { CloudWatchClient, GetMetricDataCommand } = await import("@aws-sdk/client-cloudwatch");
  const cw = new CloudWatchClient({ endpoint: process.env.AWS_ENDPOINT_URL_SQS });
  const now = Date.now();
  const ages = await cw
    .send(
      new GetMetricDataCommand({
        StartTime: new Date(now - 900_000),
        EndTime: new Date(now),
        MetricDataQueries: dlqs.map((q, i) => ({
          Id: `age${i}`,
          MetricStat: { Metric: { Namespace: "AWS/SQS", MetricName: "ApproximateAgeOfOldestMessage", Dimensions: [{ Name: "QueueName", Value: q.url.split("/").pop() }] }, Period: 300, Stat: "Maximum" },
        })),
      }),
    )
    .catch(() => undefined);
  cw.destroy();
  for (const q of dlqs) console.log(q.url.split("/").pop(), q.attributes.ApproximateNumberOfMessages, ages ? "" : "n/a");
} else throw new Error(`unknown: ${what}`);
sqs.destroy();
