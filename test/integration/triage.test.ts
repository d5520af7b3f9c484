import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { seedDemo } from "../../src/local/demo-scene.js";
import { withSeedClock } from "../../src/local/seed-clock.js";
import { Ui } from "../../src/output/ui.js";
import { BIN, runCli } from "../helpers/cli.js";
import { startTestServer, type TestServer } from "../helpers/local-server.js";
import { counts } from "../helpers/sqs-state.js";

// GIVEN a DLQ (pay-dlq, the target of payments' RedrivePolicy) holding two failure kinds
// sent at controlled times on the seed clock:
//   CardExpired: one every 10 minutes for the last three hours, still going
//   GatewayDown: five a minute for ten minutes, from 30 to 21 minutes ago, then nothing
let server: TestServer;
let home: string;
let now: number;
const MIN = 60_000;
/** Every CardExpired body: long, with personal data in it (whichever one is the sample). */
const cardBody = (m: number) => JSON.stringify({ kind: "CardExpired", at: m, customer: "jane@example.com", note: "x".repeat(800) });

beforeAll(async () => {
  server = await startTestServer();
  home = fs.mkdtempSync(path.join(os.tmpdir(), "sqsctl-triage-test-"));
  const dlqUrl = (await server.client.send(new CreateQueueCommand({ QueueName: "pay-dlq" }))).QueueUrl!;
  const dlqArn = (await server.client.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
  await server.client.send(
    new CreateQueueCommand({ QueueName: "payments", Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }) } }),
  );
  now = Date.now();
  await withSeedClock(async (clock) => {
    for (let m = 180; m >= 0; m -= 10) {
      clock.set(now - m * MIN);
      const body = cardBody(m);
      await server.client.send(
        new SendMessageBatchCommand({
          QueueUrl: dlqUrl,
          Entries: [{ Id: "a", MessageBody: body, MessageAttributes: { tenant: { DataType: "String", StringValue: "acme" } } }],
        }),
      );
    }
    for (let m = 30; m > 20; m--) {
      clock.set(now - m * MIN);
      await server.client.send(
        new SendMessageBatchCommand({
          QueueUrl: dlqUrl,
          Entries: Array.from({ length: 5 }, (_, k) => ({ Id: `g${k}`, MessageBody: JSON.stringify({ kind: "GatewayDown", at: m, k }) })),
        }),
      );
    }
  });
});
afterAll(async () => {
  await server?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

const env = (extra: Record<string, string> = {}) => ({ ...server.env, SQSCTL_HOME: home, ...extra });
const cli = (args: string[], extra: Record<string, string> = {}) => runCli(args, { env: env(extra), timeoutMs: 60_000 });

/** bash -c SCRIPT, asynchronously: the server runs in this process and must keep answering. */
function runBash(script: string, envVars: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", script], { env: envVars, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (output += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

interface GroupJson {
  key: string;
  count: number;
  estimatedCount?: number;
  firstSeen: string;
  lastSeen: string;
  sources: Record<string, number>;
  filter: string;
  receiveCount: { min: number; max: number };
  sample: { body: string | null; attributes: string[]; truncated: boolean };
}
interface InspectJson {
  groups: GroupJson[];
  timeline?: { bucket: string; buckets: Array<{ start: string; total: number; counts: Record<string, number> }>; groups: string[] };
  estimate?: { sampleSize: number; approximateTotal: number };
  growth: { sincePrevious: { delta: number } | null; duringScan: { delta: number } };
}

describe("dlq inspect triage", () => {
  test("-o json: per group count, first/last sent, sources, a shortened sample, and the timeline buckets", async () => {
    const r = await cli(["dlq", "inspect", "pay-dlq", "--group-by", "json.kind", "--timeline", "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as InspectJson;
    const [gw, card] = out.groups;
    expect(gw).toMatchObject({ key: "GatewayDown", count: 50, lastHour: 50, sources: { payments: 50 }, filter: "json.kind == 'GatewayDown'" });
    expect(card).toMatchObject({ key: "CardExpired", count: 19, lastHour: 7, sources: { payments: 19 } });
    const near = (iso: string, ms: number) => expect(Math.abs(Date.parse(iso) - ms)).toBeLessThan(2000);
    near(gw!.firstSeen, now - 30 * MIN);
    near(gw!.lastSeen, now - 21 * MIN);
    near(card!.firstSeen, now - 180 * MIN);
    near(card!.lastSeen, now);
    expect(card!.sample.attributes).toEqual(["tenant"]);
    expect(card!.receiveCount.min).toBeGreaterThanOrEqual(1);
    // the timeline: 10-minute buckets over three hours, every message in one bucket
    const tl = out.timeline!;
    expect(tl.bucket).toBe("10m");
    expect(tl.groups).toEqual(["GatewayDown", "CardExpired"]);
    expect(tl.buckets.reduce((a, b) => a + b.total, 0)).toBe(69);
    expect(Math.max(...tl.buckets.map((b) => b.counts.GatewayDown ?? 0))).toBeGreaterThanOrEqual(25);
    expect(tl.buckets.at(-1)!.counts.GatewayDown).toBeUndefined();
  });

  test("--timeline on a dumb terminal: plain ASCII, 80 columns, the spike visible", async () => {
    const r = await cli(["dlq", "inspect", "pay-dlq", "--group-by", "json.kind", "--timeline"], { TERM: "dumb" });
    expect(r.code, r.stderr).toBe(0);
    const chart = r.stdout.slice(r.stdout.indexOf("Failures by time sent"));
    expect(chart).toContain("# GatewayDown");
    for (const l of chart.trimEnd().split("\n")) {
      expect(l.length).toBeLessThanOrEqual(80);
      expect(l).toMatch(/^[\x20-\x7e]*$/);
    }
    expect(chart).toMatch(/\|#{30,}/);
  });

  test("--report writes the Markdown write-up whose redrive commands run as written in bash", async () => {
    const file = path.join(home, "incident.md");
    const r = await cli(["dlq", "inspect", "pay-dlq", "--group-by", "json.kind", "--report", file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Wrote the report to ${file}`);
    const md = fs.readFileSync(file, "utf8");
    expect(md).toContain("# DLQ triage: pay-dlq");
    expect(md).toContain("- **Messages:** 69 total, all 69 messages in the DLQ");
    expect(md).toMatch(/\| GatewayDown \| 50 \| 72\.5 \| [\d :-]+ UTC \| [\d :-]+ UTC \| 50 \| \d+ \| payments \(50\) \|/);
    expect(md).toContain("```text\nFailures by time sent");
    expect(md).toContain("jane@example.com");
    expect(md).toMatch(/Body \(first 300 of 8\d\d characters\):/);
    expect(md).not.toContain("x".repeat(400));
    const line = md.split("\n").find((l) => l.includes("GatewayDown'\" --dry-run"))!;
    expect(line).toBe(`sqsctl dlq redrive pay-dlq --filter "json.kind == 'GatewayDown'" --dry-run`);
    // WHEN the line is pasted into bash (sqsctl being the built CLI)
    const bash = await runBash(`sqsctl() { "${process.execPath}" "${BIN}" "$@"; }\n${line}`, { PATH: process.env.PATH ?? "", HOME: home, NO_COLOR: "1", ...env() });
    // THEN it selects exactly that group, and moves nothing
    expect(bash.code, bash.output).toBe(0);
    expect(bash.output).toContain("would move 50 messages");
    expect(await counts(server.client, "pay-dlq")).toEqual({ visible: 69, inFlight: 0 });
  });

  test("--report will not overwrite a file without --force, and scans nothing then", async () => {
    const file = path.join(home, "existing.md");
    fs.writeFileSync(file, "my notes\n");
    const r = await cli(["dlq", "inspect", "pay-dlq", "--report", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("already exists");
    expect(r.stderr).toContain("--force");
    expect(r.stderr).not.toContain("Released");
    expect(fs.readFileSync(file, "utf8")).toBe("my notes\n");
    const nowhere = await cli(["dlq", "inspect", "pay-dlq", "--report", path.join(home, "no-such-dir", "r.md")]);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toContain("does not exist");
    const forced = await cli(["dlq", "inspect", "pay-dlq", "--report", file, "--force"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(fs.readFileSync(file, "utf8")).toContain("# DLQ triage: pay-dlq");
  });

  test("--no-bodies leaves bodies out of the report and the JSON", async () => {
    const file = path.join(home, "nobodies.md");
    const r = await cli(["dlq", "inspect", "pay-dlq", "--group-by", "json.kind", "--report", file, "--no-bodies", "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const md = fs.readFileSync(file, "utf8");
    expect(md).not.toContain("jane@example.com");
    expect(md).not.toContain('"kind"');
    expect(md).toContain("Bodies left out (--no-bodies)");
    expect(r.stdout).not.toContain("jane@example.com");
    const out = JSON.parse(r.stdout) as InspectJson;
    expect(out.groups.every((g) => g.sample.body === null)).toBe(true);
    const nd = await cli(["dlq", "inspect", "pay-dlq", "--group-by", "json.kind", "--no-bodies", "-o", "ndjson"]);
    expect(nd.code, nd.stderr).toBe(0);
    expect(nd.stdout).not.toContain("jane@example.com");
    expect(nd.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { key: string }).key)).toEqual(["GatewayDown", "CardExpired"]);
  });

  test("--sample N looks at N messages and says the counts are estimates", async () => {
    const r = await cli(["dlq", "inspect", "pay-dlq", "--group-by", "json.kind", "--sample", "20", "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as InspectJson;
    expect(out.estimate).toMatchObject({ sampleSize: 20, approximateTotal: 69 });
    expect(out.groups.reduce((a, g) => a + g.count, 0)).toBe(20);
    const estimated = out.groups.reduce((a, g) => a + g.estimatedCount!, 0);
    expect(Math.abs(estimated - 69)).toBeLessThanOrEqual(out.groups.length);
    expect(r.stderr).toContain("Released");
    const table = await cli(["dlq", "inspect", "pay-dlq", "--group-by", "json.kind", "--sample", "20"]);
    expect(table.stdout).toContain("COUNT (EST.)");
    expect(table.stderr).toContain("Estimates from a sample of 20 messages of ~69");
    expect((await cli(["dlq", "inspect", "pay-dlq", "--sample", "5", "--all"])).code).toBe(2);
  });
});

describe("a FIFO DLQ", () => {
  test("its times are when SQS moved the messages there (FIFO resets SentTimestamp), and the output says so", async () => {
    const url = (await server.client.send(new CreateQueueCommand({ QueueName: "jobs-dlq.fifo", Attributes: { FifoQueue: "true" } }))).QueueUrl!;
    await server.client.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [1, 2, 3].map((k) => ({ Id: `f${k}`, MessageBody: JSON.stringify({ kind: "Stuck", k }), MessageGroupId: `g${k}`, MessageDeduplicationId: `d${k}` })),
      }),
    );
    const json = await cli(["dlq", "inspect", "jobs-dlq.fifo", "--group-by", "json.kind", "--timeline", "-o", "json"]);
    expect(json.code, json.stderr).toBe(0);
    const out = JSON.parse(json.stdout) as InspectJson & { timeline: { basis: string } };
    expect(out.timeline.basis).toBe("moved-to-dlq");
    expect(out.groups).toMatchObject([{ key: "Stuck", count: 3 }]);
    const table = await cli(["dlq", "inspect", "jobs-dlq.fifo", "--group-by", "json.kind", "--timeline"]);
    expect(table.stdout).toContain("FIRST MOVED");
    expect(table.stdout).toContain("Failures by time moved to the DLQ (FIFO SentTimestamp, UTC)");
  });
});

describe("still happening?", () => {
  test("dlq list shows the growth since the previous look, and --growth counts twice", async () => {
    const own = fs.mkdtempSync(path.join(os.tmpdir(), "sqsctl-growth-"));
    try {
      const first = await cli(["dlq", "list", "-o", "json"], { SQSCTL_HOME: own });
      expect(first.code, first.stderr).toBe(0);
      expect((JSON.parse(first.stdout) as Array<{ name: string; growth: unknown }>).find((d) => d.name === "pay-dlq")!.growth).toBeNull();
      const url = (await server.client.send(new CreateQueueCommand({ QueueName: "pay-dlq" }))).QueueUrl!;
      await server.client.send(
        new SendMessageBatchCommand({ QueueUrl: url, Entries: [1, 2, 3].map((k) => ({ Id: `n${k}`, MessageBody: JSON.stringify({ kind: "GatewayDown", k }) })) }),
      );
      const second = await cli(["dlq", "list"], { SQSCTL_HOME: own });
      expect(second.stdout).toMatch(/pay-dlq +72 +0 +\+3 in \d+s/);
      const inspect = await cli(["dlq", "inspect", "pay-dlq", "--limit", "1"], { SQSCTL_HOME: own });
      expect(inspect.stderr + inspect.stdout).toMatch(/growth {6}no change since the previous look \d+s ago/);
      const timed = await cli(["dlq", "list", "--growth", "1s", "-o", "json"], { SQSCTL_HOME: own });
      expect((JSON.parse(timed.stdout) as Array<{ name: string; growth: unknown }>).find((d) => d.name === "pay-dlq")!.growth).toMatchObject({
        delta: 0,
        method: "interval",
      });
      expect((await cli(["dlq", "list", "--growth", "10m"])).code).toBe(2);
    } finally {
      fs.rmSync(own, { recursive: true, force: true });
    }
  });
});

describe("the demo scene", () => {
  test("spreads its failures over six hours: a stopped burst, a trickle, and an outage still going", async () => {
    const ui = new Ui({ stdout: new PassThrough(), stderr: new PassThrough(), stdin: process.stdin, env: {} } as never, { color: false, quiet: true });
    await seedDemo({ endpoint: server.endpoint, ui, signal: new AbortController().signal }, 200);
    const r = await cli(["dlq", "inspect", "orders-dlq", "--group-by", "json.errorType", "--timeline", "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as InspectJson;
    const g = Object.fromEntries(out.groups.map((x) => [x.key, x]));
    const ago = (iso: string) => (Date.now() - Date.parse(iso)) / MIN;
    expect(ago(g.ValidationError!.firstSeen)).toBeGreaterThan(300);
    expect(ago(g.Timeout!.firstSeen)).toBeLessThan(80);
    expect(ago(g.Timeout!.lastSeen)).toBeLessThan(15);
    expect(ago(g.DuplicateOrder!.lastSeen)).toBeGreaterThan(200);
    expect(out.timeline!.bucket).toBe("15m");
    expect(out.timeline!.buckets.filter((b) => b.total > 0).length).toBeGreaterThan(15);
  });
});
