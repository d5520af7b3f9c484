import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { checkEndpointUrl, hidePassword, proxyFor } from "../../src/core/endpoint.js";
import { stateDir } from "../../src/core/state-dir.js";
import { cacheDir } from "../../src/completion/queue-cache.js";
import { UsageError } from "../../src/errors.js";
import { redact } from "../../src/output/redact.js";
import { resolveAwsSettings } from "../../src/sqs/aws-config.js";
import { mapSdkError } from "../../src/sqs/errors.js";
import { memoryIo } from "../helpers/memory-io.js";

function home(config: string, credentials = "") {
  const dir = mkdtempSync(join(tmpdir(), "sqsctl-cfg-unit-"));
  mkdirSync(join(dir, ".aws"));
  writeFileSync(join(dir, ".aws", "config"), config);
  writeFileSync(join(dir, ".aws", "credentials"), credentials);
  return dir;
}

const CONFIG = `[default]
region = eu-west-1

[profile dev]
region = us-west-2
endpoint_url = http://127.0.0.1:4566

[profile svc]
region = us-east-2
endpoint_url = http://127.0.0.1:1
services = mine

[services mine]
sqs =
  endpoint_url = http://127.0.0.1:9324
s3 =
  endpoint_url = http://127.0.0.1:9000

[profile quiet]
region = us-east-1
endpoint_url = http://127.0.0.1:4566
ignore_configured_endpoint_urls = true
`;

