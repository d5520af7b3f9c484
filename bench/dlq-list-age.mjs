#!/usr/bin/env node
// What `dlq list`'s oldest-message age costs off AWS, where it is sampled (one receive
// of up to 10 per DLQ with messages, through the custody holder, released at once):
// DLQS source queues with a DLQ each, MSGS messages in each DLQ, on an embedded server
// run as `sqsctl local` in a child process. Median / max wall ms over RUNS runs of the
// built CLI, with and without messages in the DLQs (no messages: nothing is sampled).
// Run: npm run build && npx node bench/dlq-list-age.mjs [dlqs] [msgs] [runs]
import { spawn, spawnSync } from "node:child_process";
import { SQSClient, CreateQueueCommand, SendMessageBatchCommand, PurgeQueueCommand, GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { fileURLToPath } from "node:url";

const [dlqs, msgs, runs] = [Number(process.argv[2] ?? 20), Number(process.argv[3] ?? 10), Number(process.argv[4] ?? 7)];
const bin = fileURLToPath(new URL("../bin/sqsctl.js", import.meta.url));
const server = spawn(process.execPath, [bin, "local", "--port", "0", "-o", "json"], { stdio: ["ignore", "pipe", "ignore"] });
const { port } = await new Promise((resolve) => server.stdout.once("data", (d) => resolve(JSON.parse(String(d)))));
const endpoint = `http://127.0.0.1:${port}`;
const client = new SQSClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "bench", secretAccessKey: "bench" } });
const dlqUrls = [];
for (let i = 0; i < dlqs; i++) {
  const dlq = await client.send(new CreateQueueCommand({ QueueName: `bench-${i}-dlq` }));
  const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ["QueueArn"] }));
  await client.send(new CreateQueueCommand({ QueueName: `bench-${i}`, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes.QueueArn, maxReceiveCount: 3 }) } }));
  dlqUrls.push(dlq.QueueUrl);
}
const time = () => {
  const samples = [];
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    const out = spawnSync(process.execPath, [bin, "--local", "dlq", "list", "-o", "json"], { env: { PATH: process.env.PATH, HOME: process.env.HOME, SQSCTL_LOCAL_PORT: String(port) }, encoding: "utf8" });
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (out.status !== 0) throw new Error(out.stderr);
  }
  samples.sort((a, b) => a - b);
  return `${Math.round(samples[Math.floor(samples.length / 2)])} / ${Math.round(samples.at(-1))} ms`;
};
const empty = time();
for (const url of dlqUrls) {
  for (let j = 0; j < msgs; j += 10) {
    await client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: Array.from({ length: Math.min(10, msgs - j) }, (_, k) => ({ Id: `m${k}`, MessageBody: "x" })) }));
  }
}
const sampled = time();
console.log(`| ${dlqs} | ${msgs} | ${empty} | ${sampled} |`);
for (const url of dlqUrls) await client.send(new PurgeQueueCommand({ QueueUrl: url }));
client.destroy();
server.kill("SIGTERM");
