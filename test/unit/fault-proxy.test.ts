import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { mulberry32, startFaultProxy, type FaultConfig, type FaultProxy } from "../helpers/fault-proxy.js";
import { startTestServer, TEST_CREDENTIALS, type TestServer } from "../helpers/local-server.js";

let server: TestServer;
let proxy: FaultProxy | undefined;
let counter = 0;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

/** An SDK client through the proxy that does not retry, so each call shows one fault. */
function clientVia(p: FaultProxy, maxAttempts = 1): SQSClient {
  return new SQSClient({ endpoint: p.endpoint, region: "us-east-1", credentials: TEST_CREDENTIALS, maxAttempts, useQueueUrlAsEndpoint: false });
}

async function freshQueue(): Promise<string> {
  counter += 1;
  const out = await server.client.send(new CreateQueueCommand({ QueueName: `proxy-${counter}` }));
  return out.QueueUrl!;
}

async function visible(url: string): Promise<number> {
  const out = await server.client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages"] }));
  return Number(out.Attributes?.ApproximateNumberOfMessages);
}

/** Visible plus in flight: every message still in the queue. */
async function total(url: string): Promise<number> {
  const out = await server.client.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }),
  );
  return Number(out.Attributes?.ApproximateNumberOfMessages) + Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible);
}

const entries = (n: number, prefix = "m") => Array.from({ length: n }, (_, i) => ({ Id: `${prefix}${i}`, MessageBody: `${prefix} body ${i}` }));

/** Outcome of one call: "ok" or the error's name and status. */
async function outcome(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
    return "ok";
  } catch (err) {
    const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
    return `${e.name}/${e.$metadata?.httpStatusCode ?? e.code ?? "-"}`;
  }
}

