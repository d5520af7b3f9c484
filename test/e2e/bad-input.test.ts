import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  SendMessageBatchCommand,
  SetQueueAttributesCommand,
} from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCli } from "../helpers/cli.js";
import { startTestServer, type TestServer } from "../helpers/local-server.js";
import { drain } from "../helpers/queue-state.js";

/**
 * Bad input, as a table: input → exit code → message. Every row also checks that the
 * error is a short message without a stack trace, that no message body reaches the
 * error output, and that nothing was sent, deleted or left in flight (every queue
 * counted before and after).
 */

/** Which branch a row's command comes from; rows of areas not merged yet are test.todo. */
type Area = "foundation" | "messages" | "dlq";
const LANDED: ReadonlySet<Area> = new Set<Area>(["foundation", "messages", "dlq"]);

/** Personal data in a body: must never appear in an error without --debug. */
const PII = "alice.smith@example.com 4111-1111-1111-1111";
const body = (n: number | string) => `order ${n} for ${PII}`;
const line = (o: unknown) => `${JSON.stringify(o)}\n`;
const lines = (n: number, extra: (i: number) => object = () => ({})) =>
  Array.from({ length: n }, (_, i) => line({ body: body(i), ...extra(i) })).join("");

interface Ctx {
  /** Path of a file from the row's `files`. */
  file(name: string): string;
  /** Path in a directory that does not exist. */
  missing: string;
  port: number;
}

interface Row {
  what: string;
  area: Area;
  args: (c: Ctx) => string[];
  files?: Record<string, string | Buffer>;
  stdin?: string | Buffer;
  env?: Record<string, string | undefined>;
  code: number;
  message: RegExp;
  /** Lines the error may take (default 2: the error and a hint). */
  maxLines?: number;
}

const STD = "bi-std";
const FIFO = "bi-fifo.fifo";
const SMALL = "bi-small"; // MaximumMessageSize 1024
const DLQ = "bi-dlq"; // one source: bi-src
const DLQ2 = "bi-dlq2"; // two sources: bi-src-a, bi-src-b
const QUEUES = [STD, FIFO, SMALL, DLQ, "bi-src", DLQ2, "bi-src-a", "bi-src-b"];

const attrs = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`a${i}`, `v${i}`]));

