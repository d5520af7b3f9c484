#!/usr/bin/env node
/**
 * SQS conformance of the local servers, side by side: the behaviours users notice,
 * from the SQS API reference (each action, its errors, FIFO and visibility rules,
 * limits, characters, dead-letter queues, move tasks, protocol, queue URLs).
 *
 *   npm run build && npx node scripts/conformance.mjs [--write docs/conformance.md]
 *
 * Columns: fauxqs 2.4.1 as published; `sqsctl local` (fauxqs started by the launcher,
 * src/local/server.ts, with its fixes); local-aws-sqs 2.0.2. Every server binds
 * 127.0.0.1 on a free port and is stopped at the end. The raw fauxqs column runs first:
 * the launcher's fixes patch fauxqs in this process once it starts.
 */
import { writeFileSync } from "node:fs";
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const code = (err) => String(err?.name ?? err?.Code ?? "error").replace(/^AWS\.SimpleQueueService\./, "").replace(/Exception$/, "");

async function outcome(fn) {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    return { ok: false, code: code(err), message: String(err?.message ?? err).slice(0, 80) };
  }
}

/** Expects the call to fail with one of `codes`. */
async function refused(fn, ...codes) {
  const o = await outcome(fn);
  if (o.ok) return { pass: false, saw: "accepted" };
  return { pass: codes.includes(o.code), saw: o.code };
}

let counter = 0;
function harness(endpoint) {
  const client = new SQSClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" }, maxAttempts: 1 });
  const fresh = async (attrs = {}, fifo = false) => {
    counter += 1;
    const name = `conf-${counter}${fifo ? ".fifo" : ""}`;
    const Attributes = fifo ? { FifoQueue: "true", ...attrs } : attrs;
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: name, Attributes }));
    return { name, url: QueueUrl };
  };
  const arn = async (url) => (await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))).Attributes.QueueArn;
  const receive = async (url, extra = {}) =>
    (await client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, AttributeNames: ["All"], MessageSystemAttributeNames: ["All"], ...extra }))).Messages ?? [];
  const counts = async (url) => {
    const a = (await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] }))).Attributes;
    return { visible: Number(a.ApproximateNumberOfMessages), inFlight: Number(a.ApproximateNumberOfMessagesNotVisible), delayed: Number(a.ApproximateNumberOfMessagesDelayed ?? 0) };
  };
  const send = (url, body, extra = {}) => client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, ...extra }));
  return { client, endpoint, fresh, arn, receive, counts, send };
}

