import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  type QueueAttributeName,
} from "@aws-sdk/client-sqs";
import { arnFor, parseQueueRef, type QueueRef } from "../core/queue-ref.js";
import { parseRedrivePolicy, type RedrivePolicy } from "../core/redrive-policy.js";
import { suggestSimilar } from "../core/suggest.js";
import { OperationError, SqsctlError, UsageError } from "../errors.js";
import type { SqsContext } from "./client.js";
import { errorCode } from "./errors.js";
import { compareNames } from "../core/text.js";

/** A queue located on the server: name, URL and ARN are all known. */
export interface QueueHandle {
  name: string;
  url: string;
  arn: string;
  fifo: boolean;
}

/** A handle as resolveQueue returns it, with the attributes it read (its `attributes`, and always QueueArn). */
export interface ResolvedQueue extends QueueHandle {
  attributes: Record<string, string>;
}

/**
 * Resolves a name, URL or ARN to a queue handle. Names and ARNs cost one GetQueueUrl;
 * every path reads the ARN from the queue itself, so a typo fails here, not half-way.
 * `attributes` are read in that same call (a caller that needs them saves one call's latency).
 */
export async function resolveQueue(ctx: SqsContext, input: string | QueueRef, what = "queue", attributes: QueueAttributeName[] = []): Promise<ResolvedQueue> {
  const ref = typeof input === "string" ? parseQueueRef(input, what) : input;
  if (ref.kind !== "name" && ref.region && ref.region !== ctx.region) {
    throw new UsageError(
      `${what}: "${ref.input}" is in region ${ref.region}, but sqsctl is using ${ctx.region}.`,
      `Add --region ${ref.region} to use that queue.`,
    );
  }
  let url: string;
  let attrs: Record<string, string>;
  try {
    if (ref.kind === "url") {
      url = ref.url;
    } else {
      const out = await ctx.send<{ QueueUrl?: string }>(
        new GetQueueUrlCommand({
          QueueName: ref.name,
          ...(ref.kind === "arn" ? { QueueOwnerAWSAccountId: ref.accountId } : {}),
        }),
        ref.input,
      );
      if (!out.QueueUrl) throw new UsageError(`${what}: the server returned no URL for "${ref.input}".`);
      url = out.QueueUrl;
    }
    attrs = await getQueueAttributes(ctx, url, attributes.includes("All") ? ["All"] : ["QueueArn", ...attributes], ref.input);
  } catch (err) {
    throw await withSuggestion(ctx, ref.name, err);
  }
  const arn = attrs.QueueArn ?? arnFor(ctx.region, url.split("/").at(-2) ?? "000000000000", ref.name);
  // An ARN or URL names an account. AWS answers for that account; some servers look
  // queues up by name only and would hand back this account's queue of the same name
  // (a purge of "their" queue would empty ours). Refuse rather than act on the wrong queue.
  const account = arn.split(":")[4];
  if (ref.kind !== "name" && account && ref.accountId !== account) {
    throw new OperationError(
      `Queue "${ref.input}" does not exist: it names account ${ref.accountId}, but the queue "${ref.name}" at ${ctx.endpoint} belongs to account ${account}.`,
      `Check the account in the ${ref.kind === "arn" ? "ARN" : "URL"}, or name the queue by name only.`,
    );
  }
  return { name: ref.name, url, arn, fifo: ref.name.endsWith(".fifo"), attributes: attrs };
}

/**
 * A queue that does not exist: the error says which existing names are close ("did you
 * mean orders-dlq?"). The names are fetched only here, on the error path.
 */
async function withSuggestion(ctx: SqsContext, name: string, err: unknown): Promise<unknown> {
  if (!(err instanceof SqsctlError) || !/QueueDoesNotExist|NonExistentQueue/.test(errorCode((err as { cause?: unknown }).cause ?? err))) return err;
  let names: string[];
  try {
    const out = await ctx.client.send(new ListQueuesCommand({ MaxResults: 1000 }));
    names = (out.QueueUrls ?? []).map((u) => u.replace(/\/$/, "").split("/").at(-1) ?? u);
  } catch {
    return err;
  }
  const close = suggestSimilar(name, names);
  if (close.length === 0) return err;
  const hint = `Did you mean ${close.map((n) => `"${n}"`).join(" or ")}?${err.hint ? ` ${err.hint}` : ""}`;
  return new OperationError(err.message, hint, { cause: (err as { cause?: unknown }).cause ?? err });
}

