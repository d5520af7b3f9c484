import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateQueueCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCli, type CliResult } from "../helpers/cli.js";
import { startTestServer, type TestServer } from "../helpers/local-server.js";
import { startFrozenServer, startHtmlServer, startHttpProxy, startTlsFront } from "../helpers/net-servers.js";

/**
 * The AWS configuration as the AWS CLI v2 and boto3 read it: endpoint_url in a profile
 * and in a services section, --profile and AWS_PROFILE alike, proxies, and one-line
 * errors for what people get wrong. Runs the built CLI with a temp HOME holding
 * ~/.aws/config and ~/.aws/credentials, against the embedded server.
 */

let server: TestServer;
let queueUrl: string;

beforeAll(async () => {
  server = await startTestServer();
  // The server hands out URLs on sqs.us-east-1.localhost: the SDK would route per-queue
  // calls there unless sqsctl keeps them on the configured endpoint.
  queueUrl = (await server.client.send(new CreateQueueCommand({ QueueName: "cfg-orders" }))).QueueUrl!;
  await server.client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "from-config" }));
});
afterAll(async () => {
  await server?.close();
});

/** A temp HOME with ~/.aws/config and ~/.aws/credentials, and nothing else AWS in the environment. */
function awsHome(config: string, credentials = "[loc]\naws_access_key_id = local\naws_secret_access_key = local-secret-0001\n[svc]\naws_access_key_id = local\naws_secret_access_key = local-secret-0001\n") {
  const home = mkdtempSync(join(tmpdir(), "sqsctl-awscfg-"));
  mkdirSync(join(home, ".aws"));
  writeFileSync(join(home, ".aws", "config"), config);
  writeFileSync(join(home, ".aws", "credentials"), credentials);
  return { HOME: home, XDG_STATE_HOME: join(home, "state") };
}

const profiles = () => `[profile loc]
region = us-east-1
endpoint_url = ${server.endpoint}

[profile svc]
region = us-east-1
services = local-sqs

[services local-sqs]
sqs =
  endpoint_url = ${server.endpoint}
`;

/** Raw SDK notices that must never reach a user's terminal. */
function expectNoSdkNoise(r: CliResult) {
  expect(r.stderr).not.toMatch(/useQueueUrlAsEndpoint|differs from SQSClient|@aws-sdk|@smithy|Multiple credential sources/);
}

