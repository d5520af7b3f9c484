import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
} from "@aws-sdk/client-sqs";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { runCli } from "../helpers/cli.js";
import { startTestServer, type TestServer } from "../helpers/local-server.js";
import { KEY, runInPty, type PtyRun } from "./browse-pty.js";

let server: TestServer;
const runs: PtyRun[] = [];
beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => {
  for (const r of runs.splice(0)) r.kill();
});
afterAll(async () => {
  await server?.close();
});

function browse(args: string[], extra: { stdoutFile?: string; cwd?: string } = {}): PtyRun {
  const run = runInPty(["browse", ...args], { env: server.env, ...extra });
  runs.push(run);
  return run;
}

async function createQueue(name: string, attributes?: Record<string, string>): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await server.client.send(new CreateQueueCommand({ QueueName: name, ...(attributes ? { Attributes: attributes } : {}) }));
  const { Attributes } = await server.client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

/** Five messages: bodies {"n":i,"tag":"alpha-i"} with a `kind` attribute. */
async function seedFive(url: string): Promise<void> {
  const Entries = Array.from({ length: 5 }, (_, i) => ({
    Id: `m${i}`,
    MessageBody: JSON.stringify({ n: i, tag: `alpha-${i}` }),
    MessageAttributes: { kind: { DataType: "String", StringValue: i % 2 ? "odd" : "even" } },
  }));
  const out = await server.client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries }));
  expect(out.Failed ?? []).toEqual([]);
}

async function counts(url: string): Promise<{ visible: number; inFlight: number }> {
  const { Attributes } = await server.client.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }),
  );
  return { visible: Number(Attributes!.ApproximateNumberOfMessages), inFlight: Number(Attributes!.ApproximateNumberOfMessagesNotVisible) };
}

/** Receives everything visible (then it is in flight; tests do not reuse the queue). */
async function drainTags(url: string): Promise<Array<{ tag: string; kind?: string }>> {
  const out: Array<{ tag: string; kind?: string }> = [];
  let empties = 0;
  while (empties < 2) {
    const r = await server.client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ["All"] }));
    if (!r.Messages?.length) {
      empties += 1;
      continue;
    }
    for (const m of r.Messages) out.push({ tag: (JSON.parse(m.Body!) as { tag: string }).tag, kind: m.MessageAttributes?.kind?.StringValue });
  }
  return out.sort((a, b) => a.tag.localeCompare(b.tag));
}

/** Searches for `text`, leaves search, and selects the message under the cursor. */
async function select(run: PtyRun, text: string): Promise<void> {
  run.press("/");
  await run.waitFor("type to search");
  run.press("\u0015", text);
  await run.waitFor(/· 1 match ·/);
  run.press(KEY.enter);
  await run.waitFor("/ to change");
  run.press(KEY.space);
}

