import type { SQSClient, SQSClientConfig } from "@aws-sdk/client-sqs";
import type { GlobalOptions } from "../output/io.js";
import type { Ui } from "../output/ui.js";
import { hidePassword, proxyFor } from "../core/endpoint.js";
import { UsageError } from "../errors.js";
import { ERROR_CONTEXT, mapSdkError, type ErrorContext } from "./errors.js";

export const DEFAULT_LOCAL_PORT = 9324;

/**
 * The retry policy, chosen on purpose: "standard" mode (exponential backoff with
 * jitter, retry quota) with 5 attempts. Throttling and 5xx responses are retried
 * here; per-entry batch failures are retried by the batch engines themselves, which
 * read every `Failed` list. "adaptive" was not chosen: its client-side rate limiter
 * is shared per client and would throttle all workers of a bulk send after one 503.
 */
export const RETRY = { retryMode: "standard", maxAttempts: 5 } as const;

const CONNECT_TIMEOUT_MS = 5_000;

/**
 * How long one request may go unanswered before it fails and the retry policy takes
 * over (a frozen server must not hang a command). A ReceiveMessage long poll gets its
 * WaitTimeSeconds on top. SQSCTL_REQUEST_TIMEOUT (seconds) changes the base.
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 20_000;

export function requestTimeoutMs(env: Record<string, string | undefined>): number {
  const raw = env.SQSCTL_REQUEST_TIMEOUT;
  if (raw === undefined || raw === "") return DEFAULT_REQUEST_TIMEOUT_MS;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`SQSCTL_REQUEST_TIMEOUT: "${raw}" is not a number of seconds.`, "Unset it, or give seconds, e.g. SQSCTL_REQUEST_TIMEOUT=30.");
  }
  return Math.max(1, Math.round(seconds * 1000));
}

/** Everything a command needs to talk to SQS, and to describe where it is talking. */
export interface SqsContext {
  client: SQSClient;
  region: string;
  /** The endpoint in use, for messages (never with a password; AWS's default when none is set). */
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

export type SdkLogger = ReturnType<typeof sdkLogger>;

/** A short, printable form of what the SDK logs (errors and objects too, never "[object Object]"). */
function describe(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (value && typeof value === "object") {
    const o = value as { name?: unknown; message?: unknown };
    return typeof o.message === "string" ? `${String(o.name ?? "")} ${o.message}`.trim() : `{${Object.keys(o).slice(0, 8).join(",")}}`;
  }
  return String(value);
}

/**
 * The SDK logs to `console` when given nothing (the useQueueUrlAsEndpoint notice, the
 * "multiple credential sources" notice, socket warnings): route all of it to --debug.
 */
export function sdkLogger(ui: Ui) {
  const line = (level: string) => (...args: unknown[]) => ui.debug(`sdk ${level}: ${args.map(describe).join(" ").replace(/\s*\n\s*/g, " ")}`);
  // No info: it is the SDK's per-call record (input/output), and --debug has its own,
  // shorter line. The SDK calls it as `logger?.info?.(...)`, so without it the SDK does not
  // run every call's input and output through its sensitive-data filters just to drop
  // them (0.4-0.5 s of a 100,000-message scan's CPU, bench/RESULTS.md 3d). The type says
  // info exists because the SDK's Logger type requires it; nothing here calls it.
  const logger = { trace: () => undefined, debug: () => undefined, warn: line("warn"), error: line("error") };
  return logger as typeof logger & { info: (...args: unknown[]) => void };
}

/**
 * The HTTP layer: keep-alive agents (through a proxy when HTTPS_PROXY / HTTP_PROXY say
 * so, as the AWS CLI does), a connect timeout, and a request timeout that fails the
 * request (the pinned handler only logs unless told `throwOnRequestTimeout`).
 */
export async function createHttpHandler(
  endpointUrl: string,
  env: Record<string, string | undefined>,
  maxSockets: number,
  logger: SdkLogger,
  caBundle?: string,
) {
  const [{ NodeHttpHandler }, https, http, tls] = await Promise.all([
    import("@smithy/node-http-handler"),
    import("node:https"),
    import("node:http"),
    import("node:tls"),
  ]);
  const timeout = requestTimeoutMs(env);
  const proxy = proxyFor(endpointUrl, env);
  // AWS_CA_BUNDLE / ca_bundle, as the AWS CLI reads them: trusted on top of the usual CAs.
  // Only where TLS is spoken (an https endpoint or proxy): for http://127.0.0.1 the bundle
  // and Node's root list (~3-15 ms a command) are not read.
  // (Read from the module object: the bundle leaves this slow lazy export out of the namespace, scripts/build.mjs.)
  const tlsUsed = endpointUrl.startsWith("https:") || (proxy?.startsWith("https:") ?? false);
  const ca = caBundle && tlsUsed ? [...tls.default.rootCertificates, await readCaBundle(caBundle)] : undefined;
  // One secure context for every connection: given only `ca`, each new TLS connection
  // would parse the whole list again (64 sockets at a region).
  const secureContext = ca ? tls.default.createSecureContext({ ca }) : undefined;
  const agentOptions = { keepAlive: true, maxSockets, ...(ca ? { ca } : {}) };
  let httpAgent: import("node:http").Agent = new http.Agent(agentOptions);
  let httpsAgent: import("node:https").Agent = new https.Agent({ ...agentOptions, ...(secureContext ? { secureContext } : {}) });
  if (proxy) {
    // https-proxy-agent / http-proxy-agent: the well-kept agents (CONNECT tunnel with
    // TLS to the endpoint; absolute-URI forwarding for http), with proxy auth from the URL.
    if (endpointUrl.startsWith("https:")) {
      const { HttpsProxyAgent } = await import("https-proxy-agent");
      // Its agent options reach the proxy connection; the TLS to the endpoint takes the
      // request's options, so the extra CAs go in there.
      // It also drops the host before that TLS connection, so an IP endpoint would be
      // checked against "localhost": check the certificate against the real host.
      type ConnectArgs = Parameters<InstanceType<typeof HttpsProxyAgent<string>>["connect"]>;
      class TrustingProxyAgent extends HttpsProxyAgent<string> {
        override connect(req: ConnectArgs[0], opts: ConnectArgs[1]) {
          const host = opts.host ?? "";
          return super.connect(req, {
            ...opts,
            ...(ca ? { ca } : {}),
            checkServerIdentity: (_name: string, cert: import("node:tls").PeerCertificate) => tls.checkServerIdentity(host, cert),
          } as ConnectArgs[1]);
        }
      }
      httpsAgent = new TrustingProxyAgent(proxy, agentOptions);
    } else {
      const { HttpProxyAgent } = await import("http-proxy-agent");
      httpAgent = new HttpProxyAgent(proxy, agentOptions);
    }
  }

  class SqsHttpHandler extends NodeHttpHandler {
    override handle(request: Parameters<InstanceType<typeof NodeHttpHandler>["handle"]>[0], options: Parameters<InstanceType<typeof NodeHttpHandler>["handle"]>[1] = {}) {
      return super.handle(request, { ...options, requestTimeout: timeout + longPollMs(request) });
    }
  }
  const handler = new SqsHttpHandler({
    httpAgent,
    httpsAgent,
    connectionTimeout: CONNECT_TIMEOUT_MS,
    requestTimeout: timeout,
    throwOnRequestTimeout: true,
    logger,
  });
  return { handler, timeout, proxy, caBundleUsed: ca !== undefined };
}

async function readCaBundle(file: string): Promise<string> {
  const { readFile } = await import("node:fs/promises");
  try {
    const pem = await readFile(file, "utf8");
    if (!pem.includes("-----BEGIN CERTIFICATE-----")) throw new Error("no PEM certificate in it");
    return pem;
  } catch (err) {
    throw new UsageError(`CA bundle ${file} (AWS_CA_BUNDLE or ca_bundle): ${(err as Error).message}.`, "Point it at a PEM file of the CA certificates to trust.");
  }
}

/** A ReceiveMessage may rightly wait WaitTimeSeconds before answering. */
function longPollMs(request: { headers: Record<string, string>; body?: unknown }): number {
  if (!/ReceiveMessage$/.test(request.headers["x-amz-target"] ?? "")) return 0;
  // The JSON protocol's body is bytes (a Uint8Array subclass), sometimes a string.
  const body = request.body instanceof Uint8Array ? new TextDecoder().decode(request.body) : typeof request.body === "string" ? request.body : "";
  const wait = /"WaitTimeSeconds"\s*:\s*(\d+)/.exec(body)?.[1];
  return wait ? Number(wait) * 1000 : 0;
}

/**
 * Builds the SQS client from --region/--profile/--endpoint-url/--local, the environment
 * and the shared config files, resolved as the AWS CLI v2 resolves them (aws-config.ts).
 */
export async function createSqsContext(
  globals: GlobalOptions,
  env: Record<string, string | undefined>,
  ui: Ui,
  overrides: ClientOverrides = {},
): Promise<SqsContext> {
  const [{ SQSClient }, { defaultProvider }, { resolveAwsSettings }] = await Promise.all([
    import("@aws-sdk/client-sqs"),
    import("@aws-sdk/credential-provider-node"),
    import("./aws-config.js"),
  ]);
  const maxSockets = overrides.maxSockets ?? 64;
  const settings = await resolveAwsSettings(
    { profile: globals.profile, region: globals.region ?? (globals.local ? "us-east-1" : undefined), endpointUrl: globals.endpointUrl, localEndpoint: globals.local ? localEndpoint(env) : undefined },
    env,
  );
  const logger = sdkLogger(ui);

  let credentials: SQSClientConfig["credentials"];
  if (globals.local && !hasConfiguredCredentials(globals, env)) {
    // The embedded server accepts any signature; these are not secrets.
    credentials = { accessKeyId: "local", secretAccessKey: "local" };
  }
  if (!credentials && !globals.quiet && settings.profile && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    // The SDK would say this in a 9-line console warning. The AWS CLI uses the keys when
    // the profile comes from AWS_PROFILE; sqsctl treats --profile and AWS_PROFILE alike.
    ui.info(`note: using the credentials of profile "${settings.profile}"; AWS_ACCESS_KEY_ID in the environment is ignored.`);
  }
  credentials ??= defaultProvider({
    ...(settings.profile ? { profile: settings.profile } : {}),
    logger,
    // Off EC2 the instance-metadata probe would otherwise stall a missing-credentials
    // error by a second or two; on EC2 it answers in milliseconds.
    timeout: 500,
    maxRetries: 0,
  });

  const region = settings.region;
  if (!region) {
    throw new UsageError(
      "No AWS region is set.",
      `Pass --region (e.g. --region us-east-1), set AWS_REGION, set region in ${settings.profile ? `[profile ${settings.profile}]` : "[default]"} of ${settings.configFile}, or use --local for the embedded server.`,
    );
  }
  const endpointUrl = settings.endpoint ?? `https://sqs.${region}.amazonaws.com`;
  const http = await createHttpHandler(endpointUrl, env, maxSockets, logger, settings.caBundle);

  const config: SQSClientConfig = {
    ...RETRY,
    credentials,
    region,
    logger,
    // Like the AWS CLI, every call goes to the one resolved endpoint, never to the host
    // a queue URL names (the SDK's default, which breaks local servers whose URLs name
    // hosts like sqs.us-east-1.localhost, and endpoint_url from the config file).
    useQueueUrlAsEndpoint: false,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.profile ? { profile: settings.profile } : {}),
    requestHandler: http.handler,
  };
  const client = new SQSClient(config);
  const shownEndpoint = hidePassword(endpointUrl);
  const where: ErrorContext = { region, endpoint: shownEndpoint, local: globals.local === true, proxy: http.proxy ? hidePassword(http.proxy) : undefined };