/** [area, what SQS does, check(h) -> { pass, saw }] */
const CHECKS = [
  ["queues", "GetQueueUrl of a missing queue: QueueDoesNotExist", async (h) => refused(() => h.client.send(new GetQueueUrlCommand({ QueueName: "no-such-queue" })), "QueueDoesNotExist", "NonExistentQueue")],
  ["queues", "invalid queue name refused (InvalidParameterValue)", async (h) => refused(() => h.client.send(new CreateQueueCommand({ QueueName: "bad name!" })), "InvalidParameterValue")],
  ["queues", "ListQueues with a prefix", async (h) => {
    const q = await h.fresh();
    const out = await h.client.send(new ListQueuesCommand({ QueueNamePrefix: q.name }));
    return { pass: (out.QueueUrls ?? []).length === 1, saw: `${(out.QueueUrls ?? []).length} url(s)` };
  }],
  ["queues", "queue URL host resolves everywhere (the endpoint's host)", async (h) => {
    const q = await h.fresh();
    const host = new URL(q.url).hostname;
    return { pass: host === new URL(h.endpoint).hostname || host === "localhost", saw: host };
  }],
  ["queues", "SetQueueAttributes then GetQueueAttributes round-trip", async (h) => {
    const q = await h.fresh();
    await h.client.send(new SetQueueAttributesCommand({ QueueUrl: q.url, Attributes: { VisibilityTimeout: "45" } }));
    const a = (await h.client.send(new GetQueueAttributesCommand({ QueueUrl: q.url, AttributeNames: ["VisibilityTimeout"] }))).Attributes;
    return { pass: a.VisibilityTimeout === "45", saw: a.VisibilityTimeout };
  }],
  ["queues", "DeleteQueue, then the queue is gone", async (h) => {
    const q = await h.fresh();
    await h.client.send(new DeleteQueueCommand({ QueueUrl: q.url }));
    return refused(() => h.client.send(new GetQueueUrlCommand({ QueueName: q.name })), "QueueDoesNotExist", "NonExistentQueue");
  }],
  ["messages", "emoji (supplementary-plane) body accepted and returned unchanged", async (h) => {
    const q = await h.fresh();
    const body = "shipped 🚀 𝄞";
    const o = await outcome(() => h.send(q.url, body));
    if (!o.ok) return { pass: false, saw: o.code };
    const [m] = await h.receive(q.url);
    return { pass: m?.Body === body, saw: m ? "round-trip" : "not received" };
  }],
  ["messages", "U+FFFF refused (InvalidMessageContents)", async (h) => refused(async () => h.send((await h.fresh()).url, "x\uFFFFy"), "InvalidMessageContents")],
  ["messages", "1 MiB body (1,048,576 bytes) accepted", async (h) => {
    const o = await outcome(async () => h.send((await h.fresh()).url, "a".repeat(1_048_576)));
    return { pass: o.ok, saw: o.ok ? "accepted" : o.code };
  }],
  ["messages", "1 MiB + 1 byte refused", async (h) => refused(async () => h.send((await h.fresh()).url, "a".repeat(1_048_577)), "InvalidParameterValue", "MessageTooLong")],
  ["messages", "11 message attributes refused", async (h) => {
    const attrs = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: "String", StringValue: "v" }]));
    return refused(async () => h.send((await h.fresh()).url, "x", { MessageAttributes: attrs }), "InvalidParameterValue", "TooManyMessageAttributes");
  }],
  ["messages", "batch of 11 entries refused (TooManyEntriesInBatchRequest)", async (h) => {
    const q = await h.fresh();
    return refused(() => h.client.send(new SendMessageBatchCommand({ QueueUrl: q.url, Entries: Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, MessageBody: "x" })) })), "TooManyEntriesInBatchRequest");
  }],
  ["messages", "batch with repeated Ids refused (BatchEntryIdsNotDistinct)", async (h) => {
    const q = await h.fresh();
    return refused(() => h.client.send(new SendMessageBatchCommand({ QueueUrl: q.url, Entries: [{ Id: "a", MessageBody: "x" }, { Id: "a", MessageBody: "y" }] })), "BatchEntryIdsNotDistinct");
  }],
  ["messages", "batch entry Id with a space refused (InvalidBatchEntryId)", async (h) => {
    const q = await h.fresh();
    return refused(() => h.client.send(new SendMessageBatchCommand({ QueueUrl: q.url, Entries: [{ Id: "a b", MessageBody: "x" }] })), "InvalidBatchEntryId");
  }],
  ["messages", "MaxNumberOfMessages 11 refused", async (h) => refused(async () => h.receive((await h.fresh()).url, { MaxNumberOfMessages: 11 }), "InvalidParameterValue")],
  ["messages", "per-message DelaySeconds hides the message (counted as delayed)", async (h) => {
    const q = await h.fresh();
    await h.send(q.url, "later", { DelaySeconds: 5 });
    const got = await h.receive(q.url);
    const c = await h.counts(q.url);
    return { pass: got.length === 0 && c.visible === 0, saw: `received ${got.length}, visible ${c.visible}, delayed ${c.delayed}` };
  }],
  ["visibility", "a received message is in flight: ApproximateNumberOfMessages excludes it", async (h) => {
    const q = await h.fresh();
    await h.send(q.url, "x");
    await h.receive(q.url, { VisibilityTimeout: 30 });
    const c = await h.counts(q.url);
    return { pass: c.visible === 0 && c.inFlight === 1, saw: `visible ${c.visible}, not visible ${c.inFlight}` };
  }],
  ["visibility", "each receive: a new receipt handle, ApproximateReceiveCount + 1", async (h) => {
    const q = await h.fresh();
    await h.send(q.url, "x");
    const [a] = await h.receive(q.url, { VisibilityTimeout: 1 });
    await sleep(1300);
    const [b] = await h.receive(q.url, { VisibilityTimeout: 30 });
    const pass = Boolean(a && b && a.ReceiptHandle !== b.ReceiptHandle && b.Attributes?.ApproximateReceiveCount === "2");
    return { pass, saw: b ? `count ${b.Attributes?.ApproximateReceiveCount}, ${a?.ReceiptHandle === b.ReceiptHandle ? "same" : "new"} handle` : "not received again" };
  }],
  ["visibility", "ChangeMessageVisibility 0 makes it receivable at once", async (h) => {
    const q = await h.fresh();
    await h.send(q.url, "x");
    const [a] = await h.receive(q.url, { VisibilityTimeout: 60 });
    const o = await outcome(() => h.client.send(new ChangeMessageVisibilityCommand({ QueueUrl: q.url, ReceiptHandle: a.ReceiptHandle, VisibilityTimeout: 0 })));
    const again = await h.receive(q.url);
    return { pass: o.ok && again.length === 1, saw: o.ok ? `received again: ${again.length}` : o.code };
  }],
  ["visibility", "VisibilityTimeout above 12 h refused", async (h) => {
    const q = await h.fresh();
    await h.send(q.url, "x");
    const [a] = await h.receive(q.url);
    return refused(() => h.client.send(new ChangeMessageVisibilityCommand({ QueueUrl: q.url, ReceiptHandle: a.ReceiptHandle, VisibilityTimeout: 43_201 })), "InvalidParameterValue");
  }],
  ["visibility", "DeleteMessage with a made-up handle: ReceiptHandleIsInvalid", async (h) => refused(async () => h.client.send(new DeleteMessageCommand({ QueueUrl: (await h.fresh()).url, ReceiptHandle: "not-a-handle" })), "ReceiptHandleIsInvalid", "InvalidParameterValue")],
  ["visibility", "DeleteMessage with an old handle (received again since) does not delete it", async (h) => {
    const q = await h.fresh();
    await h.send(q.url, "x");
    const [a] = await h.receive(q.url, { VisibilityTimeout: 1 });
    await sleep(1300);
    await h.receive(q.url, { VisibilityTimeout: 1 });
    const o = await outcome(() => h.client.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: a.ReceiptHandle })));
    await sleep(1300);
    const left = await h.receive(q.url);
    return { pass: left.length === 1, saw: `${o.ok ? "answered ok" : o.code}; ${left.length ? "kept" : "deleted"}` };
  }],
  ["visibility", "ChangeMessageVisibility with an expired handle refused", async (h) => {
    const q = await h.fresh();
    await h.send(q.url, "x");
    const [a] = await h.receive(q.url, { VisibilityTimeout: 1 });
    await sleep(1300);
    await h.receive(q.url, { VisibilityTimeout: 30 });
    return refused(() => h.client.send(new ChangeMessageVisibilityCommand({ QueueUrl: q.url, ReceiptHandle: a.ReceiptHandle, VisibilityTimeout: 30 })), "MessageNotInflight", "ReceiptHandleIsInvalid", "InvalidParameterValue");
  }],
  ["visibility", "a long poll returns as soon as a message arrives", async (h) => {
    const q = await h.fresh();
    const started = Date.now();
    const pending = h.receive(q.url, { WaitTimeSeconds: 10 });
    await sleep(500);
    await h.send(q.url, "x");
    const got = await pending;
    const s = (Date.now() - started) / 1000;
    return { pass: got.length === 1 && s < 5, saw: `${got.length} after ${s.toFixed(1)} s` };
  }],
  ["visibility", "a long poll for 10 returns what is there without waiting the full time", async (h) => {
    const q = await h.fresh();
    await h.send(q.url, "x");
    const started = Date.now();
    const got = await h.receive(q.url, { WaitTimeSeconds: 5 });
    const s = (Date.now() - started) / 1000;
    return { pass: got.length === 1 && s < 2, saw: `${got.length} after ${s.toFixed(1)} s` };
  }],
  ["fifo", "MessageGroupId missing: MissingParameter", async (h) => refused(async () => h.send((await h.fresh({ ContentBasedDeduplication: "true" }, true)).url, "x"), "MissingParameter", "InvalidParameterValue")],
  ["fifo", "per-message DelaySeconds refused on FIFO", async (h) => refused(async () => h.send((await h.fresh({ ContentBasedDeduplication: "true" }, true)).url, "x", { MessageGroupId: "g", DelaySeconds: 5 }), "InvalidParameterValue")],
  ["fifo", "one receive returns several messages of one group, in order", async (h) => {
    const q = await h.fresh({ ContentBasedDeduplication: "true" }, true);
    for (let i = 0; i < 5; i++) await h.send(q.url, `m${i}`, { MessageGroupId: "g" });
    const got = await h.receive(q.url);
    const bodies = got.map((m) => m.Body).join(",");
    return { pass: bodies === "m0,m1,m2,m3,m4", saw: bodies || "none" };
  }],
  ["fifo", "a group is blocked while one of its messages is in flight", async (h) => {
    const q = await h.fresh({ ContentBasedDeduplication: "true" }, true);
    for (let i = 0; i < 3; i++) await h.send(q.url, `m${i}`, { MessageGroupId: "g" });
    await h.receive(q.url, { MaxNumberOfMessages: 1 });
    const next = await h.receive(q.url);
    return { pass: next.length === 0, saw: `${next.length} more received` };
  }],
  ["fifo", "the same deduplication id twice within 5 min: one message", async (h) => {
    const q = await h.fresh({}, true);
    await h.send(q.url, "a", { MessageGroupId: "g", MessageDeduplicationId: "d1" });
    await h.send(q.url, "a", { MessageGroupId: "g", MessageDeduplicationId: "d1" });
    const c = await h.counts(q.url);
    return { pass: c.visible === 1, saw: `${c.visible} message(s)` };
  }],
  ["dlq", "past maxReceiveCount a message moves to the DLQ", async (h) => {
    const dlq = await h.fresh();
    const src = await h.fresh({ RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await h.arn(dlq.url), maxReceiveCount: 1 }) });
    await h.send(src.url, "x");
    await h.receive(src.url, { VisibilityTimeout: 1 });
    await sleep(1300);
    await h.receive(src.url);
    await sleep(200);
    const c = await h.counts(dlq.url);
    return { pass: c.visible === 1, saw: `${c.visible} in the DLQ` };
  }],
  ["dlq", "a dead-lettered message carries DeadLetterQueueSourceArn", async (h) => {
    const dlq = await h.fresh();
    const src = await h.fresh({ RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await h.arn(dlq.url), maxReceiveCount: 1 }) });
    const srcArn = await h.arn(src.url);
    await h.send(src.url, "x");
    await h.receive(src.url, { VisibilityTimeout: 1 });
    await sleep(1300);
    await h.receive(src.url);
    await sleep(200);
    const [m] = await h.receive(dlq.url);
    const got = m?.Attributes?.DeadLetterQueueSourceArn;
    return { pass: got === srcArn, saw: m ? got ?? "absent" : "no message in the DLQ" };
  }],
  ["dlq", "ListDeadLetterSourceQueues names the source", async (h) => {
    const dlq = await h.fresh();
    const src = await h.fresh({ RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await h.arn(dlq.url), maxReceiveCount: 3 }) });
    const o = await outcome(() => h.client.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq.url })));
    if (!o.ok) return { pass: false, saw: o.code };
    const names = (o.value.queueUrls ?? []).map((u) => u.split("/").at(-1));
    return { pass: names.includes(src.name), saw: names.join(",") || "none" };
  }],
  ["dlq", "StartMessageMoveTask moves the DLQ back to its source; ListMessageMoveTasks reports it", async (h) => {
    // Dead-letter 3 messages the way SQS does (receive past maxReceiveCount), then move them back.
    const dlq = await h.fresh();
    const src = await h.fresh({ RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await h.arn(dlq.url), maxReceiveCount: 1 }) });
    for (let i = 0; i < 3; i++) await h.send(src.url, `m${i}`);
    await h.receive(src.url, { VisibilityTimeout: 1 });
    await sleep(1300);
    await h.receive(src.url);
    await sleep(200);
    const dlqArn = await h.arn(dlq.url);
    const o = await outcome(() => h.client.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn })));
    if (!o.ok) return { pass: false, saw: o.code };
    let status = "";
    for (let i = 0; i < 50; i++) {
      const t = await h.client.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }));
      status = t.Results?.[0]?.Status ?? "";
      if (status === "COMPLETED") break;
      await sleep(200);
    }
    const c = await h.counts(src.url);
    const d = await h.counts(dlq.url);
    return { pass: status === "COMPLETED" && c.visible === 3 && d.visible === 0, saw: `${status || "no task"}, ${c.visible} back in the source, ${d.visible} left in the DLQ` };
  }],
  ["protocol", "the query protocol (AWS CLI v2.9 and older SDKs) is answered", async (h) => {
    const res = await fetch(`${h.endpoint}/`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "Action=ListQueues&Version=2012-11-05" });
    const text = await res.text();
    return { pass: res.status === 200 && text.includes("ListQueuesResponse"), saw: `HTTP ${res.status}${res.status === 200 ? "" : `: ${text.slice(0, 40)}`}` };
  }],
  ["purge", "PurgeQueue empties the queue", async (h) => {
    const q = await h.fresh();
    for (let i = 0; i < 3; i++) await h.send(q.url, `m${i}`);
    await h.client.send(new PurgeQueueCommand({ QueueUrl: q.url }));
    await sleep(200);
    const got = await h.receive(q.url);
    return { pass: got.length === 0, saw: `${got.length} still receivable` };
  }],
  ["purge", "a second purge within 60 s: PurgeQueueInProgress", async (h) => {
    const q = await h.fresh();
    await h.client.send(new PurgeQueueCommand({ QueueUrl: q.url }));
    return refused(() => h.client.send(new PurgeQueueCommand({ QueueUrl: q.url })), "PurgeQueueInProgress");
  }],
];

