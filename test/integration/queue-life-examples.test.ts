import { spawn } from "node:child_process";
import { CreateQueueCommand, SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, expect, test } from "vitest";
import { BIN, runCli } from "../helpers/cli.js";
import { startTestServer, type TestServer } from "../helpers/local-server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  // The queues the examples name: orders (with a DLQ, both holding messages) and billing.
  const dlq = await server.client.send(new CreateQueueCommand({ QueueName: "orders-dlq" }));
  const orders = await server.client.send(
    new CreateQueueCommand({
      QueueName: "orders",
      Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: "arn:aws:sqs:us-east-1:000000000000:orders-dlq", maxReceiveCount: 5 }) },
    }),
  );
  await server.client.send(new CreateQueueCommand({ QueueName: "billing" }));
  for (const url of [orders.QueueUrl!, dlq.QueueUrl!]) {
    const Entries = Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: `{"n": ${i}}` }));
    await server.client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries }));
  }
});
afterAll(async () => {
  await server?.close();
});

/** The "$ ..." lines of a command's Examples block, exactly as --help prints them. */
async function examplesOf(command: string[]): Promise<string[]> {
  const r = await runCli([...command, "--help"], { env: server.env });
  const block = r.stdout.split("\nExamples:\n")[1] ?? "";
  return block.split("\n").filter((l) => l.startsWith("  $ ")).map((l) => l.slice(4));
}

/** Runs the lines in one bash, in order (so HANDLE=$(...) feeds the next line), with sqsctl as the built CLI. */
async function runInBash(lines: string[]): Promise<Array<{ line: string; code: number }>> {
  const script = [
    `sqsctl() { "${process.execPath}" "${BIN}" "$@"; }`,
    ...lines.flatMap((l, i) => [l, `echo "@@EXIT ${i} $?"`]),
  ].join("\n");
  // Not spawnSync: the server runs in this process and must keep answering.
  const child = spawn("bash", ["-c", script], { env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", NO_COLOR: "1", ...server.env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.resume();
  await new Promise((resolve) => child.on("close", resolve));
  const codes = new Map([...stdout.matchAll(/^@@EXIT (\d+) (\d+)$/gm)].map((m) => [Number(m[1]), Number(m[2])]));
  return lines.map((line, i) => ({ line, code: codes.get(i) ?? -1 }));
}

test.each([
  [["queues", "allow"]],
  [["queues", "deny"]],
  [["queues", "update"]],
  [["delete"]],
  [["visibility"]],
])("the help examples of %j run as written in bash", async (command) => {
  const lines = await examplesOf(command);
  expect(lines.length).toBeGreaterThan(1);
  for (const r of await runInBash(lines)) expect(r.code, r.line).toBe(0);
});