export async function getQueueAttributes(
  ctx: SqsContext,
  url: string,
  names: QueueAttributeName[] = ["All"],
  label?: string,
): Promise<Record<string, string>> {
  const out = await ctx.send<{ Attributes?: Record<string, string> }>(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: names }),
    label ?? url.split("/").at(-1),
  );
  return out.Attributes ?? {};
}

export async function getQueueTags(ctx: SqsContext, url: string): Promise<Record<string, string>> {
  const out = await ctx.send<{ Tags?: Record<string, string> }>(new ListQueueTagsCommand({ QueueUrl: url }));
  return out.Tags ?? {};
}

/** Every queue URL, following NextToken through all pages. */
export async function listQueueUrls(ctx: SqsContext, prefix?: string): Promise<string[]> {
  const urls: string[] = [];
  let token: string | undefined;
  do {
    const out = await ctx.send<{ QueueUrls?: string[]; NextToken?: string }>(
      new ListQueuesCommand({
        ...(prefix ? { QueueNamePrefix: prefix } : {}),
        MaxResults: 1000,
        ...(token ? { NextToken: token } : {}),
      }),
    );
    urls.push(...(out.QueueUrls ?? []));
    token = out.NextToken;
  } while (token);
  return urls;
}

/**
 * Queues that name `url` as their dead-letter target, or undefined when the server
 * does not implement ListDeadLetterSourceQueues (callers then scan RedrivePolicies).
 */
export async function listDeadLetterSources(ctx: SqsContext, url: string): Promise<string[] | undefined> {
  const urls: string[] = [];
  let token: string | undefined;
  try {
    do {
      const out = await ctx.client.send(
        new ListDeadLetterSourceQueuesCommand({ QueueUrl: url, MaxResults: 1000, ...(token ? { NextToken: token } : {}) }),
      );
      urls.push(...(out.queueUrls ?? []));
      token = out.NextToken;
    } while (token);
  } catch (err) {
    const code = errorCode(err);
    if (code === "InvalidAction" || code === "UnsupportedOperation" || code === "UnknownOperationException" || code === "NotImplemented") {
      return undefined;
    }
    throw err;
  }
  return urls;
}

/** A queue's state as `queues list` and `dlq list` show it. */
export interface QueueSummary {
  name: string;
  url: string;
  arn: string;
  fifo: boolean;
  visible: number;
  inFlight: number;
  delayed: number;
  redrivePolicy: RedrivePolicy | null;
  attributes: Record<string, string>;
}

export function summarise(url: string, attributes: Record<string, string>): QueueSummary {
  const name = url.replace(/\/$/, "").split("/").at(-1) ?? url;
  return {
    name,
    url,
    arn: attributes.QueueArn ?? "",
    fifo: attributes.FifoQueue === "true" || name.endsWith(".fifo"),
    visible: Number(attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(attributes.ApproximateNumberOfMessagesDelayed ?? 0),
    redrivePolicy: parseRedrivePolicy(attributes.RedrivePolicy),
    attributes,
  };
}

/** Lists queues with their attributes, a few requests at a time so large accounts stay quick. */
export async function describeQueues(ctx: SqsContext, prefix?: string, concurrency = 8): Promise<QueueSummary[]> {
  const urls = await listQueueUrls(ctx, prefix);
  const out: QueueSummary[] = new Array(urls.length);
  let next = 0;
  const worker = async () => {
    while (next < urls.length) {
      const i = next++;
      const url = urls[i]!;
      try {
        out[i] = summarise(url, await getQueueAttributes(ctx, url));
      } catch (err) {
        // A queue deleted between the list and the read is not an error for a listing.
        if (errorCode((err as { cause?: unknown }).cause ?? err).match(/QueueDoesNotExist|NonExistentQueue/)) continue;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, urls.length) }, worker));
  return out.filter(Boolean).sort((a, b) => compareNames(a.name, b.name));
}
