import { CreateQueueCommand, ReceiveMessageCommand, SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { spawn } from "@lydell/node-pty";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BIN, runCli } from "../helpers/cli.js";
import { startTestServer, type TestServer } from "../helpers/local-server.js";

let server: TestServer;
let ordersUrl: string;
beforeAll(async () => {
  server = await startTestServer();
  const dlq = await server.client.send(new CreateQueueCommand({ QueueName: "watch-orders-dlq" }));
  const dlqArn = `arn:aws:sqs:us-east-1:000000000000:watch-orders-dlq`;
  const q = await server.client.send(
    new CreateQueueCommand({
      QueueName: "watch-orders",
      Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) },
    }),
  );
  ordersUrl = q.QueueUrl!;
  expect(dlq.QueueUrl).toBeTruthy();
  const out = await server.client.send(
    new SendMessageBatchCommand({ QueueUrl: ordersUrl, Entries: Array.from({ length: 5 }, (_, i) => ({ Id: `m${i}`, MessageBody: `order ${i}` })) }),
  );
  expect(out.Failed ?? []).toEqual([]);
  // Two messages in flight.
  const got = await server.client.send(new ReceiveMessageCommand({ QueueUrl: ordersUrl, MaxNumberOfMessages: 2, VisibilityTimeout: 300 }));
  expect(got.Messages).toHaveLength(2);
});
afterAll(async () => {
  await server?.close();
});

interface Sample {
  time: string;
  queue: string;
  visible: number;
  inFlight: number;
  delayed: number;
  depth: number;
  changePerMinute: number | null;
  isDlq: boolean;
  dlq: string | null;
  dlqDepth: number | null;
}

describe("piped: NDJSON samples", () => {
  test("one sample per queue per refresh, with the DLQ's depth, stopping after --count", async () => {
    const r = await runCli(["watch", "--prefix", "watch-orders", "--interval", "1s", "--count", "2"], { env: server.env });
    expect(r.code, r.stderr).toBe(0);
    const samples = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as Sample);
    expect(samples.map((s) => s.queue)).toEqual(["watch-orders", "watch-orders-dlq", "watch-orders", "watch-orders-dlq"]);
    expect(samples[0]).toMatchObject({ visible: 3, inFlight: 2, delayed: 0, depth: 5, isDlq: false, dlq: "watch-orders-dlq", dlqDepth: 0, changePerMinute: null });
    expect(samples[1]).toMatchObject({ depth: 0, isDlq: true, dlq: null });
    expect(samples[2]!.changePerMinute).toBe(0);
    expect(Date.parse(samples[2]!.time)).toBeGreaterThan(Date.parse(samples[0]!.time));
  });

  test("a DLQ's own sources give its depth even when only the source is named", async () => {
    const r = await runCli(["watch", "watch-orders", "--count", "1", "-o", "ndjson"], { env: server.env });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ queue: "watch-orders", dlq: "watch-orders-dlq", dlqDepth: 0 });
  });

  test("a queue that does not exist fails at once with exit 1", async () => {
    const r = await runCli(["watch", "no-such-queue", "--count", "1"], { env: server.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no-such-queue");
    expect(r.stdout).toBe("");
  });

  test("bad --count and --interval are usage errors", async () => {
    expect((await runCli(["watch", "--count", "0"], { env: server.env })).code).toBe(2);
    const r = await runCli(["watch", "--interval", "0s"], { env: server.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--interval");
  });
});

/** Runs watch in a real pseudo-terminal and collects everything it writes. */
function watchInPty(args: string[]) {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", TERM: "xterm-256color", ...server.env };
  const pty = spawn(process.execPath, [BIN, "watch", ...args], { cols: 110, rows: 20, env, name: "xterm-256color" });
  let output = "";
  pty.onData((d) => (output += d));
  const exited = new Promise<{ exitCode: number; signal?: number }>((resolve) => pty.onExit(resolve));
  const until = async (pred: (out: string) => boolean, what: string) => {
    for (let i = 0; i < 300 && !pred(output); i++) await new Promise((r) => setTimeout(r, 50));
    if (!pred(output)) throw new Error(`timed out waiting for ${what}; screen so far:\n${output}`);
  };
  return { pty, exited, until, output: () => output };
}

describe("on a terminal", () => {
  test("shows the queues full-screen; q restores the terminal and exits 0", async () => {
    const w = watchInPty(["--prefix", "watch-orders", "--interval", "1s"]);
    await w.until((o) => o.includes("watch-orders-dlq (dlq)"), "the first frame");
    expect(w.output()).toContain("\u001b[?1049h"); // alternate screen
    expect(w.output()).toContain("\u001b[?25l"); // cursor hidden
    expect(w.output()).toMatch(/watch-orders +3 +2 +0 +0/);
    w.pty.write("q");
    const { exitCode } = await w.exited;
    expect(exitCode).toBe(0);
    // The last thing written gives the cursor and the normal screen back.
    expect(w.output()).toMatch(/\u001b\[\?25h\u001b\[\?1049l[^\u001b]*$/);
  });

  test("SIGTERM also restores the terminal, and exits 130", async () => {
    const w = watchInPty(["watch-orders", "--interval", "1s"]);
    await w.until((o) => o.includes("q to quit"), "the first frame");
    w.pty.kill("SIGTERM");
    const { exitCode } = await w.exited;
    expect(exitCode).toBe(130);
    expect(w.output()).toContain("\u001b[?25h\u001b[?1049l");
    expect(w.output()).toContain("Stopped watching.");
  });
});
