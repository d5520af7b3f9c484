import { mkdtempSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateQueueCommand, GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { startFaultProxy, type FaultConfig, type FaultProxy } from "../helpers/fault-proxy.js";
import { startTestServer, type TestServer } from "../helpers/local-server.js";
import { KEY, runInPty, type PtyRun } from "../helpers/pty.js";
import { counts, seed } from "../helpers/queue-state.js";
import { startCli } from "../helpers/spawn.js";

/**
 * Interrupts as users make them: Ctrl-C TYPED into a real terminal (the spinner must not
 * swallow it), the terminal closed under the command (SIGHUP), one SIGTERM while a
 * request hangs (timeout(1), systemd, docker stop), and a terminal that reports 0
 * columns. Every case ends with exit 130 (one rule) and nothing left in flight.
 *
 * Receives go through a proxy that answers them late (the server has already hidden
 * the messages), so the interrupt lands while the command holds messages.
 */

let server: TestServer;
let proxy: FaultProxy;
let dir: string;
let n = 0;
let term: PtyRun | undefined;

const SLOW_RECEIVES: FaultConfig = { seed: 5, actions: { ReceiveMessage: { delay: 1, delayMs: 250, delayWhen: "after" } } };

beforeAll(async () => {
  server = await startTestServer();
  proxy = await startFaultProxy(server.endpoint, SLOW_RECEIVES);
  dir = mkdtempSync(join(tmpdir(), "sqsctl-interrupts-"));
});
afterEach(() => {
  term?.kill();
  term = undefined;
  proxy.configure(SLOW_RECEIVES);
});
afterAll(async () => {
  await proxy?.close();
  await server?.close();
});

const env = (): Record<string, string> => ({ ...server.env, AWS_ENDPOINT_URL_SQS: proxy.endpoint, HOME: dir, XDG_STATE_HOME: join(dir, "state"), SQSCTL_HOME: join(dir, "sqsctl") });

async function queueWith(count: number, attributes: Record<string, string> = {}): Promise<{ name: string; url: string; arn: string }> {
  n += 1;
  const name = `int-${n}`;
  const { QueueUrl } = await server.client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const { Attributes } = await server.client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  await seed(server.client, QueueUrl!, Array.from({ length: count }, (_, i) => JSON.stringify({ i, kind: i % 2 ? "odd" : "even" })));
  return { name, url: QueueUrl!, arn: Attributes!.QueueArn! };
}

async function until(cond: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${term ? `; screen:\n${term.screen()}` : ""}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const inFlight = async (url: string) => (await counts(server.client, url)).inFlight;

describe("Ctrl-C typed in a terminal", () => {
  test("dlq inspect --all: the scan stops, exit 130, every message visible again", async () => {
    const dlq = await queueWith(400);
    term = runInPty(["dlq", "inspect", dlq.name, "--all"], { env: env() });
    await term.waitFor("Scanning");
    await until(async () => (await inFlight(dlq.url)) >= 40, "messages in hand");
    term.press(KEY.ctrlC);
    expect(await term.exited(30_000)).toBe(130);
    expect(term.screen()).toMatch(/Interrupted/);
    expect(await counts(server.client, dlq.url)).toMatchObject({ inFlight: 0, visible: 400 });
  });

  test("dlq redrive (manual, --filter): stops moving, exit 130, nothing held, DLQ + target = start", async () => {
    const dlq = await queueWith(400);
    n += 1;
    const target = `int-target-${n}`;
    const { QueueUrl: targetUrl } = await server.client.send(
      new CreateQueueCommand({ QueueName: target, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 }) } }),
    );
    term = runInPty(["dlq", "redrive", dlq.name, "--to", target, "--filter", "json.kind == 'even'", "--yes"], { env: env() });
    await until(async () => (await counts(server.client, targetUrl!)).total >= 20, "some messages moved");
    term.press(KEY.ctrlC);
    expect(await term.exited(30_000)).toBe(130);
    const d = await counts(server.client, dlq.url);
    const t = await counts(server.client, targetUrl!);
    expect(d.inFlight).toBe(0);
    expect(t.total).toBeLessThan(200);
    expect(d.total + t.total).toBeGreaterThanOrEqual(400);
  });

  test("tail: exit 130 (the same rule as every command), every shown message visible again", async () => {
    const q = await queueWith(120);
    term = runInPty(["tail", q.name], { env: env() });
    await term.waitFor('"kind"');
    term.press(KEY.ctrlC);
    expect(await term.exited(30_000)).toBe(130);
    expect(await counts(server.client, q.url)).toMatchObject({ inFlight: 0, visible: 120 });
  });
});