  client.middlewareStack.add(tagErrors(where) as never, {
    step: "initialize",
    name: "sqsctlErrorContext",
    priority: "high",
  });
  if (ui.debugEnabled) installDebugLogging(client, ui);
  ui.debug(
    `client: region=${region} endpoint=${shownEndpoint}${settings.endpointSource ? ` (from ${settings.endpointSource})` : ""}` +
      ` retry=${RETRY.retryMode}/${RETRY.maxAttempts} attempts` +
      ` timeouts=connect ${CONNECT_TIMEOUT_MS}ms, request ${http.timeout}ms (+ long-poll wait) maxSockets=${maxSockets}` +
      ` proxy=${http.proxy ? hidePassword(http.proxy) : "none"}${settings.caBundle ? ` ca_bundle=${settings.caBundle}${http.caBundleUsed ? "" : " (not read: no TLS)"}` : ""}` +
      ` credentials=${credentials && typeof credentials === "object" ? "static (local)" : settings.profile ? `profile ${settings.profile}` : "default chain"}`,
  );

  const ctx: SqsContext = {
    client,
    region,
    endpoint: shownEndpoint,
    async send<T>(command: { input: unknown } & object, queue?: string): Promise<T> {
      try {
        return (await client.send(command as never)) as T;
      } catch (err) {
        throw mapSdkError(err, { ...where, queue });
      }
    },
    destroy() {
      client.destroy();
    },
  };
  sharedConfigs.set(ctx, { globals, env, region, credentials, endpoint: settings.endpoint, profile: settings.profile, logger, caBundle: settings.caBundle });
  return ctx;
}

