import { sharedClientConfig, type SqsContext } from "./client.js";
import { errorCode } from "./errors.js";

/** A Lambda event source mapping that reads the queue. */
export interface LambdaTrigger {
  functionName: string;
  functionArn: string;
  uuid: string;
  state: string;
  batchSize: number | null;
  maximumConcurrency: number | null;
  reportBatchItemFailures: boolean;
}

/** An SNS subscription that delivers to the queue. */
export interface SnsSubscription {
  topicArn: string;
  topicName: string;
  subscriptionArn: string;
  rawDelivery: boolean;
  filterPolicy: unknown;
  filterPolicyScope: string | null;
  pendingConfirmation: boolean;
}

/** What another service said, or why it could not be asked (one line for the user). */
export type Lookup<T> = { ok: true; items: T[]; note?: string } | { ok: false; reason: string };

/**
 * One line saying why a service could not answer: not there (an emulator without it,
 * a network error), or no permission. Never throws: `queues show` goes on without it.
 */
export function unavailable(service: string, err: unknown, permission: string): string {
  const code = errorCode(err);
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (/AccessDenied|UnauthorizedOperation|AuthorizationError|NotAuthorized/i.test(code)) return `${service}: no permission (${permission}).`;
  if (/InvalidClientTokenId|UnrecognizedClient|ExpiredToken|CredentialsProviderError|SignatureDoesNotMatch/i.test(code)) return `${service}: the credentials were refused.`;
  const net = (err as { code?: string }).code ?? (err as { cause?: { code?: string } }).cause?.code;
  if (net && /^E[A-Z]+$/.test(net)) return `${service}: not reachable (${net}).`;
  if (/InvalidAction|UnknownOperation|NotImplemented/i.test(code) || status === 404 || err instanceof SyntaxError || code === "SyntaxError") {
    return `${service}: not available at this endpoint.`;
  }
  return `${service}: could not be read (${code || (err as Error).message}).`;
}

/** Lambda functions triggered by the queue (ListEventSourceMappings on its ARN). */
export async function lambdaTriggers(ctx: SqsContext, queueArn: string): Promise<Lookup<LambdaTrigger>> {
  try {
    const { LambdaClient, ListEventSourceMappingsCommand } = await import("@aws-sdk/client-lambda");
    const client = new LambdaClient(await sharedClientConfig(ctx, "LAMBDA"));
    try {
      const items: LambdaTrigger[] = [];
      let marker: string | undefined;
      do {
        const out = await client.send(new ListEventSourceMappingsCommand({ EventSourceArn: queueArn, MaxItems: 100, ...(marker ? { Marker: marker } : {}) }));
        for (const m of out.EventSourceMappings ?? []) {
          const arn = m.FunctionArn ?? "";
          items.push({
            functionName: arn.split(":function:")[1]?.split(":")[0] ?? arn,
            functionArn: arn,
            uuid: m.UUID ?? "",
            state: m.State ?? "?",
            batchSize: m.BatchSize ?? null,
            maximumConcurrency: m.ScalingConfig?.MaximumConcurrency ?? null,
            reportBatchItemFailures: (m.FunctionResponseTypes ?? []).includes("ReportBatchItemFailures"),
          });
        }
        marker = out.NextMarker;
      } while (marker);
      return { ok: true, items };
    } finally {
      client.destroy();
    }
  } catch (err) {
    return { ok: false, reason: unavailable("Lambda", err, "lambda:ListEventSourceMappings") };
  }
}

/** Subscriptions are listed account-wide (SNS has no per-endpoint lookup); this bounds the pages read. */
const MAX_SUBSCRIPTION_PAGES = 50;

/** SNS subscriptions delivering to the queue, with raw delivery and filter policy. */
export async function snsSubscriptions(ctx: SqsContext, queueArn: string): Promise<Lookup<SnsSubscription>> {
  try {
    const { SNSClient, ListSubscriptionsCommand, GetSubscriptionAttributesCommand } = await import("@aws-sdk/client-sns");
    const client = new SNSClient(await sharedClientConfig(ctx, "SNS"));
    try {
      const found: Array<{ SubscriptionArn?: string; TopicArn?: string }> = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const out = await client.send(new ListSubscriptionsCommand(token ? { NextToken: token } : {}));
        for (const s of out.Subscriptions ?? []) if (s.Protocol === "sqs" && s.Endpoint === queueArn) found.push(s);
        token = out.NextToken;
      } while (token && ++pages < MAX_SUBSCRIPTION_PAGES);
      const items: SnsSubscription[] = [];
      for (const s of found) {
        const arn = s.SubscriptionArn ?? "";
        // "PendingConfirmation" is not an ARN and has no attributes to read.
        const attrs = arn.startsWith("arn:") ? ((await client.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn }))).Attributes ?? {}) : {};
        let filterPolicy: unknown = null;
        try {
          filterPolicy = attrs.FilterPolicy ? JSON.parse(attrs.FilterPolicy) : null;
        } catch {
          filterPolicy = attrs.FilterPolicy;
        }
        items.push({
          topicArn: s.TopicArn ?? "",
          topicName: (s.TopicArn ?? "").split(":").at(-1) ?? "",
          subscriptionArn: arn,
          rawDelivery: attrs.RawMessageDelivery === "true",
          filterPolicy,
          filterPolicyScope: attrs.FilterPolicyScope ?? (attrs.FilterPolicy ? "MessageAttributes" : null),
          pendingConfirmation: attrs.PendingConfirmation === "true" || arn === "PendingConfirmation",
        });
      }
      return token
        ? { ok: true, items, note: `SNS: only the first ${MAX_SUBSCRIPTION_PAGES * 100} subscriptions of the account were checked.` }
        : { ok: true, items };
    } finally {
      client.destroy();
    }
  } catch (err) {
    return { ok: false, reason: unavailable("SNS", err, "sns:ListSubscriptions") };
  }
}
