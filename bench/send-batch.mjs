// send-batch throughput and memory on the embedded server (fauxqs, in its own process).
//   npm run build && npx node bench/send-batch.mjs [--lines 50000] [--rss-lines 1000000] [--skip-aws] [--skip-rss]
//     [--skip-journal] [--concurrency 1,2,4,8,16,32] [--reps 3]
// Compares `sqsctl send-batch` with a raw SDK loader (bench/raw-loader.mjs) at the same
// concurrency, with the AWS CLI doing the same job (send-message-batch in a loop), the
// journal's fsync policies, and peak RSS (via /usr/bin/time -v) for large files.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, createWriteStream } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? dflt : process.argv[i + 1];
};
const LINES = Number(arg("--lines", "50000"));
const RSS_LINES = Number(arg("--rss-lines", "1000000"));
const root = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(root, "bin/sqsctl.js");
const node = process.execPath;
const dir = mkdtempSync(join(tmpdir(), "sqsctl-bench-"));
const port = 20000 + Math.floor(Math.random() * 20000);
const endpoint = `http://127.0.0.1:${port}`;

const server = spawn(node, [BIN, "local", "--port", String(port)], { stdio: ["ignore", "pipe", "inherit"] });
await new Promise((r) => setTimeout(r, 2500));
const client = new SQSClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" }, useQueueUrlAsEndpoint: false });
const env = { PATH: process.env.PATH, HOME: dir, XDG_STATE_HOME: join(dir, "state"), AWS_ENDPOINT_URL_SQS: endpoint, AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local", AWS_DEFAULT_REGION: "us-east-1" };

async function writeLines(path, n, bodyBytes) {
  const out = createWriteStream(path);
  const pad = "x".repeat(Math.max(0, bodyBytes - 40));
  for (let i = 1; i <= n; i++) {
    if (!out.write(`${JSON.stringify({ body: JSON.stringify({ id: i, pad }) })}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

let q = 0;
async function freshQueue() {
  const out = await client.send(new CreateQueueCommand({ QueueName: `bench-${++q}` }));
  return out.QueueUrl;
}
async function count(url) {
  const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages"] }));
  return Number(Attributes.ApproximateNumberOfMessages);
}
/** Runs a command under /usr/bin/time: wall seconds, CPU seconds (user+sys) and peak RSS. */
function run(cmd, args, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn("/usr/bin/time", ["-f", "BENCHTIME %U %S %M", cmd, ...args], { env: { ...env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(" ")} -> ${code}\n${stderr}`));
      const m = /BENCHTIME ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
      resolve({ stdout, stderr, wall: (performance.now() - started) / 1000, cpu: Number(m[1]) + Number(m[2]), rssMb: Number(m[3]) / 1024 });
    });
  });
}

const file = join(dir, "bench.ndjson");
await writeLines(file, LINES, 200);
const results = [];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`# send-batch bench: ${LINES} messages of ~200 B, fauxqs on ${endpoint}, node ${process.version}`);
const CONCURRENCIES = arg("--concurrency", "1,2,4,8,16,32").split(",").map(Number);
const REPS = Number(arg("--reps", "3"));
for (const c of CONCURRENCIES) {
  const raw = [];
  const cli = [];
  const cliSend = [];
  const rawCpu = [];
  const cliCpu = [];
  for (let rep = 0; rep < REPS; rep++) {
    let url = await freshQueue();
    const r = await run(node, [join(root, "bench/raw-loader.mjs"), endpoint, url, file, String(c)]);
    if ((await count(url)) !== LINES) throw new Error("raw loader lost messages");
    raw.push(r.wall);
    rawCpu.push(r.cpu);
    await client.send(new DeleteQueueCommand({ QueueUrl: url }));
    url = await freshQueue();
    const s = await run(node, [BIN, "send-batch", url, file, "--concurrency", String(c), "-o", "json"]);
    if ((await count(url)) !== LINES) throw new Error("sqsctl lost messages");
    cli.push(s.wall);
    cliCpu.push(s.cpu);
    cliSend.push(JSON.parse(s.stdout).seconds);
    await client.send(new DeleteQueueCommand({ QueueUrl: url }));
  }
  const row = { concurrency: c, rawMsgS: Math.round(LINES / median(raw)), sqsctlMsgS: Math.round(LINES / median(cli)), sqsctlSendPhaseMsgS: Math.round(LINES / median(cliSend)) };
  row.ratio = (row.sqsctlMsgS / row.rawMsgS).toFixed(2);
  row.rawCpuUsPerMsg = Math.round((median(rawCpu) / LINES) * 1e6);
  row.sqsctlCpuUsPerMsg = Math.round((median(cliCpu) / LINES) * 1e6);
  results.push(row);
  console.log(JSON.stringify(row));
}
console.log("\n| concurrency | raw SDK loader msg/s | sqsctl send-batch msg/s (wall, incl. startup + validation pass) | sqsctl/raw | sqsctl send phase msg/s | client CPU µs/msg raw | client CPU µs/msg sqsctl |");
console.log("|---:|---:|---:|---:|---:|---:|---:|");
for (const r of results) console.log(`| ${r.concurrency} | ${r.rawMsgS} | ${r.sqsctlMsgS} | ${r.ratio} | ${r.sqsctlSendPhaseMsgS} | ${r.rawCpuUsPerMsg} | ${r.sqsctlCpuUsPerMsg} |`);

