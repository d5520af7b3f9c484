import { describe, expect, test } from "vitest";
import { durationFlag, formatDuration, Limits, parseDurationSeconds } from "../../src/core/duration.js";
import { parseQueueRef, isValidQueueName, nameOf } from "../../src/core/queue-ref.js";
import { diffAttributes, planCreate } from "../../src/core/create-plan.js";
import { describeAttributes } from "../../src/core/attributes.js";
import { formatBytes, parseBytes } from "../../src/core/size.js";
import { redact } from "../../src/output/redact.js";
import { UsageError } from "../../src/errors.js";

describe("durations", () => {
  test.each([
    ["30", 30],
    ["30s", 30],
    ["5m", 300],
    ["2h", 7200],
    ["4d", 345600],
    ["1h30m", 5400],
    [" 10S ", 10],
  ])("%s is %d seconds", (text, seconds) => {
    expect(parseDurationSeconds(text)).toBe(seconds);
  });

  test.each(["", "abc", "5x", "-3", "1.5m", "m5"])("%j is not a duration", (text) => {
    expect(parseDurationSeconds(text)).toBeUndefined();
  });

  test("out of range names the flag and the allowed range", () => {
    expect(() => durationFlag("--delay", "16m", Limits.delay)).toThrow("--delay: 16m is out of range (0s to 15m).");
    expect(() => durationFlag("--visibility-timeout", "13h", Limits.visibilityTimeout)).toThrow(UsageError);
    expect(() => durationFlag("--wait", "soon", Limits.wait)).toThrow('--wait: "soon" is not a duration.');
  });

  test("formats for people", () => {
    expect(formatDuration(0)).toBe("0s");
    expect(formatDuration(90)).toBe("1m 30s");
    expect(formatDuration(1209600)).toBe("14d");
  });
});

describe("queue references", () => {
  test("a name", () => {
    expect(parseQueueRef("orders")).toEqual({ kind: "name", name: "orders", input: "orders" });
    expect(parseQueueRef("pay.fifo").name).toBe("pay.fifo");
  });

  test("an AWS queue URL carries region and account", () => {
    expect(parseQueueRef("https://sqs.eu-west-1.amazonaws.com/123456789012/orders")).toMatchObject({
      kind: "url",
      name: "orders",
      region: "eu-west-1",
      accountId: "123456789012",
    });
  });

  test("a local URL has no region", () => {
    const ref = parseQueueRef("http://127.0.0.1:9324/000000000000/orders");
    expect(ref).toMatchObject({ kind: "url", name: "orders", accountId: "000000000000" });
    expect("region" in ref).toBe(false);
  });

  test("an ARN", () => {
    expect(parseQueueRef("arn:aws:sqs:us-east-1:123456789012:orders-dlq")).toMatchObject({
      kind: "arn",
      name: "orders-dlq",
      region: "us-east-1",
      accountId: "123456789012",
    });
  });

  test.each(["arn:aws:sns:us-east-1:123456789012:topic", "arn:aws:sqs:us-east-1:12:q", "has space", "x".repeat(81), "bad!name"])(
    "%j is rejected with a usage error naming the argument",
    (input) => {
      expect(() => parseQueueRef(input, "--to")).toThrow(/^--to: /);
    },
  );

  test("names", () => {
    expect(isValidQueueName("a".repeat(80))).toBe(true);
    expect(isValidQueueName(`${"a".repeat(75)}.fifo`)).toBe(true);
    expect(isValidQueueName(`${"a".repeat(80)}.fifo`)).toBe(false);
    expect(nameOf("arn:aws:sqs:us-east-1:1:q")).toBe("q");
    expect(nameOf("http://h/1/q/")).toBe("q");
  });
});

