import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BIN, runCli } from "../helpers/cli.js";
import { TEST_CREDENTIALS } from "../helpers/local-server.js";
import { counts, drain, seed, tally } from "../helpers/queue-state.js";

/**
 * `sqsctl local --data-dir`: fauxqs's SQLite store answered a release (visibility 0)
 * with HTTP 500 and lost the message from the running server. Every command that
 * releases (receive --peek, dlq inspect, a filtered redrive) must leave every message
 * in place, counted by id, against the real `sqsctl local --data-dir` subprocess.
 */

let child: ChildProcess;
let client: SQSClient;
let env: Record<string, string>;
let home: string;

async function startLocal(): Promise<void> {
  child = spawn(process.execPath, [BIN, "local", "--port", "0", "-o", "ndjson", "--data-dir", join(home, "data")], {
    env: { PATH: process.env.PATH ?? "", HOME: home },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const info = await new Promise<{ endpoint: string; port: number }>((resolve, reject) => {
    child.stdout!.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      const line = stdout.split("\n").find((l) => l.startsWith("{"));
      if (line) resolve(JSON.parse(line));
    });
    child.on("exit", (code) => reject(new Error(`sqsctl local exited ${code}: ${stderr}`)));
  });
  client = new SQSClient({ endpoint: info.endpoint, region: "us-east-1", credentials: TEST_CREDENTIALS });
  env = { SQSCTL_LOCAL_PORT: String(info.port), HOME: home, XDG_STATE_HOME: join(home, "state"), SQSCTL_HOME: join(home, "sqsctl") };
}

async function stopLocal(): Promise<void> {
  client?.destroy();
  if (child && child.exitCode === null) {
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    await exited;
  }
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "sqsctl-datadir-"));
  await startLocal();
});
afterAll(stopLocal);

async function queue(name: string, attrs: Record<string, string> = {}): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attrs }));
  const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

const bodies = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ id: `${prefix}-${i}`, kind: i % 4 === 0 ? "retry" : "keep" }));
const idsOf = (msgs: Array<{ Body?: string }>) => msgs.map((m) => (JSON.parse(m.Body!) as { id: string }).id);

describe("sqsctl local --data-dir keeps every message through releases", () => {
  test("receive --peek: every message still in the queue afterwards, each once", async () => {
    const q = await queue("peeked");
    await seed(client, q.url, bodies("p", 40));
    const r = await runCli(["--local", "receive", "peeked", "--peek", "--max", "25", "-o", "ndjson"], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/could not be released/);
    expect(await counts(client, q.url)).toMatchObject({ inFlight: 0, visible: 40 });
    const left = tally(idsOf(await drain(client, q.url, 1)));
    expect(left.size).toBe(40);
    expect([...left.values()].every((v) => v === 1)).toBe(true);
  });

  test("dlq inspect --all, then a filtered redrive: every id is in the DLQ or the source, none lost", async () => {
    const dlq = await queue("dd-dlq");
    await queue("dd-src", { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 }) });
    const src = (await queue("dd-src")).url;
    await seed(client, dlq.url, bodies("d", 80));

    const inspect = await runCli(["--local", "dlq", "inspect", "dd-dlq", "--all", "-o", "json"], { env });
    expect(inspect.code, inspect.stderr).toBe(0);
    expect(await counts(client, dlq.url)).toMatchObject({ inFlight: 0, visible: 80 });

    const redrive = await runCli(["--local", "dlq", "redrive", "dd-dlq", "--to", "dd-src", "--filter", "json.kind == 'retry'", "--yes"], { env });
    expect(redrive.code, redrive.stderr).toBe(0);
    const inDlq = idsOf(await drain(client, dlq.url, 1));
    const inSrc = idsOf(await drain(client, src, 1));
    expect(inSrc.length).toBe(20);
    expect(inDlq.length).toBe(60);
    const all = tally([...inDlq, ...inSrc]);
    expect(all.size).toBe(80);
    expect([...all.values()].every((v) => v === 1)).toBe(true);
    expect(inSrc.every((id) => Number(id.split("-")[1]) % 4 === 0)).toBe(true);
  });

  test("released messages are stored as visible: after a restart on the same directory all are there, none in flight", async () => {
    const q = await queue("kept-after");
    await seed(client, q.url, bodies("k", 10));
    const r = await runCli(["--local", "receive", "kept-after", "--peek", "--max", "10"], { env });
    expect(r.code, r.stderr).toBe(0);
    await stopLocal();
    await startLocal();
    const url = (await queue("kept-after")).url;
    expect(await counts(client, url)).toMatchObject({ inFlight: 0, visible: 10 });
    expect(tally(idsOf(await drain(client, url, 1))).size).toBe(10);
  });
});