const ROWS: Row[] = [
  // ---- queue references ----
  { what: "unknown queue (queues show)", area: "foundation", args: () => ["queues", "show", "nope"], code: 1, message: /Queue "nope" does not exist in region us-east-1/ },
  { what: "unknown queue (purge)", area: "foundation", args: () => ["purge", "nope", "--yes"], code: 1, message: /Queue "nope" does not exist/ },
  { what: "queue URL for another region", area: "foundation", args: () => ["purge", `https://sqs.eu-west-1.amazonaws.com/000000000000/${STD}`, "--yes"], code: 2, message: /is in region eu-west-1, but sqsctl is using us-east-1/ },
  { what: "queue ARN for another region", area: "foundation", args: () => ["purge", `arn:aws:sqs:eu-west-2:000000000000:${STD}`, "--yes"], code: 2, message: /is in region eu-west-2/ },
  { what: "queue ARN for another account", area: "foundation", args: () => ["purge", `arn:aws:sqs:us-east-1:123456789012:${STD}`, "--yes"], code: 1, message: /names account 123456789012, but the queue "bi-std" .* belongs to account 000000000000/ },
  { what: "queue URL for another account", area: "foundation", args: (c) => ["purge", `http://127.0.0.1:${c.port}/123456789012/${STD}`, "--yes"], code: 1, message: /names account 123456789012/ },
  { what: "malformed ARN", area: "foundation", args: () => ["queues", "show", "arn:aws:sqs:us-east-1:bi-std"], code: 2, message: /is not an SQS queue ARN/ },
  { what: "invalid queue name", area: "foundation", args: () => ["queues", "show", "bad name!"], code: 2, message: /is not a queue name, URL or ARN/ },

  // ---- flags and durations ----
  { what: "--visibility-timeout 13h", area: "foundation", args: () => ["queues", "create", "bi-new", "--visibility-timeout", "13h"], code: 2, message: /--visibility-timeout: 13h is out of range \(0s to 12h\)/ },
  { what: "--delay 16m", area: "foundation", args: () => ["queues", "create", "bi-new", "--delay", "16m"], code: 2, message: /--delay: 16m is out of range \(0s to 15m\)/ },
  { what: "--retention 30s", area: "foundation", args: () => ["queues", "create", "bi-new", "--retention", "30s"], code: 2, message: /--retention: 30s is out of range/ },
  { what: "a duration that is not one", area: "foundation", args: () => ["queues", "create", "bi-new", "--visibility-timeout", "soon"], code: 2, message: /--visibility-timeout: "soon" is not a duration/ },
  { what: "unknown flag", area: "foundation", args: () => ["purge", STD, "--yes", "--force"], code: 2, message: /unknown option '--force'/, maxLines: 3 },
  { what: "bad --output", area: "foundation", args: () => ["queues", "list", "-o", "xml"], code: 2, message: /argument 'xml' is invalid/ },
  { what: "purge without --yes and without a terminal", area: "foundation", args: () => ["purge", STD], code: 2, message: /Refusing to purge bi-std without confirmation/ },
  { what: "no region", area: "foundation", args: () => ["queues", "list"], env: { AWS_REGION: undefined }, code: 2, message: /No AWS region is set/ },
  {
    what: "no credentials",
    area: "foundation",
    args: () => ["queues", "list"],
    env: { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_EC2_METADATA_DISABLED: "true", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/credentials", AWS_CONFIG_FILE: "/nonexistent/config" },
    code: 4,
    message: /No AWS credentials found/,
  },

  // ---- send ----
  { what: "send: unknown queue", area: "messages", args: () => ["send", "nope", body(1)], code: 1, message: /Queue "nope" does not exist/ },
  { what: "send: queue ARN for another account", area: "messages", args: () => ["send", `arn:aws:sqs:us-east-1:123456789012:${STD}`, body(1)], code: 1, message: /names account 123456789012/ },
  { what: "send: forbidden character in the body", area: "messages", args: () => ["send", STD, `${body(1)}\u0001`], code: 2, message: /character|U\+0001/i },
  { what: "send: body over the queue's size limit", area: "messages", args: () => ["send", SMALL, body("x".repeat(2000))], code: 2, message: /1024|1 KiB|size/i },
  { what: "send: 11 attributes", area: "messages", args: () => ["send", STD, body(1), ...Array.from({ length: 11 }, (_, i) => ["--attr", `a${i}=v`]).flat()], code: 2, message: /10 attributes|at most 10|11/ },
  { what: "send: attribute name starting with AWS.", area: "messages", args: () => ["send", STD, body(1), "--attr", "AWS.trace=1"], code: 2, message: /attribute name|AWS\./i },
  { what: "send: attribute name with a space", area: "messages", args: () => ["send", STD, body(1), "--attr", "bad name=1"], code: 2, message: /attribute name|--attr: "bad name"/i },
  { what: "send: unknown attribute type", area: "messages", args: () => ["send", STD, body(1), "--attr", "k:Float=1.5"], code: 2, message: /Float|type/i },
  { what: "send: Number attribute that is not a number", area: "messages", args: () => ["send", STD, body(1), "--attr", "k:Number=abc"], code: 2, message: /Number|number/ },
  { what: "send: FIFO queue without a group id", area: "messages", args: () => ["send", FIFO, body(1)], code: 2, message: /--group-id|group id/i },
  { what: "send: group id on a standard queue", area: "messages", args: () => ["send", STD, body(1), "--group-id", "g1"], code: 2, message: /--group-id|group id|FIFO/i },
  { what: "send: --delay 16m", area: "messages", args: () => ["send", STD, body(1), "--delay", "16m"], code: 2, message: /--delay: 16m is out of range/ },
  { what: "send: --file that does not exist", area: "messages", args: (c) => ["send", STD, "--file", c.missing], code: 2, message: /does not exist|no such file|cannot read|not found/i },
  {
    what: "send: --file that is not UTF-8",
    area: "messages",
    files: { "latin1.txt": Buffer.concat([Buffer.from("caf"), Buffer.from([0xe9]), Buffer.from(` ${PII}`)]) },
    args: (c) => ["send", STD, "--file", c.file("latin1.txt")],
    code: 2,
    message: /not valid UTF-8/,
  },
  { what: "send: empty --file", area: "messages", files: { "empty.txt": "" }, args: (c) => ["send", STD, "--file", c.file("empty.txt")], code: 2, message: /empty/i },
  { what: "send: no body and stdin closed", area: "messages", stdin: "", args: () => ["send", STD], code: 2, message: /body|empty|stdin/i },

  // ---- send-batch ----
  {
    what: "send-batch: malformed JSON line in the middle",
    area: "messages",
    files: { "bad.ndjson": lines(2) + `{"body": "${PII}"\n` + lines(2) },
    args: (c) => ["send-batch", STD, c.file("bad.ndjson")],
    code: 2,
    message: /bad\.ndjson:3\b.*JSON/i,
    maxLines: 3,
  },
  {
    what: "send-batch: a plain-text line (not JSON) is not quoted back",
    area: "messages",
    files: { "text.ndjson": lines(1) + `${PII} wrote this\n` },
    args: (c) => ["send-batch", STD, c.file("text.ndjson")],
    code: 2,
    message: /text\.ndjson:2\b.*JSON.*--raw/i,
    maxLines: 3,
  },
  {
    what: "send-batch: invalid UTF-8 in a body",
    area: "messages",
    files: { "latin1.ndjson": Buffer.concat([Buffer.from(lines(1)), Buffer.from('{"body": "caf'), Buffer.from([0xe9]), Buffer.from(` ${PII}"}\n`)]) },
    args: (c) => ["send-batch", STD, c.file("latin1.ndjson")],
    code: 2,
    message: /latin1\.ndjson:2\b.*UTF-8/i,
    maxLines: 3,
  },
  {
    what: "send-batch --raw: invalid UTF-8",
    area: "messages",
    files: { "raw.txt": Buffer.concat([Buffer.from(`${body(1)}\n`), Buffer.from([0xff, 0xfe]), Buffer.from(`${body(2)}\n`)]) },
    args: (c) => ["send-batch", STD, c.file("raw.txt"), "--raw"],
    code: 2,
    message: /raw\.txt:2\b.*UTF-8/i,
    maxLines: 3,
  },
  {
    what: "send-batch: forbidden character in a body",
    area: "messages",
    files: { "ctrl.ndjson": lines(1) + line({ body: `${body(2)}\u0000` }) },
    args: (c) => ["send-batch", STD, c.file("ctrl.ndjson")],
    code: 2,
    message: /ctrl\.ndjson:2\b.*character/i,
    maxLines: 3,
  },
  {
    what: "send-batch: a body over the queue's size limit",
    area: "messages",
    files: { "big.ndjson": lines(1) + line({ body: body("y".repeat(2000)) }) },
    args: (c) => ["send-batch", SMALL, c.file("big.ndjson")],
    code: 2,
    message: /big\.ndjson:2\b.*(1024|1 KiB|size)/i,
    maxLines: 3,
  },
  {
    what: "send-batch: a message over 1 MiB with its attributes",
    area: "messages",
    files: { "huge.ndjson": line({ body: "z".repeat(1_048_576 - 10), messageAttributes: { note: "0123456789abcdef" } }) },
    args: (c) => ["send-batch", STD, c.file("huge.ndjson")],
    code: 2,
    message: /huge\.ndjson:1\b.*(1 MiB|1048576|size)/i,
    maxLines: 3,
  },
  {
    what: "send-batch: 11 attributes",
    area: "messages",
    files: { "attrs.ndjson": line({ body: body(1), messageAttributes: attrs(11) }) },
    args: (c) => ["send-batch", STD, c.file("attrs.ndjson")],
    code: 2,
    message: /attrs\.ndjson:1\b.*(10|11)/i,
    maxLines: 3,
  },
  {
    what: "send-batch: invalid attribute name",
    area: "messages",
    files: { "aname.ndjson": line({ body: body(1), messageAttributes: { "bad name": "x" } }) },
    args: (c) => ["send-batch", STD, c.file("aname.ndjson")],
    code: 2,
    message: /aname\.ndjson:1\b.*attribute/i,
    maxLines: 3,
  },
  {
    what: "send-batch: invalid attribute type",
    area: "messages",
    files: { "atype.ndjson": line({ body: body(1), messageAttributes: { when: { DataType: "Date", StringValue: "today" } } }) },
    args: (c) => ["send-batch", STD, c.file("atype.ndjson")],
    code: 2,
    message: /atype\.ndjson:1\b.*(Date|type)/i,
    maxLines: 3,
  },
  {
    what: "send-batch: FIFO queue, a line without a group id",
    area: "messages",
    files: { "nogroup.ndjson": line({ body: body(1), groupId: "g" }) + line({ body: body(2) }) },
    args: (c) => ["send-batch", FIFO, c.file("nogroup.ndjson")],
    code: 2,
    message: /nogroup\.ndjson:2\b.*group/i,
    maxLines: 3,
  },
  {
    what: "send-batch: group id on a standard queue",
    area: "messages",
    files: { "group.ndjson": lines(2) },
    args: (c) => ["send-batch", STD, c.file("group.ndjson"), "--group-id", "g1"],
    code: 2,
    message: /--group-id|group id|FIFO/i,
  },
  {
    what: "send-batch: delaySeconds out of range",
    area: "messages",
    files: { "delay.ndjson": line({ body: body(1), delaySeconds: 901 }) },
    args: (c) => ["send-batch", STD, c.file("delay.ndjson")],
    code: 2,
    message: /delay\.ndjson:1\b.*(delay|900|15m)/i,
    maxLines: 3,
  },
  {
    what: "send-batch: a line without body",
    area: "messages",
    files: { "nobody.ndjson": line({ messageAttributes: { a: "b" } }) },
    args: (c) => ["send-batch", STD, c.file("nobody.ndjson")],
    code: 2,
    message: /nobody\.ndjson:1\b.*body/i,
    maxLines: 3,
  },
  { what: "send-batch: unknown queue", area: "messages", files: { "ok.ndjson": lines(2) }, args: (c) => ["send-batch", "nope", c.file("ok.ndjson")], code: 1, message: /Queue "nope" does not exist/ },
  { what: "send-batch: file that does not exist", area: "messages", args: (c) => ["send-batch", STD, c.missing], code: 2, message: /does not exist|no such file|cannot read|not found/i },
  { what: "send-batch: empty file", area: "messages", files: { "empty.ndjson": "" }, args: (c) => ["send-batch", STD, c.file("empty.ndjson")], code: 2, message: /empty|no messages|nothing to send/i },
  { what: "send-batch: stdin closed with nothing", area: "messages", stdin: "", args: () => ["send-batch", STD, "-"], code: 2, message: /empty|no messages|nothing to send/i },
  {
    what: "send-batch: stdin closed early, in the middle of a line",
    area: "messages",
    stdin: lines(3) + `{"body": "${PII}`,
    args: () => ["send-batch", STD, "-"],
    code: 2,
    message: /:4\b.*JSON/i,
    maxLines: 3,
  },
  { what: "send-batch: --concurrency 0", area: "messages", files: { "ok.ndjson": lines(2) }, args: (c) => ["send-batch", STD, c.file("ok.ndjson"), "--concurrency", "0"], code: 2, message: /--concurrency/ },
  { what: "send-batch: --rate that is not a number", area: "messages", files: { "ok.ndjson": lines(2) }, args: (c) => ["send-batch", STD, c.file("ok.ndjson"), "--rate", "fast"], code: 2, message: /--rate/ },
  {
    what: "import: an invalid line",
    area: "messages",
    files: { "export.ndjson": lines(2) + "not json at all\n" },
    args: (c) => ["import", STD, c.file("export.ndjson")],
    code: 2,
    message: /export\.ndjson:3\b/,
    maxLines: 3,
  },
  { what: "import: file that does not exist", area: "messages", args: (c) => ["import", STD, c.missing], code: 2, message: /does not exist|no such file|cannot read|not found/i },

  // ---- receive, tail, export ----
  { what: "receive: unknown queue", area: "messages", args: () => ["receive", "nope"], code: 1, message: /Queue "nope" does not exist/ },
  { what: "receive: --visibility-timeout 13h", area: "messages", args: () => ["receive", STD, "--visibility-timeout", "13h"], code: 2, message: /--visibility-timeout: 13h is out of range/ },
  { what: "receive: --wait 21s", area: "messages", args: () => ["receive", STD, "--wait", "21s"], code: 2, message: /--wait: 21s is out of range/ },
  { what: "receive: --max 0", area: "messages", args: () => ["receive", STD, "--max", "0"], code: 2, message: /--max/ },
  { what: "receive: --max that is not a number", area: "messages", args: () => ["receive", STD, "--max", "lots"], code: 2, message: /--max/ },
  { what: "tail: --filter that does not parse", area: "messages", args: () => ["tail", STD, "--filter", "json.[bad", "--until-empty"], code: 2, message: /--filter/ },
  { what: "export --delete to a directory that does not exist", area: "messages", args: (c) => ["export", STD, "--file", c.missing, "--delete"], code: 2, message: /does not exist|cannot write|no such/i },
  { what: "export without --file", area: "messages", args: () => ["export", STD], code: 2, message: /--file/ },

  // ---- dlq ----
  { what: "dlq inspect: unknown queue", area: "dlq", args: () => ["dlq", "inspect", "nope"], code: 1, message: /Queue "nope" does not exist/ },
  { what: "dlq inspect: --filter that does not parse", area: "dlq", args: () => ["dlq", "inspect", DLQ, "--filter", "json.[bad"], code: 2, message: /--filter/ },
  { what: "dlq inspect: --group-by that does not parse", area: "dlq", args: () => ["dlq", "inspect", DLQ, "--group-by", "a..b"], code: 2, message: /--group-by/ },
  // The plan (from, to, how many, strategy) is shown before the refusal.
  { what: "dlq redrive: without --yes and without a terminal", area: "dlq", args: () => ["dlq", "redrive", DLQ], code: 2, message: /--yes/, maxLines: 8 },
  { what: "dlq redrive: unknown target", area: "dlq", args: () => ["dlq", "redrive", DLQ, "--to", "nope", "--yes"], code: 1, message: /Queue "nope" does not exist/ },
  { what: "dlq redrive: target URL in another region", area: "dlq", args: () => ["dlq", "redrive", DLQ, "--to", "https://sqs.eu-west-1.amazonaws.com/000000000000/bi-src", "--yes"], code: 2, message: /is in region eu-west-1/ },
  { what: "dlq redrive: target ARN for another account", area: "dlq", args: () => ["dlq", "redrive", DLQ, "--to", "arn:aws:sqs:us-east-1:123456789012:bi-src", "--yes"], code: 1, message: /names account 123456789012/ },
  { what: "dlq redrive: unknown --strategy", area: "dlq", args: () => ["dlq", "redrive", DLQ, "--strategy", "teleport", "--yes"], code: 2, message: /teleport|--strategy/ },
  { what: "dlq redrive: --filter that does not parse", area: "dlq", args: () => ["dlq", "redrive", DLQ, "--filter", "json.[bad", "--yes"], code: 2, message: /--filter/ },
  { what: "dlq redrive: --max -1", area: "dlq", args: () => ["dlq", "redrive", DLQ, "--max", "-1", "--yes"], code: 2, message: /--max/ },
  { what: "dlq redrive: several sources and no --to", area: "dlq", args: () => ["dlq", "redrive", DLQ2, "--strategy", "manual", "--yes"], code: 2, message: /--to/ },
];

let server: TestServer;
let dir: string;
const urls: Record<string, string> = {};

async function counts(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const q of QUEUES) {
    const { Attributes: a } = await server.client.send(
      new GetQueueAttributesCommand({
        QueueUrl: urls[q],
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"],
      }),
    );
    out[q] = `${a?.ApproximateNumberOfMessages} visible, ${a?.ApproximateNumberOfMessagesNotVisible} in flight, ${a?.ApproximateNumberOfMessagesDelayed} delayed`;
  }
  return out;
}