// Journal fsync policy at the default concurrency.
if (!process.argv.includes("--skip-journal")) console.log("\n| journal | msg/s (wall) |\n|---|---:|");
for (const [label, args, e] of process.argv.includes("--skip-journal") ? [] : [
  ["--no-journal", ["--no-journal"], {}],
  ["journal, fsync at most every 250 ms (default)", [], {}],
  ["journal, fsync after every record", [], { SQSCTL_JOURNAL_FSYNC_MS: "0" }],
]) {
  const walls = [];
  for (let rep = 0; rep < 3; rep++) {
    const url = await freshQueue();
    walls.push((await run(node, [BIN, "send-batch", url, file, ...args], e)).wall);
    await client.send(new DeleteQueueCommand({ QueueUrl: url }));
  }
  console.log(`| ${label} | ${Math.round(LINES / median(walls))} |`);
}

// The AWS CLI doing the same job: send-message-batch, 10 messages a call, in a shell-style loop.
if (!process.argv.includes("--skip-aws")) {
  let aws;
  for (const candidate of ["/usr/bin/aws", "aws"]) {
    try {
      execFileSync(candidate, ["--version"], { stdio: "ignore", env });
      aws = candidate;
      break;
    } catch {}
  }
  if (!aws) console.log("\nAWS CLI: not installed, skipped");
  else {
    const url = await freshQueue();
    const calls = 50;
    const entries = join(dir, "entries.json");
    writeFileSync(entries, JSON.stringify(Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: JSON.stringify({ id: i, pad: "x".repeat(160) }) }))));
    const version = execFileSync(aws, ["--version"], { env, encoding: "utf8" }).trim();
    const started = performance.now();
    for (let i = 0; i < calls; i++) await run(aws, ["sqs", "send-message-batch", "--queue-url", url, "--entries", `file://${entries}`, "--endpoint-url", endpoint]);
    const secs = (performance.now() - started) / 1000;
    console.log(`\nAWS CLI (${version}): ${calls} x send-message-batch of 10 in a loop: ${Math.round((calls * 10) / secs)} msg/s (${(secs / calls).toFixed(2)} s a call)`);
  }
}

// Peak RSS of sqsctl send-batch at growing file sizes (flat = constant memory).
if (!process.argv.includes("--skip-rss")) {
  console.log("\n| lines | file MB | peak RSS MB (sqsctl) | seconds | msg/s |\n|---:|---:|---:|---:|---:|");
  for (const n of [10_000, 100_000, RSS_LINES]) {
    const f = join(dir, `rss-${n}.ndjson`);
    await writeLines(f, n, 60);
    const url = await freshQueue();
    const r = await run(node, [BIN, "send-batch", url, f, "-o", "json"]);
    const rss = r.rssMb;
    const sent = JSON.parse(r.stdout);
    const mb = (await import("node:fs")).statSync(f).size / 1e6;
    console.log(`| ${n} | ${mb.toFixed(1)} | ${rss.toFixed(0)} | ${sent.seconds} | ${Math.round(sent.sent / sent.seconds)} |`);
    await client.send(new DeleteQueueCommand({ QueueUrl: url }));
  }
}

client.destroy();
server.kill("SIGTERM");