async function runAll(label, start) {
  const server = await start();
  const h = harness(server.endpoint);
  const results = [];
  try {
    for (const [area, what, check] of CHECKS) {
      let r;
      try {
        r = await check(h);
      } catch (err) {
        r = { pass: false, saw: `error: ${code(err)}` };
      }
      results.push({ area, what, ...r });
      process.stderr.write(`${label.padEnd(16)} ${r.pass ? "ok  " : "FAIL"} ${what} (${r.saw})\n`);
    }
  } finally {
    h.client.destroy();
    await server.stop();
  }
  return results;
}

const servers = [
  ["fauxqs 2.4.1", async () => {
    const { startFauxqs } = await import("fauxqs");
    const net = await import("node:net");
    // fauxqs listens on 0.0.0.0; keep it on loopback as the launcher does.
    const original = net.Server.prototype.listen;
    net.Server.prototype.listen = function (...args) {
      if (args[0] && typeof args[0] === "object" && args[0].host === "0.0.0.0") args[0] = { ...args[0], host: "127.0.0.1" };
      return original.apply(this, args);
    };
    try {
      const s = await startFauxqs({ port: 0, logger: false });
      return { endpoint: `http://127.0.0.1:${s.port}`, stop: () => s.stop() };
    } finally {
      net.Server.prototype.listen = original;
    }
  }],
  ["sqsctl local", async () => {
    const { startLocalServer } = await import("../dist-dev/local/server.js");
    return startLocalServer({ port: 0, host: "127.0.0.1" });
  }],
  ["local-aws-sqs 2.0.2", async () => {
    const { createSqsServer } = await import("local-aws-sqs");
    const s = await createSqsServer({ port: 0, hostname: "127.0.0.1", emulateQueueCreationLifecycle: false });
    return {
      endpoint: `http://127.0.0.1:${s.address().port}`,
      stop: () => new Promise((r) => { s.closeAllConnections?.(); s.close(() => r()); }),
    };
  }],
];