beforeAll(async () => {
  server = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), "sqsctl-bad-input-"));
  const create = async (name: string, attributes: Record<string, string> = {}) => {
    const { QueueUrl } = await server.client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    urls[name] = QueueUrl!;
  };
  await create(STD);
  await create(FIFO, { FifoQueue: "true", ContentBasedDeduplication: "true" });
  await create(SMALL, { MaximumMessageSize: "1024" });
  for (const d of [DLQ, DLQ2]) await create(d);
  const arn = async (q: string) =>
    (await server.client.send(new GetQueueAttributesCommand({ QueueUrl: urls[q], AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
  const redrive = async (src: string, dlq: string) => {
    await create(src);
    await server.client.send(
      new SetQueueAttributesCommand({ QueueUrl: urls[src], Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await arn(dlq), maxReceiveCount: 3 }) } }),
    );
  };
  await redrive("bi-src", DLQ);
  await redrive("bi-src-a", DLQ2);
  await redrive("bi-src-b", DLQ2);
  // Three messages in every queue, so "nothing deleted" means something.
  for (const q of QUEUES) {
    const fifo = q.endsWith(".fifo");
    await server.client.send(
      new SendMessageBatchCommand({
        QueueUrl: urls[q],
        Entries: [0, 1, 2].map((i) => ({ Id: `e${i}`, MessageBody: `seed ${i} of ${q}`, ...(fifo ? { MessageGroupId: "g" } : {}) })),
      }),
    );
  }
});
afterAll(async () => {
  await server?.close();
});

