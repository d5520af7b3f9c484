import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueueTagsCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
} from "@aws-sdk/client-sqs";
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCli } from "../helpers/cli.js";
import { startTestServer, TEST_CREDENTIALS, type TestServer } from "../helpers/local-server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const cli = (args: string[]) => runCli(args, { env: server.env });

async function urlOf(name: string): Promise<string> {
  return (await server.client.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
}
async function attrs(name: string): Promise<Record<string, string>> {
  return (await server.client.send(new GetQueueAttributesCommand({ QueueUrl: await urlOf(name), AttributeNames: ["All"] }))).Attributes ?? {};
}
async function create(name: string, attributes: Record<string, string> = {}): Promise<string> {
  return (await server.client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl!;
}
const arn = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;

describe("queues update", () => {
  test("changes only what differs, shows before/after, and a re-run is a no-op (exit 0)", async () => {
    await create("upd-a");
    const r = await cli(["queues", "update", "upd-a", "--visibility-timeout", "2m", "--delay", "5s", "--tag", "team=ops"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Visibility timeout +30s +-> +2m \(120s\)/);
    expect(r.stdout).toMatch(/Delivery delay +0s +-> +5s/);
    expect(r.stdout).toMatch(/tag team +\(none\) +-> +ops/);
    expect(r.stdout).not.toMatch(/Retention/);
    const a = await attrs("upd-a");
    expect([a.VisibilityTimeout, a.DelaySeconds]).toEqual(["120", "5"]);
    expect((await server.client.send(new ListQueueTagsCommand({ QueueUrl: await urlOf("upd-a") }))).Tags).toEqual({ team: "ops" });

    const again = await cli(["queues", "update", "upd-a", "--visibility-timeout", "2m", "--delay", "5s", "--tag", "team=ops", "-o", "json"]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ queue: "upd-a", changes: [], applied: false });
  });

  test("--dry-run prints the diff and changes nothing", async () => {
    await create("upd-dry");
    const r = await cli(["queues", "update", "upd-dry", "--visibility-timeout", "90s", "--dry-run"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Would change upd-dry/);
    expect(r.stderr).toContain("Dry run: nothing was changed.");
    expect((await attrs("upd-dry")).VisibilityTimeout).toBe("30");
  });

  test("risky changes without --yes off a terminal exit 2 and change nothing; with --yes they apply", async () => {
    await create("upd-risk-dlq");
    await create("upd-risk-dlq2");
    await create("upd-risk", { MessageRetentionPeriod: "345600", RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn("upd-risk-dlq"), maxReceiveCount: 5 }) });
    for (const args of [["--retention", "1d"], ["--no-dlq"], ["--dlq", "upd-risk-dlq2"], ["--max-receive", "2"], ["--no-sse"]]) {
      const r = await cli(["queues", "update", "upd-risk", ...args]);
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain("Re-run with --yes");
    }
    const before = await attrs("upd-risk");
    expect(before.MessageRetentionPeriod).toBe("345600");
    expect(JSON.parse(before.RedrivePolicy!)).toMatchObject({ deadLetterTargetArn: arn("upd-risk-dlq"), maxReceiveCount: 5 });

    const r = await cli(["queues", "update", "upd-risk", "--retention", "1d", "--max-receive", "2", "--yes", "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { changes: Array<{ setting: string; risk?: string }>; applied: boolean };
    expect(out.applied).toBe(true);
    expect(out.changes.map((c) => [c.setting, Boolean(c.risk)])).toEqual([
      ["MessageRetentionPeriod", true],
      ["RedrivePolicy", true],
    ]);
    const after = await attrs("upd-risk");
    expect(after.MessageRetentionPeriod).toBe("86400");
    expect(JSON.parse(after.RedrivePolicy!)).toMatchObject({ deadLetterTargetArn: arn("upd-risk-dlq"), maxReceiveCount: 2 });
  });

  test("--create-dlq wires a new NAME-dlq; --max-receive alone keeps the DLQ; --no-dlq --yes removes it", async () => {
    await create("upd-wire");
    const r = await cli(["queues", "update", "upd-wire", "--create-dlq", "--max-receive", "4"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("create queue upd-wire-dlq");
    expect(JSON.parse((await attrs("upd-wire")).RedrivePolicy!)).toMatchObject({ deadLetterTargetArn: arn("upd-wire-dlq"), maxReceiveCount: 4 });
    expect((await attrs("upd-wire-dlq")).MessageRetentionPeriod).toBe("1209600");

    expect((await cli(["queues", "update", "upd-wire", "--max-receive", "6"])).code).toBe(0);
    expect(JSON.parse((await attrs("upd-wire")).RedrivePolicy!)).toMatchObject({ deadLetterTargetArn: arn("upd-wire-dlq"), maxReceiveCount: 6 });

    const off = await cli(["queues", "update", "upd-wire", "--no-dlq", "--yes"]);
    expect(off.code, off.stderr).toBe(0);
    expect((await attrs("upd-wire")).RedrivePolicy ?? "").toBe("");
  });

  test("refuses before sending anything: DLQ of the wrong type, a DLQ whose allow policy refuses, bad ranges, a bad KMS key id", async () => {
    await create("upd-val");
    await create("upd-val-fifo.fifo", { FifoQueue: "true" });
    await create("upd-val-closed", { RedriveAllowPolicy: JSON.stringify({ redrivePermission: "denyAll" }) });
    await create("upd-val-byq", { RedriveAllowPolicy: JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [arn("someone-else")] }) });
    const cases: Array<[string[], RegExp]> = [
      [["--dlq", "upd-val-fifo.fifo"], /is a FIFO queue, but "upd-val" is standard/],
      [["--dlq", "upd-val-closed"], /denyAll/],
      [["--dlq", "upd-val-byq"], /lets only someone-else use it, not "upd-val"/],
      [["--dlq", "arn:aws:sqs:eu-west-1:000000000000:upd-val-closed"], /is in region eu-west-1/],
      [["--visibility-timeout", "13h"], /--visibility-timeout: 13h is out of range/],
      [["--kms-key", "not a key"], /--kms-key: "not a key" is not a KMS key id/],
      [["--kms-key", "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"], /the key is in eu-west-1/],
      [["--content-based-dedup"], /standard queue/],
      [["--max-receive", "3"], /has no dead-letter queue/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(["queues", "update", "upd-val", ...args, "--yes"]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    const a = await attrs("upd-val");
    expect([a.RedrivePolicy ?? "", a.VisibilityTimeout, a.KmsMasterKeyId ?? ""]).toEqual(["", "30", ""]);
  });

  test("--redrive-allow sets who may use the queue as a DLQ, by name", async () => {
    await create("upd-ra-src");
    await create("upd-ra");
    const r = await cli(["queues", "update", "upd-ra", "--redrive-allow", "upd-ra-src"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse((await attrs("upd-ra")).RedriveAllowPolicy!)).toEqual({ redrivePermission: "byQueue", sourceQueueArns: [arn("upd-ra-src")] });
    // ...and the queue it names may now use it
    expect((await cli(["queues", "update", "upd-ra-src", "--dlq", "upd-ra"])).code).toBe(0);
  });
});

describe("access policy", () => {
  test("allow adds the documented statement once, keeps others; show renders it; deny removes one by Sid", async () => {
    await create("pol");
    const topic = "arn:aws:sns:us-east-1:000000000000:pol-events";
    const first = await cli(["queues", "allow", "pol", "--from-sns", topic]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/\+ AllowSnspolevents: Allow, principal Service: sns\.amazonaws\.com, sqs:SendMessage/);
    const again = await cli(["queues", "allow", "pol", "--from-sns", topic]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("No changes");
    expect((await cli(["queues", "allow", "pol", "--from-s3", "pol-bucket"])).code).toBe(0);
    expect((await cli(["queues", "allow", "pol", "--from-account", "210987654321"])).code).toBe(0);
    expect((await cli(["queues", "allow", "pol", "--from-eventbridge", "arn:aws:events:us-east-1:000000000000:rule/nightly"])).code).toBe(0);

    const policy = JSON.parse((await attrs("pol")).Policy!) as { Statement: Array<{ Sid: string; Principal: unknown; Condition?: unknown }> };
    expect(policy.Statement.map((s) => s.Sid)).toEqual(["AllowSnspolevents", "AllowS3polbucket", "AllowAccount210987654321", "AllowEventsnightly"]);
    expect(policy.Statement[0]).toMatchObject({ Principal: { Service: "sns.amazonaws.com" }, Condition: { ArnEquals: { "aws:SourceArn": topic } } });
    expect(policy.Statement[1]).toMatchObject({
      Principal: { Service: "s3.amazonaws.com" },
      Condition: { ArnLike: { "aws:SourceArn": "arn:aws:s3:*:*:pol-bucket" }, StringEquals: { "aws:SourceAccount": "000000000000" } },
    });

    const show = await cli(["queues", "show", "pol"]);
    expect(show.stdout).toMatch(/Access policy +AllowSnspolevents: Allow, principal Service: sns\.amazonaws\.com, sqs:SendMessage, on pol, if aws:SourceArn ArnEquals/);

    const deny = await cli(["queues", "deny", "pol", "--sid", "AllowS3polbucket"]);
    expect(deny.code, deny.stderr).toBe(0);
    expect(deny.stdout).toMatch(/- AllowS3polbucket: Allow/);
    const left = JSON.parse((await attrs("pol")).Policy!) as { Statement: Array<{ Sid: string }> };
    expect(left.Statement.map((s) => s.Sid)).toEqual(["AllowSnspolevents", "AllowAccount210987654321", "AllowEventsnightly"]);
    const missing = await cli(["queues", "deny", "pol", "--sid", "Nope"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("Its statements: AllowSnspolevents");
  });

  test("update --policy replaces it after JSON and shape checks", async () => {
    await create("pol-file");
    const dir = mkdtempSync(join(tmpdir(), "sqsctl-pol-"));
    const bad = join(dir, "bad.json");
    writeFileSync(bad, '{"Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage"}]}');
    const r = await cli(["queues", "update", "pol-file", "--policy", bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('statement 1: "Principal" is missing');
    const good = join(dir, "good.json");
    writeFileSync(good, JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "Mine", Effect: "Allow", Principal: { AWS: "arn:aws:iam::210987654321:root" }, Action: "sqs:SendMessage", Resource: arn("pol-file") }] }));
    const ok = await cli(["queues", "update", "pol-file", "--policy", good]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/\+ Mine: Allow/);
    expect(JSON.parse((await attrs("pol-file")).Policy!).Statement[0].Sid).toBe("Mine");
    expect((await cli(["queues", "update", "pol-file", "--policy", good])).stdout).toContain("No changes");
  });
});

describe("queues show: who consumes", () => {
  test("lists SNS subscriptions end to end, and says in one line that Lambda is not there", async () => {
    await create("consumed");
    const sns = new SNSClient({ endpoint: server.endpoint, region: "us-east-1", credentials: TEST_CREDENTIALS });
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "consumed-events" }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: arn("consumed"), Attributes: { RawMessageDelivery: "true", FilterPolicy: '{"kind":["order"]}' } }));
    // The subscription is real: a published message arrives.
    await sns.send(publish(TopicArn!));
    const got = await server.client.send(new ReceiveMessageCommand({ QueueUrl: await urlOf("consumed"), WaitTimeSeconds: 5 }));
    expect(got.Messages?.[0]?.Body).toBe("hello");
    sns.destroy();

    const r = await cli(["queues", "show", "consumed", "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { snsSubscriptions: unknown[]; lambdaTriggers: unknown; unavailable: string[] };
    expect(out.snsSubscriptions).toEqual([
      expect.objectContaining({ topicArn: TopicArn, topicName: "consumed-events", rawDelivery: true, filterPolicy: { kind: ["order"] } }),
    ]);
    expect(out.lambdaTriggers).toBeNull();
    expect(out.unavailable).toContain("Lambda: not available at this endpoint.");
    expect(r.stderr.match(/note: Lambda/g)).toHaveLength(1);

    const table = await cli(["queues", "show", "consumed"]);
    expect(table.stdout).toMatch(/SNS subscriptions +consumed-events \(raw, filter on attributes \{"kind":\["order"\]\}\)/);
    expect(table.stdout).toMatch(/Lambda triggers +n\/a/);
    expect(table.stdout).toMatch(/Oldest message \(CW\) +n\/a/);
  });
});

function publish(topicArn: string): PublishCommand {
  return new PublishCommand({ TopicArn: topicArn, Message: "hello", MessageAttributes: { kind: { DataType: "String", StringValue: "order" } } });
}

describe("queues delete", () => {
  test("warns and names the sources when the queue is another queue's DLQ; needs --yes off a terminal", async () => {
    await create("del-dlq");
    await create("del-src", { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn("del-dlq"), maxReceiveCount: 3 }) });
    const r = await cli(["queues", "delete", "del-dlq"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("del-dlq is the dead-letter queue of del-src");
    const ok = await cli(["queues", "delete", "del-dlq", "--yes", "-o", "json"]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ deleted: "del-dlq", deadLetterQueueOf: ["del-src"] });
  });
});

describe("scripted message operations", () => {
  async function seed(name: string, n: number): Promise<string> {
    const url = await create(name);
    for (let i = 0; i < n; i += 10) {
      const Entries = Array.from({ length: Math.min(10, n - i) }, (_, j) => ({ Id: `m${i + j}`, MessageBody: `body ${i + j}` }));
      const out = await server.client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries }));
      expect(out.Failed ?? []).toEqual([]);
    }
    return url;
  }

  test("receive -o json carries the receipt handle; visibility and delete --receipt-handle use it", async () => {
    const url = await seed("ops-handle", 2);
    const r = await cli(["receive", "ops-handle", "--max", "2", "-o", "json"]);
    const msgs = JSON.parse(r.stdout) as Array<{ messageId: string; receiptHandle: string }>;
    expect(msgs).toHaveLength(2);
    expect(msgs.every((m) => m.receiptHandle)).toBe(true);
    const vis = await cli(["visibility", "ops-handle", "--receipt-handle", msgs[0]!.receiptHandle, "--timeout", "0s"]);
    expect(vis.code, vis.stderr).toBe(0);
    const del = await cli(["delete", "ops-handle", "--receipt-handle", msgs[1]!.receiptHandle, "--yes", "-o", "json"]);
    expect(del.code, del.stderr).toBe(0);
    expect(JSON.parse(del.stdout)).toMatchObject({ deleted: 1, failed: [] });
    const a = await server.client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }));
    // one released (visible again), one deleted, nothing left in flight
    expect([a.Attributes?.ApproximateNumberOfMessages, a.Attributes?.ApproximateNumberOfMessagesNotVisible]).toEqual(["1", "0"]);
    const noYes = await cli(["delete", "ops-handle", "--receipt-handle", "x"]);
    expect(noYes.code).toBe(2);
  });

  test("delete --id finds and deletes only those, releases the rest, and reports ids not found (exit 1)", async () => {
    const url = await seed("ops-ids", 12);
    const peek = await server.client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
    const ids = (peek.Messages ?? []).slice(0, 3).map((m) => m.MessageId!);
    expect(ids).toHaveLength(3);
    const r = await cli(["delete", "ops-ids", ...ids.flatMap((id) => ["--id", id]), "--id", "no-such-id", "--wait", "1s", "--yes", "-o", "json"]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { deleted: string[]; notFound: string[]; failed: unknown[] };
    expect(out.deleted.sort()).toEqual([...ids].sort());
    expect(out.notFound).toEqual(["no-such-id"]);
    expect(out.failed).toEqual([]);
    const a = await server.client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }));
    expect([a.Attributes?.ApproximateNumberOfMessages, a.Attributes?.ApproximateNumberOfMessagesNotVisible]).toEqual(["9", "0"]);
  });

  test("delete --id stops scanning once every id is found and exits 0", async () => {
    const url = await seed("ops-found", 3);
    const peek = await server.client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1, VisibilityTimeout: 0 }));
    const id = peek.Messages![0]!.MessageId!;
    const r = await cli(["delete", "ops-found", "--id", id, "--yes"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`deleted    ${id}`);
    const a = await server.client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }));
    expect([a.Attributes?.ApproximateNumberOfMessages, a.Attributes?.ApproximateNumberOfMessagesNotVisible]).toEqual(["2", "0"]);
  });
});