describe("mulberry32", () => {
  test("is deterministic for a seed and differs between seeds", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const sa = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(sa);
    expect(Array.from({ length: 5 }, c)).not.toEqual(sa);
    expect(sa.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

describe("request faults", () => {
  test("passes requests through unchanged when no faults are configured", async () => {
    proxy = await startFaultProxy(server.endpoint, { seed: 1 });
    const url = await freshQueue();
    const out = await clientVia(proxy).send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries(10) }));
    expect(out.Successful).toHaveLength(10);
    expect(await visible(url)).toBe(10);
    expect(proxy.totalInjected()).toBe(0);
    expect(proxy.stats.forwarded).toBe(1);
  });

  test("throttling is a 400 the SDK classifies as ThrottlingException or RequestThrottled", async () => {
    proxy = await startFaultProxy(server.endpoint, { seed: 7, rates: { throttle: 1 } });
    const c = clientVia(proxy);
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) seen.add(await outcome(() => c.send(new ListQueuesCommand({}))));
    expect(seen).toEqual(new Set(["ThrottlingException/400", "RequestThrottled/400"]));
    expect(proxy.stats.injected["throttle:before"]).toBe(12);
    expect(proxy.stats.forwarded).toBe(0);
  });

  test("503 and 500 arrive as ServiceUnavailable and InternalError", async () => {
    proxy = await startFaultProxy(server.endpoint, { seed: 1, rates: { unavailable: 1 } });
    expect(await outcome(() => clientVia(proxy!).send(new ListQueuesCommand({})))).toBe("ServiceUnavailable/503");
    proxy.configure({ rates: { internal: 1 } });
    expect(await outcome(() => clientVia(proxy!).send(new ListQueuesCommand({})))).toBe("InternalError/500");
  });

  test("the SDK's retries get through intermittent faults", async () => {
    proxy = await startFaultProxy(server.endpoint, { seed: 3, rates: { throttle: 0.2, unavailable: 0.2, drop: 0.1 } });
    const url = await freshQueue();
    const c = clientVia(proxy, 10);
    for (let i = 0; i < 10; i++) await c.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries(10, `b${i}_`) }));
    expect(proxy.totalInjected()).toBeGreaterThan(0);
    // Faults before forwarding never reach the server: no duplicates.
    expect(await visible(url)).toBe(100);
  });

  test("a drop before forwarding loses the request; the server never saw it", async () => {
    proxy = await startFaultProxy(server.endpoint, { seed: 1, actions: { SendMessageBatch: { drop: 1, timing: "before" } } });
    const url = await freshQueue();
    const result = await outcome(() => clientVia(proxy!).send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries(3) })));
    expect(result).not.toBe("ok");
    expect(await visible(url)).toBe(0);
    expect(proxy.stats.injected["drop:before"]).toBe(1);
    expect(proxy.stats.ambiguous.SendMessageBatch).toBeUndefined();
  });

  test("a drop after forwarding: the server enqueued, the client saw an error, counted as ambiguous", async () => {
    proxy = await startFaultProxy(server.endpoint, { seed: 1, actions: { SendMessageBatch: { drop: 1, timing: "after" } } });
    const url = await freshQueue();
    const result = await outcome(() => clientVia(proxy!).send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries(4) })));
    expect(result).not.toBe("ok");
    expect(await visible(url)).toBe(4);
    expect(proxy.stats.injected["drop:after"]).toBe(1);
    expect(proxy.stats.ambiguous.SendMessageBatch).toBe(4);
  });

  test("a 503 after forwarding a receive leaves the messages hidden and says how many", async () => {
    proxy = await startFaultProxy(server.endpoint, { seed: 1, actions: { ReceiveMessage: { unavailable: 1, timing: "after" } } });
    const url = await freshQueue();
    await server.client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries(2) }));
    const result = await outcome(() => clientVia(proxy!).send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 30 })));
    expect(result).toBe("ServiceUnavailable/503");
    expect(await visible(url)).toBe(0);
    expect(proxy.stats.ambiguous.ReceiveMessage).toBe(2);
  });

  test("faults apply per action, and can be switched off and on at runtime", async () => {
    proxy = await startFaultProxy(server.endpoint, { seed: 1, rates: {}, actions: { ListQueues: { internal: 1 } } });
    const c = clientVia(proxy);
    const url = await freshQueue();
    expect(await outcome(() => c.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] })))).toBe("ok");
    expect(await outcome(() => c.send(new ListQueuesCommand({})))).toBe("InternalError/500");
    proxy.setEnabled(false);
    expect(await outcome(() => c.send(new ListQueuesCommand({})))).toBe("ok");
    proxy.setEnabled(true);
    expect(await outcome(() => c.send(new ListQueuesCommand({})))).toBe("InternalError/500");
    expect(proxy.stats.byAction.ListQueues?.["internal:before"]).toBe(2);
  });
});

describe("delays and visibility", () => {
  test("a delay after forwarding: the server has acted while the client still waits", async () => {
    proxy = await startFaultProxy(server.endpoint, { seed: 1, actions: { SendMessageBatch: { delay: 1, delayMs: 10_000, delayWhen: "after" } } });
    const url = await freshQueue();
    const c = clientVia(proxy);
    let answered = false;
    const pending = c.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries(3) })).then(
      () => (answered = true),
      () => (answered = true),
    );
    // The messages arrive while the answer is held back.
    while ((await visible(url)) < 3) await new Promise((r) => setTimeout(r, 20));
    expect(answered).toBe(false);
    expect(proxy.stats.injected.delay).toBe(1);
    c.destroy();
    await proxy.close();
    proxy = undefined;
    await pending;
  });

  test("maxVisibilitySeconds caps the visibility timeout a client asks for", async () => {
    proxy = await startFaultProxy(server.endpoint, { seed: 1, maxVisibilitySeconds: 0 });
    const url = await freshQueue();
    await server.client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries(2) }));
    const got = await clientVia(proxy).send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 3600 }));
    expect(got.Messages).toHaveLength(2);
    // Capped to 0: receivable again at once.
    const again = await server.client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    expect(again.Messages).toHaveLength(2);
  });
});

