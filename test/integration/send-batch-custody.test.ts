import { linkSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateQueueCommand, GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCli } from "../helpers/cli.js";
import { startTestServer, type TestServer } from "../helpers/local-server.js";

let server: TestServer;
const dir = mkdtempSync(join(tmpdir(), "sqsctl-sbc-"));
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const state = join(dir, "state");
const env = () => ({ ...server.env, XDG_STATE_HOME: state });
const cli = (args: string[], input?: string) => runCli(args, { env: env(), timeoutMs: 60_000, ...(input !== undefined ? { input } : {}) });
const lines = (n: number, tag = "m") => Array.from({ length: n }, (_, i) => JSON.stringify({ body: `${tag}${i}` })).join("\n") + "\n";

async function createQueue(name: string): Promise<string> {
  return (await server.client.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
}
async function visible(url: string): Promise<number> {
  const { Attributes } = await server.client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages"] }));
  return Number(Attributes?.ApproximateNumberOfMessages);
}

describe("send-batch --failed-file (issue 10 #2)", () => {
  test("a failed file that is the input (same file under another name) is refused, exit 2, and the input is untouched", async () => {
    const url = await createQueue("ff-same");
    const file = join(dir, "same.ndjson");
    writeFileSync(file, lines(20));
    const alias = join(dir, "alias.ndjson");
    linkSync(file, alias); // a hard link: another name, the same file
    const link = join(dir, "sym.ndjson");
    symlinkSync(file, link);
    for (const ff of [file, alias, link, `${dir}/./same.ndjson`]) {
      const r = await cli(["send-batch", "ff-same", file, "--failed-file", ff]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain("is the input");
    }
    expect(readFileSync(file, "utf8")).toBe(lines(20));
    expect(await visible(url)).toBe(0);
  });

  test("a refused run (invalid input) leaves an existing failed file as it was", async () => {
    await createQueue("ff-refused");
    const file = join(dir, "bad.ndjson");
    writeFileSync(file, '{"body":"a"}\nnot json\n');
    const ff = join(dir, "keep-failed.ndjson");
    writeFileSync(ff, '{"body":"from an earlier run","line":3}\n');
    const r = await cli(["send-batch", "ff-refused", file, "--failed-file", ff]);
    expect(r.code).toBe(2);
    expect(readFileSync(ff, "utf8")).toBe('{"body":"from an earlier run","line":3}\n');
  });

  test("a run with no failures leaves the failed file empty (this run's failures, none), not the stale ones", async () => {
    await createQueue("ff-clean");
    const file = join(dir, "clean.ndjson");
    writeFileSync(file, lines(5));
    const ff = join(dir, "stale-failed.ndjson");
    writeFileSync(ff, '{"body":"stale"}\n');
    const r = await cli(["send-batch", "ff-clean", file, "--failed-file", ff, "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(ff, "utf8")).toBe("");
  });
});

describe("send-batch journal (issue 15 #5, #8, #9)", () => {
  test("--resume of a finished run sends nothing and says so", async () => {
    const url = await createQueue("jr-finished");
    const file = join(dir, "finished.ndjson");
    writeFileSync(file, lines(50));
    const first = await cli(["send-batch", "jr-finished", file, "-o", "json"]);
    expect(first.code, first.stderr).toBe(0);
    const again = await cli(["send-batch", "jr-finished", file, "--resume", "-o", "json"]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ sent: 0, alreadySent: 50, finished: true });
    expect(await visible(url)).toBe(50);
  });

  test("a torn record in the journal plus --resume: its lines are unknown, sent again and counted; never taken as confirmed", async () => {
    const url = await createQueue("jr-torn");
    const file = join(dir, "torn.ndjson");
    writeFileSync(file, lines(40));
    const journal = join(dir, "torn.journal");
    const first = await cli(["send-batch", "jr-torn", file, "--journal", journal, "--concurrency", "1"]);
    expect(first.code, first.stderr).toBe(0);
    // GIVEN the journal of a run killed mid-write: the finish record and the last confirmations torn off,
    // and a confirmation line damaged in the middle
    const recs = readFileSync(journal, "utf8").split("\n").filter(Boolean);
    const keep = recs.filter((r) => !r.includes('"k":"finished"'));
    const lastS = keep.findLastIndex((r) => r.includes('"k":"S"'));
    const torn = keep.slice(0, lastS).join("\n") + "\n" + keep[lastS]!.slice(0, 20);
    const damagedAt = keep.findIndex((r) => r.includes('"k":"S"'));
    writeFileSync(journal, torn.replace(keep[damagedAt]!, keep[damagedAt]!.replace('"l":[', '"l":[9')));
    // and the queue emptied, so what --resume sends is what the journal did not confirm
    await server.client.send(new (await import("@aws-sdk/client-sqs")).PurgeQueueCommand({ QueueUrl: url }));
    // WHEN resumed
    const r = await cli(["send-batch", "jr-torn", file, "--journal", journal, "--resume", "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as { sent: number; alreadySent: number; possibleDuplicates: number };
    // THEN the two unreadable records' lines (10 each) are sent again and reported as possible duplicates
    expect(s.alreadySent + s.sent).toBe(40);
    expect(s.sent).toBe(20);
    expect(s.possibleDuplicates).toBeGreaterThanOrEqual(20);
    expect(r.stderr).toContain("unreadable");
    expect(await visible(url)).toBe(20);
  });

  test("stdin is spooled beside the journals, the place is said, and a dead run's spool is removed", async () => {
    await createQueue("jr-spool");
    const spoolDir = join(state, "sqsctl", "spool");
    // a spool left by a run killed with -9 (pid that does not exist)
    await import("node:fs").then((fs) => {
      fs.mkdirSync(spoolDir, { recursive: true });
      fs.writeFileSync(join(spoolDir, "stdin-999999999-dead.ndjson"), "secret bodies");
    });
    const r = await cli(["send-batch", "jr-spool", "-"], lines(5));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`spooling stdin to ${spoolDir}`);
    expect(existsSync(spoolDir) ? readdirSync(spoolDir) : []).toEqual([]);
  });
});

describe("send-batch without --concurrency (issue 13: throughput at a real region's latency)", () => {
  test("the adaptive level starts at 64: 64 batch calls are in flight before the first is answered", async () => {
    // GIVEN a gate in front of the server that holds every SendMessageBatch until 64 are
    // waiting (or, so an old build cannot hang the test, until 10 s pass), then lets all go
    await createQueue("adaptive-start");
    const http = await import("node:http");
    const target = new URL(server.endpoint);
    const held: Array<() => void> = [];
    let atRelease: number | undefined;
    const release = () => {
      atRelease ??= held.length;
      for (const go of held.splice(0)) go();
    };
    const fallback = setTimeout(release, 10_000);
    const gate = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const forward = () => {
          const up = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
            res.writeHead(r.statusCode ?? 502, r.headers);
            r.pipe(res);
          });
          up.on("error", () => res.destroy());
          up.end(Buffer.concat(chunks));
        };
        const isSend = String(req.headers["x-amz-target"] ?? "").endsWith("SendMessageBatch");
        if (!isSend || atRelease !== undefined) return forward();
        held.push(forward);
        if (held.length >= 64) release();
      });
    });
    await new Promise<void>((resolve) => gate.listen(0, "127.0.0.1", resolve));
    try {
      const file = join(dir, "adaptive-start.ndjson");
      writeFileSync(file, lines(2000));
      // WHEN 200 batches are sent through it with no tuning flag
      const port = (gate.address() as import("node:net").AddressInfo).port;
      const r = await runCli(["send-batch", "adaptive-start", file, "--no-journal", "-o", "json"], { env: { ...env(), AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:${port}` }, timeoutMs: 60_000 });
      // THEN all are sent, and 64 calls were in flight at once before any answer
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ sent: 2000, failed: 0 });
      expect(atRelease).toBe(64);
    } finally {
      clearTimeout(fallback);
      gate.closeAllConnections();
      await new Promise((resolve) => gate.close(resolve));
    }
  });
});
