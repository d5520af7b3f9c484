import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestServer, type TestServer } from "../helpers/local-server.js";

/** What the launcher fixes in the embedded server (src/local/server.ts, patchFauxqs). */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

describe("embedded server, as SQS documents it", () => {
  test("bodies with supplementary-plane characters (emoji) are accepted and come back unchanged", async () => {
    const { QueueUrl } = await server.client.send(new CreateQueueCommand({ QueueName: "emoji" }));
    const body = "order 🚀 shipped 𝄞 — ok";
    await server.client.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
    const batch = await server.client.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: "a", MessageBody: "batch 😀" }] }));
    expect(batch.Failed ?? []).toEqual([]);
    const got = await server.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    expect(got.Messages?.map((m) => m.Body).sort()).toEqual(["batch 😀", body].sort());
  });

  test("characters SQS refuses are still refused (a lone surrogate, U+FFFF)", async () => {
    const { QueueUrl } = await server.client.send(new CreateQueueCommand({ QueueName: "bad-chars" }));
    for (const bad of ["lone \uD83D surrogate", "not \uFFFF allowed"]) {
      await expect(server.client.send(new SendMessageCommand({ QueueUrl, MessageBody: bad }))).rejects.toMatchObject({ name: expect.stringMatching(/InvalidMessageContents/) });
    }
  });

  test("queue URLs name the host the client used, not sqs.<region>.localhost", async () => {
    const { QueueUrl } = await server.client.send(new CreateQueueCommand({ QueueName: "where" }));
    expect(QueueUrl).toBe(`${server.endpoint}/000000000000/where`);
    expect((await server.client.send(new GetQueueUrlCommand({ QueueName: "where" }))).QueueUrl).toBe(QueueUrl);
  });

  test("ListDeadLetterSourceQueues names every queue whose RedrivePolicy targets the DLQ", async () => {
    const { QueueUrl: dlq } = await server.client.send(new CreateQueueCommand({ QueueName: "lds-dlq" }));
    const arn = (await server.client.send(new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
    const policy = { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: 2 }) };
    const a = (await server.client.send(new CreateQueueCommand({ QueueName: "lds-a", Attributes: policy }))).QueueUrl;
    const b = (await server.client.send(new CreateQueueCommand({ QueueName: "lds-b", Attributes: policy }))).QueueUrl;
    await server.client.send(new CreateQueueCommand({ QueueName: "lds-other" }));
    const out = await server.client.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }));
    expect(out.queueUrls).toEqual([a, b]);
    await expect(server.client.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: `${server.endpoint}/000000000000/nope` }))).rejects.toMatchObject({
      name: expect.stringMatching(/QueueDoesNotExist/),
    });
  });

  test("a message the server moved to a DLQ carries DeadLetterQueueSourceArn (standard and FIFO)", async () => {
    for (const fifo of [false, true]) {
      const suffix = fifo ? ".fifo" : "";
      const attrs = fifo ? { FifoQueue: "true", ContentBasedDeduplication: "true" } : {};
      const { QueueUrl: dlq } = await server.client.send(new CreateQueueCommand({ QueueName: `dlsa-dlq${suffix}`, Attributes: attrs }));
      const arn = (await server.client.send(new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
      const { QueueUrl: src } = await server.client.send(
        new CreateQueueCommand({ QueueName: `dlsa-src${suffix}`, Attributes: { ...attrs, RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: 1 }) } }),
      );
      const srcArn = (await server.client.send(new GetQueueAttributesCommand({ QueueUrl: src, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
      await server.client.send(new SendMessageCommand({ QueueUrl: src, MessageBody: "x", ...(fifo ? { MessageGroupId: "g" } : {}) }));
      // Receive it once (hold 0 s: back at once), then the next receive moves it to the DLQ.
      const first = await server.client.send(new ReceiveMessageCommand({ QueueUrl: src, VisibilityTimeout: 0 }));
      expect(first.Messages).toHaveLength(1);
      expect((await server.client.send(new ReceiveMessageCommand({ QueueUrl: src }))).Messages ?? []).toEqual([]);
      const got = await server.client.send(new ReceiveMessageCommand({ QueueUrl: dlq, MessageSystemAttributeNames: ["All"] }));
      expect(got.Messages?.[0]?.MessageId).toBe(first.Messages![0]!.MessageId);
      expect(got.Messages?.[0]?.Attributes?.DeadLetterQueueSourceArn).toBe(srcArn);
    }
  });
});
