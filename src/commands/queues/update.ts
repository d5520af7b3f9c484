import { readFile } from "node:fs/promises";
import { parsePolicy } from "../../core/access-policy.js";
import { DEFAULT_MAX_RECEIVE, DLQ_RETENTION_SECONDS, checkKmsKeyId, parseSettings, type SettingFlags } from "../../core/create-plan.js";
import { arnFor, isValidQueueName } from "../../core/queue-ref.js";
import { deadLetterTargetProblem, parseRedrivePolicy, redriveAllowPolicyFor } from "../../core/redrive-policy.js";
import { planChanges } from "../../core/update-plan.js";
import { UsageError } from "../../errors.js";
import { ensureQueue } from "../../sqs/ensure-queue.js";
import { getQueueTags, resolveQueue } from "../../sqs/queues.js";
import type { CommandContext } from "../context.js";
import { applyWithDiff } from "./apply-changes.js";

export interface UpdateFlags extends SettingFlags {
  /** a queue, or false for --no-dlq */
  dlq?: string | false;
  createDlq?: boolean;
  untag?: string[];
  redriveAllow?: string;
  policy?: string;
  dryRun?: boolean;
  yes?: boolean;
}

export default async function update(ctx: CommandContext, [ref]: string[], flags: UpdateFlags): Promise<void> {
  // Everything the flags alone can refuse is refused before any call.
  const settings = parseSettings(flags);
  if (flags.dlq && flags.createDlq) throw new UsageError("--dlq and --create-dlq cannot be used together.");
  if (flags.dlq === false && (flags.createDlq || flags.maxReceive !== undefined)) {
    throw new UsageError(`--no-dlq cannot be combined with ${flags.createDlq ? "--create-dlq" : "--max-receive"}.`);
  }
  for (const k of flags.untag ?? []) if (k in settings.tags) throw new UsageError(`--tag ${k}=... and --untag ${k} contradict each other.`);
  const policyText = flags.policy === undefined ? undefined : await readPolicyFile(flags.policy);

  const sqs = await ctx.sqs();
  const queue = await resolveQueue(sqs, ref!, "queue", ["All"]);
  const [attributes, tags] = [queue.attributes, await getQueueTags(sqs, queue.url)];
  const self = { name: queue.name, arn: queue.arn, fifo: attributes.FifoQueue === "true" || queue.fifo };
  if (settings.attributes.ContentBasedDeduplication !== undefined && !self.fifo) {
    throw new UsageError(`--content-based-dedup: ${queue.name} is a standard queue; content-based deduplication is for FIFO queues.`);
  }
  const kmsRegion = flags.kmsKey ? checkKmsKeyId(flags.kmsKey).region : undefined;
  if (kmsRegion && kmsRegion !== sqs.region) {
    throw new UsageError(`--kms-key: the key is in ${kmsRegion}, but ${queue.name} is in ${sqs.region}.`, "SQS needs a KMS key in the queue's own region.");
  }

  const want: Record<string, string> = { ...settings.attributes };
  const current = parseRedrivePolicy(attributes.RedrivePolicy);
  const preamble: string[] = [];
  let createDlq: { name: string; attributes: Record<string, string> } | undefined;
  if (flags.dlq === false) {
    want.RedrivePolicy = "";
  } else if (flags.dlq || flags.createDlq || flags.maxReceive !== undefined) {
    let targetArn = current?.deadLetterTargetArn;
    if (flags.dlq) {
      const dlq = await resolveQueue(sqs, flags.dlq, "--dlq", ["RedriveAllowPolicy", "FifoQueue"]);
      const allow = dlq.attributes;
      const problem = deadLetterTargetProblem(self, { ...dlq, fifo: allow.FifoQueue === "true" || dlq.fifo, redriveAllowPolicy: allow.RedriveAllowPolicy });
      if (problem) throw new UsageError(`--dlq: ${problem}`, "Nothing was changed.");
      targetArn = dlq.arn;
    } else if (flags.createDlq) {
      const base = self.fifo ? queue.name.slice(0, -5) : queue.name;
      const name = `${base}-dlq${self.fifo ? ".fifo" : ""}`;
      if (!isValidQueueName(name)) throw new UsageError(`--create-dlq: the DLQ name "${name}" would be longer than 80 characters.`, "Create the DLQ yourself and pass --dlq.");
      createDlq = { name, attributes: { ...(self.fifo ? { FifoQueue: "true" } : {}), MessageRetentionPeriod: String(DLQ_RETENTION_SECONDS) } };
      const [, partition, , region, account] = queue.arn.split(":");
      targetArn = arnFor(region ?? sqs.region, account ?? "", name, partition);
    } else if (!targetArn) {
      throw new UsageError(`--max-receive: ${queue.name} has no dead-letter queue.`, "Add --dlq QUEUE or --create-dlq.");
    }
    const maxReceiveCount = settings.maxReceiveCount ?? current?.maxReceiveCount ?? DEFAULT_MAX_RECEIVE;
    want.RedrivePolicy = JSON.stringify({ deadLetterTargetArn: targetArn, maxReceiveCount });
  }
  if (flags.redriveAllow !== undefined) want.RedriveAllowPolicy = await redriveAllow(ctx, flags.redriveAllow);
  if (policyText !== undefined) want.Policy = JSON.stringify(parsePolicy(policyText, flags.policy));

  const changes = planChanges({ attributes, tags }, { attributes: want, tags: settings.tags, untag: flags.untag ?? [], sseOff: flags.sse === false });
  if (createDlq && changes.some((c) => c.key === "RedrivePolicy")) preamble.push(`create queue ${createDlq.name} (14-day retention) as the dead-letter queue`);
  await applyWithDiff(ctx, sqs, queue, changes, {
    dryRun: flags.dryRun,
    yes: flags.yes,
    preamble,
    before: async () => {
      if (createDlq && preamble.length) await ensureQueue(sqs, createDlq.name, createDlq.attributes, {});
    },
  });

  async function redriveAllow(c: CommandContext, value: string): Promise<string> {
    const v = value.trim();
    if (v === "all" || v === "none") return redriveAllowPolicyFor(v);
    const refs = v.split(",").map((s) => s.trim()).filter(Boolean);
    if (refs.length === 0 || refs.length > 10) {
      throw new UsageError(`--redrive-allow: "${value}" must be all, none, or 1 to 10 comma-separated source queues.`);
    }
    const s = await c.sqs();
    const arns: string[] = [];
    for (const r of refs) arns.push((await resolveQueue(s, r, "--redrive-allow")).arn);
    return redriveAllowPolicyFor(arns);
  }
}

async function readPolicyFile(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new UsageError(`--policy: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`);
  }
  parsePolicy(text, file);
  if (!text.trim()) throw new UsageError(`--policy: ${file} is empty.`, "To remove the access policy, use --attribute Policy= (empty).");
  return text;
}