describe("dlq list: oldest message age", () => {
  test("off AWS it is sampled through the holder, marked as sampled, and every sampled message is released", async () => {
    const dlqUrl = await create("age-dlq");
    await create("age-src", { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn("age-dlq"), maxReceiveCount: 3 }) });
    const out = await server.client.send(new SendMessageBatchCommand({ QueueUrl: dlqUrl, Entries: [{ Id: "a", MessageBody: "x" }, { Id: "b", MessageBody: "y" }] }));
    expect(out.Failed ?? []).toEqual([]);
    const r = await cli(["dlq", "list", "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const row = (JSON.parse(r.stdout) as Array<{ name: string; oldestAgeSeconds: number | null; oldestAgeSource: string | null }>).find((d) => d.name === "age-dlq");
    expect(row?.oldestAgeSource).toBe("sampled");
    expect(row?.oldestAgeSeconds).toBeGreaterThanOrEqual(0);
    expect(r.stderr).toContain("CloudWatch: not available at this endpoint.");
    const a = await server.client.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }));
    expect([a.Attributes?.ApproximateNumberOfMessages, a.Attributes?.ApproximateNumberOfMessagesNotVisible]).toEqual(["2", "0"]);
    const table = await cli(["dlq", "list"]);
    expect(table.stdout).toMatch(/age-dlq +2 +0 +.+? +\S+ \(sampled\) +age-src \(3\)/);
  });
});