describe("bad input: exit code, message, nothing sent or deleted", () => {
  for (const row of ROWS) {
    const run = LANDED.has(row.area) ? test : test.todo;
    run(`${row.what} → exit ${row.code}`, async () => {
      // GIVEN the row's files and every queue's counts
      for (const [name, content] of Object.entries(row.files ?? {})) writeFileSync(join(dir, name), content);
      const c: Ctx = { file: (n) => join(dir, n), missing: join(dir, "no-such-dir", "no-such-file.ndjson"), port: server.port };
      const before = await counts();

      // WHEN the command runs
      const env: Record<string, string | undefined> = { ...server.env, HOME: dir, ...row.env };
      const r = await runCli(row.args(c), { env, ...(row.stdin !== undefined ? { input: row.stdin } : {}) });

      // THEN the documented exit code and a short, clear message on stderr
      expect(r.code, `stderr: ${r.stderr}`).toBe(row.code);
      expect(r.stderr).toMatch(row.message);
      const errorLines = r.stderr.split("\n").filter((l) => l.trim() !== "");
      expect(errorLines.length, r.stderr).toBeLessThanOrEqual(row.maxLines ?? 2);
      expect(r.stderr).toMatch(/^error: /m);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      // No body content in errors (they may hold personal data).
      expect(r.stderr).not.toContain("alice.smith");
      expect(r.stderr).not.toContain("4111-1111");
      // AND nothing was sent, deleted or left in flight, and nothing was created
      expect(await counts()).toEqual(before);
      const listed = await server.client.send(new ListQueuesCommand({}));
      const names = (listed.QueueUrls ?? []).map((u) => u.split("/").at(-1)!);
      expect(names.filter((n) => !QUEUES.includes(n) && n !== "bi-large" && n !== "bi-bom")).toEqual([]);
    });
  }
});