describe("the terminal closed under the command (SIGHUP)", () => {
  test("tail: releases what it held and exits", async () => {
    const q = await queueWith(120);
    const run = runInPty(["tail", q.name], { env: env() });
    term = run;
    await run.waitFor('"kind"');
    run.hangup();
    await run.exited(30_000);
    expect(await counts(server.client, q.url)).toMatchObject({ inFlight: 0, visible: 120 });
  });

  test("dlq inspect --all: releases what it held and exits", async () => {
    const dlq = await queueWith(300);
    const run = runInPty(["dlq", "inspect", dlq.name, "--all"], { env: env() });
    term = run;
    await run.waitFor("Scanning");
    await until(async () => (await inFlight(dlq.url)) >= 40, "messages in hand");
    run.hangup();
    await run.exited(30_000);
    expect(await counts(server.client, dlq.url)).toMatchObject({ inFlight: 0, visible: 300 });
  });
});

describe("one SIGTERM while a request hangs", () => {
  test("a server that accepts and never answers: the grace period ends it, exit 130", async () => {
    const sockets = new Set<net.Socket>();
    let requests = 0;
    const frozen = net.createServer((s) => {
      sockets.add(s);
      s.on("data", () => (requests += 1));
      s.on("error", () => undefined);
    });
    await new Promise<void>((r) => frozen.listen(0, "127.0.0.1", r));
    const endpoint = `http://127.0.0.1:${(frozen.address() as net.AddressInfo).port}`;
    try {
      // Killed at 25 s: far below the 35 s request timeout, so only the abort can end it in time.
      const run = startCli(["queues", "list"], { env: { ...server.env, AWS_ENDPOINT_URL_SQS: endpoint, HOME: dir }, timeoutMs: 25_000 });
      await until(() => requests > 0, "the request to reach the frozen server");
      run.signal("SIGTERM");
      const r = await run.done;
      expect(r.signal, r.stderr).toBeNull();
      expect(r.code, r.stderr).toBe(130);
      expect(r.stderr).toMatch(/Interrupted/);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => frozen.close(() => r()));
    }
  });

  test("dlq inspect whose next receive hangs: aborted after the grace period, held messages released, exit 130", async () => {
    const dlq = await queueWith(300);
    const run = startCli(["dlq", "inspect", dlq.name, "--all"], { env: env(), timeoutMs: 40_000 });
    await until(async () => (await inFlight(dlq.url)) >= 40, "messages in hand");
    // From now on receives hang before they reach the server (nothing more is hidden);
    // releases still go through.
    const delayed = () => proxy.stats.byAction.ReceiveMessage?.delay ?? 0;
    const before = delayed();
    proxy.configure({ seed: 5, actions: { ReceiveMessage: { delay: 1, delayMs: 600_000, delayWhen: "before" } } });
    await until(() => delayed() > before + 1, "a receive to hang at the proxy");
    run.signal("SIGTERM");
    const r = await run.done;
    expect(r.signal, r.stderr).toBeNull();
    expect(r.code, r.stderr).toBe(130);
    expect(await counts(server.client, dlq.url)).toMatchObject({ inFlight: 0, visible: 300 });
  });
});

describe("a terminal that reports 0 columns", () => {
  test("dlq inspect finishes and writes a bounded amount (no endless redraw)", async () => {
    const dlq = await queueWith(150);
    proxy.configure({ seed: 5 });
    const run = runInPty(["dlq", "inspect", dlq.name, "--all"], { env: env(), zeroSize: true });
    term = run;
    expect(await run.exited(40_000)).toBe(0);
    expect(run.written()).toBeLessThan(500_000);
    expect(await counts(server.client, dlq.url)).toMatchObject({ inFlight: 0, visible: 150 });
  });
});
