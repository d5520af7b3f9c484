import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateQueueCommand, GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, expect, test } from "vitest";
import { runCli } from "../helpers/cli.js";
import { startFaultProxy, type FaultProxy } from "../helpers/fault-proxy.js";
import { startTestServer, type TestServer } from "../helpers/local-server.js";

let server: TestServer;
let proxy: FaultProxy;
const dir = mkdtempSync(join(tmpdir(), "sqsctl-send-amb-"));
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await proxy?.close();
  await server?.close();
});

test("a single send retried through faults after the server acted: every extra copy is reported (issue 15 #6)", async () => {
  // GIVEN a proxy that lets SendMessage reach the server and then drops the answer, a third of the time
  const { QueueUrl } = await server.client.send(new CreateQueueCommand({ QueueName: "send-amb" }));
  proxy = await startFaultProxy(server.endpoint, { seed: 7, actions: { SendMessage: { drop: 0.35, timing: "after" } } });
  const env = { ...server.env, AWS_ENDPOINT_URL_SQS: proxy.endpoint, XDG_STATE_HOME: join(dir, "state") };
  // WHEN 12 messages are sent one by one
  let reported = 0;
  for (let i = 0; i < 12; i++) {
    const r = await runCli(["send", "send-amb", `m${i}`, "-o", "json"], { env, timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    const dupes = (JSON.parse(r.stdout) as { possibleDuplicates?: number }).possibleDuplicates ?? 0;
    if (dupes) expect(r.stderr).toContain("may be in send-amb");
    reported += dupes;
  }
  // THEN the copies beyond 12 are exactly the ones reported, and some were made
  const { Attributes } = await server.client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }));
  expect(proxy.stats.ambiguous.SendMessage ?? 0).toBeGreaterThan(0);
  expect(Number(Attributes!.ApproximateNumberOfMessages) - 12).toBe(reported);
});
