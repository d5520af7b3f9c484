import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, test } from "vitest";
import { targetResolver } from "../../src/commands/dlq/redrive-targets.js";
import type { SqsContext } from "../../src/sqs/client.js";
import { mapSdkError } from "../../src/sqs/errors.js";

const sqsMock = mockClient(SQSClient);
let client: SQSClient;
const ctx = (): SqsContext =>
  ({
    client,
    region: "us-east-1",
    endpoint: "http://mock",
    send: async (c: unknown) => {
      try {
        return await client.send(c as never);
      } catch (err) {
        throw mapSdkError(err, { region: "us-east-1", endpoint: "http://mock" });
      }
    },
    destroy: () => undefined,
  }) as SqsContext;
const dlq = { name: "dlq", url: "http://mock/111111111111/dlq", arn: "arn:aws:sqs:us-east-1:111111111111:dlq", fifo: false };
const only = { name: "other", url: "http://mock/111111111111/other", arn: "arn:aws:sqs:us-east-1:111111111111:other", maxReceiveCount: 3 };
const env = (arn?: string) => ({ body: "b", messageId: "m", ...(arn ? { sourceQueueArn: arn } : {}) });
const err = (name: string, status: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

beforeEach(() => {
  sqsMock.reset();
  client = new SQSClient({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
});

describe("redrive targets (issue 10 #3)", () => {
  test("a source ARN that names a deleted queue never falls back to the DLQ's only source: the message stays, with its reason", async () => {
    sqsMock.on(GetQueueUrlCommand).rejects(err("QueueDoesNotExist", 400));
    const resolve = targetResolver(ctx(), dlq, undefined, only);
    expect(await resolve(env("arn:aws:sqs:us-east-1:111111111111:gone"))).toEqual({ stay: "source queue does not exist (deleted?)" });
  });

  test("access denied, and another account or region, stay too", async () => {
    sqsMock.on(GetQueueUrlCommand).rejects(err("AccessDenied", 403));
    const resolve = targetResolver(ctx(), dlq, undefined, only);
    expect(await resolve(env("arn:aws:sqs:us-east-1:111111111111:secret"))).toEqual({ stay: "access denied to the source queue" });
    expect(await resolve(env("arn:aws:sqs:eu-west-1:111111111111:orders"))).toEqual({ stay: "source queue in another account or region" });
    expect(await resolve(env("arn:aws:sqs:us-east-1:222222222222:orders"))).toEqual({ stay: "source queue in another account or region" });
  });

  test("a throttled lookup is retried, and a lookup that keeps failing is not cached: the next message asks again", async () => {
    sqsMock
      .on(GetQueueUrlCommand)
      .rejectsOnce(err("ThrottlingException", 400))
      .rejectsOnce(err("ThrottlingException", 400))
      .rejectsOnce(err("ThrottlingException", 400))
      .rejectsOnce(err("ThrottlingException", 400))
      .resolves({ QueueUrl: "http://mock/111111111111/orders" });
    sqsMock.on(GetQueueAttributesCommand).resolves({ Attributes: { QueueArn: "arn:aws:sqs:us-east-1:111111111111:orders" } });
    const resolve = targetResolver(ctx(), dlq, undefined, only);
    const arn = "arn:aws:sqs:us-east-1:111111111111:orders";
    // four throttles in a row: this message stays (transient), nothing cached
    expect(await resolve(env(arn))).toEqual({ stay: "source lookup failed (ThrottlingException)" });
    // the next message asks again and gets the queue (then cached)
    expect(await resolve(env(arn))).toMatchObject({ target: { name: "orders" } });
    expect(await resolve(env(arn))).toMatchObject({ target: { name: "orders" } });
    expect(sqsMock.commandCalls(GetQueueUrlCommand)).toHaveLength(5);
  });

  test("no DeadLetterQueueSourceArn at all (servers that do not set it): the DLQ's only source", async () => {
    const resolve = targetResolver(ctx(), dlq, undefined, only);
    expect(await resolve(env())).toMatchObject({ target: { name: "other" } });
  });
});