describe("browse in a terminal", () => {
  test("select two of five and delete them: three remain, all visible", async () => {
    // GIVEN five messages
    const q = await createQueue("br-delete");
    await seedFive(q.url);
    const run = browse(["br-delete"]);
    await run.waitFor("5 held · 0 selected");

    // WHEN the user searches and selects two, then deletes them
    await select(run, "alpha-1");
    await run.waitFor("1 selected");
    await select(run, "alpha-3");
    await run.waitFor("2 selected");
    run.press(KEY.enter);
    await run.waitFor("2 messages: what now?");
    run.press(KEY.down, KEY.enter);
    await run.waitFor("Delete 2 messages from br-delete? This cannot be undone.");
    run.press("y", KEY.enter);
    await run.waitFor("Deleted 2 messages from br-delete.");
    await run.waitFor("3 held");
    run.press("q");

    // THEN it exits 0, and the other three are visible again at once
    expect(await run.exited()).toBe(0);
    expect(run.screen()).toContain("Released 3 messages: visible in br-delete again now. This session deleted 2.");
    expect(await counts(q.url)).toEqual({ visible: 3, inFlight: 0 });
    expect((await drainTags(q.url)).map((m) => m.tag)).toEqual(["alpha-0", "alpha-2", "alpha-4"]);
  });

  test("select one and redrive it to its source queue: it is there with its attributes", async () => {
    // GIVEN a DLQ with five messages and the source queue that uses it
    const dlq = await createQueue("br-orders-dlq");
    const src = await createQueue("br-orders", { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 }) });
    await seedFive(dlq.url);
    const run = browse(["br-orders-dlq"]);
    await run.waitFor("5 held · 0 selected");

    // WHEN the user picks one (enter on the cursor) and redrives it to its source
    run.press("/");
    await run.waitFor("type to search");
    run.press("alpha-3");
    await run.waitFor(/· 1 match ·/);
    run.press(KEY.enter);
    await run.waitFor("/ to change");
    run.press(KEY.enter);
    await run.waitFor(/message [0-9a-f]{8}: what now\?/);
    run.press(KEY.down, KEY.down, KEY.enter);
    await run.waitFor("Redrive 1 message to:");
    await run.waitFor("Back to its source queue br-orders");
    run.press(KEY.enter);
    await run.waitFor("Move 1 message from br-orders-dlq to br-orders?");
    run.press("y", KEY.enter);
    await run.waitFor("Moved 1 message to br-orders.");
    await run.waitFor("4 held");
    run.press("q");

    // THEN the message is in the source queue with its attribute, and the DLQ has the other four
    expect(await run.exited()).toBe(0);
    expect(await counts(dlq.url)).toEqual({ visible: 4, inFlight: 0 });
    expect(await drainTags(src.url)).toEqual([{ tag: "alpha-3", kind: "odd" }]);
    expect((await drainTags(dlq.url)).map((m) => m.tag)).toEqual(["alpha-0", "alpha-1", "alpha-2", "alpha-4"]);
  });

  test("redrive to a queue picked from the list", async () => {
    const q = await createQueue("br-pick-from");
    const target = await createQueue("br-pick-target");
    await seedFive(q.url);
    const run = browse(["br-pick-from"]);
    await run.waitFor("5 held · 0 selected");
    await select(run, "alpha-0");
    await run.waitFor("1 selected");
    run.press(KEY.enter);
    await run.waitFor("what now?");
    run.press(KEY.down, KEY.down, KEY.enter);
    await run.waitFor("Another queue");
    run.press(KEY.enter);
    await run.waitFor("Target queue");
    run.press("pick-tar");
    await run.waitFor(/❯ br-pick-target/);
    run.press(KEY.enter);
    await run.waitFor("Move 1 message from br-pick-from to br-pick-target?");
    run.press("y", KEY.enter);
    await run.waitFor("Moved 1 message to br-pick-target.");
    await run.waitFor("4 held");
    run.press("q");
    expect(await run.exited()).toBe(0);
    expect(await drainTags(target.url)).toEqual([{ tag: "alpha-0", kind: "even" }]);
    expect(await counts(q.url)).toEqual({ visible: 4, inFlight: 0 });
  });

  test("view, then quit without acting: all five visible again at once", async () => {
    const q = await createQueue("br-quit");
    await seedFive(q.url);
    const run = browse(["br-quit"]);
    await run.waitFor("5 held · 0 selected");
    // While browsing, the messages are hidden from consumers.
    expect(await counts(q.url)).toEqual({ visible: 0, inFlight: 5 });
    await select(run, "alpha-2");
    await run.waitFor("1 selected");
    run.press(KEY.enter);
    await run.waitFor("what now?");
    run.press(KEY.enter);
    // The body pretty-printed, every attribute with its type.
    await run.waitFor("Message 1 of 1");
    expect(run.screen()).toContain('  "tag": "alpha-2"');
    expect(run.screen()).toMatch(/kind {2}String +even/);
    run.press("q");
    await run.waitFor("what now?");
    run.press(KEY.esc);
    await run.waitFor("5 held · 1 match · 1 selected");
    run.press("q");
    expect(await run.exited()).toBe(0);
    expect(run.screen()).toContain("Released 5 messages: visible in br-quit again now.");
    expect(await counts(q.url)).toEqual({ visible: 5, inFlight: 0 });
  });

  test("Ctrl-C at the list releases everything and exits 130", async () => {
    const q = await createQueue("br-ctrlc-list");
    await seedFive(q.url);
    const run = browse(["br-ctrlc-list"]);
    await run.waitFor("5 held · 0 selected");
    run.press(KEY.ctrlC);
    expect(await run.exited()).toBe(130);
    expect(run.screen()).toContain("Released 5 messages");
    expect(await counts(q.url)).toEqual({ visible: 5, inFlight: 0 });
  });

  test("SIGTERM while the list is open releases everything and exits 130", async () => {
    const q = await createQueue("br-sigterm");
    await seedFive(q.url);
    const run = browse(["br-sigterm"]);
    await run.waitFor("5 held · 0 selected");
    process.kill(run.pid, "SIGTERM");
    expect(await run.exited()).toBe(130);
    expect(await counts(q.url)).toEqual({ visible: 5, inFlight: 0 });
  });

  test("Ctrl-C at the delete confirmation deletes nothing and releases everything", async () => {
    const q = await createQueue("br-ctrlc-confirm");
    await seedFive(q.url);
    const run = browse(["br-ctrlc-confirm"]);
    await run.waitFor("5 held · 0 selected");
    run.press("a");
    await run.waitFor("5 selected");
    run.press(KEY.enter);
    await run.waitFor("5 messages: what now?");
    run.press(KEY.down, KEY.enter);
    await run.waitFor("Delete 5 messages from br-ctrlc-confirm?");
    run.press(KEY.ctrlC);
    expect(await run.exited()).toBe(130);
    expect(await counts(q.url)).toEqual({ visible: 5, inFlight: 0 });
  });

  test("copy bodies goes to stdout only; export writes NDJSON envelopes; Esc backs out", async () => {
    const q = await createQueue("br-copy");
    await seedFive(q.url);
    const dir = mkdtempSync(join(tmpdir(), "sqsctl-browse-"));
    const out = join(dir, "stdout.txt");
    const run = browse(["br-copy"], { stdoutFile: out, cwd: dir });
    await run.waitFor("5 held · 0 selected");
    run.press("a");
    await run.waitFor("5 selected");
    run.press(KEY.enter);
    await run.waitFor("5 messages: what now?");
    run.press(KEY.down, KEY.down, KEY.down, KEY.down, KEY.enter);
    await run.waitFor("Copied 5 bodies to stdout.");
    await run.waitFor("5 messages: what now?");
    run.press(KEY.up, KEY.enter);
    await run.waitFor("Export 5 messages to file:");
    run.press(KEY.enter);
    await run.waitFor(/Wrote 5 messages to .*\.ndjson/);
    await run.waitFor("5 messages: what now?");
    run.press(KEY.esc);
    await run.waitFor("5 held · 5 selected");
    run.press(KEY.esc);
    expect(await run.exited()).toBe(0);

    const bodies = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { tag: string });
    expect(bodies.map((b) => b.tag).sort()).toEqual(["alpha-0", "alpha-1", "alpha-2", "alpha-3", "alpha-4"]);
    const file = readdirSync(dir).find((f) => f.endsWith(".ndjson"))!;
    const envs = readFileSync(join(dir, file), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { messageId: string; body: string; messageAttributes: unknown });
    expect(envs).toHaveLength(5);
    expect(envs[0]).toMatchObject({ messageId: expect.any(String), messageAttributes: { kind: { DataType: "String" } } });
    expect(await counts(q.url)).toEqual({ visible: 5, inFlight: 0 });
  });

  test("a hold that ran out: the message is received again before the delete, or reported when a consumer has it", async () => {
    // GIVEN a session (holding for 3 s, renewed every second) with alpha-1 and alpha-3 selected
    const q = await createQueue("br-lapse");
    await seedFive(q.url);
    const run = browse(["br-lapse", "--hold", "3s"]);
    await run.waitFor("5 held · 0 selected");
    await select(run, "alpha-1");
    await select(run, "alpha-3");
    await run.waitFor("2 selected");
    run.press("/");
    await run.waitFor("type to search");
    run.press(KEY.esc);
    await run.waitFor("5 held · 2 selected");

    // WHEN the process is suspended past its hold and a consumer takes alpha-1 (and lets the others go)
    process.kill(run.pid, "SIGSTOP");
    let taken: string | undefined;
    while (!taken) {
      const r = await server.client.send(new ReceiveMessageCommand({ QueueUrl: q.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 120 }));
      for (const m of r.Messages ?? []) {
        if (m.Body!.includes("alpha-1")) taken = m.ReceiptHandle!;
        else await server.client.send(new ChangeMessageVisibilityCommand({ QueueUrl: q.url, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 }));
      }
    }
    process.kill(run.pid, "SIGCONT");

    // THEN the list marks the lapsed hold, and deleting both re-fetches alpha-3 and reports alpha-1
    await run.waitFor("5 slipped out of the hold (!)");
    run.press(KEY.enter);
    await run.waitFor("2 messages: what now?");
    run.press(KEY.down, KEY.enter);
    await run.waitFor("Delete 2 messages from br-lapse?");
    run.press("y", KEY.enter);
    await run.waitFor("Deleted 1 message from br-lapse.");
    await run.waitFor(/not deleted: this session's hold on it ran out/);
    expect(run.screen()).toContain("Received 1 message again whose hold had lapsed.");
    run.press("q");
    expect(await run.exited()).toBe(0);

    // alpha-1 was not deleted: the consumer still has it; alpha-3 is gone; the rest are visible.
    expect(await counts(q.url)).toEqual({ visible: 3, inFlight: 1 });
    await server.client.send(new ChangeMessageVisibilityCommand({ QueueUrl: q.url, ReceiptHandle: taken, VisibilityTimeout: 0 }));
    expect((await drainTags(q.url)).map((m) => m.tag)).toEqual(["alpha-0", "alpha-1", "alpha-2", "alpha-4"]);
  });

  test("--filter lists only matching messages and releases the rest", async () => {
    const q = await createQueue("br-filter");
    await seedFive(q.url);
    const run = browse(["br-filter", "--filter", "json.n > `2`"]);
    await run.waitFor("2 held · 0 selected");
    expect(run.screen()).toContain("alpha-3");
    expect(run.screen()).not.toContain("alpha-1");
    // The three that do not match were released at the end of the scan.
    expect(await counts(q.url)).toEqual({ visible: 3, inFlight: 2 });
    run.press("q");
    expect(await run.exited()).toBe(0);
    expect(await counts(q.url)).toEqual({ visible: 5, inFlight: 0 });
  });
});

describe("browse without a terminal", () => {
  test("exits 2 and points to the non-interactive commands", async () => {
    const q = await createQueue("br-notty");
    await seedFive(q.url);
    const r = await runCli(["browse", "br-notty"], { env: server.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("needs a terminal");
    expect(r.stderr).toContain("sqsctl dlq inspect br-notty");
    expect(r.stdout).toBe("");
    expect(await counts(q.url)).toEqual({ visible: 5, inFlight: 0 });
  });
});
