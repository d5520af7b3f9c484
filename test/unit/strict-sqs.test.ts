import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  type Message,
} from "@aws-sdk/client-sqs";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { startFaultProxy } from "../helpers/fault-proxy.js";
import { startTestServer, TEST_CREDENTIALS, type TestServer } from "../helpers/local-server.js";
import { startStrictSqs, type StrictSqs } from "../helpers/strict-sqs.js";

let server: TestServer;
let strict: StrictSqs;
let client: SQSClient;
let counter = 0;

beforeAll(async () => {
  server = await startTestServer();
  strict = await startStrictSqs(server.endpoint);
  client = clientAt(strict.endpoint);
});
afterAll(async () => {
  client?.destroy();
  await strict?.close();
  await server?.close();
});
afterEach(() => {
  strict.configure({});
  strict.resetStats();
});

function clientAt(endpoint: string): SQSClient {
  return new SQSClient({ endpoint, region: "us-east-1", credentials: TEST_CREDENTIALS, maxAttempts: 1 });
}

async function queue(attrs: Record<string, string> = {}, fifo = false): Promise<string> {
  counter += 1;
  const name = `strict-${counter}${fifo ? ".fifo" : ""}`;
  const Attributes = fifo ? { FifoQueue: "true", ContentBasedDeduplication: "true", ...attrs } : attrs;
  return (await server.client.send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl!;
}

async function send(url: string, bodies: string[], group?: string): Promise<void> {
  for (let i = 0; i < bodies.length; i += 10) {
    const Entries = bodies.slice(i, i + 10).map((b, j) => ({ Id: `e${i + j}`, MessageBody: b, ...(group ? { MessageGroupId: group } : {}) }));
    const out = await server.client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries }));
    expect(out.Failed ?? []).toEqual([]);
  }
}

/** Visible + in flight, as the SERVER counts them (standard queues). */
async function onServer(url: string): Promise<{ visible: number; total: number }> {
  const out = await server.client.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }),
  );
  const v = Number(out.Attributes?.ApproximateNumberOfMessages);
  return { visible: v, total: v + Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible) };
}

async function receive(url: string, max = 10, VisibilityTimeout?: number): Promise<Message[]> {
  const out = await client.send(
    new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: max, WaitTimeSeconds: 0, MessageSystemAttributeNames: ["All"], ...(VisibilityTimeout !== undefined ? { VisibilityTimeout } : {}) }),
  );
  return out.Messages ?? [];
}

/** Polls (no fixed sleep decides the outcome) until `fn` gives a truthy value. */
async function until<T>(fn: () => Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function errorName(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
    return "ok";
  } catch (err) {
    return String((err as { name?: string }).name);
  }
}

describe("receipt handles (standard queue)", () => {
  test("each receive gets a fresh handle; a delete with a stale one succeeds without deleting, the newest deletes", async () => {
    const url = await queue();
    await send(url, ["one"]);
    const [first] = await receive(url, 1, 1);
    expect(first!.ReceiptHandle).toMatch(/^strict-/);
    const again = await until(async () => (await receive(url, 1, 30))[0], "the message to come back");
    expect(again.MessageId).toBe(first!.MessageId);
    expect(again.ReceiptHandle).not.toBe(first!.ReceiptHandle);
    expect(strict.receiveCount(first!.MessageId!)).toBe(2);

    await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first!.ReceiptHandle! }));
    expect(strict.stats.deletesNotDone).toEqual([first!.MessageId]);
    expect((await onServer(url)).total).toBe(1);

    await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: again.ReceiptHandle! }));
    expect(strict.stats.deleted).toEqual([first!.MessageId]);
    expect((await onServer(url)).total).toBe(0);
  });

  test("a lapsed handle (visibility ended): delete 'succeeds' without deleting, visibility change is MessageNotInflight", async () => {
    const url = await queue();
    await send(url, ["late"]);
    const [m] = await receive(url, 1, 1);
    await until(async () => Date.now() >= strict.holdEnds(m!.MessageId!)!, "the hold to lapse");
    expect(await errorName(() => client.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: m!.ReceiptHandle!, VisibilityTimeout: 30 })))).toBe(
      "MessageNotInflight",
    );
    await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m!.ReceiptHandle! }));
    expect(strict.stats.deletesNotDone).toEqual([m!.MessageId]);
    expect((await onServer(url)).total).toBe(1);
  });

  test("batch calls: stale entries are Failed for visibility changes and 'Successful' but not done for deletes", async () => {
    const url = await queue();
    await send(url, ["a", "b"]);
    const firsts = await until(async () => {
      const got = await receive(url, 10, 1);
      return got.length === 2 && got;
    }, "both messages");
    const seconds = await until(async () => {
      const got = await receive(url, 10, 30);
      return got.length === 2 && got;
    }, "both messages again");
    const byId = new Map(seconds.map((m) => [m.MessageId, m]));
    const a = firsts[0]!;
    const b = firsts[1]!;
    const cmv = await client.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: "stale", ReceiptHandle: a.ReceiptHandle!, VisibilityTimeout: 60 },
          { Id: "fresh", ReceiptHandle: byId.get(b.MessageId)!.ReceiptHandle!, VisibilityTimeout: 60 },
        ],
      }),
    );
    expect(cmv.Successful?.map((s) => s.Id)).toEqual(["fresh"]);
    expect(cmv.Failed?.map((f) => [f.Id, f.Code, f.SenderFault])).toEqual([["stale", "ReceiptHandleIsInvalid", true]]);

    const del = await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: "stale", ReceiptHandle: a.ReceiptHandle! },
          { Id: "fresh", ReceiptHandle: byId.get(b.MessageId)!.ReceiptHandle! },
        ],
      }),
    );
    expect(del.Successful?.map((s) => s.Id).sort()).toEqual(["fresh", "stale"]);
    expect(strict.stats.deletesNotDone).toEqual([a.MessageId]);
    expect(strict.stats.deleted).toEqual([b.MessageId]);
    expect((await onServer(url)).total).toBe(1);
  });

  test("a handle the layer never issued is ReceiptHandleIsInvalid", async () => {
    const url = await queue();
    expect(await errorName(() => client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: "bogus" })))).toBe("ReceiptHandleIsInvalid");
    expect(strict.stats.refused.ReceiptHandleIsInvalid).toBe(1);
  });

  test("maxVisibilitySeconds caps a receive's timeout, so a long hold lapses", async () => {
    strict.configure({ maxVisibilitySeconds: 1 });
    const url = await queue();
    await send(url, ["capped"]);
    const [m] = await receive(url, 1, 600);
    const again = await until(async () => (await receive(url, 1, 600))[0], "the capped hold to end");
    expect(again.MessageId).toBe(m!.MessageId);
  });
});

