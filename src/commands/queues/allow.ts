import { addStatement, checkProducer, parsePolicy, statementFor, type Producer } from "../../core/access-policy.js";
import { planChanges } from "../../core/update-plan.js";
import { UsageError } from "../../errors.js";
import { getQueueAttributes, resolveQueue } from "../../sqs/queues.js";
import type { CommandContext } from "../context.js";
import { applyWithDiff } from "./apply-changes.js";

interface AllowFlags {
  fromSns?: string;
  fromS3?: string;
  fromAccount?: string;
  fromEventbridge?: string;
  sourceAccount?: string;
  dryRun?: boolean;
}

/** `queues allow Q --from-...`: adds the statement AWS documents for that producer, once. */
export default async function allow(ctx: CommandContext, [ref]: string[], flags: AllowFlags): Promise<void> {
  const given = [flags.fromSns && "--from-sns", flags.fromS3 && "--from-s3", flags.fromAccount && "--from-account", flags.fromEventbridge && "--from-eventbridge"].filter(Boolean);
  if (given.length !== 1) {
    throw new UsageError(
      given.length ? `Give one producer at a time (got ${given.join(", ")}).` : "Say who may send: --from-sns TOPIC_ARN, --from-s3 BUCKET, --from-account ID or --from-eventbridge RULE_ARN.",
    );
  }
  if (flags.sourceAccount !== undefined && !flags.fromS3) throw new UsageError("--source-account only applies to --from-s3.");
  const sqs = await ctx.sqs();
  const queue = await resolveQueue(sqs, ref!);
  const account = queue.arn.split(":")[4] ?? "";
  const producer: Producer = checkProducer(
    flags.fromSns
      ? { kind: "sns", topicArn: flags.fromSns }
      : flags.fromEventbridge
        ? { kind: "eventbridge", ruleArn: flags.fromEventbridge }
        : flags.fromS3
          ? { kind: "s3", bucket: flags.fromS3, account: flags.sourceAccount ?? account }
          : { kind: "account", account: flags.fromAccount! },
  );
  const attributes = await getQueueAttributes(sqs, queue.url, ["Policy", "QueueArn"], ref);
  const current = parsePolicy(attributes.Policy, `${queue.name}'s current policy`);
  const { policy } = addStatement(current, statementFor(producer, queue.arn), queue.arn);
  const changes = planChanges({ attributes, tags: {} }, { attributes: { Policy: JSON.stringify(policy) }, tags: {}, untag: [] });
  await applyWithDiff(ctx, sqs, queue, changes, { dryRun: flags.dryRun });
}
