import { CreateQueueCommand, SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { isAmbiguousFailure, trackAmbiguity } from "../../src/sqs/ambiguity.js";
import { startFaultProxy, type FaultConfig, type FaultProxy } from "../helpers/fault-proxy.js";
import { startTestServer, TEST_CREDENTIALS, type TestServer } from "../helpers/local-server.js";

let server: TestServer;
let proxy: FaultProxy | undefined;
let url: string;

beforeAll(async () => {
  server = await startTestServer();
  url = (await server.client.send(new CreateQueueCommand({ QueueName: "ambiguity" }))).QueueUrl!;
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});
afterAll(async () => {
  await server?.close();
});

/** Sends one batch through a proxy with `faults` on its first attempt only; says what the tracker saw. */
async function tracked(faults: FaultConfig["rates"], maxAttempts: number): Promise<{ ok: boolean; ambiguous: number }> {
  let calls = 0;
  // Only the first attempt is faulted: later ones pass.
  const p = await startFaultProxy(server.endpoint, {
    seed: 1,
    actions: { SendMessageBatch: faults! },
    onRequest: () => {
      calls += 1;
      if (calls > 1) p.setEnabled(false);
    },
  });
  proxy = p;
  const client = new SQSClient({ endpoint: p.endpoint, region: "us-east-1", credentials: TEST_CREDENTIALS, maxAttempts, useQueueUrlAsEndpoint: false });
  const cmd = new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: "a", MessageBody: "x" }] });
  const ambiguous = trackAmbiguity(cmd);
  try {
    await client.send(cmd);
    return { ok: true, ambiguous: ambiguous() };
  } catch {
    return { ok: false, ambiguous: ambiguous() };
  } finally {
    client.destroy();
  }
}

describe("trackAmbiguity", () => {
  test("a clean call is not ambiguous", async () => {
    expect(await tracked({}, 3)).toEqual({ ok: true, ambiguous: 0 });
  });

  test("a throttled attempt, retried by the SDK, is not ambiguous", async () => {
    expect(await tracked({ throttle: 1 }, 3)).toEqual({ ok: true, ambiguous: 0 });
  });

  test("a 503 or 500 attempt is ambiguous even when the retry succeeds", async () => {
    expect(await tracked({ unavailable: 1 }, 3)).toEqual({ ok: true, ambiguous: 1 });
    expect(await tracked({ internal: 1, timing: "after" }, 1)).toEqual({ ok: false, ambiguous: 1 });
  });

  test("a dropped connection is ambiguous", async () => {
    expect(await tracked({ drop: 1, timing: "after" }, 3)).toEqual({ ok: true, ambiguous: 1 });
  });
});

test("counts every ambiguous attempt: each may have left one more copy", async () => {
  const p = await startFaultProxy(server.endpoint, { seed: 1, actions: { SendMessageBatch: { unavailable: 1, timing: "after" } } });
  proxy = p;
  let calls = 0;
  p.configure({ seed: 1, actions: { SendMessageBatch: { unavailable: 1, timing: "after" } }, onRequest: () => (++calls > 2 ? p.setEnabled(false) : undefined) });
  const client = new SQSClient({ endpoint: p.endpoint, region: "us-east-1", credentials: TEST_CREDENTIALS, maxAttempts: 5, useQueueUrlAsEndpoint: false });
  const cmd = new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: "a", MessageBody: "x" }] });
  const ambiguous = trackAmbiguity(cmd);
  await client.send(cmd);
  client.destroy();
  expect(ambiguous()).toBe(2);
});

describe("isAmbiguousFailure", () => {
  test("classifies errors by what they prove about the server", () => {
    expect(isAmbiguousFailure({ name: "ThrottlingException", $metadata: { httpStatusCode: 400 } })).toBe(false);
    expect(isAmbiguousFailure({ name: "RequestThrottled", $metadata: { httpStatusCode: 400 } })).toBe(false);
    expect(isAmbiguousFailure({ name: "InvalidParameterValue", $metadata: { httpStatusCode: 400 } })).toBe(false);
    expect(isAmbiguousFailure({ name: "ServiceUnavailable", $metadata: { httpStatusCode: 503 } })).toBe(true);
    expect(isAmbiguousFailure({ name: "Error", code: "ECONNRESET" })).toBe(true);
    expect(isAmbiguousFailure({ name: "TimeoutError" })).toBe(true);
    expect(isAmbiguousFailure({ name: "Error", code: "ECONNREFUSED" })).toBe(false);
  });
});
