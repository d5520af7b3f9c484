import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateQueueCommand, GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { mulberry32, startFaultProxy, type FaultProxy } from "../helpers/fault-proxy.js";
import { startTestServer, type TestServer } from "../helpers/local-server.js";
import { counts, seed } from "../helpers/queue-state.js";
import { startCli, type RunningCli } from "../helpers/spawn.js";

/**
 * Ctrl-C (SIGINT) and SIGTERM while a command holds messages: the request in hand
 * finishes, everything held is released (visible again at once: nothing left in
 * flight the moment the process is gone), and the exit code is the documented one.
 *
 * Receives go through a proxy that answers them late, after the server has already
 * hidden the messages, so the signal usually lands while a receive is in flight: a
 * command that dropped that answer would leave its messages hidden.
 */

type Area = "messages" | "dlq";
const LANDED: ReadonlySet<Area> = new Set<Area>(["messages", "dlq"]);
const when = (area: Area) => (LANDED.has(area) ? test : test.todo);

let server: TestServer;
let proxy: FaultProxy;
let dir: string;
let n = 0;

beforeAll(async () => {
  server = await startTestServer();
  proxy = await startFaultProxy(server.endpoint, {
    seed: 5,
    actions: { ReceiveMessage: { delay: 1, delayMs: 250, delayWhen: "after" } },
  });
  dir = mkdtempSync(join(tmpdir(), "sqsctl-signals-"));
});
afterAll(async () => {
  await proxy?.close();
  await server?.close();
});

const env = () => ({ ...server.env, AWS_ENDPOINT_URL_SQS: proxy.endpoint, HOME: dir });

async function queueWith(count: number, attributes: Record<string, string> = {}): Promise<{ name: string; url: string; arn: string }> {
  n += 1;
  const name = `sig-${n}`;
  const { QueueUrl } = await server.client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const { Attributes } = await server.client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  await seed(server.client, QueueUrl!, Array.from({ length: count }, (_, i) => `s-${i} body`));
  return { name, url: QueueUrl!, arn: Attributes!.QueueArn! };
}

const stdoutLines = (run: RunningCli) => run.stdout().split("\n").filter(Boolean).length;

