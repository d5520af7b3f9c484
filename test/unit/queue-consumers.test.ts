import { GetQueueAttributesCommand, GetQueueUrlCommand, ListDeadLetterSourceQueuesCommand, ListQueueTagsCommand, SQSClient } from "@aws-sdk/client-sqs";
import { LambdaClient, ListEventSourceMappingsCommand } from "@aws-sdk/client-lambda";
import { GetSubscriptionAttributesCommand, ListSubscriptionsCommand, SNSClient } from "@aws-sdk/client-sns";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { run } from "../../src/main.js";
import { clearMetricsCache, queueMetrics } from "../../src/sqs/metrics.js";
import type { SqsContext } from "../../src/sqs/client.js";
import { memoryIo } from "../helpers/memory-io.js";

const sqs = mockClient(SQSClient);
const lambda = mockClient(LambdaClient);
const sns = mockClient(SNSClient);
const cw = mockClient(CloudWatchClient);
const ENV = { AWS_REGION: "eu-west-1", AWS_ACCESS_KEY_ID: "AKIAUNITTEST00000000", AWS_SECRET_ACCESS_KEY: "unit-secret-0000" };
const URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/orders";
const ARN = "arn:aws:sqs:eu-west-1:123456789012:orders";

const awsError = (name: string, status = 400) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

beforeEach(() => {
  for (const m of [sqs, lambda, sns, cw]) m.reset();
  clearMetricsCache();
  sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: URL });
  sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { QueueArn: ARN, VisibilityTimeout: "30" } });
  sqs.on(ListQueueTagsCommand).resolves({ Tags: {} });
  sqs.on(ListDeadLetterSourceQueuesCommand).resolves({ queueUrls: [] });
});
afterEach(() => {
  for (const m of [sqs, lambda, sns, cw]) m.reset();
});

async function show(): Promise<{ code: number; json: Record<string, unknown>; stderr: string }> {
  const mem = memoryIo(ENV);
  const code = await run(["queues", "show", "orders", "-o", "json"], mem.io);
  return { code, json: code === 0 ? (JSON.parse(mem.stdout) as Record<string, unknown>) : {}, stderr: mem.stderr };
}

describe("queues show: consumers and metrics", () => {
  test("lists Lambda event source mappings, SNS subscriptions and CloudWatch metrics", async () => {
    // GIVEN a function triggered by the queue, a topic delivering to it (and one to another queue), and metrics
    lambda.on(ListEventSourceMappingsCommand, { EventSourceArn: ARN }).resolves({
      EventSourceMappings: [
        {
          UUID: "u1",
          FunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:process-orders",
          State: "Enabled",
          BatchSize: 10,
          ScalingConfig: { MaximumConcurrency: 5 },
          FunctionResponseTypes: ["ReportBatchItemFailures"],
        },
      ],
    });
    sns.on(ListSubscriptionsCommand).resolvesOnce({
      Subscriptions: [
        { SubscriptionArn: "arn:aws:sns:eu-west-1:123456789012:events:s1", Protocol: "sqs", Endpoint: ARN, TopicArn: "arn:aws:sns:eu-west-1:123456789012:events" },
        { SubscriptionArn: "arn:aws:sns:eu-west-1:123456789012:events:s2", Protocol: "sqs", Endpoint: `${ARN}-other`, TopicArn: "arn:aws:sns:eu-west-1:123456789012:events" },
      ],
      NextToken: "p2",
    }).resolvesOnce({ Subscriptions: [] });
    sns.on(GetSubscriptionAttributesCommand).resolves({ Attributes: { RawMessageDelivery: "true", FilterPolicy: '{"type":["order"]}', FilterPolicyScope: "MessageBody" } });
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: "age0", Values: [420, 300] },
        { Id: "sent0", Values: [600, 300, 0] },
        { Id: "received0", Values: [150] },
        { Id: "deleted0", Values: [] },
      ],
    });
    // WHEN
    const r = await show();
    // THEN
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.lambdaTriggers).toEqual([
      { functionName: "process-orders", functionArn: "arn:aws:lambda:eu-west-1:123456789012:function:process-orders", uuid: "u1", state: "Enabled", batchSize: 10, maximumConcurrency: 5, reportBatchItemFailures: true },
    ]);
    expect(r.json.snsSubscriptions).toEqual([
      expect.objectContaining({ topicName: "events", rawDelivery: true, filterPolicy: { type: ["order"] }, filterPolicyScope: "MessageBody" }),
    ]);
    expect(sns.commandCalls(ListSubscriptionsCommand)).toHaveLength(2);
    // 900 sent in three 5-minute periods is 60 a minute; the newest age datapoint wins
    expect(r.json.metrics).toEqual({ source: "CloudWatch", oldestAgeSeconds: 420, sentPerMinute: 60, receivedPerMinute: 30, deletedPerMinute: null });
    expect(r.json.unavailable).toEqual([]);
    const query = cw.commandCalls(GetMetricDataCommand)[0]!.args[0].input.MetricDataQueries!;
    expect(query.map((q) => q.MetricStat?.Metric?.MetricName)).toEqual(["ApproximateAgeOfOldestMessage", "NumberOfMessagesSent", "NumberOfMessagesReceived", "NumberOfMessagesDeleted"]);
  });

  test("a service without permission or not there is one note, and show still succeeds", async () => {
    lambda.on(ListEventSourceMappingsCommand).rejects(awsError("AccessDeniedException", 403));
    sns.on(ListSubscriptionsCommand).rejects(awsError("AuthorizationError", 403));
    cw.on(GetMetricDataCommand).rejects(awsError("InvalidAction"));
    const r = await show();
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ lambdaTriggers: null, snsSubscriptions: null, metrics: null });
    expect(r.json.unavailable).toEqual([
      "Lambda: no permission (lambda:ListEventSourceMappings).",
      "SNS: no permission (sns:ListSubscriptions).",
      "CloudWatch: not available at this endpoint.",
    ]);
    expect(r.stderr.split("\n").filter((l) => l.startsWith("note:"))).toHaveLength(3);
  });
});

describe("CloudWatch metrics", () => {
  const ctx = { region: "eu-west-1", endpoint: "https://sqs.eu-west-1.amazonaws.com" } as SqsContext;

  test("one GetMetricData for all queues, cached for a minute", async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: "age0", Values: [5] }, { Id: "age1", Values: [60] }] });
    const first = await queueMetrics(ctx, ["a", "b"], 1_000_000);
    expect(first.ok && [...first.byQueue.entries()].map(([n, m]) => [n, m.oldestAgeSeconds])).toEqual([["a", 5], ["b", 60]]);
    await queueMetrics(ctx, ["b", "a"], 1_030_000);
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(1);
    expect(cw.commandCalls(GetMetricDataCommand)[0]!.args[0].input.MetricDataQueries).toHaveLength(8);
    await queueMetrics(ctx, ["a", "b"], 1_061_000);
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(2);
  });
});
