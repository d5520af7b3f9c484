// Shared pieces of bench/latency.mjs and bench/dlq-scale.mjs: a local server in its own
// process (fauxqs via `sqsctl local`, or local-aws-sqs), queue set-up, and timing a
// subprocess under /usr/bin/time (wall, CPU, peak RSS).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import http from "node:http";
import { NodeHttpHandler } from "@smithy/node-http-handler";

/** The CLI under test; SQSCTL_BENCH_BIN measures another build (e.g. a branch checked out elsewhere). */
export const BIN = process.env.SQSCTL_BENCH_BIN || fileURLToPath(new URL("../bin/sqsctl.js", import.meta.url));
export const node = process.execPath;
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** kind: "fauxqs" (sqsctl local) or "local-aws-sqs"; each in its own process. */
export async function startServer(kind) {
  const args =
    kind === "fauxqs"
      ? [BIN, "local", "--port", "0", "-o", "json"]
      : [
          "--input-type=module",
          "-e",
          `import { createSqsServer } from "local-aws-sqs"; const s = await createSqsServer({ port: 0, hostname: "127.0.0.1", emulateQueueCreationLifecycle: false }); console.log(JSON.stringify({ port: s.address().port }));`,
        ];
  const child = spawn(node, args, { stdio: ["ignore", "pipe", "inherit"], cwd: fileURLToPath(new URL("..", import.meta.url)) });
  const { port } = await new Promise((resolve, reject) => {
    let text = "";
    const onData = (d) => {
      text += d;
      const m = /"port":\s*(\d+)/.exec(text);
      if (m) {
        child.stdout.off("data", onData);
        child.stdout.resume();
        resolve({ port: Number(m[1]) });
      }
    };
    child.stdout.on("data", onData);
    child.once("exit", (c) => reject(new Error(`${kind} exited ${c}`)));
  });
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => child.kill("SIGTERM"), pid: child.pid };
}

export function sdk(endpoint) {
  return new SQSClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    useQueueUrlAsEndpoint: false,
    requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true, maxSockets: 16 }) }),
  });
}

export async function attr(client, url, name) {
  const r = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: [name] }));
  return r.Attributes?.[name];
}

let seq = 0;
/** A DLQ (with a source queue whose redrive policy names it) holding n messages of ~300 B. */
export async function dlqScene(client, n, { errorTypes = ["Timeout", "Declined", "Invalid", "Throttled"] } = {}) {
  seq += 1;
  const tag = `${process.pid}-${seq}`;
  const dlq = (await client.send(new CreateQueueCommand({ QueueName: `bench-dlq-${tag}` }))).QueueUrl;
  const dlqArn = await attr(client, dlq, "QueueArn");
  const src = (
    await client.send(new CreateQueueCommand({ QueueName: `bench-src-${tag}`, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1000 }) } }))
  ).QueueUrl;
  await fill(client, dlq, n, errorTypes);
  return { dlq, src, dlqName: `bench-dlq-${tag}`, srcName: `bench-src-${tag}` };
}

export async function fill(client, url, n, errorTypes = ["Timeout", "Declined", "Invalid", "Throttled"]) {
  const pad = "x".repeat(200);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < n) {
        const start = next;
        next += 10;
        const Entries = Array.from({ length: Math.min(10, n - start) }, (_, j) => ({
          Id: String(j),
          MessageBody: JSON.stringify({ n: start + j, errorType: errorTypes[(start + j) % errorTypes.length], pad }),
          MessageAttributes: { reason: { DataType: "String", StringValue: errorTypes[(start + j) % errorTypes.length] } },
        }));
        const out = await client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries }));
        if (out.Failed?.length) throw new Error(`fill failed: ${JSON.stringify(out.Failed[0])}`);
      }
    }),
  );
}

export async function drop(client, ...urls) {
  for (const u of urls) await client.send(new DeleteQueueCommand({ QueueUrl: u })).catch(() => undefined);
}

/**
 * Runs a command under /usr/bin/time: wall s, CPU s (user+sys), peak RSS MB, stdout.
 * A non-zero exit rejects, unless `allowFail`: then it resolves with `code` and stderr too.
 */
export function run(cmd, args, env, { allowFail = false } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn("/usr/bin/time", ["-f", "BENCHTIME %U %S %M", cmd, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => {
      const m = /BENCHTIME ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
      if (code !== 0 && !(allowFail && m)) return reject(new Error(`${cmd} ${args.join(" ")} -> ${code}\n${stderr.slice(-2000)}`));
      resolve({ code, stdout, stderr, wall: (performance.now() - started) / 1000, cpu: Number(m[1]) + Number(m[2]), rssMb: Number(m[3]) / 1024 });
    });
  });
}

export function cliEnv(endpoint, home) {
  return {
    PATH: process.env.PATH,
    HOME: home,
    XDG_STATE_HOME: `${home}/state`,
    AWS_ENDPOINT_URL_SQS: endpoint,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    NO_COLOR: "1",
  };
}
