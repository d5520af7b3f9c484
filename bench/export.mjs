// export throughput on the embedded server (fauxqs, in its own process), and what it costs
// in receives: every message must be delivered once (the holder keeps it hidden for the run).
//   npm run build && npx node bench/export.mjs [--messages 5000] [--reps 3] [--bin path/to/bin/sqsctl.js]
// --bin runs another build (e.g. one of main) for a before/after comparison.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? dflt : process.argv[i + 1];
};
const N = Number(arg("--messages", "5000"));
const REPS = Number(arg("--reps", "3"));
const root = fileURLToPath(new URL("..", import.meta.url));
const BIN = arg("--bin", join(root, "bin/sqsctl.js"));
const dir = mkdtempSync(join(tmpdir(), "sqsctl-bench-export-"));
const port = 20000 + Math.floor(Math.random() * 20000);
const endpoint = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, [join(root, "bin/sqsctl.js"), "local", "--port", String(port)], { stdio: ["ignore", "pipe", "inherit"] });
const client = new SQSClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
for (let i = 0; ; i++) {
  try {
    await client.send(new GetQueueAttributesCommand({ QueueUrl: `${endpoint}/000000000000/none`, AttributeNames: ["All"] }));
    break;
  } catch (err) {
    if (err?.$metadata?.httpStatusCode) break; // the server answers (an error about the queue is fine)
    if (i > 100) throw err;
    await new Promise((r) => setTimeout(r, 100));
  }
}
const env = { PATH: process.env.PATH, HOME: dir, XDG_STATE_HOME: join(dir, "state"), AWS_ENDPOINT_URL_SQS: endpoint, AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" };

let q = 0;
async function seeded() {
  const name = `bench-export-${++q}`;
  const url = (await client.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl;
  const calls = [];
  for (let i = 0; i < N; i += 10) {
    const Entries = Array.from({ length: Math.min(10, N - i) }, (_, j) => ({ Id: String(j), MessageBody: JSON.stringify({ n: i + j }) }));
    calls.push(client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries })));
    if (calls.length >= 16) await Promise.all(calls.splice(0));
  }
  await Promise.all(calls);
  return { name, url };
}
function cli(args) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, seconds: (performance.now() - started) / 1000, stderr }));
  });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const rows = [];
for (const mode of ["export", "export --delete"]) {
  const secs = [];
  for (let r = 0; r < REPS; r++) {
    const { name } = await seeded();
    const out = await cli(["export", name, "--file", join(dir, `${name}.ndjson`), "--wait", "1s", ...(mode.includes("delete") ? ["--delete"] : [])]);
    if (out.code !== 0) console.error(`exit ${out.code}: ${out.stderr}`);
    secs.push(out.seconds);
  }
  const s = median(secs);
  rows.push(`| ${mode} | ${N} | ${s.toFixed(2)} s | ${Math.round(N / s)} msg/s |`);
}
console.log(`bin: ${BIN}\n| command | messages | wall (median of ${REPS}) | throughput |\n|---|---|---|---|\n${rows.join("\n")}`);
server.kill("SIGTERM");
client.destroy();
