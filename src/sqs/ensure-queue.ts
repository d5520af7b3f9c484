import { CreateQueueCommand, GetQueueUrlCommand, SetQueueAttributesCommand, TagQueueCommand, UntagQueueCommand } from "@aws-sdk/client-sqs";
import { diffAttributes, type AttributeDifference } from "../core/create-plan.js";
import { OperationError } from "../errors.js";
import type { SqsContext } from "./client.js";
import { errorCode } from "./errors.js";
import { getQueueAttributes, getQueueTags } from "./queues.js";

export interface ExistingQueue {
  url: string;
  attributes: Record<string, string>;
  tags: Record<string, string>;
}

/** The queue's URL, attributes and tags, or null when there is no such queue. */
export async function findQueue(ctx: SqsContext, name: string): Promise<ExistingQueue | null> {
  let url: string | undefined;
  try {
    url = (await ctx.client.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
  } catch (err) {
    if (/QueueDoesNotExist|NonExistentQueue/.test(errorCode(err))) return null;
    throw err;
  }
  if (!url) return null;
  const [attributes, tags] = await Promise.all([getQueueAttributes(ctx, url, ["All"], name), getQueueTags(ctx, url)]);
  return { url, attributes, tags };
}

/** Differences between what is asked for and an existing queue, tags included. */
export function differences(existing: ExistingQueue, attributes: Record<string, string>, tags: Record<string, string>): AttributeDifference[] {
  const diffs = diffAttributes(attributes, existing.attributes);
  for (const [k, v] of Object.entries(tags)) {
    if (existing.tags[k] !== v) diffs.push({ attribute: `tag ${k}`, existing: existing.tags[k], requested: v });
  }
  return diffs;
}

export function conflictError(name: string, diffs: AttributeDifference[]): OperationError {
  const lines = diffs.map((d) => `  ${d.attribute}: existing ${d.existing ?? "(unset)"}, requested ${d.requested}`);
  return new OperationError(
    `Queue "${name}" already exists with different settings:\n${lines.join("\n")}`,
    "Nothing was changed. Re-run with the existing settings, or change the queue in the console / with 'aws sqs set-queue-attributes'.",
  );
}

export interface EnsuredQueue {
  name: string;
  url: string;
  arn: string;
  created: boolean;
}

/**
 * Creates the queue, or accepts an existing one with the same settings (idempotent
 * create). An existing queue with different settings is a conflict, not an update.
 * `found`: what the caller's findQueue of this name just returned, so it is not looked up
 * twice (a queue created in between is still caught: CreateQueue then refuses different
 * settings, and accepts the same ones).
 */
export async function ensureQueue(
  ctx: SqsContext,
  name: string,
  attributes: Record<string, string>,
  tags: Record<string, string>,
  found?: { existing: ExistingQueue | null },
): Promise<EnsuredQueue> {
  const existing = found ? found.existing : await findQueue(ctx, name);
  if (existing) {
    const diffs = differences(existing, attributes, tags);
    if (diffs.length) throw conflictError(name, diffs);
    return { name, url: existing.url, arn: existing.attributes.QueueArn ?? "", created: false };
  }
  let url: string | undefined;
  try {
    url = (
      await ctx.client.send(
        new CreateQueueCommand({
          QueueName: name,
          Attributes: attributes,
          ...(Object.keys(tags).length ? { tags } : {}),
        }),
      )
    ).QueueUrl;
  } catch (err) {
    const code = errorCode(err);
    if (code === "QueueDeletedRecently") {
      throw new OperationError(`Queue "${name}" was deleted less than 60 seconds ago; SQS does not allow reusing the name yet.`, "Wait a minute and run the same command again.");
    }
    if (code === "QueueNameExists" || code === "QueueAlreadyExists") {
      const now = await findQueue(ctx, name);
      if (now) throw conflictError(name, differences(now, attributes, tags));
    }
    const { mapSdkError } = await import("./errors.js");
    throw mapSdkError(err, { region: ctx.region, endpoint: ctx.endpoint, queue: name });
  }
  if (!url) throw new OperationError(`The server returned no URL for the new queue "${name}".`);
  const attrs = await getQueueAttributes(ctx, url, ["QueueArn"], name);
  return { name, url, arn: attrs.QueueArn ?? "", created: true };
}

/**
 * Applies settings changes: every attribute in one SetQueueAttributes call (SQS applies
 * it as a whole), then tags and untags. Keys are SQS attribute names or "tag:KEY".
 */
export async function applyQueueChanges(
  ctx: SqsContext,
  url: string,
  changes: Array<{ key: string; after: string | undefined }>,
  label: string,
): Promise<void> {
  const attributes: Record<string, string> = {};
  const tags: Record<string, string> = {};
  const untag: string[] = [];
  for (const c of changes) {
    if (!c.key.startsWith("tag:")) attributes[c.key] = c.after ?? "";
    else if (c.after === undefined) untag.push(c.key.slice(4));
    else tags[c.key.slice(4)] = c.after;
  }
  if (Object.keys(attributes).length) await ctx.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes }), label);
  if (Object.keys(tags).length) await ctx.send(new TagQueueCommand({ QueueUrl: url, Tags: tags }), label);
  if (untag.length) await ctx.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: untag }), label);
}