/**
 * Marks every error a call ends with with where it was talking, so an error that reaches
 * main without passing through ctx.send (bulk engines call client.send) still names the
 * endpoint. The error itself is unchanged: callers still read its code.
 */
function tagErrors(where: ErrorContext) {
  return (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
    try {
      return await next(args);
    } catch (err) {
      if (err && typeof err === "object" && !(ERROR_CONTEXT in err)) {
        Object.defineProperty(err, ERROR_CONTEXT, { value: where, enumerable: false });
      }
      throw err;
    }
  };
}

/**
 * The other AWS clients sqsctl uses (SNS, Lambda, CloudWatch for `queues show` and
 * `watch`) reach the same account the same way as the SQS client: same region,
 * credentials, profile, retry policy, proxy, CA bundle, timeouts and logger. Endpoint:
 * --local / --endpoint-url name one emulator for every service; otherwise
 * AWS_ENDPOINT_URL_<SERVICE> and AWS_ENDPOINT_URL are read by the SDK itself; and an
 * SQS-only endpoint (AWS_ENDPOINT_URL_SQS, a profile's, not AWS) is used for the others
 * too rather than sending this account's credentials to AWS for a local queue.
 * Each call gets its own HTTP handler: the caller destroys its client when done.
 */
export async function sharedClientConfig(ctx: SqsContext, service: "SNS" | "LAMBDA" | "CLOUDWATCH"): Promise<Record<string, unknown>> {
  const s = sharedConfigs.get(ctx);
  if (!s) return { region: ctx.region };
  const own = s.env[`AWS_ENDPOINT_URL_${service}`] || s.env.AWS_ENDPOINT_URL;
  const endpoint = s.globals.local || s.globals.endpointUrl ? s.endpoint : own ? undefined : s.endpoint;
  const http = await createHttpHandler(endpoint ?? `https://${service.toLowerCase()}.${s.region}.amazonaws.com`, s.env, 8, s.logger, s.caBundle);
  return {
    ...RETRY,
    region: s.region,
    credentials: s.credentials,
    logger: s.logger,
    ...(s.profile ? { profile: s.profile } : {}),
    ...(endpoint ? { endpoint } : {}),
    requestHandler: http.handler,
  };
}

const sharedConfigs = new WeakMap<
  SqsContext,
  {
    globals: GlobalOptions;
    env: Record<string, string | undefined>;
    region: string;
    credentials: SQSClientConfig["credentials"];
    endpoint: string | undefined;
    profile: string | undefined;
    logger: ReturnType<typeof sdkLogger>;
    caBundle: string | undefined;
  }
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