describe("batch entry faults", () => {
  test("entryFail before forwarding: failed entries are not enqueued and are listed in Failed", async () => {
    proxy = await startFaultProxy(server.endpoint, { seed: 11, actions: { SendMessageBatch: { entryFail: 0.3, timing: "before" } } });
    const url = await freshQueue();
    const out = await clientVia(proxy).send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries(10) }));
    const failed = out.Failed ?? [];
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((f) => f.Code === "InternalError" && f.SenderFault === false)).toBe(true);
    expect((out.Successful ?? []).length + failed.length).toBe(10);
    expect(await visible(url)).toBe(out.Successful!.length);
    expect(proxy.stats.injected["entryFail:before"]).toBe(failed.length);
  });

  test("entryFail after forwarding: the server enqueued the entries the client was told failed", async () => {
    proxy = await startFaultProxy(server.endpoint, { seed: 11, actions: { SendMessageBatch: { entryFail: 0.3, timing: "after" } } });
    const url = await freshQueue();
    const out = await clientVia(proxy).send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries(10) }));
    const failed = out.Failed ?? [];
    expect(failed.length).toBeGreaterThan(0);
    expect(await visible(url)).toBe(10);
    expect(proxy.stats.ambiguous.SendMessageBatch).toBe(failed.length);
  });

  test("entryReject marks entries SenderFault, and a batch with every entry removed is answered without the server", async () => {
    proxy = await startFaultProxy(server.endpoint, { seed: 5, actions: { SendMessageBatch: { entryReject: 1 } } });
    const url = await freshQueue();
    const out = await clientVia(proxy).send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries(3) }));
    expect(out.Successful ?? []).toEqual([]);
    expect((out.Failed ?? []).map((f) => [f.Id, f.SenderFault, f.Code])).toEqual([
      ["m0", true, "InvalidParameterValue"],
      ["m1", true, "InvalidParameterValue"],
      ["m2", true, "InvalidParameterValue"],
    ]);
    expect(proxy.stats.forwarded).toBe(0);
    expect(await visible(url)).toBe(0);
  });

  test("DeleteMessageBatch entries can fail before forwarding: those messages stay", async () => {
    proxy = await startFaultProxy(server.endpoint, { seed: 2, actions: { DeleteMessageBatch: { entryFail: 0.5 } } });
    const url = await freshQueue();
    await server.client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries(10) }));
    const got = await server.client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 30 }));
    expect(got.Messages).toHaveLength(10);
    const out = await clientVia(proxy).send(
      new DeleteMessageBatchCommand({ QueueUrl: url, Entries: got.Messages!.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }),
    );
    expect(out.Failed!.length).toBeGreaterThan(0);
    expect(await total(url)).toBe(out.Failed!.length);
  });

  test("the same seed gives the same fault sequence", async () => {
    const config: FaultConfig = { seed: 99, rates: { throttle: 0.2, internal: 0.1 }, actions: { SendMessageBatch: { entryFail: 0.2, internal: 0.1 } } };
    const run = async () => {
      proxy = await startFaultProxy(server.endpoint, config);
      const url = await freshQueue();
      const c = clientVia(proxy);
      const trace: string[] = [];
      for (let i = 0; i < 15; i++) {
        trace.push(await outcome(() => c.send(new ListQueuesCommand({}))));
        try {
          const out = await c.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries(10) }));
          trace.push(`failed:${(out.Failed ?? []).map((f) => f.Id).join(",")}`);
        } catch (err) {
          trace.push((err as Error).name);
        }
      }
      await proxy.close();
      proxy = undefined;
      return trace;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first.some((t) => t !== "ok" && t !== "failed:")).toBe(true);
  });

  test("rates are honoured roughly over many requests", async () => {
    proxy = await startFaultProxy(server.endpoint, { seed: 2024, rates: { internal: 0.1 } });
    const c = clientVia(proxy);
    let errors = 0;
    for (let i = 0; i < 300; i++) if ((await outcome(() => c.send(new ListQueuesCommand({})))) !== "ok") errors += 1;
    expect(errors).toBe(proxy.stats.injected["internal:before"]);
    expect(errors).toBeGreaterThan(15);
    expect(errors).toBeLessThan(50);
  });
});
