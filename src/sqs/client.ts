import type { SQSClient, SQSClientConfig } from "@aws-sdk/client-sqs";
import type { GlobalOptions } from "../output/io.js";
import type { Ui } from "../output/ui.js";
import { mapSdkError } from "./errors.js";

export const DEFAULT_LOCAL_PORT = 9324;

/**
 * The retry policy, chosen on purpose: "standard" mode (exponential backoff with
 * jitter, retry quota) with 5 attempts. Throttling and 5xx responses are retried
 * here; per-entry batch failures are retried by the batch engines themselves, which
 * read every `Failed` list. "adaptive" was not chosen: its client-side rate limiter
 * is shared per client and would throttle all workers of a bulk send after one 503.
 */
export const RETRY = { retryMode: "standard", maxAttempts: 5 } as const;

/** Long polls wait up to 20 s; anything slower than this is a dead connection. */
const REQUEST_TIMEOUT_MS = 35_000;
const CONNECT_TIMEOUT_MS = 5_000;

/** Everything a command needs to talk to SQS, and to describe where it is talking. */
export interface SqsContext {
  client: SQSClient;
  region: string;
  /** The endpoint in use, for error messages ("default AWS endpoint" when none is set). */
  endpoint: string;
  /** Sends a command, turning SDK errors into sqsctl errors that name `queue`. */
  send<T>(command: { input: unknown } & object, queue?: string): Promise<T>;
  destroy(): void;
}

export function localEndpoint(env: Record<string, string | undefined>): string {
  return `http://127.0.0.1:${env.SQSCTL_LOCAL_PORT || DEFAULT_LOCAL_PORT}`;
}

/** True when credentials are plainly configured somewhere the SDK will look first. */
function hasConfiguredCredentials(globals: GlobalOptions, env: Record<string, string | undefined>): boolean {
  return Boolean(globals.profile || env.AWS_PROFILE || env.AWS_ACCESS_KEY_ID || env.AWS_WEB_IDENTITY_TOKEN_FILE);
}

export interface ClientOverrides {
  /** Sockets kept open for concurrent requests (bulk send, redrive). */
  maxSockets?: number;
}

/**
 * Builds the SQS client from --region/--profile/--endpoint-url/--local and the SDK's
 * own environment (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL_SQS, AWS_ENDPOINT_URL...).
 */
export async function createSqsContext(
  globals: GlobalOptions,
  env: Record<string, string | undefined>,
  ui: Ui,
  overrides: ClientOverrides = {},
): Promise<SqsContext> {
  const [{ SQSClient }, { NodeHttpHandler }, { defaultProvider }, https, http] = await Promise.all([
    import("@aws-sdk/client-sqs"),
    import("@smithy/node-http-handler"),
    import("@aws-sdk/credential-provider-node"),
    import("node:https"),
    import("node:http"),
  ]);
  const maxSockets = overrides.maxSockets ?? 64;

  let endpoint = globals.endpointUrl;
  let region = globals.region;
  let credentials: SQSClientConfig["credentials"];
  if (globals.local) {
    endpoint ??= localEndpoint(env);
    region ??= "us-east-1";
    if (!hasConfiguredCredentials(globals, env)) {
      // The embedded server accepts any signature; these are not secrets.
      credentials = { accessKeyId: "local", secretAccessKey: "local" };
    }
  }
  region ??= env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
  // The SDK reads these itself, but resolving them here lets us turn off its
  // "use the QueueUrl's host" behaviour, which breaks local servers whose queue URLs
  // name hosts like sqs.us-east-1.localhost.
  endpoint ??= env.AWS_ENDPOINT_URL_SQS || env.AWS_ENDPOINT_URL || undefined;
  credentials ??= defaultProvider({
    ...(globals.profile ? { profile: globals.profile } : {}),
    // Off EC2 the instance-metadata probe would otherwise stall a missing-credentials
    // error by a second or two; on EC2 it answers in milliseconds.
    timeout: 500,
    maxRetries: 0,
  });

  const config: SQSClientConfig = {
    ...RETRY,
    credentials,
    ...(region ? { region } : {}),
    ...(endpoint ? { endpoint, useQueueUrlAsEndpoint: false } : {}),
    ...(globals.profile ? { profile: globals.profile } : {}),
    requestHandler: new NodeHttpHandler({
      httpAgent: new http.Agent({ keepAlive: true, maxSockets }),
      httpsAgent: new https.Agent({ keepAlive: true, maxSockets }),
      connectionTimeout: CONNECT_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
    }),
  };
  const client = new SQSClient(config);

  let resolvedRegion: string;
  try {
    resolvedRegion = await client.config.region();
  } catch {
    resolvedRegion = "";
  }
  if (!resolvedRegion) {
    client.destroy();
    const { UsageError } = await import("../errors.js");
    throw new UsageError(
      "No AWS region is set.",
      "Pass --region (e.g. --region us-east-1), set AWS_REGION, set a region in your profile, or use --local for the embedded server.",
    );
  }
  const shownEndpoint =
    endpoint ?? env.AWS_ENDPOINT_URL_SQS ?? env.AWS_ENDPOINT_URL ?? `https://sqs.${resolvedRegion}.amazonaws.com`;

  if (ui.debugEnabled) installDebugLogging(client, ui);
  ui.debug(
    `client: region=${resolvedRegion} endpoint=${shownEndpoint} retry=${RETRY.retryMode}/${RETRY.maxAttempts} attempts` +
      ` timeouts=connect ${CONNECT_TIMEOUT_MS}ms, request ${REQUEST_TIMEOUT_MS}ms maxSockets=${maxSockets}` +
      ` credentials=${credentials && typeof credentials === "object" ? "static (local)" : globals.profile ? `profile ${globals.profile}` : "default chain"}`,
  );

  const ctx: SqsContext = {
    client,
    region: resolvedRegion,
    endpoint: shownEndpoint,
    async send<T>(command: { input: unknown } & object, queue?: string): Promise<T> {
      try {
        return (await client.send(command as never)) as T;
      } catch (err) {
        throw mapSdkError(err, { region: resolvedRegion, endpoint: shownEndpoint, queue, local: globals.local === true });
      }
    },
    destroy() {
      client.destroy();
    },
  };
  sharedConfigs.set(ctx, { globals, env, region: resolvedRegion, credentials, endpoint });
  return ctx;
}

