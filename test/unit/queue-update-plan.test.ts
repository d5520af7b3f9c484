import { describe, expect, test } from "vitest";
import { addStatement, parsePolicy, removeStatement, statementFor } from "../../src/core/access-policy.js";
import { checkKmsKeyId, parseSettings, planCreate } from "../../src/core/create-plan.js";
import { deadLetterTargetProblem } from "../../src/core/redrive-policy.js";
import { planChanges, renderChanges } from "../../src/core/update-plan.js";

const Q = "arn:aws:sqs:us-east-1:123456789012:orders";
const rp = (target: string, n: number) => JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:us-east-1:123456789012:${target}`, maxReceiveCount: n });

describe("update plan", () => {
  test("only what differs, compared by meaning; tags and untags", () => {
    const current = {
      attributes: { VisibilityTimeout: "30", RedrivePolicy: '{"maxReceiveCount":"5","deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:dlq"}' },
      tags: { team: "ops", old: "x" },
    };
    const changes = planChanges(current, {
      attributes: { VisibilityTimeout: "30", DelaySeconds: "10", RedrivePolicy: rp("dlq", 5) },
      tags: { team: "ops", env: "prod" },
      untag: ["old", "absent"],
    });
    expect(changes.map((c) => [c.key, c.before, c.after, c.risk])).toEqual([
      ["DelaySeconds", undefined, "10", undefined],
      ["tag:env", undefined, "prod", undefined],
      ["tag:old", "x", undefined, undefined],
    ]);
  });

  test.each<[string, Record<string, string>, Record<string, string>, boolean, RegExp]>([
    ["shorter retention", { MessageRetentionPeriod: "345600" }, { MessageRetentionPeriod: "86400" }, false, /shortens retention/],
    ["removing the DLQ", { RedrivePolicy: rp("dlq", 5) }, { RedrivePolicy: "" }, false, /removes the dead-letter queue dlq/],
    ["re-pointing the DLQ", { RedrivePolicy: rp("dlq", 5) }, { RedrivePolicy: rp("dlq2", 5) }, false, /re-points the dead-letter queue from dlq to dlq2/],
    ["lowering maxReceiveCount", { RedrivePolicy: rp("dlq", 5) }, { RedrivePolicy: rp("dlq", 2) }, false, /lowers maxReceiveCount from 5 to 2/],
    ["SSE off", { SqsManagedSseEnabled: "true" }, {}, true, /turns server-side encryption off/],
    ["KMS off", { KmsMasterKeyId: "alias/aws/sqs" }, {}, true, /turns server-side encryption off/],
  ])("%s is risky", (_label, have, want, sseOff, risk) => {
    const changes = planChanges({ attributes: have, tags: {} }, { attributes: want, tags: {}, untag: [], sseOff });
    expect(changes.some((c) => risk.test(c.risk ?? ""))).toBe(true);
  });

  test("longer retention, a higher maxReceiveCount, adding a DLQ and turning SSE on are not risky", () => {
    const changes = planChanges(
      { attributes: { MessageRetentionPeriod: "86400", KmsMasterKeyId: "alias/k" }, tags: {} },
      { attributes: { MessageRetentionPeriod: "345600", RedrivePolicy: rp("dlq", 5), SqsManagedSseEnabled: "true" }, tags: {}, untag: [] },
    );
    expect(changes.map((c) => [c.key, c.risk])).toEqual([
      ["MessageRetentionPeriod", undefined],
      ["RedrivePolicy", undefined],
      ["SqsManagedSseEnabled", undefined],
      // SSE-SQS replaces the KMS key: SQS allows one kind at a time
      ["KmsMasterKeyId", undefined],
    ]);
  });

  test("renders before -> after in readable units, risks under their line", () => {
    const lines = renderChanges(planChanges({ attributes: { MessageRetentionPeriod: "345600" }, tags: {} }, { attributes: { MessageRetentionPeriod: "3600" }, tags: {}, untag: [] }));
    expect(lines[0]).toBe("Retention  4d (345600s)  ->  1h (3600s)");
    expect(lines[1]).toMatch(/^ +! shortens retention: SQS deletes messages older than 1h/);
  });
});

describe("shared settings parsing (create and update)", () => {
  test("one parser: create's plan and update's settings agree", () => {
    const flags = { visibilityTimeout: "5m", retention: "7d", kmsKey: "alias/aws/sqs", tag: ["a=b"] };
    expect(parseSettings(flags).attributes).toEqual({ VisibilityTimeout: "300", MessageRetentionPeriod: "604800", KmsMasterKeyId: "alias/aws/sqs" });
    expect(planCreate("q", flags).attributes).toEqual(parseSettings(flags).attributes);
  });

  test.each([
    ["1234abcd-12ab-34cd-56ef-1234567890ab", {}],
    ["mrk-1234abcd12ab34cd56ef1234567890ab", {}],
    ["alias/aws/sqs", {}],
    ["arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", { region: "eu-west-1" }],
    ["arn:aws:kms:us-east-1:123456789012:alias/my-key", { region: "us-east-1" }],
  ])("KMS key id %s is accepted", (id, out) => {
    expect(checkKmsKeyId(id)).toEqual(out);
  });

  test.each(["my-key", "alias/", "arn:aws:kms:us-east-1:123456789012:key/nope", "1234"])("KMS key id %s is refused", (id) => {
    expect(() => checkKmsKeyId(id)).toThrow(/is not a KMS key id/);
  });
});

describe("dead-letter target checks", () => {
  const queue = { name: "orders", arn: Q, fifo: false };
  test.each<[string, Partial<Parameters<typeof deadLetterTargetProblem>[1]>, RegExp | undefined]>([
    ["same type, no allow policy", {}, undefined],
    ["wrong type", { fifo: true }, /must be of the same type/],
    ["itself", { arn: Q }, /cannot be its own/],
    ["denyAll", { redriveAllowPolicy: '{"redrivePermission":"denyAll"}' }, /denyAll/],
    ["byQueue without this queue", { redriveAllowPolicy: '{"redrivePermission":"byQueue","sourceQueueArns":["arn:aws:sqs:us-east-1:123456789012:other"]}' }, /lets only other use it/],
    ["byQueue with this queue", { redriveAllowPolicy: JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [Q] }) }, undefined],
  ])("%s", (_l, dlq, problem) => {
    const out = deadLetterTargetProblem(queue, { name: "dlq", arn: `${Q}-dlq`, fifo: false, ...dlq });
    if (problem) expect(out).toMatch(problem);
    else expect(out).toBeUndefined();
  });
});

describe("access policy", () => {
  test("allow is idempotent and keeps other statements; a taken Sid gets a suffix", () => {
    const sns = statementFor({ kind: "sns", topicArn: "arn:aws:sns:us-east-1:123456789012:events" }, Q);
    const first = addStatement(undefined, sns, Q);
    expect(first.added).toBe(true);
    const second = addStatement(parsePolicy(JSON.stringify(first.policy)), { ...sns, Action: "SQS:SendMessage", Sid: "Other" }, Q);
    expect(second.added).toBe(false);
    const other = { ...statementFor({ kind: "account", account: "210987654321" }, Q), Sid: sns.Sid };
    const third = addStatement(first.policy, other, Q);
    expect(third.policy.Statement.map((s) => s.Sid)).toEqual(["AllowSnsevents", "AllowSnsevents2"]);
  });

  test("the documented statements carry their source conditions", () => {
    expect(statementFor({ kind: "s3", bucket: "b", account: "123456789012" }, Q)).toMatchObject({
      Principal: { Service: "s3.amazonaws.com" },
      Condition: { ArnLike: { "aws:SourceArn": "arn:aws:s3:*:*:b" }, StringEquals: { "aws:SourceAccount": "123456789012" } },
    });
    expect(statementFor({ kind: "eventbridge", ruleArn: "arn:aws:events:us-east-1:123456789012:rule/r" }, Q)).toMatchObject({
      Principal: { Service: "events.amazonaws.com" },
      Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:events:us-east-1:123456789012:rule/r" } },
    });
  });

  test("policy files are checked for JSON and shape", () => {
    expect(() => parsePolicy("{", "p.json")).toThrow(/p\.json: not valid JSON/);
    expect(() => parsePolicy('{"Statement": []}', "p.json")).toThrow(/"Statement" is empty/);
    expect(() => parsePolicy('{"Statement": [{"Effect": "Permit", "Principal": "*", "Action": "sqs:SendMessage"}]}', "p.json")).toThrow(/"Effect" must be/);
    expect(() => parsePolicy('{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}]}', "p.json")).toThrow(/not an SQS action/);
  });

  test("deny removes by Sid and names the Sids there are", () => {
    const p = addStatement(undefined, statementFor({ kind: "account", account: "210987654321" }, Q), Q).policy;
    expect(removeStatement(p, "AllowAccount210987654321", "orders")).toBeUndefined();
    expect(() => removeStatement(p, "X", "orders")).toThrow(/no policy statement with Sid "X"/);
  });
});
