/**
 * The output contract, end to end on the built CLI against a real server: results on
 * stdout in camelCase JSON, summaries on stderr under -q, --query on every JSON
 * result, tables that fit 80 columns, confirmations that stop a && chain, and the
 * small manners (did you mean, hints that keep the target, bad NDJSON numbers).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCli } from "../helpers/cli.js";
import { startTestServer, type TestServer } from "../helpers/local-server.js";
import { counts, sendAll } from "../helpers/sqs-state.js";
import { KEY, runInPty } from "./browse-pty.js";

let server: TestServer;
let dir: string;
beforeAll(async () => {
  server = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), "sqsctl-contract-"));
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[], input?: string) => runCli(args, { env: { ...server.env, XDG_STATE_HOME: dir, HOME: dir }, ...(input !== undefined ? { input } : {}) });

/** Keys that are data, not names sqsctl chose: checked for camelCase no deeper than their values. */
const DATA_MAPS = new Set(["attributes", "messageAttributes", "tags", "byTarget", "sources", "distribution"]);
const SQS_ATTRIBUTE_VALUE = new Set(["DataType", "StringValue", "BinaryValue"]);

/** Every key sqsctl named, with its path, that is not camelCase. */
function notCamel(value: unknown, path = "$", parentKey = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => notCamel(v, `${path}[${i}]`, parentKey));
  if (value === null || typeof value !== "object") return [];
  const bad: string[] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const dataKey = DATA_MAPS.has(parentKey) || (parentKey === "@attr" && SQS_ATTRIBUTE_VALUE.has(k));
    if (!dataKey && !/^[a-z][a-zA-Z0-9]*$/.test(k)) bad.push(`${path}.${k}`);
    // A message attribute's value keeps SQS's own {DataType, StringValue} shape.
    const next = parentKey === "messageAttributes" ? "@attr" : DATA_MAPS.has(parentKey) ? "" : k;
    bad.push(...notCamel(v, `${path}.${k}`, next));
  }
  return bad;
}

function jsonOf(stdout: string): unknown {
  const t = stdout.trim();
  return t.startsWith("[") || !t.includes("\n{") ? JSON.parse(t) : t.split("\n").map((l) => JSON.parse(l) as unknown);
}

describe("-o json: one naming rule, camelCase, for every command that has JSON", () => {
  test("GIVEN a queue with a DLQ holding a dead letter WHEN every command runs with -o json THEN every key sqsctl names is camelCase", async () => {
    const runs: Array<[string, string[], string?]> = [
      ["queues create", ["queues", "create", "shop", "--create-dlq", "--max-receive", "1"]],
      ["send", ["send", "shop", '{"errorType": "Timeout"}', "--attr", "reason=late", "--attr", "n:Number=3"]],
      ["send-batch --dry-run", ["send-batch", "shop", "-", "--dry-run"], '{"body": "a"}\n'],
      ["send-batch", ["send-batch", "shop", "-", "--no-journal"], '{"body": "b", "messageAttributes": {"k": "v"}}\n'],
      ["queues list", ["queues", "list"]],
      ["queues show", ["queues", "show", "shop"]],
      // maxReceiveCount is 1: tail's look is each message's one receive; receive's look dead-letters them.
      ["tail", ["tail", "shop", "--until-empty", "--wait", "1s"]],
      ["receive", ["receive", "shop", "--peek", "--max", "2", "--wait", "1s"]],
    ];
    const out: Record<string, unknown> = {};
    for (const [name, args, input] of runs) {
      const r = await cli([...args, "-o", "json"], input);
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      expect(r.stdout, `${name} printed no JSON: ${r.stderr}`).not.toBe("");
      out[name] = jsonOf(r.stdout);
    }
    // Dead letters for the DLQ commands (sqsctl's own looks never dead-letter a message: its peek guard keeps them hidden).
    await sendAll(server.client, "shop-dlq", [
      { MessageBody: '{"errorType": "Timeout"}', MessageAttributes: { reason: { DataType: "String", StringValue: "late" } } },
      { MessageBody: '{"errorType": "Throttled"}' },
    ]);
    const more: Array<[string, string[]]> = [
      ["dlq list", ["dlq", "list"]],
      ["dlq inspect", ["dlq", "inspect", "shop-dlq"]],
      ["dlq inspect --group-by", ["dlq", "inspect", "shop-dlq", "--group-by", "json.errorType"]],
      ["dlq redrive --dry-run", ["dlq", "redrive", "shop-dlq", "--dry-run"]],
      ["export", ["export", "shop-dlq", "--file", join(dir, "shop.ndjson")]],
      ["dlq redrive", ["dlq", "redrive", "shop-dlq", "--yes", "--no-journal"]],
      ["import", ["import", "shop", join(dir, "shop.ndjson"), "--no-journal"]],
      ["watch", ["watch", "shop", "shop-dlq", "--count", "1"]],
      ["purge", ["purge", "shop", "--yes"]],
      ["queues delete", ["queues", "delete", "shop-dlq", "--yes"]],
    ];
    for (const [name, args] of more) {
      const r = await cli([...args, "-o", "json"]);
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      expect(r.stdout, `${name} printed no JSON: ${r.stderr}`).not.toBe("");
      out[name] = jsonOf(r.stdout);
    }
    const bad = Object.entries(out).flatMap(([name, v]) => notCamel(v).map((p) => `${name}: ${p}`));
    expect(bad).toEqual([]);
    // The regression: send -o json was the SDK's PascalCase response.
    expect(out.send).toMatchObject({ messageId: expect.any(String), md5OfMessageBody: expect.any(String) });
    // purge: one count, not both "messages" and "total".
    expect(out.purge).toHaveProperty("messages");
    expect(out.purge).not.toHaveProperty("total");
  });
});