describe("endpoint_url from the config file", () => {
  test.each([
    ["a profile's endpoint_url", "loc"],
    ["a services section", "svc"],
  ])("%s is used for every command, per-queue ones included, with --profile and AWS_PROFILE alike", async (_what, profile) => {
    const env = awsHome(profiles());
    // WHEN the same commands run with --profile and with AWS_PROFILE
    const byFlag = await runCli(["--profile", profile, "queues", "show", queueUrl, "-o", "json"], { env });
    const byEnv = await runCli(["queues", "show", queueUrl, "-o", "json"], { env: { ...env, AWS_PROFILE: profile } });
    // THEN both reach the embedded server (the queue URL's host does not resolve) and agree
    // (queues show may add one note a service it cannot ask, e.g. Lambda off AWS; nothing else)
    expect(byFlag.stderr.split("\n").filter((l) => l && !l.startsWith("note: "))).toEqual([]);
    expect(byFlag.code).toBe(0);
    expect(byEnv.code).toBe(0);
    expect(JSON.parse(byFlag.stdout)).toMatchObject({ name: "cfg-orders" });
    expect(JSON.parse(byEnv.stdout).arn).toBe(JSON.parse(byFlag.stdout).arn);
    expectNoSdkNoise(byEnv);
    // AND the credentials come from the profile both ways
    for (const run of [["--profile", profile], []]) {
      const debug = await runCli([...run, "--debug", "queues", "list"], { env: run.length ? env : { ...env, AWS_PROFILE: profile } });
      expect(debug.stderr).toMatch(new RegExp(`debug: client: region=us-east-1 endpoint=${server.endpoint} \\(from .*\\).* credentials=profile ${profile}`));
      expect(debug.stderr).not.toContain("local-secret-0001");
    }
    // AND a receive by queue URL (the call the SDK would route to the URL's host) works too
    const peek = await runCli(["--profile", profile, "receive", queueUrl, "--peek", "--max", "1", "-o", "ndjson"], { env });
    expect(peek.code).toBe(0);
    expect(peek.stdout).toContain("from-config");
    expectNoSdkNoise(peek);
  });

  test("credentials come from the profile with --profile and AWS_PROFILE alike (credential_process)", async () => {
    const env = awsHome("");
    const marker = (n: string) => join(env.HOME, `used-${n}`);
    const creds = `printf '{"Version":1,"AccessKeyId":"AKIDPROCESS","SecretAccessKey":"proc-secret-0001"}'`;
    writeFileSync(
      join(env.HOME, ".aws", "config"),
      `[profile proc]\nregion = us-east-1\nendpoint_url = ${server.endpoint}\ncredential_process = sh -c 'touch "$0"; ${creds.replace(/'/g, `'"'"'`)}' ${marker("proc")}\n`,
    );
    const byFlag = await runCli(["--profile", "proc", "queues", "list", "-o", "json"], { env: { ...env, AWS_ACCESS_KEY_ID: "AKIDENVIRONMENT", AWS_SECRET_ACCESS_KEY: "env-secret" } });
    expect(byFlag.code).toBe(0);
    expect(byFlag.stderr).toBe('note: using the credentials of profile "proc"; AWS_ACCESS_KEY_ID in the environment is ignored.\n');
    expect(existsSync(marker("proc"))).toBe(true);
    rmSync(marker("proc"));
    const byEnv = await runCli(["queues", "list", "-o", "json"], { env: { ...env, AWS_PROFILE: "proc" } });
    expect(byEnv.code).toBe(0);
    expect(byEnv.stdout).toBe(byFlag.stdout);
    expect(existsSync(marker("proc"))).toBe(true);
  });

  test("AWS_ENDPOINT_URL_SQS wins over the profile, as in the AWS CLI v2 and boto3", async () => {
    const env = awsHome(`[profile loc]\nregion = us-east-1\nendpoint_url = http://127.0.0.1:9\n`);
    const r = await runCli(["--profile", "loc", "queues", "list", "-o", "json"], { env: { ...env, AWS_ENDPOINT_URL_SQS: server.endpoint } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("cfg-orders");
  });
});

describe("one-line errors", () => {
  test("an unknown profile names the config file actually read (AWS_CONFIG_FILE honoured)", async () => {
    const env = awsHome(profiles());
    const other = join(env.HOME, "elsewhere.ini");
    writeFileSync(other, "[profile prod]\nregion = eu-west-1\n");
    for (const [args, extra] of [
      [["--profile", "nope"], {}],
      [[], { AWS_PROFILE: "nope" }],
    ] as const) {
      const r = await runCli([...args, "queues", "list"], { env: { ...env, ...extra, AWS_CONFIG_FILE: other } });
      expect(r.code).toBe(2);
      expect(r.stderr.split("\n")[0]).toMatch(new RegExp(`^error: profile "nope" not found in ${other.replace(/[.]/g, "\\.")}`));
      expect(r.stderr).not.toMatch(/region/i);
    }
  });

  test("--endpoint-url without a scheme", async () => {
    const r = await runCli(["--endpoint-url", "127.0.0.1:9324", "--region", "us-east-1", "queues", "list"], { env: server.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --endpoint-url: "127\.0\.0\.1:9324" has no scheme/);
    expect(r.stderr).toContain("http://127.0.0.1:9324");
    expect(r.stderr).not.toMatch(/TypeError|Invalid URL|\n\s+at /);
  });

  test("a non-SQS endpoint (an HTML page) says so, for list and per-queue commands", async () => {
    const web = await startHtmlServer();
    try {
      for (const args of [["queues", "list"], ["queues", "show", queueUrl]]) {
        const r = await runCli(["--endpoint-url", `http://127.0.0.1:${web.port}`, ...args], { env: server.env });
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/did not answer like SQS \(HTTP 200, text\/html\)/);
        expect(r.stderr).not.toMatch(/Unexpected token|SyntaxError|Deserialization/);
      }
    } finally {
      await web.close();
    }
  });
});

describe("request timeout (issue 15 #1)", () => {
  test("a frozen server fails the request, the retry policy retries it, then a clear error and exit 1", async () => {
    const frozen = await startFrozenServer();
    try {
      // The timeout is made short for the test by the documented knob; nothing here is timed.
      const env = { ...server.env, AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:${frozen.port}`, SQSCTL_REQUEST_TIMEOUT: "0.2" };
      for (const args of [["queues", "list"], ["send", "cfg-orders", "hello"]]) {
        const before = frozen.connections();
        const r = await runCli(args, { env });
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/^error: The SQS endpoint http:\/\/127\.0\.0\.1:\d+ did not answer in time \(5 attempts\)\./);
        // Each timed-out attempt closes its connection; the retries open new ones.
        expect(frozen.connections() - before).toBe(5);
        expect(r.stderr).not.toMatch(/@smithy|WARN/);
      }
    } finally {
      await frozen.close();
    }
  });

  test("a long poll may take its WaitTimeSeconds on top of the request timeout", async () => {
    await server.client.send(new CreateQueueCommand({ QueueName: "cfg-empty" }));
    // The request timeout (0.3 s) is shorter than the long poll (2 s) on an empty queue.
    const r = await runCli(["receive", "cfg-empty", "--wait", "2s", "--max", "1", "-o", "ndjson"], { env: { ...server.env, SQSCTL_REQUEST_TIMEOUT: "0.3" } });
    expect(r.stderr).not.toMatch(/did not answer in time/);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
  });

  test("a bad SQSCTL_REQUEST_TIMEOUT is a usage error", async () => {
    const r = await runCli(["queues", "list"], { env: { ...server.env, SQSCTL_REQUEST_TIMEOUT: "soon" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("SQSCTL_REQUEST_TIMEOUT");
  });
});

describe("proxies, as the AWS CLI honours them", () => {
  test.each(["HTTP_PROXY", "http_proxy"])("%s carries http:// endpoint traffic; NO_PROXY bypasses it", async (name) => {
    const proxy = await startHttpProxy();
    try {
      const through = await runCli(["queues", "list", "-o", "json"], { env: { ...server.env, [name]: proxy.url } });
      expect(through.code).toBe(0);
      expect(through.stdout).toContain("cfg-orders");
      expect(proxy.forwarded.length).toBeGreaterThan(0);
      expect(proxy.forwarded[0]).toMatch(new RegExp(`^POST ${server.endpoint}/`));

      const seen = proxy.forwarded.length;
      for (const noProxy of ["127.0.0.1", `localhost,127.0.0.1:${server.port}`, "*"]) {
        const direct = await runCli(["queues", "list", "-o", "json"], { env: { ...server.env, [name]: proxy.url, NO_PROXY: noProxy } });
        expect(direct.code).toBe(0);
        expect(direct.stdout).toContain("cfg-orders");
      }
      expect(proxy.forwarded.length).toBe(seen);
    } finally {
      await proxy.close();
    }
  });

  test("HTTPS_PROXY tunnels https:// endpoints with CONNECT", async () => {
    const proxy = await startHttpProxy();
    try {
      // The tunnel reaches the plain-HTTP server, so TLS then fails: what matters is the CONNECT.
      const r = await runCli(["--endpoint-url", `https://127.0.0.1:${server.port}`, "queues", "list"], {
        env: { ...server.env, HTTPS_PROXY: proxy.url, SQSCTL_REQUEST_TIMEOUT: "2" },
      });
      expect(proxy.tunnels[0]).toBe(`127.0.0.1:${server.port}`);
      expect(r.code).toBe(1);
      expect(r.stderr.split("\n")[0]).toMatch(/^error: /);
    } finally {
      await proxy.close();
    }
  });

  test("AWS_CA_BUNDLE / ca_bundle trust a private CA, direct and through HTTPS_PROXY; without it, one clear TLS error", async () => {
    const front = await startTlsFront(server.port);
    if (!front) return; // no openssl on this machine
    const proxy = await startHttpProxy();
    try {
      const endpoint = `https://127.0.0.1:${front.port}`;
      const untrusted = await runCli(["--endpoint-url", endpoint, "queues", "list"], { env: server.env });
      expect(untrusted.code).toBe(1);
      expect(untrusted.stderr).toMatch(/^error: TLS with https:\/\/127\.0\.0\.1:\d+ failed \((SELF_SIGNED_CERT|DEPTH_ZERO_SELF_SIGNED_CERT)\w*\)\.\nhint: .*AWS_CA_BUNDLE/);
      const direct = await runCli(["--endpoint-url", endpoint, "queues", "list", "-o", "json"], { env: { ...server.env, AWS_CA_BUNDLE: front.caFile } });
      expect(direct.stderr).toBe("");
      expect(direct.stdout).toContain("cfg-orders");
      const home = awsHome(`[profile tls]\nregion = us-east-1\nendpoint_url = ${endpoint}\nca_bundle = ${front.caFile}\n`, "[tls]\naws_access_key_id = a\naws_secret_access_key = b\n");
      const viaProxy = await runCli(["--profile", "tls", "queues", "list", "-o", "json"], { env: { ...home, HTTPS_PROXY: proxy.url } });
      expect(viaProxy.stderr).toBe("");
      expect(viaProxy.stdout).toContain("cfg-orders");
      expect(proxy.tunnels.length).toBeGreaterThan(0);
      expect(new Set(proxy.tunnels)).toEqual(new Set([`127.0.0.1:${front.port}`]));
      const badBundle = await runCli(["--endpoint-url", endpoint, "queues", "list"], { env: { ...server.env, AWS_CA_BUNDLE: join(home.HOME, "missing.pem") } });
      expect(badBundle.code).toBe(2);
      expect(badBundle.stderr).toContain("missing.pem");
    } finally {
      await proxy.close();
      await front.close();
    }
  });

  test("AWS_CA_BUNDLE is not read for an http:// endpoint (no TLS): a missing bundle changes nothing, --debug says so", async () => {
    // GIVEN a bundle path that does not exist, and the plain-http local server
    const env = { ...server.env, AWS_CA_BUNDLE: "/nonexistent/sqsctl-test-bundle.pem" };
    // WHEN a command runs against it
    const r = await runCli(["queues", "list", "-o", "json", "--debug"], { env });
    // THEN it works, and the debug line says the bundle was not read
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("cfg-orders");
    expect(r.stderr).toContain("ca_bundle=/nonexistent/sqsctl-test-bundle.pem (not read: no TLS)");
  });

  test("an unreachable proxy is named in the error", async () => {
    const r = await runCli(["queues", "list"], { env: { ...server.env, HTTP_PROXY: "http://proxyuser:proxy-pass-0001@127.0.0.1:9" } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("through the proxy http://proxyuser:[redacted]@127.0.0.1:9");
    expect(r.stderr).not.toContain("proxy-pass-0001");
  });
});

describe("redaction (issue 15 #13)", () => {
  test("a password in --endpoint-url is never printed: errors, --debug lines", async () => {
    const secret = "s3cret-endpoint-pass";
    for (const extra of [[], ["--debug"]]) {
      const r = await runCli(["--endpoint-url", `http://admin:${secret}@127.0.0.1:9`, ...extra, "queues", "list"], { env: server.env });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("admin:[redacted]@127.0.0.1:9");
      expect(r.stderr + r.stdout).not.toContain(secret);
    }
    const noScheme = await runCli(["--endpoint-url", `admin:${secret}@127.0.0.1:9`, "queues", "list"], { env: server.env });
    expect(noScheme.code).toBe(2);
    expect(noScheme.stderr).not.toContain(secret);
  });

  test("an attribute value is not echoed in a validation error unless --debug", async () => {
    const card = "4111 1111 1111 1111";
    const r = await runCli(["send", "cfg-orders", "x", "--attr", `card:Number=${card}`], { env: server.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--attr card: the value (19 characters, not shown) is not a number");
    expect(r.stderr).not.toContain("4111");
    const flag = await runCli(["send", "cfg-orders", "x", "--attr", card], { env: server.env });
    expect(flag.code).toBe(2);
    expect(flag.stderr).not.toContain("1111");
    const debug = await runCli(["--debug", "send", "cfg-orders", "x", "--attr", `card:Number=${card}`], { env: server.env });
    expect(debug.code).toBe(2);
    expect(debug.stderr).toContain(card);
  });
});