describe("input that is large or unusual but valid", () => {
  const run = LANDED.has("messages") ? test : test.todo;
  run("send-batch of a file with a byte-order mark and CRLF line ends sends the bodies without them", async () => {
    const file = join(dir, "bom.ndjson");
    writeFileSync(file, `\uFEFF${JSON.stringify({ body: "first" })}\r\n${JSON.stringify({ body: "second" })}\r\n`);
    const { QueueUrl } = await server.client.send(new CreateQueueCommand({ QueueName: "bi-bom" }));
    const r = await runCli(["send-batch", "bi-bom", file, "-o", "json"], { env: { ...server.env, HOME: dir } });
    expect(r.code, r.stderr).toBe(0);
    const got = await drain(server.client, QueueUrl!);
    expect(got.map((m) => m.Body).sort()).toEqual(["first", "second"]);
  });

  run("send-batch of lines whose total exceeds 1 MiB packs them into batches under 1 MiB and sends them all", async () => {
    // GIVEN 12 lines of 100 KB: one 10-entry batch would be 1.2 MB
    const file = join(dir, "large.ndjson");
    writeFileSync(file, Array.from({ length: 12 }, (_, i) => line({ body: `${i} ${"p".repeat(100_000)}` })).join(""));
    const { QueueUrl } = await server.client.send(new CreateQueueCommand({ QueueName: "bi-large" }));
    // WHEN it is sent
    const r = await runCli(["send-batch", "bi-large", file, "-o", "json"], { env: { ...server.env, HOME: dir } });
    // THEN all 12 are in the queue
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ sent: 12, failed: 0, lines: 12 });
    const { Attributes } = await server.client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }));
    expect(Attributes?.ApproximateNumberOfMessages).toBe("12");
  });
});