describe("-q: summaries of work go to stderr and -q silences them", () => {
  test("send-batch, purge and queues delete print nothing on a quiet success; their results stay on stdout with -o json", async () => {
    await cli(["queues", "create", "quiet"]);
    const sb = await cli(["send-batch", "quiet", "-", "-q", "--no-journal"], '{"body": "1"}\n{"body": "2"}\n');
    expect(sb.code, sb.stderr).toBe(0);
    expect([sb.stdout, sb.stderr]).toEqual(["", ""]);
    const loud = await cli(["send-batch", "quiet", "-", "--no-journal"], '{"body": "3"}\n');
    expect(loud.stdout).toBe("");
    expect(loud.stderr).toMatch(/sent 1 message to quiet/);
    const purge = await cli(["purge", "quiet", "--yes", "-q"]);
    expect(purge.code, purge.stderr).toBe(0);
    expect([purge.stdout, purge.stderr]).toEqual(["", ""]);
    const del = await cli(["queues", "delete", "quiet", "--yes", "-q", "-o", "json"]);
    expect(del.code, del.stderr).toBe(0);
    expect(del.stderr).toBe("");
    expect(JSON.parse(del.stdout)).toMatchObject({ deleted: "quiet" });
  });
});

describe("--query", () => {
  test("applies JMESPath to the JSON result (-o json by default) and to each NDJSON line", async () => {
    await cli(["queues", "create", "query-a"]);
    await cli(["queues", "create", "query-b"]);
    await sendAll(server.client, "query-a", [{ MessageBody: "first" }, { MessageBody: "second" }]);
    const names = await cli(["queues", "list", "--prefix", "query-", "--query", "[].name"]);
    expect(names.code, names.stderr).toBe(0);
    expect(JSON.parse(names.stdout)).toEqual(["query-a", "query-b"]);
    const busy = await cli(["queues", "list", "--prefix", "query-", "--query", "[?visible > `0`].name | [0]"]);
    expect(JSON.parse(busy.stdout)).toBe("query-a");
    const bodies = await cli(["receive", "query-a", "--peek", "--max", "2", "--wait", "1s", "-o", "ndjson", "--query", "body"]);
    expect(bodies.stdout.trim().split("\n").map((l) => JSON.parse(l) as string).sort()).toEqual(["first", "second"]);
    const bad = await cli(["queues", "list", "--query", "[?visible > 0]"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("a number in JMESPath goes in backticks");
    expect(bad.stderr).not.toMatch(/TypeError|at .*\.js/);
  });
});

describe("terminal manners", () => {
  test("GIVEN long queue names WHEN queues list runs on an 80x24 terminal THEN every table line fits (no line wraps)", async () => {
    for (const name of ["payments-settlement-eu-west-1-production", "payments-settlement-eu-west-1-production-dlq"]) await cli(["queues", "create", name]);
    const run = runInPty(["queues", "list", "--prefix", "payments-"], { env: server.env, cols: 80, rows: 24 });
    await run.waitFor("└");
    expect(await run.exited()).toBe(0);
    const lines = run.screen().split("\n").filter((l) => l.trim());
    expect(lines.length).toBeGreaterThan(4);
    // A line wider than the terminal would continue on the next row without a border.
    for (const l of lines) expect(l, run.screen()).toMatch(/^[┌│├└].*[┐│┤┘]$/);
    expect(run.screen()).toContain("payments-");
  });

  test("browse on an 80x24 terminal shows its title line and its key line whole", async () => {
    const name = "browse-eighty-columns-queue-with-a-rather-long-name";
    await cli(["queues", "create", name]);
    await sendAll(server.client, name, Array.from({ length: 3 }, (_, i) => ({ MessageBody: `alpha ${i}` })));
    const run = runInPty(["browse", name, "--filter", "contains(body, 'alpha') && receiveCount >= `1`"], { env: server.env, cols: 80, rows: 24 });
    try {
      await run.waitFor("q quit");
      const lines = run.screen().split("\n");
      const title = lines.find((l) => l.startsWith(`${name} · filter`));
      expect(title, run.screen()).toMatch(/…$/);
      expect(lines[lines.indexOf(title!) + 1]).not.toContain("receiveCount"); // not wrapped onto a second line
      expect(lines).toContain("↑↓ move · space select · enter act · /search · q quit · v view · a all · r more");
      run.press("q");
      expect(await run.exited()).toBe(0);
    } finally {
      run.kill();
    }
  });

  test("a dry run of many messages prints its totals first and a bounded preview", async () => {
    await cli(["queues", "create", "preview", "--create-dlq"]);
    await sendAll(server.client, "preview-dlq", Array.from({ length: 30 }, (_, i) => ({ MessageBody: `dead ${i}` })));
    const run = runInPty(["dlq", "redrive", "preview-dlq", "--dry-run"], { env: server.env, cols: 80, rows: 200 });
    await run.waitFor("prints every envelope", 40_000);
    expect(await run.exited(40_000)).toBe(0);
    const screen = run.screen();
    const totals = screen.indexOf("would move 30 messages");
    expect(totals).toBeGreaterThan(-1);
    expect(totals).toBeLessThan(screen.indexOf("┌"));
    expect(screen).toContain("…and 20 more messages: --verbose lists all; -o ndjson prints every envelope.");
    expect(screen.split("\n").filter((l) => /dead \d+/.test(l))).toHaveLength(10);
    // The message table fits 80 columns, and the plan has no parentheses inside parentheses.
    for (const l of screen.split("\n").filter((x) => /^[┌│├└]/.test(x))) expect(l).toMatch(/[┐│┤┘]$/);
    for (const l of screen.split("\n")) expect(l).not.toMatch(/\([^)]*\(/);
  });

  test("declining a confirmation exits 1 and Ctrl-C at the prompt exits 130, so && stops", async () => {
    await cli(["queues", "create", "keep-me"]);
    const wrongName = runInPty(["purge", "keep-me"], { env: server.env, cols: 100 });
    await wrongName.waitFor("to confirm");
    wrongName.press("nope", KEY.enter);
    expect(await wrongName.exited()).toBe(1);
    expect(wrongName.screen()).toContain("Not purged: the name typed was not keep-me.");

    const no = runInPty(["queues", "delete", "keep-me"], { env: server.env, cols: 100 });
    await no.waitFor("(y/N)");
    no.press("n", KEY.enter);
    expect(await no.exited()).toBe(1);

    const ctrlC = runInPty(["purge", "keep-me"], { env: server.env, cols: 100 });
    await ctrlC.waitFor("to confirm");
    ctrlC.press(KEY.ctrlC);
    expect(await ctrlC.exited()).toBe(130);

    // The queue is still there: nothing was done.
    expect((await cli(["queues", "show", "keep-me", "-o", "json"])).code).toBe(0);
  });

  test("a mistyped queue name gets a did-you-mean, and the hint keeps --endpoint-url", async () => {
    await cli(["queues", "create", "inventory"]);
    const env = { ...server.env };
    const endpoint = env.AWS_ENDPOINT_URL_SQS!;
    delete env.AWS_ENDPOINT_URL_SQS;
    const r = await runCli(["send", "inventroy", "hello", "--endpoint-url", endpoint], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Did you mean "inventory"?`);
    expect(r.stderr).toContain(`'sqsctl --endpoint-url ${endpoint} queues list'`);
  });

  test("dlq cancel on a server without move tasks explains itself like dlq moves", async () => {
    const r = await cli(["dlq", "cancel", "some-handle"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("has no message move tasks (CancelMessageMoveTask), so there is no task to cancel.");
    expect(r.stderr).not.toContain("InvalidAction");
  });

  test("watch marks a DLQ whose source is not on screen, named or by --prefix", async () => {
    await cli(["queues", "create", "billing", "--create-dlq"]);
    for (const args of [["billing-dlq"], ["--prefix", "billing-d"]]) {
      const r = await cli(["watch", ...args, "--count", "1", "-o", "ndjson"]);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ queue: "billing-dlq", isDlq: true });
    }
  });

  test("help for a missing topic lists no hidden commands", async () => {
    const r = await cli(["help", "nosuch"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Commands:");
    expect(r.stderr).not.toContain("__complete");
  });
});

test("Ctrl-C in tail prints one stopping line, not two", async () => {
  await cli(["queues", "create", "tail-stop"]);
  const run = runInPty(["tail", "tail-stop", "--wait", "2s"], { env: server.env, cols: 100 });
  await run.waitFor("Ctrl-C to stop");
  run.press(KEY.ctrlC);
  await run.exited();
  expect(run.screen().split("\n").filter((l) => /stopping/i.test(l))).toHaveLength(1);
});

describe("input and filters", () => {
  test("an NDJSON number that would not survive is refused with FILE:LINE and the quoting fix; nothing is sent", async () => {
    await cli(["queues", "create", "numbers"]);
    const file = join(dir, "numbers.ndjson");
    writeFileSync(file, '{"body": "ok"}\n{"body": "x", "messageAttributes": {"orderId": 12345678901234567890}}\n');
    const r = await cli(["send-batch", "numbers", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:2: the number 12345678901234567890 would be sent as 12345678901234567000`);
    expect(r.stderr).toContain(`"12345678901234567890"`);
    expect((await counts(server.client, "numbers")).visible).toBe(0);
  });

  test('a filter comparing with "double quotes" warns and names the single-quote fix', async () => {
    await cli(["queues", "create", "quotes", "--create-dlq"]);
    await sendAll(server.client, "quotes-dlq", [{ MessageBody: '{"errorType": "Timeout"}' }]);
    const r = await cli(["dlq", "inspect", "quotes-dlq", "--filter", 'json.errorType == "Timeout"']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`For text use single quotes: --filter "json.errorType == 'Timeout'"`);
    const eq = await cli(["dlq", "inspect", "quotes-dlq", "--filter", "json.errorType = 'Timeout'"]);
    expect(eq.code).toBe(2);
    expect(eq.stderr.trim().split("\n")).toEqual([`error: --filter: "json.errorType = 'Timeout'": JMESPath compares with ==, not =.`, `hint: Write: --filter "json.errorType == 'Timeout'"`]);
  });
});
