import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCli } from "../helpers/cli.js";
import { TEST_CREDENTIALS, startTestServer, type TestServer } from "../helpers/local-server.js";
import { counts, drain, seed, tally, waitUntilNoneInFlight } from "../helpers/queue-state.js";
import { startCli } from "../helpers/spawn.js";
import { startStrictSqs, type StrictSqs } from "../helpers/strict-sqs.js";

/**
 * dlq redrive on the custody engine, through the strict SQS layer (stale receipt handles
 * answered as AWS does, several FIFO messages per group per receive): hold renewal,
 * FIFO with a consumer holding messages, a target that is the DLQ, and several
 * processes at once on one DLQ with a kill in the middle. Every message counted by id.
 */

let server: TestServer;
let strict: StrictSqs;
let client: SQSClient;
const dir = mkdtempSync(join(tmpdir(), "sqsctl-redrive-custody-"));

beforeAll(async () => {
  server = await startTestServer();
  strict = await startStrictSqs(server.endpoint);
  client = new SQSClient({ endpoint: strict.endpoint, region: "us-east-1", credentials: TEST_CREDENTIALS });
});
afterAll(async () => {
  client?.destroy();
  await strict?.close();
  await server?.close();
});

const env = () => ({ ...server.env, AWS_ENDPOINT_URL_SQS: strict.endpoint, XDG_STATE_HOME: join(dir, "state"), HOME: dir });
const idOf = (m: Message) => /^(\S+)/.exec(m.Body ?? "")![1]!;

async function createQueue(name: string, attributes: Record<string, string> = {}): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

