#!/usr/bin/env node
// The baseline for bench/redrive.mjs: a plain SDK receive -> send -> delete loop, C of
// them in parallel, in its own process (cold, like the CLI), each loop stopping at its
// first empty 1 s long poll. It reads SendMessageBatch's Successful list and deletes
// only those, and copies body and message attributes: the least a safe mover does.
// Usage: node bench/raw-redrive-loop.mjs ENDPOINT DLQ_URL TARGET_URL CONCURRENCY
import http from "node:http";
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { NodeHttpHandler } from "@smithy/node-http-handler";

const [endpoint, dlq, target, c = "8"] = process.argv.slice(2);
const client = new SQSClient({
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
  requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true, maxSockets: 64 }) }),
});
let moved = 0;
await Promise.all(
  Array.from({ length: Number(c) }, async () => {
    for (;;) {
      const r = await client.send(new ReceiveMessageCommand({ QueueUrl: dlq, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 120, MessageAttributeNames: ["All"] }));
      const msgs = r.Messages ?? [];
      if (!msgs.length) break;
      const sent = await client.send(
        new SendMessageBatchCommand({ QueueUrl: target, Entries: msgs.map((m, i) => ({ Id: String(i), MessageBody: m.Body, MessageAttributes: m.MessageAttributes })) }),
      );
      const ok = new Set((sent.Successful ?? []).map((x) => x.Id));
      const Entries = msgs.flatMap((m, i) => (ok.has(String(i)) ? [{ Id: String(i), ReceiptHandle: m.ReceiptHandle }] : []));
      if (Entries.length) await client.send(new DeleteMessageBatchCommand({ QueueUrl: dlq, Entries }));
      moved += ok.size;
    }
  }),
);
client.destroy();
process.stdout.write(JSON.stringify({ moved }) + "\n");
