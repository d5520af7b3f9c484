#!/usr/bin/env node
// `npm run record`: records the DLQ triage flow against the embedded server and renders
// it as docs/demo.svg, the picture at the top of the README. Everything in the picture
// is real output: each step runs the built CLI in a pseudo-terminal (so tables and
// colours are what you would see) and a headless xterm turns the bytes into a screen.
//
// Change the flow by editing STEPS. Check the result by converting it:
//   rsvg-convert docs/demo.svg -o /tmp/demo.png
import { spawn } from "@lydell/node-pty";
import xterm from "@xterm/headless";
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { rowsFromXterm, renderSvg } from "./lib/terminal-svg.mjs";

/** The flow shown: the commands an on-call engineer types, in order. */
const STEPS = [
  ["--local", "dlq", "list"],
  ["--local", "dlq", "inspect", "orders-dlq", "--group-by", "json.errorType", "--timeline"],
  ["--local", "dlq", "redrive", "orders-dlq", "--filter", "json.errorType == 'Timeout'", "--yes"],
  ["--local", "queues", "list"],
];
/** Shown when the tree has no dlq commands yet (the foundation alone). */
const FALLBACK_STEPS = [
  ["--local", "queues", "list"],
  ["--local", "queues", "show", "orders-dlq"],
];

const COLS = 104;
const BIN = process.env.SQSCTL_DEMO_BIN ?? fileURLToPath(new URL("../bin/sqsctl.js", import.meta.url));
const OUT = fileURLToPath(new URL("../docs/demo.svg", import.meta.url));


function runInPty(args, env) {
  return new Promise((resolve) => {
    const pty = spawn(process.execPath, [BIN, ...args], { cols: COLS, rows: 60, env, name: "xterm-256color" });
    let out = "";
    pty.onData((d) => (out += d));
    pty.onExit(({ exitCode }) => resolve({ out, exitCode }));
  });
}

async function seed(endpoint) {
  try {
    const { seedDemo } = await import("../dist-dev/local/demo-scene.js");
    const { Ui } = await import("../dist-dev/output/ui.js");
    const sink = { write: () => true, isTTY: false };
    const ui = new Ui({ stdout: sink, stderr: sink, stdin: process.stdin, env: {} }, { color: false, quiet: true });
    await seedDemo({ endpoint, ui, signal: new AbortController().signal });
    return;
  } catch (err) {
    if (err?.code !== "ERR_MODULE_NOT_FOUND") throw err;
  }
  await fallbackSeed(endpoint);
}

/** orders + orders-dlq with failures that reached the DLQ through real receives (maxReceiveCount 2). */
async function fallbackSeed(endpoint) {
  const sqs = await import("@aws-sdk/client-sqs");
  const client = new sqs.SQSClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  const dlqUrl = (await client.send(new sqs.CreateQueueCommand({ QueueName: "orders-dlq" }))).QueueUrl;
  const dlqArn = (await client.send(new sqs.GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }))).Attributes.QueueArn;
  const url = (
    await client.send(new sqs.CreateQueueCommand({ QueueName: "orders", Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }) } }))
  ).QueueUrl;
  const errors = ["Timeout", "ValidationError", "PaymentDeclined", "Timeout", null, null, null];
  for (let i = 0; i < 60; i += 10) {
    const Entries = Array.from({ length: 10 }, (_, k) => {
      const errorType = errors[(i + k) % errors.length];
      return { Id: `m${k}`, MessageBody: JSON.stringify({ orderId: `ord-${10000 + i + k}`, ...(errorType ? { errorType } : {}) }) };
    });
    await client.send(new sqs.SendMessageBatchCommand({ QueueUrl: url, Entries }));
  }
  for (let empty = 0; empty < 3; ) {
    const got = (await client.send(new sqs.ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 30 }))).Messages ?? [];
    if (got.length === 0) {
      empty++;
      continue;
    }
    empty = 0;
    for (const m of got) {
      const failed = JSON.parse(m.Body).errorType;
      if (failed) await client.send(new sqs.ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }));
      else await client.send(new sqs.DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
    }
  }
  client.destroy();
}

async function main() {
  const { startLocalServer } = await import("../dist-dev/local/server.js");
  const { shellCommand } = await import("../dist-dev/core/shell.js");
  const { execFileSync } = await import("node:child_process");
  const hasDlq = /^\s+dlq\b/m.test(execFileSync(process.execPath, [BIN, "--help"], { encoding: "utf8" }));
  const steps = hasDlq ? STEPS : FALLBACK_STEPS;
  if (!hasDlq) console.error("record: no dlq commands in this build; recording the fallback flow");

  const server = await startLocalServer({ port: 0, host: "127.0.0.1" });
  const home = mkdtempSync(join(tmpdir(), "sqsctl-record-"));
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: home,
    SQSCTL_HOME: home,
    TERM: "xterm-256color",
    COLORTERM: "truecolor",
    SQSCTL_LOCAL_PORT: String(server.port),
    LANG: "C.UTF-8",
  };
  const term = new xterm.Terminal({ cols: COLS, rows: 400, scrollback: 0, allowProposedApi: true });
  const write = (s) => new Promise((r) => term.write(s, r));
  try {
    await seed(server.endpoint);
    for (const [i, args] of steps.entries()) {
      if (i > 0) await write("\r\n");
      await write(`\u001b[32m$\u001b[0m \u001b[1msqsctl ${shellCommand(args)}\u001b[0m\r\n`);
      const { out, exitCode } = await runInPty(args, env);
      await write(out);
      console.error(`record: sqsctl ${args.join(" ")} -> exit ${exitCode}`);
      if (exitCode !== 0) throw new Error(`sqsctl ${args.join(" ")} exited ${exitCode}:\n${out}`);
    }
  } finally {
    await server.stop();
  }
  mkdirSync(join(OUT, ".."), { recursive: true });
  writeFileSync(OUT, renderSvg(rowsFromXterm(term), { title: "sqsctl: DLQ triage against the embedded server" }));
  console.error(`record: wrote ${OUT}`);
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
