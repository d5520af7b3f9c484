import { CreateQueueCommand, DeleteQueueCommand, GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, expect, test } from "vitest";
import { completionScript } from "../../src/completion/index.js";
import { buildProgram } from "../../src/program.js";
import { runCli } from "../helpers/cli.js";
import { startTestServer, type TestServer } from "../helpers/local-server.js";
import { bashCompleteAsync, sqsctlOnPath } from "../helpers/shell-complete.js";

let server: TestServer;
let script: string;
let binDir: string;
beforeAll(async () => {
  server = await startTestServer();
  for (const name of ["comp-orders", "comp-orders-dlq", "comp-payments"]) await server.client.send(new CreateQueueCommand({ QueueName: name }));
  const io = { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {} };
  script = completionScript("bash", buildProgram({ io: io as never, signal: new AbortController().signal }));
  binDir = sqsctlOnPath();
});
afterAll(async () => {
  await server?.close();
});

const freshHome = () => mkdtempSync(join(tmpdir(), "sqsctl-home-"));

test("queue names complete in real bash from the server, then from the cache", async () => {
  const HOME = freshHome();
  const env = { ...server.env, HOME, PATH: `${binDir}:${process.env.PATH}` };
  // WHEN completing a queue argument
  expect(await bashCompleteAsync(script, ["sqsctl", "queues", "show", "comp-or"], env)).toEqual(["comp-orders", "comp-orders-dlq"]);
  // THEN the names were cached (private to the user) ...
  const dir = join(HOME, ".local", "state", "sqsctl", "completion");
  expect(readdirSync(dir)).toHaveLength(1);
  // ... and a queue deleted meanwhile still completes until the cache expires (60 s).
  const { QueueUrl } = await server.client.send(new GetQueueUrlCommand({ QueueName: "comp-payments" }));
  await server.client.send(new DeleteQueueCommand({ QueueUrl }));
  expect(await bashCompleteAsync(script, ["sqsctl", "purge", "comp-p"], env)).toEqual(["comp-payments"]);
});

test("--local typed on the line points completion at the embedded server's port", async () => {
  const HOME = freshHome();
  const env = { HOME, PATH: `${binDir}:${process.env.PATH}`, SQSCTL_LOCAL_PORT: String(server.port) };
  expect(await bashCompleteAsync(script, ["sqsctl", "--local", "watch", "comp-orders", "comp-orders-"], env)).toEqual(["comp-orders-dlq"]);
});

test("without credentials it stays quiet: no names, no request, no cache file", async () => {
  const HOME = freshHome();
  const r = await runCli(["__complete-queues", "--", "queues", "show"], { env: { HOME, AWS_ENDPOINT_URL_SQS: server.endpoint, AWS_REGION: "us-east-1" } });
  expect(r.code).toBe(0);
  expect(r.stdout).toBe("");
  expect(r.stderr).toBe("");
  expect(existsSync(join(HOME, ".local", "state", "sqsctl", "completion"))).toBe(false);
});

test("an unreachable endpoint gives nothing, quickly, and is not retried on every key press", async () => {
  const HOME = freshHome();
  const env = { ...server.env, HOME, AWS_ENDPOINT_URL_SQS: "http://127.0.0.1:9" };
  const first = await runCli(["__complete-queues", "--"], { env });
  expect(first.code).toBe(0);
  expect(first.stdout).toBe("");
  const [file] = readdirSync(join(HOME, ".local", "state", "sqsctl", "completion"));
  const { readFileSync } = await import("node:fs");
  expect(JSON.parse(readFileSync(join(HOME, ".local", "state", "sqsctl", "completion", file!), "utf8"))).toMatchObject({ names: [], failedAt: expect.any(Number) });
});

test("the hidden command is not in help", async () => {
  const r = await runCli(["--help"]);
  expect(r.stdout).not.toContain("__complete");
  expect(r.stdout).toContain("completion");
});