describe("dlq redrive, strict layer", () => {
  test("--to the DLQ itself is refused with exit 2 and moves nothing (issue 15 #3)", async () => {
    const dlq = await createQueue("rc-self-dlq");
    await seed(client, dlq.url, ["a x", "b x"]);
    const r = await runCli(["dlq", "redrive", "rc-self-dlq", "--to", "rc-self-dlq", "--strategy", "manual", "--yes"], { env: env() });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain("is the DLQ itself");
    expect((await counts(client, dlq.url)).visible).toBe(2);
  });

  test("a run longer than its hold: the heartbeat renews every message in hand; no stale delete, each moved once (issue 10 #7)", async () => {
    // GIVEN 120 messages and a run paced to last about three holds of 5 s
    const N = 120;
    const dlq = await createQueue("rc-hold-dlq");
    const target = await createQueue("rc-hold");
    await seed(client, dlq.url, Array.from({ length: N }, (_, i) => `h-${i} payload`));
    strict.resetStats();
    // WHEN it runs with 8 loops sharing --rate
    const r = await runCli(["dlq", "redrive", "rc-hold-dlq", "--to", "rc-hold", "--strategy", "manual", "--yes", "--hold", "5s", "--rate", "8", "-o", "json"], { env: env(), timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    // THEN no delete went out with a stale or lapsed handle, and every message is in the target exactly once
    expect(strict.stats.deletesNotDone).toEqual([]);
    expect(JSON.parse(r.stdout)).toMatchObject({ moved: N, lapsed: 0, duplicates: 0 });
    const inTarget = tally((await drain(client, target.url)).map(idOf));
    expect(inTarget.size).toBe(N);
    expect([...inTarget.values()].every((n) => n === 1)).toBe(true);
    expect((await counts(client, dlq.url)).total).toBe(0);
  }, 150_000);

  test("FIFO with a consumer holding the head of every group: not a success; says how many are left and why (issue 15 #4)", async () => {
    const dlq = await createQueue("rc-held-dlq.fifo", { FifoQueue: "true" });
    const target = await createQueue("rc-held.fifo", { FifoQueue: "true" });
    const bodies: string[] = [];
    for (let i = 0; i < 4; i++) for (const g of ["g1", "g2", "g3"]) bodies.push(`${g}-${i} x`);
    await seed(client, dlq.url, bodies, (i) => ({ MessageGroupId: `g${(i % 3) + 1}`, MessageDeduplicationId: `d${i}` }), 1);
    // GIVEN a consumer that holds one message of each group
    let held = 0;
    while (held < 3) {
      const got = await client.send(new ReceiveMessageCommand({ QueueUrl: dlq.url, MaxNumberOfMessages: 1, VisibilityTimeout: 120, WaitTimeSeconds: 1 }));
      held += got.Messages?.length ?? 0;
    }
    // WHEN everything is asked for
    const r = await runCli(["dlq", "redrive", "rc-held-dlq.fifo", "--to", "rc-held.fifo", "--strategy", "manual", "--yes", "-o", "json"], { env: env(), timeoutMs: 90_000 });
    // THEN it does not say success
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/Not everything was moved/);
    const s = JSON.parse(r.stdout) as { moved: number; inFlightElsewhere: number; unreachable: number };
    expect(s.moved).toBe(0);
    expect(s.inFlightElsewhere + s.unreachable).toBeGreaterThanOrEqual(3);
    expect(strict.heldIds(target.url)).toEqual([]);
  }, 120_000);

  test("three redrives at once on one DLQ, one killed in the middle: none lost, every duplicate reported (scale past one process)", async () => {
    const N = 900;
    const dlq = await createQueue("rc-multi-dlq");
    const target = await createQueue("rc-multi");
    const ids = Array.from({ length: N }, (_, i) => `m-${i}`);
    await seed(client, dlq.url, ids.map((id) => `${id} payload`));
    const args = ["dlq", "redrive", "rc-multi-dlq", "--to", "rc-multi", "--strategy", "manual", "--yes", "--hold", "5s", "--rate", "60", "--concurrency", "2", "-o", "json"];
    // GIVEN three processes on the same DLQ (each with its own journal, same state folder)
    const runs = [0, 1, 2].map(() => startCli(args, { env: env(), timeoutMs: 120_000 }));
    // WHEN one is killed once a third of the messages reached the target
    while ((await counts(client, target.url)).total < N / 3) await new Promise((r) => setTimeout(r, 50));
    runs[1]!.signal("SIGKILL");
    const results = await Promise.all(runs.map((r) => r.done));
    expect(results[1]!.signal).toBe("SIGKILL");
    // THEN right after, nothing is lost: every id is in the DLQ or the target
    await waitUntilNoneInFlight(client, dlq.url, 30_000);
    // AND a last run (which resumes the killed one's journal) moves the rest
    const last = await runCli(args.filter((a, i) => a !== "--rate" && args[i - 1] !== "--rate"), { env: env(), timeoutMs: 120_000 });
    expect(last.code, last.stderr).toBe(0);
    const summaries = [results[0]!, results[2]!, last].map((r) => JSON.parse(r.stdout) as { moved: number; duplicates: number });
    const reported = summaries.reduce((n, s) => n + s.duplicates, 0);
    const inDlq = tally((await drain(client, dlq.url)).map(idOf));
    const inTarget = tally((await drain(client, target.url)).map(idOf));
    expect(ids.filter((id) => !inTarget.has(id) && !inDlq.has(id))).toEqual([]);
    expect(inDlq.size).toBe(0);
    const duplicates = [...inTarget.values()].reduce((a, b) => a + b, 0) - N;
    if (process.env.DEBUG_MULTI) console.log(JSON.stringify({ summaries, dup: [...inTarget].filter(([, n]) => n > 1).map(([id]) => id), stderr: results.map((r) => r.stderr.slice(-600)), last: last.stderr.slice(-800) }, null, 1));
    expect(duplicates).toBeLessThanOrEqual(reported);
    // no delete with a stale handle was counted as done
    expect(strict.stats.deletesNotDone.filter((id) => !inTarget.has(id))).toEqual([]);
  }, 240_000);
});