describe("resolveAwsSettings: the AWS CLI v2's reading of the config file", () => {
  test("--profile X and AWS_PROFILE=X give the same region and endpoint", async () => {
    const HOME = home(CONFIG);
    const byFlag = await resolveAwsSettings({ profile: "dev" }, { HOME });
    const byEnv = await resolveAwsSettings({}, { HOME, AWS_PROFILE: "dev" });
    expect(byFlag).toEqual(byEnv);
    expect(byFlag).toMatchObject({ profile: "dev", region: "us-west-2", endpoint: "http://127.0.0.1:4566" });
  });

  test("a services section's sqs endpoint_url beats the profile's own", async () => {
    const s = await resolveAwsSettings({ profile: "svc" }, { HOME: home(CONFIG) });
    expect(s.endpoint).toBe("http://127.0.0.1:9324");
    expect(s.endpointSource).toContain("[services mine]");
  });

  test("precedence: flag > AWS_ENDPOINT_URL_SQS > AWS_ENDPOINT_URL > config; ignore_configured_endpoint_urls", async () => {
    const HOME = home(CONFIG);
    expect((await resolveAwsSettings({ profile: "dev", endpointUrl: "http://127.0.0.1:2" }, { HOME, AWS_ENDPOINT_URL_SQS: "http://127.0.0.1:3" })).endpoint).toBe("http://127.0.0.1:2");
    expect((await resolveAwsSettings({ profile: "dev" }, { HOME, AWS_ENDPOINT_URL_SQS: "http://127.0.0.1:3", AWS_ENDPOINT_URL: "http://127.0.0.1:4" })).endpoint).toBe("http://127.0.0.1:3");
    expect((await resolveAwsSettings({ profile: "dev" }, { HOME, AWS_ENDPOINT_URL: "http://127.0.0.1:4" })).endpoint).toBe("http://127.0.0.1:4");
    expect((await resolveAwsSettings({ profile: "quiet" }, { HOME })).endpoint).toBeUndefined();
    expect((await resolveAwsSettings({ profile: "dev" }, { HOME, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true", AWS_ENDPOINT_URL: "http://127.0.0.1:4" })).endpoint).toBeUndefined();
  });

  test("region: flag > AWS_REGION > AWS_DEFAULT_REGION > profile; default profile when none is named", async () => {
    const HOME = home(CONFIG);
    expect((await resolveAwsSettings({}, { HOME })).region).toBe("eu-west-1");
    expect((await resolveAwsSettings({}, { HOME, AWS_DEFAULT_REGION: "ap-south-1" })).region).toBe("ap-south-1");
    expect((await resolveAwsSettings({}, { HOME, AWS_DEFAULT_REGION: "ap-south-1", AWS_REGION: "sa-east-1" })).region).toBe("sa-east-1");
    expect((await resolveAwsSettings({ region: "ca-central-1", profile: "dev" }, { HOME })).region).toBe("ca-central-1");
  });

  test("an unknown profile names the file read; a profile only in credentials is known", async () => {
    const HOME = home(CONFIG, "[keys-only]\naws_access_key_id = a\naws_secret_access_key = b\n");
    await expect(resolveAwsSettings({ profile: "keys-only" }, { HOME })).resolves.toMatchObject({ profile: "keys-only" });
    const err = await resolveAwsSettings({ profile: "nope" }, { HOME }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe(`profile "nope" not found in ${join(HOME, ".aws", "config")}.`);
    const other = join(HOME, "other-config");
    writeFileSync(other, "[profile x]\n");
    const viaEnv = await resolveAwsSettings({}, { HOME, AWS_CONFIG_FILE: other, AWS_PROFILE: "nope" }).catch((e: unknown) => e);
    expect((viaEnv as Error).message).toBe(`profile "nope" not found in ${other} (from AWS_PROFILE).`);
  });

  test("a services line without its section, and an endpoint_url without a scheme, name the file", async () => {
    const HOME = home("[profile a]\nservices = gone\n[profile b]\nendpoint_url = localhost:9324\n");
    await expect(resolveAwsSettings({ profile: "a" }, { HOME })).rejects.toThrow(/no \[services gone\] section/);
    await expect(resolveAwsSettings({ profile: "b" }, { HOME })).rejects.toThrow(/\[profile b\] endpoint_url: "localhost:9324" has no scheme/);
  });
});

describe("endpoint and proxy rules", () => {
  test("checkEndpointUrl wants http(s)://", () => {
    expect(() => checkEndpointUrl("127.0.0.1:9324", "--endpoint-url")).toThrow(/has no scheme/);
    expect(() => checkEndpointUrl("ftp://h", "--endpoint-url")).toThrow(/not an http:\/\/ or https:\/\/ URL/);
    expect(checkEndpointUrl("https://sqs.eu-west-1.amazonaws.com", "x")).toBe("https://sqs.eu-west-1.amazonaws.com");
  });

  test("passwords in URLs are hidden, in the endpoint shown and in any diagnostic", () => {
    expect(hidePassword("http://u:p@h:1/x")).toBe("http://u:[redacted]@h:1/x");
    expect(hidePassword("u:p@h:1")).toBe("u:[redacted]@h:1");
    expect(hidePassword("http://h:1/")).toBe("http://h:1/");
    expect(redact('error: could not reach http://admin:hunter2@10.0.0.1:9324 (ECONNREFUSED)')).toBe("error: could not reach http://admin:[redacted]@10.0.0.1:9324 (ECONNREFUSED)");
    expect(redact('"admin:hunter2@127.0.0.1:9" has no scheme')).toBe('"admin:[redacted]@127.0.0.1:9" has no scheme');
    // Not a URL: left alone.
    expect(redact("--attr blob:Binary=@file.bin, at 10:30")).toBe("--attr blob:Binary=@file.bin, at 10:30");
  });

  test("proxyFor follows Python's urllib rules, as botocore does", () => {
    const aws = "https://sqs.us-east-1.amazonaws.com";
    expect(proxyFor(aws, { HTTPS_PROXY: "http://p:3128" })).toBe("http://p:3128");
    expect(proxyFor(aws, { https_proxy: "http://lower:1", HTTPS_PROXY: "http://upper:1" })).toBe("http://lower:1");
    expect(proxyFor(aws, { HTTP_PROXY: "http://p:3128" })).toBeUndefined();
    expect(proxyFor("http://127.0.0.1:9324", { HTTP_PROXY: "p:3128" })).toBe("http://p:3128");
    for (const no of ["amazonaws.com", ".amazonaws.com", "sqs.us-east-1.amazonaws.com", "x, amazonaws.com", "*", "sqs.us-east-1.amazonaws.com:443"]) {
      expect(proxyFor(aws, { HTTPS_PROXY: "http://p:1", NO_PROXY: no })).toBeUndefined();
    }
    expect(proxyFor(aws, { HTTPS_PROXY: "http://p:1", no_proxy: "amazon.com,sqs.us-east-1.amazonaws.com:8443" })).toBe("http://p:1");
  });
});

describe("errors", () => {
  test("an HTML answer is 'not SQS', not a JSON parse error", () => {
    const err = Object.assign(new SyntaxError(`Unexpected token '<', "<html>" is not valid JSON`), {
      $response: { statusCode: 404, headers: { "content-type": "text/html; charset=utf-8" } },
    });
    const e = mapSdkError(err, { region: "us-east-1", endpoint: "http://127.0.0.1:8080" });
    expect(e.message).toBe("The endpoint http://127.0.0.1:8080 did not answer like SQS (HTTP 404, text/html).");
    expect(e.exitCode).toBe(1);
  });
});

test("an HTTP error with no SQS error through a proxy blames the proxy, naming 407", () => {
  const err = Object.assign(new Error("UnknownError"), { name: "Unknown", $metadata: { httpStatusCode: 407 } });
  const e = mapSdkError(err, { region: "us-east-1", endpoint: "https://sqs.us-east-1.amazonaws.com", proxy: "http://corp:[redacted]@10.0.0.1:3128" });
  expect(e.message).toBe(
    "HTTP 407 from https://sqs.us-east-1.amazonaws.com through the proxy http://corp:[redacted]@10.0.0.1:3128, with no SQS error: the proxy may have refused the connection (407: the proxy wants credentials).",
  );
  expect(mapSdkError(err, { region: "us-east-1", endpoint: "http://127.0.0.1:1" }).message).toBe("The endpoint http://127.0.0.1:1 answered HTTP 407 with no SQS error.");
});

describe("one state folder", () => {
  test("XDG_STATE_HOME/sqsctl, else ~/.local/state/sqsctl; the completion cache lives in it", () => {
    expect(stateDir({ XDG_STATE_HOME: "/x/state", HOME: "/h" })).toBe("/x/state/sqsctl");
    expect(stateDir({ HOME: "/h" })).toBe("/h/.local/state/sqsctl");
    // A relative XDG_STATE_HOME is invalid by the spec and ignored.
    expect(stateDir({ XDG_STATE_HOME: "rel", HOME: "/h" })).toBe("/h/.local/state/sqsctl");
    expect(cacheDir({ XDG_STATE_HOME: "/x/state" }).startsWith("/x/state/sqsctl/")).toBe(true);
  });
});

describe("createSqsContext", () => {
  test("every call goes to the resolved endpoint; the SDK's warnings go to --debug, not stderr", async () => {
    const { createSqsContext } = await import("../../src/sqs/client.js");
    const { Ui } = await import("../../src/output/ui.js");
    const { mockClient } = await import("aws-sdk-client-mock");
    const { GetQueueAttributesCommand } = await import("@aws-sdk/client-sqs");
    const env = { HOME: home(CONFIG, "[dev]\naws_access_key_id = a\naws_secret_access_key = b\n") };
    const mem = memoryIo(env);
    const ui = new Ui(mem.io, { color: false });
    // GIVEN a profile with endpoint_url
    const ctx = await createSqsContext({ color: false, profile: "dev" }, env, ui);
    try {
      // THEN the client has it, and never switches to a queue URL's host
      expect(ctx.client.config.useQueueUrlAsEndpoint).toBe(false);
      expect(ctx.endpoint).toBe("http://127.0.0.1:4566");
      expect(ctx.region).toBe("us-west-2");
      // WHEN the SDK logs a warning (as its queue-URL middleware does)
      ctx.client.config.logger.warn("QueueUrl=x differs from SQSClient resolved endpoint");
      const sqs = mockClient(ctx.client);
      sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { QueueArn: "arn:aws:sqs:us-west-2:1:q" } });
      await ctx.send(new GetQueueAttributesCommand({ QueueUrl: "http://sqs.us-west-2.localhost:4566/1/q" }));
      // THEN nothing reaches stderr without --debug
      expect(mem.stderr).toBe("");
      sqs.restore();
    } finally {
      ctx.destroy();
    }
  });

  test("another service's endpoint comes from its own variable and services key", async () => {
    const HOME = home(CONFIG);
    expect((await resolveAwsSettings({ profile: "svc" }, { HOME }, "s3")).endpoint).toBe("http://127.0.0.1:9000");
    expect((await resolveAwsSettings({}, { HOME, AWS_ENDPOINT_URL_SNS: "http://127.0.0.1:5", AWS_ENDPOINT_URL_SQS: "http://127.0.0.1:6" }, "sns")).endpoint).toBe("http://127.0.0.1:5");
  });
});
