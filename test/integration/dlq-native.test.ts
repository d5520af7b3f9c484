import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { spawn } from "node:child_process";
import { BIN, runCli } from "../helpers/cli.js";
import { startMoveTaskServer, type MoveTaskServer } from "../helpers/local-aws-sqs.js";
import { drain, sendAll, urlOf } from "../helpers/sqs-state.js";

let server: MoveTaskServer;
beforeAll(async () => {
  server = await startMoveTaskServer();
});
afterAll(async () => {
  await server?.close();
});

const cli = (args: string[]) => runCli(args, { env: server.env, timeoutMs: 60_000 });

async function dlqCount(): Promise<number> {
  const { Attributes } = await server.client.send(
    new GetQueueAttributesCommand({ QueueUrl: await urlOf(server.client, "billing-dlq"), AttributeNames: ["ApproximateNumberOfMessages"] }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages);
}

describe("native redrive (message move tasks, on local-aws-sqs)", () => {
  test("auto picks a move task, which moves every message back to its source, and moves shows it", async () => {
    // GIVEN billing -> billing-dlq after 1 receive, and 20 messages dead-lettered by real receives
    const dlqUrl = (await server.client.send(new CreateQueueCommand({ QueueName: "billing-dlq" }))).QueueUrl!;
    const dlqArn = (await server.client.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
    const srcUrl = (
      await server.client.send(
        new CreateQueueCommand({ QueueName: "billing", Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) } }),
      )
    ).QueueUrl!;
    await sendAll(server.client, "billing", Array.from({ length: 20 }, (_, i) => ({ MessageBody: `invoice-${i}`, MessageAttributes: { kind: { DataType: "String", StringValue: "invoice" } } })));
    for (let round = 0; round < 20 && (await dlqCount()) < 20; round++) {
      await server.client.send(new ReceiveMessageCommand({ QueueUrl: srcUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 0 }));
    }
    expect(await dlqCount()).toBe(20);

    // WHEN
    const r = await cli(["dlq", "redrive", "billing-dlq", "--yes", "-o", "json"]);

    // THEN
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("strategy  native: no --filter or --max, and the server has message move tasks");
    expect(JSON.parse(r.stdout)).toMatchObject({ strategy: "native", moved: 20, failed: 0, status: "COMPLETED" });
    expect(await dlqCount()).toBe(0);
    const back = await drain(server.client, "billing");
    expect(back.map((m) => m.Body).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `invoice-${i}`).sort());

    const moves = await cli(["dlq", "moves", "billing-dlq", "-o", "json"]);
    expect(moves.code, moves.stderr).toBe(0);
    expect(JSON.parse(moves.stdout)).toEqual([expect.objectContaining({ status: "COMPLETED", moved: 20, toMove: 20 })]);
  });

  test("--strategy native with --filter is a usage error", async () => {
    const r = await cli(["dlq", "redrive", "billing-dlq", "--strategy", "native", "--filter", "body == 'x'", "--yes"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("cannot use --filter or --max");
  });

  test("a running task shows in moves, and cancel stops it; the redrive then exits 1", async () => {
    // GIVEN billing-dlq holds 30 dead letters again
    for (let round = 0; round < 10; round++) {
      if (round === 0) await sendAll(server.client, "billing", Array.from({ length: 30 }, (_, i) => ({ MessageBody: `again-${i}` })));
      if ((await dlqCount()) >= 30) break;
      await server.client.send(new ReceiveMessageCommand({ QueueUrl: await urlOf(server.client, "billing"), MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 0 }));
    }
    await drain(server.client, "billing");
    expect(await dlqCount()).toBe(30);

    // WHEN a slow native redrive runs (1 message a second)
    const child = spawn(process.execPath, [BIN, "dlq", "redrive", "billing-dlq", "--yes", "--rate", "1", "-o", "json"], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", NO_COLOR: "1", ...server.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    const exited = new Promise<number | null>((r) => child.once("close", (c) => r(c)));
    let running: { taskHandle: string; status: string } | undefined;
    for (let i = 0; i < 50 && !running; i++) {
      const m = await cli(["dlq", "moves", "billing-dlq", "-o", "json"]);
      running = (JSON.parse(m.stdout || "[]") as Array<{ taskHandle: string; status: string }>).find((t) => t.status === "RUNNING");
      if (!running) await new Promise((r) => setTimeout(r, 200));
    }
    expect(running?.taskHandle).toBeTruthy();

    // THEN cancel stops it, the redrive reports the cancellation, and the rest stay in the DLQ
    const c = await cli(["dlq", "cancel", running!.taskHandle, "-o", "json"]);
    expect(c.code, c.stderr).toBe(0);
    expect(JSON.parse(c.stdout)).toMatchObject({ cancelled: running!.taskHandle });
    expect(await exited).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ strategy: "native", status: "CANCELLED" });
    const left = await dlqCount();
    expect(left).toBeGreaterThan(0);
    expect(left + (await drain(server.client, "billing")).length).toBe(30);
  });
});