describe("create plan", () => {
  test("--create-dlq makes NAME-dlq with 14 days retention and maxReceiveCount 5 by default", () => {
    const plan = planCreate("orders", { createDlq: true });
    expect(plan.dlq).toEqual({ kind: "create", name: "orders-dlq", attributes: { MessageRetentionPeriod: "1209600" } });
    expect(plan.maxReceiveCount).toBe(5);
  });

  test("--fifo adds .fifo and says so; the DLQ is FIFO too", () => {
    const plan = planCreate("pay", { fifo: true, createDlq: true, contentBasedDedup: true });
    expect(plan.name).toBe("pay.fifo");
    expect(plan.notes[0]).toContain('creating "pay.fifo"');
    expect(plan.attributes).toMatchObject({ FifoQueue: "true", ContentBasedDeduplication: "true" });
    expect(plan.dlq).toMatchObject({ name: "pay-dlq.fifo", attributes: { FifoQueue: "true" } });
  });

  test("durations, sizes, tags and raw attributes become attributes", () => {
    const plan = planCreate("jobs", {
      visibilityTimeout: "5m",
      retention: "7d",
      delay: "10s",
      wait: "20s",
      maxMessageSize: "256KiB",
      sse: true,
      tag: ["team=ops", "env=a=b"],
      attribute: ["DeduplicationScope=queue"],
    });
    expect(plan.attributes).toEqual({
      VisibilityTimeout: "300",
      MessageRetentionPeriod: "604800",
      DelaySeconds: "10",
      ReceiveMessageWaitTimeSeconds: "20",
      MaximumMessageSize: "262144",
      SqsManagedSseEnabled: "true",
      DeduplicationScope: "queue",
    });
    expect(plan.tags).toEqual({ team: "ops", env: "a=b" });
  });

  test.each<[string, Parameters<typeof planCreate>[1], RegExp]>([
    ["dedup without fifo", { contentBasedDedup: true }, /--content-based-dedup only applies to FIFO/],
    ["both dlq flags", { dlq: "x", createDlq: true }, /--dlq and --create-dlq/],
    ["max-receive without dlq", { maxReceive: "3" }, /--max-receive needs a dead-letter queue/],
    ["max-receive out of range", { createDlq: true, maxReceive: "0" }, /--max-receive: "0" must be/],
    ["retention too short", { retention: "30s" }, /--retention: 30s is out of range/],
    ["size too big", { maxMessageSize: "2MiB" }, /--max-message-size/],
    ["sse and kms", { sse: true, kmsKey: "k" }, /--sse and --kms-key/],
    ["bad tag", { tag: ["novalue"] }, /--tag: "novalue" is not key=value/],
  ])("%s is a usage error", (_label, flags, message) => {
    expect(() => planCreate("q", flags)).toThrow(message);
  });

  test("diff compares only requested attributes, redrive policy by meaning", () => {
    const existing = {
      VisibilityTimeout: "30",
      RedrivePolicy: '{"maxReceiveCount":"3","deadLetterTargetArn":"arn:aws:sqs:r:1:d"}',
    };
    expect(diffAttributes({ RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:r:1:d","maxReceiveCount":3}' }, existing)).toEqual([]);
    expect(diffAttributes({ VisibilityTimeout: "60" }, existing)).toEqual([{ attribute: "VisibilityTimeout", existing: "30", requested: "60" }]);
  });
});

describe("display helpers", () => {
  test("attributes read as people say them", () => {
    const pairs = Object.fromEntries(
      describeAttributes({
        MessageRetentionPeriod: "345600",
        MaximumMessageSize: "262144",
        RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:1:orders-dlq","maxReceiveCount":5}',
        SomethingNew: "x",
      }),
    );
    expect(pairs.Retention).toBe("4d (345600s)");
    expect(pairs["Max message size"]).toBe("256 KiB (262144 bytes)");
    expect(pairs["Dead-letter queue"]).toMatch(/^orders-dlq after 5 receives/);
    expect(pairs.SomethingNew).toBe("x");
  });

  test("bytes", () => {
    expect(formatBytes(1048576)).toBe("1 MiB");
    expect(parseBytes("1MiB")).toBe(1048576);
    expect(parseBytes("256k")).toBe(262144);
    expect(parseBytes("lots")).toBeUndefined();
  });
});

describe("redaction", () => {
  test("removes key ids, secrets from the environment, signatures and tokens", () => {
    const env = { AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", AWS_SESSION_TOKEN: "FwoGZXIvYXdzEBYaDEXAMPLETOKEN" };
    const text =
      "Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=abcdef0123456789 " +
      "secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY token FwoGZXIvYXdzEBYaDEXAMPLETOKEN X-Amz-Security-Token=zzz " +
      '{"secretAccessKey":"s3cr3t","sessionToken":"t0k"}';
    const out = redact(text, env);
    for (const secret of ["AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI", "FwoGZXIvYXdz", "abcdef0123456789", "zzz", "s3cr3t", "t0k"]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain("Signature=[redacted]");
  });
});
