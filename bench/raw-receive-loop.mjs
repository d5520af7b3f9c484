#!/usr/bin/env node
// The baseline for export, dlq inspect and a redrive --dry-run (bench/latency.mjs,
// bench/dlq-scale.mjs): R plain SDK receive loops in parallel, each stopping at its first
// empty 1 s long poll, holding every message (VisibilityTimeout 300) and then releasing
// them all (ChangeMessageVisibilityBatch to 0, R calls in flight), as a tool that leaves
// the queue as it was must. MODE: "write FILE" writes each message as an NDJSON line;
// "count" counts per JSON body field errorType (a group-by) and keeps only the handles.
// Usage: node bench/raw-receive-loop.mjs ENDPOINT QUEUE_URL R write FILE | count
import { createWriteStream } from "node:fs";
import http from "node:http";
import { ChangeMessageVisibilityBatchCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { NodeHttpHandler } from "@smithy/node-http-handler";

const [endpoint, url, r = "4", mode = "count", file] = process.argv.slice(2);
const R = Number(r);
const client = new SQSClient({
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
  useQueueUrlAsEndpoint: false,
  requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true, maxSockets: Math.max(R, 8) }) }),
});
const out = mode === "write" ? createWriteStream(file) : undefined;
const t0 = performance.now();
const handles = [];
const groups = new Map();
await Promise.all(
  Array.from({ length: R }, async () => {
    for (;;) {
      const res = await client.send(
        new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 300, MessageAttributeNames: ["All"], MessageSystemAttributeNames: ["All"] }),
      );
      const msgs = res.Messages ?? [];
      if (!msgs.length) break;
      for (const m of msgs) {
        handles.push(m.ReceiptHandle);
        if (out) out.write(`${JSON.stringify({ messageId: m.MessageId, body: m.Body, messageAttributes: m.MessageAttributes, attributes: m.Attributes })}\n`);
        else {
          let k;
          try {
            k = JSON.parse(m.Body).errorType;
          } catch {}
          groups.set(k, (groups.get(k) ?? 0) + 1);
        }
      }
    }
  }),
);
if (out) await new Promise((res) => out.end(res));
const t1 = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: R }, async () => {
    while (next < handles.length) {
      const chunk = handles.slice(next, next + 10);
      next += 10;
      await client.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: url, Entries: chunk.map((h, i) => ({ Id: String(i), ReceiptHandle: h, VisibilityTimeout: 0 })) }));
    }
  }),
);
client.destroy();
const t2 = performance.now();
process.stdout.write(JSON.stringify({ received: handles.length, receiveSeconds: +((t1 - t0) / 1000).toFixed(2), releaseSeconds: +((t2 - t1) / 1000).toFixed(2), groups: Object.fromEntries(groups) }) + "\n");