/** Polls `cond` every 10 ms (up to 30 s). */
async function until(cond: () => Promise<boolean> | boolean): Promise<void> {
  const end = Date.now() + 30_000;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error("condition not reached in 30 s");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("tail and receive", () => {
  for (const [sig, seedNo] of [["SIGINT", 1], ["SIGTERM", 2]] as const) {
    when("messages")(`tail, ${sig} mid-stream: exit 130 (one rule for interrupts), every message visible again at once`, async () => {
      const q = await queueWith(120);
      const at = 1 + Math.floor(mulberry32(seedNo)() * 100);
      const run = startCli(["tail", q.name], { env: env() });
      await until(() => stdoutLines(run) >= at);
      run.signal(sig);
      const r = await run.done;
      expect(r.code, r.stderr).toBe(130);
      // Right after exit: nothing in flight, everything visible.
      expect(await counts(server.client, q.url)).toMatchObject({ inFlight: 0, visible: 120 });
      for (const line of r.stdout.split("\n").filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
    });
  }

  when("messages")("tail --delete, SIGINT: what was printed is deleted, the rest visible at once", async () => {
    const q = await queueWith(120);
    const run = startCli(["tail", q.name, "--delete"], { env: env() });
    await until(() => stdoutLines(run) >= 37);
    run.signal("SIGINT");
    const r = await run.done;
    expect(r.code, r.stderr).toBe(130);
    const printed = r.stdout.split("\n").filter(Boolean).length;
    expect(await counts(server.client, q.url)).toMatchObject({ inFlight: 0, visible: 120 - printed });
  });

  when("messages")("receive --peek, SIGINT mid-loop: exit 130, nothing left in flight", async () => {
    const q = await queueWith(150);
    const run = startCli(["receive", q.name, "--max", "1000", "--peek", "--wait", "1s"], { env: env() });
    await until(() => stdoutLines(run) >= 23);
    run.signal("SIGINT");
    const r = await run.done;
    expect(r.code, r.stderr).toBe(130);
    expect(await counts(server.client, q.url)).toMatchObject({ inFlight: 0, visible: 150 });
  });

  when("messages")("receive --delete, SIGTERM mid-loop: printed ones deleted, the rest visible at once", async () => {
    const q = await queueWith(150);
    const run = startCli(["receive", q.name, "--max", "1000", "--delete", "--wait", "1s"], { env: env() });
    await until(() => stdoutLines(run) >= 41);
    run.signal("SIGTERM");
    const r = await run.done;
    expect(r.code, r.stderr).toBe(130);
    const printed = r.stdout.split("\n").filter(Boolean).length;
    expect(await counts(server.client, q.url)).toMatchObject({ inFlight: 0, visible: 150 - printed });
  });

  when("messages")("receive (no --peek), SIGINT: only the printed messages stay in flight, as documented", async () => {
    const q = await queueWith(150);
    const run = startCli(["receive", q.name, "--max", "1000", "--wait", "1s"], { env: env() });
    await until(() => stdoutLines(run) >= 17);
    run.signal("SIGINT");
    const r = await run.done;
    expect(r.code, r.stderr).toBe(130);
    const printed = r.stdout.split("\n").filter(Boolean).length;
    expect(await counts(server.client, q.url)).toMatchObject({ inFlight: printed, visible: 150 - printed });
  });

  when("messages")("export (no --delete), SIGINT mid-export: exit 130, every message visible at once", async () => {
    const q = await queueWith(300);
    const run = startCli(["export", q.name, "--file", join(dir, `${q.name}.ndjson`), "--wait", "1s"], { env: env() });
    await until(async () => (await counts(server.client, q.url)).inFlight >= 64);
    run.signal("SIGINT");
    const r = await run.done;
    expect(r.code, r.stderr).toBe(130);
    expect(await counts(server.client, q.url)).toMatchObject({ inFlight: 0, visible: 300 });
  });
});

describe("releases that fail on the first try", () => {
  // Within what THE retry policy promises, so "nothing in flight after exit" holds on every run:
  // an entry gets 7 tries (custody/retry.ts) and a call 5 SDK attempts. At 10% of entries and 7%
  // of calls failing, an entry fails all 7 tries once in 10 million and a release call all 5
  // attempts once in 600,000: about 1 run in 10,000 over these 300 messages. (At the 25% and 15%
  // used before, that was about 1 run in 50: retry.ts documents 1 in 16,000 an entry at 25%,
  // and such an entry is only released with a 1 s timeout, so it was still in flight at the check;
  // seen once under Node 24 in a clean-clone CI run.)
  const flakyReleases = () =>
    proxy.configure({
      seed: 9,
      actions: {
        ReceiveMessage: { delay: 1, delayMs: 250, delayWhen: "after" },
        ChangeMessageVisibilityBatch: { entryFail: 0.1, internal: 0.05, drop: 0.02 },
      },
    });
  const restore = () => proxy.configure({ seed: 5, actions: { ReceiveMessage: { delay: 1, delayMs: 250, delayWhen: "after" } } });

  when("messages")("tail, SIGINT, with 10% of release entries failing: still nothing in flight after exit", async () => {
    const q = await queueWith(80);
    flakyReleases();
    try {
      const run = startCli(["tail", q.name], { env: env() });
      await until(() => stdoutLines(run) >= 45);
      run.signal("SIGINT");
      const r = await run.done;
      expect(r.code, r.stderr).toBe(130);
      expect(await counts(server.client, q.url)).toMatchObject({ inFlight: 0, visible: 80 });
    } finally {
      restore();
    }
  });

  when("dlq")("dlq inspect --all, SIGTERM, with 10% of release entries failing: counts as they were", async () => {
    const dlq = await queueWith(300);
    flakyReleases();
    try {
      const run = startCli(["dlq", "inspect", dlq.name, "--all"], { env: env() });
      await until(async () => (await counts(server.client, dlq.url)).inFlight >= 120);
      run.signal("SIGTERM");
      const r = await run.done;
      expect(r.code, r.stderr).toBe(130);
      expect(await counts(server.client, dlq.url)).toMatchObject({ inFlight: 0, visible: 300 });
    } finally {
      restore();
    }
  });
});

describe("dlq inspect and redrive", () => {
  for (const [sig, at] of [["SIGINT", 40], ["SIGTERM", 170]] as const) {
    when("dlq")(`dlq inspect --all, ${sig} mid-scan: exit 130, counts as they were`, async () => {
      const dlq = await queueWith(400);
      const run = startCli(["dlq", "inspect", dlq.name, "--all"], { env: env() });
      await until(async () => (await counts(server.client, dlq.url)).inFlight >= at);
      run.signal(sig);
      const r = await run.done;
      expect(r.code, r.stderr).toBe(130);
      expect(await counts(server.client, dlq.url)).toMatchObject({ inFlight: 0, visible: 400 });
    });
  }

  for (const [sig, at] of [["SIGINT", 30], ["SIGTERM", 260]] as const) {
    when("dlq")(`dlq redrive --strategy manual, ${sig} mid-move: exit 130, nothing held, DLQ + target == start`, async () => {
      const dlq = await queueWith(600);
      n += 1;
      const target = `sig-target-${n}`;
      const { QueueUrl: targetUrl } = await server.client.send(
        new CreateQueueCommand({ QueueName: target, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 }) } }),
      );
      const run = startCli(
        ["dlq", "redrive", dlq.name, "--to", target, "--strategy", "manual", "--yes", "--journal", join(dir, `${target}.journal`), "-o", "json"],
        { env: env() },
      );
      await until(async () => (await counts(server.client, targetUrl!)).total >= at);
      run.signal(sig);
      const r = await run.done;
      expect(r.code, r.stderr).toBe(130);
      const d = await counts(server.client, dlq.url);
      const t = await counts(server.client, targetUrl!);
      expect(d.inFlight).toBe(0);
      const summary = JSON.parse(r.stdout) as { moved: number; duplicates: number };
      expect(d.total + t.total - summary.duplicates).toBeLessThanOrEqual(600);
      expect(d.total + t.total).toBeGreaterThanOrEqual(600);
      expect(t.total).toBeGreaterThanOrEqual(summary.moved);
    });
  }
});
