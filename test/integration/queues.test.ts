import { GetQueueAttributesCommand, GetQueueUrlCommand, SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCli } from "../helpers/cli.js";
import { startTestServer, type TestServer } from "../helpers/local-server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const cli = (args: string[], input?: string) => runCli(args, { env: server.env, ...(input !== undefined ? { input } : {}) });

async function visibleCount(name: string): Promise<number> {
  const { QueueUrl } = await server.client.send(new GetQueueUrlCommand({ QueueName: name }));
  const { Attributes } = await server.client.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages);
}

async function seed(name: string, n: number): Promise<void> {
  const { QueueUrl } = await server.client.send(new GetQueueUrlCommand({ QueueName: name }));
  for (let i = 0; i < n; i += 10) {
    const Entries = Array.from({ length: Math.min(10, n - i) }, (_, j) => ({ Id: `m${i + j}`, MessageBody: `body ${i + j}` }));
    const out = await server.client.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
    expect(out.Failed ?? []).toEqual([]);
  }
}

describe("queues create", () => {
  test("creates a queue with a DLQ and wires the redrive policy", async () => {
    const r = await cli(["queues", "create", "orders", "--create-dlq", "--max-receive", "3", "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const created = JSON.parse(r.stdout) as Array<{ name: string; role: string; created: boolean; arn: string }>;
    expect(created.map((q) => [q.name, q.role, q.created])).toEqual([
      ["orders", "queue", true],
      ["orders-dlq", "dlq", true],
    ]);
    const { QueueUrl } = await server.client.send(new GetQueueUrlCommand({ QueueName: "orders" }));
    const { Attributes } = await server.client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["RedrivePolicy"] }));
    expect(JSON.parse(Attributes!.RedrivePolicy!)).toMatchObject({ deadLetterTargetArn: created[1]!.arn, maxReceiveCount: 3 });
  });

  test("is idempotent with the same settings", async () => {
    const r = await cli(["queues", "create", "orders", "--create-dlq", "--max-receive", "3", "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as Array<{ created: boolean }>).every((q) => !q.created)).toBe(true);
  });

  test("refuses different settings on an existing queue and shows the difference", async () => {
    const r = await cli(["queues", "create", "orders", "--create-dlq", "--max-receive", "7", "--visibility-timeout", "2m"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Queue "orders" already exists with different settings');
    expect(r.stderr).toMatch(/VisibilityTimeout: existing 30, requested 120/);
    expect(r.stderr).toMatch(/RedrivePolicy: existing orders-dlq after 3 receives, requested orders-dlq after 7 receives/);
    const { QueueUrl } = await server.client.send(new GetQueueUrlCommand({ QueueName: "orders" }));
    const { Attributes } = await server.client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["VisibilityTimeout"] }));
    expect(Attributes?.VisibilityTimeout).toBe("30");
  });

  test("adds .fifo to a FIFO name and says so", async () => {
    const r = await cli(["queues", "create", "payments", "--fifo", "--content-based-dedup", "--create-dlq"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('creating "payments.fifo"');
    expect(r.stdout).toContain("payments-dlq.fifo");
  });

  test("a bad duration names the flag and exits 2", async () => {
    const r = await cli(["queues", "create", "bad", "--visibility-timeout", "13h"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--visibility-timeout: 13h is out of range");
    await expect(server.client.send(new GetQueueUrlCommand({ QueueName: "bad" }))).rejects.toThrow();
  });
});

describe("queues list and show", () => {
  test("list -o json has counts, DLQ and maxReceiveCount", async () => {
    await seed("orders", 4);
    const r = await cli(["queues", "list", "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    const orders = rows.find((q) => q.name === "orders");
    expect(orders).toMatchObject({ fifo: false, visible: 4, inFlight: 0, delayed: 0, deadLetterQueue: "orders-dlq", maxReceiveCount: 3 });
    expect(orders?.url).toMatch(/\/orders$/);
    expect(orders?.arn).toBe("arn:aws:sqs:us-east-1:000000000000:orders");
    expect(rows.find((q) => q.name === "orders-dlq")).toMatchObject({ deadLetterQueue: null, maxReceiveCount: null });
  });

  test("list piped prints plain columns", async () => {
    const r = await cli(["queues", "list", "--prefix", "orders"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^NAME\s+TYPE\s+VISIBLE/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(["orders", "orders-dlq"]);
  });

  test("show accepts a name, a URL and an ARN, and lists the DLQ's sources", async () => {
    const byName = await cli(["queues", "show", "orders-dlq", "-o", "json"]);
    expect(byName.code, byName.stderr).toBe(0);
    const shown = JSON.parse(byName.stdout) as { url: string; arn: string; deadLetterSources: Array<{ name: string; maxReceiveCount: number }> };
    expect(shown.deadLetterSources).toEqual([expect.objectContaining({ name: "orders", maxReceiveCount: 3 })]);
    for (const ref of [shown.url, shown.arn]) {
      const r = await cli(["queues", "show", ref, "-o", "json"]);
      expect(r.code, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as { arn: string }).arn).toBe(shown.arn);
    }
    const text = await cli(["queues", "show", "orders-dlq"]);
    expect(text.stdout).toMatch(/Retention\s+14d/);
    expect(text.stdout).toMatch(/Used as DLQ by\s+orders \(after 3 receives\)/);
  });

  test("an unknown queue exits 1 and names queue, region and endpoint", async () => {
    const r = await cli(["queues", "show", "no-such-queue"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Queue "no-such-queue" does not exist in region us-east-1 at ${server.endpoint}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("purge and delete", () => {
  test("purge without a TTY and without --yes refuses with exit 2 and leaves messages", async () => {
    await seed("orders-dlq", 3);
    const r = await cli(["purge", "orders-dlq"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Refusing to purge orders-dlq");
    expect(r.stderr).toContain("--yes");
    expect(await visibleCount("orders-dlq")).toBe(3);
  });

  test("purge --yes empties the queue and reports how many were there", async () => {
    const r = await cli(["purge", "orders-dlq", "--yes", "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ purged: "orders-dlq", messages: 3 });
    expect(await visibleCount("orders-dlq")).toBe(0);
  });

  test("queues delete refuses without --yes, deletes with it", async () => {
    await cli(["queues", "create", "temp"]);
    const refused = await cli(["queues", "delete", "temp"]);
    expect(refused.code).toBe(2);
    expect(await visibleCount("temp")).toBe(0);
    const r = await cli(["queues", "delete", "temp", "--yes"]);
    expect(r.code, r.stderr).toBe(0);
    await expect(server.client.send(new GetQueueUrlCommand({ QueueName: "temp" }))).rejects.toThrow();
  });
});

describe("usage errors", () => {
  test("a bad flag value exits 2 naming the flag", async () => {
    const r = await cli(["queues", "list", "-o", "xml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'-o, --output <format>' argument 'xml' is invalid");
  });

  test("an unknown command exits 2", async () => {
    const r = await cli(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command");
  });

  test("no region exits 2 with a hint", async () => {
    const r = await runCli(["queues", "list"], { env: { AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "y" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("No AWS region is set");
  });

  test("no credentials exits 4 quickly with how to provide them", async () => {
    const started = Date.now();
    const r = await runCli(["queues", "list", "--region", "us-east-1"], {
      env: { AWS_ENDPOINT_URL_SQS: server.endpoint, AWS_CONFIG_FILE: "/nonexistent", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent" },
    });
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toContain("No AWS credentials found");
    expect(r.stderr).toContain("--profile");
    // Not a timing assertion on speed: a guard that the metadata probe cannot hang the CLI.
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