const table = {};
for (const [label, start] of servers) table[label] = await runAll(label, start);

const labels = servers.map(([l]) => l);
const lines = [
  "# SQS conformance of the local servers",
  "",
  "Generated by `npx node scripts/conformance.mjs --write docs/conformance.md` (after `npm run build`).",
  "Each row is a behaviour from the SQS API reference that users notice; a cell is ✅ when the server",
  "does what SQS does, ❌ otherwise, with what it did. `sqsctl local` is fauxqs as the launcher starts it",
  "(src/local/server.ts fixes: emoji bodies, queue URL host, ListDeadLetterSourceQueues, DeadLetterQueueSourceArn,",
  "and releases with `--data-dir`). Checks that wait for a visibility timeout take about 1.3 s each.",
  "",
  "Not in the table: `--data-dir` persistence (fauxqs: SQLite; local-aws-sqs: memory only).",
  "",
  `| area | SQS behaviour | ${labels.join(" | ")} |`,
  `|---|---|${labels.map(() => "---").join("|")}|`,
];
CHECKS.forEach(([area, what], i) => {
  const cells = labels.map((l) => {
    const r = table[l][i];
    return `${r.pass ? "✅" : "❌"} ${String(r.saw).replace(/\|/g, "/")}`;
  });
  lines.push(`| ${area} | ${what} | ${cells.join(" | ")} |`);
});
lines.push("", `| total passed | | ${labels.map((l) => `${table[l].filter((r) => r.pass).length} / ${CHECKS.length}`).join(" | ")} |`);
const md = lines.join("\n") + "\n";
const at = process.argv.indexOf("--write");
if (at > 0 && process.argv[at + 1]) writeFileSync(process.argv[at + 1], md);
else process.stdout.write(md);
