// The practical limit: a minimal SDK loader (readline -> batches of 10 -> N calls in flight),
// no validation, no journal. Usage: node bench/raw-loader.mjs ENDPOINT QUEUE_URL FILE CONCURRENCY
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import http from "node:http";
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { NodeHttpHandler } from "@smithy/node-http-handler";

const [endpoint, queueUrl, file, conc] = process.argv.slice(2);
const concurrency = Number(conc);
const client = new SQSClient({
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
  useQueueUrlAsEndpoint: false,
  requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true, maxSockets: Math.max(concurrency, 8) }) }),
});
const started = performance.now();
let sent = 0;
const inflight = new Set();
let batch = [];
let n = 0;
const flush = async (entries) => {
  const p = client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries })).then((r) => {
    sent += r.Successful?.length ?? 0;
    if (r.Failed?.length) throw new Error(`failed: ${r.Failed.length}`);
  });
  inflight.add(p);
  p.finally(() => inflight.delete(p));
  if (inflight.size >= concurrency) await Promise.race(inflight);
};
for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
  if (!line) continue;
  const env = JSON.parse(line);
  n += 1;
  batch.push({ Id: `l${n}`, MessageBody: env.body });
  if (batch.length === 10) {
    const b = batch;
    batch = [];
    await flush(b);
  }
}
if (batch.length) await flush(batch);
await Promise.all(inflight);
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ sent, seconds }));
client.destroy();
