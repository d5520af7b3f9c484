import { arnFor, nameOf } from "../../core/queue-ref.js";
import { deadLetterTargetProblem } from "../../core/redrive-policy.js";
import { planCreate, type CreateFlags } from "../../core/create-plan.js";
import { UsageError } from "../../errors.js";
import { conflictError, differences, ensureQueue, findQueue, type EnsuredQueue, type ExistingQueue } from "../../sqs/ensure-queue.js";
import { resolveQueue } from "../../sqs/queues.js";
import type { CommandContext } from "../context.js";

export default async function create(ctx: CommandContext, [rawName]: string[], flags: CreateFlags): Promise<void> {
  const { ui } = ctx;
  const plan = planCreate(rawName!, flags);
  for (const note of plan.notes) ui.info(note);
  const sqs = await ctx.sqs();

  // Check everything before creating anything, so a conflict changes nothing.
  const existingMain = await findQueue(sqs, plan.name);
  if (existingMain) {
    const diffs = differences(existingMain, plan.attributes, plan.tags);
    const redrive = existingMain.attributes.RedrivePolicy ? JSON.parse(existingMain.attributes.RedrivePolicy) as { deadLetterTargetArn?: string; maxReceiveCount?: number | string } : undefined;
    if (plan.dlq) {
      const wantName = plan.dlq.kind === "create" ? plan.dlq.name : nameOf(plan.dlq.ref);
      const haveName = redrive?.deadLetterTargetArn ? nameOf(redrive.deadLetterTargetArn) : undefined;
      if (haveName !== wantName || Number(redrive?.maxReceiveCount) !== plan.maxReceiveCount) {
        diffs.push({
          attribute: "RedrivePolicy",
          existing: haveName ? `${haveName} after ${redrive?.maxReceiveCount} receives` : undefined,
          requested: `${wantName} after ${plan.maxReceiveCount} receives`,
        });
      }
    }
    if (diffs.length) throw conflictError(plan.name, diffs);
  }
  let existingDlq: ExistingQueue | null = null;
  if (plan.dlq?.kind === "create") {
    existingDlq = await findQueue(sqs, plan.dlq.name);
    if (existingDlq) {
      const diffs = differences(existingDlq, plan.dlq.attributes, {});
      if (diffs.length) throw conflictError(plan.dlq.name, diffs);
    }
  }

  const results: Array<EnsuredQueue & { role: "queue" | "dlq" }> = [];
  let deadLetterTargetArn: string | undefined;
  if (plan.dlq?.kind === "existing") {
    const dlq = await resolveQueue(sqs, plan.dlq.ref, "--dlq", ["RedriveAllowPolicy", "FifoQueue"]);
    const dlqAttrs = dlq.attributes;
    // The main queue's ARN is not known before it exists; the allow policy check only needs it for byQueue.
    const [, partition, , region, account] = dlq.arn.split(":");
    const problem = deadLetterTargetProblem(
      { name: plan.name, arn: existingMain?.attributes.QueueArn ?? arnFor(region ?? sqs.region, account ?? "", plan.name, partition), fifo: plan.fifo },
      { ...dlq, fifo: dlqAttrs.FifoQueue === "true" || dlq.fifo, redriveAllowPolicy: dlqAttrs.RedriveAllowPolicy },
    );
    if (problem) throw new UsageError(`--dlq: ${problem}`, "Nothing was created.");
    deadLetterTargetArn = dlq.arn;
  } else if (plan.dlq?.kind === "create") {
    const dlq = await ensureQueue(sqs, plan.dlq.name, plan.dlq.attributes, {}, { existing: existingDlq });
    results.push({ ...dlq, role: "dlq" });
    deadLetterTargetArn = dlq.arn;
  }
  const attributes = { ...plan.attributes };
  if (deadLetterTargetArn) {
    attributes.RedrivePolicy = JSON.stringify({ deadLetterTargetArn, maxReceiveCount: plan.maxReceiveCount });
  }
  const main = await ensureQueue(sqs, plan.name, attributes, plan.tags, { existing: existingMain });
  results.unshift({ ...main, role: "queue" });

  if (ui.format !== "table") {
    ui.json(results.map((r) => ({ name: r.name, url: r.url, arn: r.arn, role: r.role, created: r.created })));
    return;
  }
  for (const r of results) {
    const what = r.role === "dlq" ? "dead-letter queue" : "queue";
    if (r.created) ui.out(`${ui.color.green("created")} ${what} ${ui.color.bold(r.name)}  ${r.url}`);
    else ui.out(`${ui.color.dim("exists")}  ${what} ${ui.color.bold(r.name)} with the same settings  ${r.url}`);
  }
  if (deadLetterTargetArn) ui.info(`Messages move to ${nameOf(deadLetterTargetArn)} after ${plan.maxReceiveCount} receives.`);
}
