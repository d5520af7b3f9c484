// Browse: how long the snapshot takes on the embedded server, and how long one
// keypress (reduce + render) takes on a large list. Run after a build:
//   npm run build && npx node bench/browse.mjs [messages]
import { CreateQueueCommand, SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { startLocalServer } from "../dist-dev/local/server.js";
import { createSqsContext } from "../dist-dev/sqs/client.js";
import { Ui } from "../dist-dev/output/ui.js";
import { DEFAULT_HOLD, Holder } from "../dist-dev/browse/holder.js";
import { initialState, reduce, renderPicker } from "../dist-dev/browse/picker-state.js";

const N = Number(process.argv[2] ?? 3000);
const server = await startLocalServer({ port: 0, host: "127.0.0.1" });
const credentials = { accessKeyId: "bench", secretAccessKey: "bench" };
const client = new SQSClient({ endpoint: server.endpoint, region: "us-east-1", credentials });
const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: "bench-browse" }));
for (let i = 0; i < N; i += 10) {
  const Entries = Array.from({ length: Math.min(10, N - i) }, (_, j) => ({
    Id: String(j),
    MessageBody: JSON.stringify({ orderId: i + j, errorType: ["Timeout", "Declined", "Invalid"][(i + j) % 3], detail: "x".repeat(200) }),
    MessageAttributes: { reason: { DataType: "String", StringValue: "r" } },
  }));
  await client.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
}

const io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: {} };
const ui = new Ui(io, { color: false, endpointUrl: server.endpoint, region: "us-east-1" });
const sqs = await createSqsContext({ color: false, local: true, endpointUrl: server.endpoint }, io.env, ui);
const holder = new Holder(sqs, QueueUrl, DEFAULT_HOLD);
let t = performance.now();
const snap = await holder.snapshot({ limit: N, scan: N, expected: N });
const snapshotMs = performance.now() - t;
const items = holder.list().map((m) => ({ id: m.id, envelope: m.envelope }));
t = performance.now();
await holder.beat();
const beatMs = performance.now() - t;
t = performance.now();
const rel = await holder.releaseAll();
const releaseMs = performance.now() - t;

let state = initialState(items);
const keys = [{ name: "down" }, { name: "space", sequence: " " }, { name: "pagedown" }];
const times = [];
for (let i = 0; i < 200; i++) {
  const s0 = performance.now();
  state = reduce(state, keys[i % keys.length]).state;
  renderPicker(state, { title: "bench", width: 120, rows: 40, now: Date.now() });
  times.push(performance.now() - s0);
}
let search = reduce(state, { name: "/", sequence: "/" }).state;
const searchTimes = [];
for (const ch of "timeout") {
  const s0 = performance.now();
  search = reduce(search, { name: ch, sequence: ch }).state;
  renderPicker(search, { title: "bench", width: 120, rows: 40, now: Date.now() });
  searchTimes.push(performance.now() - s0);
}
const shown = renderPicker(search, { title: "bench", width: 120, rows: 40, now: Date.now() });
console.log(`search "${search.query}": ${shown.bottom.split("\n").at(-2)}`);
const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
console.log(`messages: ${N}, held: ${snap.kept}`);
console.log(`snapshot: ${snapshotMs.toFixed(0)} ms (${((snap.kept / snapshotMs) * 1000).toFixed(0)} msg/s)`);
console.log(`one heartbeat (extend all to 60 s): ${beatMs.toFixed(0)} ms`);
console.log(`release all: ${releaseMs.toFixed(0)} ms (${rel.released} released)`);
console.log(`keypress (move/select/page) reduce+render: median ${med(times).toFixed(2)} ms, max ${Math.max(...times).toFixed(2)} ms`);
console.log(`search keystroke over ${N} messages: median ${med(searchTimes).toFixed(2)} ms, max ${Math.max(...searchTimes).toFixed(2)} ms`);
sqs.destroy();
client.destroy();
await server.stop();