describe("FIFO", () => {
  test("one receive returns several messages of one group, in order; the group stays blocked while any is in flight", async () => {
    const url = await queue({}, true);
    await send(url, ["g1", "g2", "g3", "g4", "g5"], "g");
    await send(url, ["h1", "h2"], "h");
    const first = await receive(url, 3);
    expect(first.map((m) => m.Body)).toEqual(["g1", "g2", "g3"]);
    expect(first[0]!.Attributes?.MessageGroupId).toBe("g");
    const second = await receive(url, 10);
    expect(second.map((m) => m.Body)).toEqual(["h1", "h2"]);
    expect(await receive(url, 10)).toEqual([]);

    // Counts through the layer include what the layer holds.
    const attrs = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }),
    );
    expect(attrs.Attributes).toMatchObject({ ApproximateNumberOfMessages: "2", ApproximateNumberOfMessagesNotVisible: "5" });
    expect(strict.heldIds(url)).toHaveLength(7);

    // Release g's three: the whole group comes next, in order.
    await client.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: url, Entries: first.map((m, i) => ({ Id: `r${i}`, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })) }));
    const third = await receive(url, 10);
    expect(third.map((m) => m.Body)).toEqual(["g1", "g2", "g3", "g4", "g5"]);
    expect(third[0]!.Attributes?.ApproximateReceiveCount).toBe("2");

    // A stale handle on FIFO: ReceiptHandleIsInvalid, nothing deleted.
    expect(await errorName(() => client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first[0]!.ReceiptHandle! })))).toBe("ReceiptHandleIsInvalid");
    const del = await client.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: third.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })) }));
    expect(del.Successful).toHaveLength(5);
    expect(strict.heldIds(url)).toEqual(second.map((m) => m.MessageId));
  });

  test("a long poll on a held FIFO queue returns a message sent while it waits", async () => {
    const url = await queue({}, true);
    const pending = client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 10 }));
    await send(url, ["late1", "late2"], "g");
    const out = await pending;
    expect(out.Messages?.map((m) => m.Body)[0]).toBe("late1");
  });

  test("a message past maxReceiveCount moves to the FIFO DLQ with its MessageId and DeadLetterQueueSourceArn", async () => {
    const dlq = await queue({}, true);
    const dlqArn = (await server.client.send(new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
    const src = await queue({ RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) }, true);
    const srcArn = (await server.client.send(new GetQueueAttributesCommand({ QueueUrl: src, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
    await send(src, ["once"], "g");
    const [m] = await receive(src, 1);
    await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: src, ReceiptHandle: m!.ReceiptHandle!, VisibilityTimeout: 0 }));
    expect(await receive(src, 1)).toEqual([]);
    const [moved] = await receive(dlq, 1);
    expect(moved!.MessageId).toBe(m!.MessageId);
    expect(moved!.Attributes?.DeadLetterQueueSourceArn).toBe(srcArn);
    expect(strict.stats.deadLettered).toEqual([m!.MessageId]);
  });
});

describe("refused entries", () => {
  test("refuseEntry fails chosen SendMessageBatch entries inside a successful call; the rest are sent", async () => {
    const url = await queue();
    strict.configure({ refuseEntry: (e) => (e.MessageBody === "bad" ? { Code: "InvalidMessageContents" } : undefined) });
    const out = await client.send(
      new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: "a", MessageBody: "ok" }, { Id: "b", MessageBody: "bad" }, { Id: "c", MessageBody: "ok2" }] }),
    );
    expect(out.Successful?.map((s) => s.Id).sort()).toEqual(["a", "c"]);
    expect(out.Failed?.map((f) => [f.Id, f.Code, f.SenderFault])).toEqual([["b", "InvalidMessageContents", true]]);
    expect((await onServer(url)).total).toBe(2);
  });
});

describe("chaining", () => {
  test("works behind the fault proxy: a dropped-after delete still deleted in the layer, counts stay exact", async () => {
    const url = await queue();
    await send(url, ["x", "y"]);
    const proxy = await startFaultProxy(strict.endpoint, { seed: 3, actions: { DeleteMessageBatch: { drop: 1, timing: "after" } } });
    const via = clientAt(proxy.endpoint);
    try {
      const got = await until(async () => {
        const out = await via.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
        return out.Messages?.length === 2 && out.Messages;
      }, "both messages");
      expect(got.every((m) => m.ReceiptHandle!.startsWith("strict-"))).toBe(true);
      const outcome = await errorName(() => via.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: got.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })) })));
      expect(outcome).not.toBe("ok");
      expect(strict.stats.deleted.sort()).toEqual(got.map((m) => m.MessageId).sort());
      expect((await onServer(url)).total).toBe(0);
    } finally {
      via.destroy();
      await proxy.close();
    }
  });
});