/**
 * The other AWS clients sqsctl uses (SNS, Lambda, CloudWatch for `queues show` and
 * `watch`) reach the same account the same way as the SQS client: same region,
 * credentials, profile, retry policy and timeouts. Endpoint: --local / --endpoint-url
 * name one emulator for every service; otherwise AWS_ENDPOINT_URL_<SERVICE> and
 * AWS_ENDPOINT_URL are read by the SDK itself; and an SQS-only endpoint
 * (AWS_ENDPOINT_URL_SQS, not AWS) is used for the others too rather than sending this
 * account's credentials to AWS for a local queue.
 */
export function sharedClientConfig(ctx: SqsContext, service: "SNS" | "LAMBDA" | "CLOUDWATCH"): Record<string, unknown> {
  const s = sharedConfigs.get(ctx);
  if (!s) return { region: ctx.region };
  const own = s.env[`AWS_ENDPOINT_URL_${service}`] || s.env.AWS_ENDPOINT_URL;
  const endpoint = s.globals.local || s.globals.endpointUrl ? s.endpoint : own ? undefined : s.endpoint;
  return {
    ...RETRY,
    region: s.region,
    credentials: s.credentials,
    ...(s.globals.profile ? { profile: s.globals.profile } : {}),
    ...(endpoint ? { endpoint } : {}),
    requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, requestTimeout: 10_000 },
  };
}

const sharedConfigs = new WeakMap<
  SqsContext,
  { globals: GlobalOptions; env: Record<string, string | undefined>; region: string; credentials: SQSClientConfig["credentials"]; endpoint: string | undefined }
>();

/**
 * --debug: one line per request and response with the operation, queue, status,
 * attempts and time. Built from the command input and response metadata only, never
 * from headers, so credentials and signatures cannot leak; bodies are summarised by
 * size, not printed.
 */
function installDebugLogging(client: SQSClient, ui: Ui): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const started = performance.now();
      const input = args.input as Record<string, unknown>;
      const summary = summariseInput(input);
      ui.debug(`→ ${context.commandName ?? "request"} ${summary}`);
      try {
        const result = await next(args);
        const meta = (result.output as { $metadata?: { httpStatusCode?: number; attempts?: number; requestId?: string } }).$metadata;
        ui.debug(
          `← ${context.commandName} ${meta?.httpStatusCode ?? "?"} in ${Math.round(performance.now() - started)}ms` +
            ` (attempts ${meta?.attempts ?? 1}${meta?.requestId ? `, request ${meta.requestId}` : ""})`,
        );
        return result;
      } catch (err) {
        const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number; attempts?: number } };
        ui.debug(
          `✗ ${context.commandName} ${e.$metadata?.httpStatusCode ?? ""} ${e.name ?? "Error"} after ${Math.round(performance.now() - started)}ms` +
            ` (attempts ${e.$metadata?.attempts ?? 1}): ${e.message ?? ""}`,
        );
        throw err;
      }
    },
    { step: "initialize", name: "sqsctlDebugLog" },
  );
}

function summariseInput(input: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(input)) {
    if (k === "MessageBody" && typeof v === "string") parts.push(`MessageBody=<${Buffer.byteLength(v)} bytes>`);
    else if (k === "Entries" && Array.isArray(v)) parts.push(`Entries=<${v.length}>`);
    else if (k === "MessageAttributes" && v && typeof v === "object") parts.push(`MessageAttributes=<${Object.keys(v).length}>`);
    else if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") parts.push(`${k}=${v}`);
    else if (Array.isArray(v)) parts.push(`${k}=[${v.length}]`);
    else if (v && typeof v === "object") parts.push(`${k}={${Object.keys(v).join(",")}}`);
  }
  return parts.join(" ");
}
