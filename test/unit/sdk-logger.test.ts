import { GetQueueUrlCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { expect, test } from "vitest";
import { Ui } from "../../src/output/ui.js";
import { sdkLogger } from "../../src/sqs/client.js";
import { memoryIo } from "../helpers/memory-io.js";

test("the SDK logger has no info, so the SDK does not filter each call's input and output for a record nobody reads", async () => {
  // GIVEN sqsctl's SDK logger, with --debug on
  const mem = memoryIo({});
  const ui = new Ui(mem.io as never, { debug: true } as never);
  const logger = sdkLogger(ui);
  expect("info" in logger).toBe(false);
  // WHEN a call goes through a client that uses it, and one fails
  const sqs = mockClient(SQSClient);
  sqs.on(GetQueueUrlCommand, { QueueName: "ok" }).resolves({ QueueUrl: "http://x/1/ok" });
  sqs.on(GetQueueUrlCommand, { QueueName: "gone" }).rejects(Object.assign(new Error("no such queue"), { name: "QueueDoesNotExist" }));
  const client = new SQSClient({ region: "us-east-1", logger, credentials: { accessKeyId: "a", secretAccessKey: "b" } });
  // THEN both work as before: the answer comes back, the failure is an error, and nothing throws for want of info
  expect((await client.send(new GetQueueUrlCommand({ QueueName: "ok" }))).QueueUrl).toBe("http://x/1/ok");
  await expect(client.send(new GetQueueUrlCommand({ QueueName: "gone" }))).rejects.toThrow("no such queue");
  sqs.restore();
});
