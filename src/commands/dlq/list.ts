import { durationFlag, formatDuration } from "../../core/duration.js";
import { oldestAges, type OldestAge } from "../../sqs/dlq-age.js";
import { describeQueues, getQueueAttributes, type QueueSummary } from "../../sqs/queues.js";
import type { CommandContext } from "../context.js";
import { growthCell, listGrowth } from "./triage.js";
import { compareNames } from "../../core/text.js";

interface DlqRow {
  q: QueueSummary;
  sources: Array<{ name: string; arn: string; url: string; maxReceiveCount: number }>;
  oldest?: OldestAge;
}

/**
 * Every queue that some queue's RedrivePolicy names as its dead-letter target (the
 * same set ListDeadLetterSourceQueues gives, from the one ListQueues pass the counts
 * need anyway, so it also works on servers without that call).
 */
export default async function list(ctx: CommandContext, _args: string[], opts: { growth?: string } = {}): Promise<void> {
  const { ui } = ctx;
  const interval = opts.growth !== undefined ? durationFlag("--growth", opts.growth, { min: 1, max: 300 }) : undefined;
  const sqs = await ctx.sqs();
  const countedAt = Date.now();
  const queues = await describeQueues(sqs);
  const byArn = new Map<string, DlqRow>();
  for (const q of queues) byArn.set(q.arn, { q, sources: [] });
  const rows: DlqRow[] = [];
  for (const src of queues) {
    const target = src.redrivePolicy?.deadLetterTargetArn;
    const row = target ? byArn.get(target) : undefined;
    if (!row) continue;
    if (row.sources.length === 0) rows.push(row);
    row.sources.push({ name: src.name, arn: src.arn, url: src.url, maxReceiveCount: src.redrivePolicy!.maxReceiveCount });
  }
  rows.sort((a, b) => compareNames(a.q.name, b.q.name));
  if (rows.length === 0 && ui.format === "table") {
    ui.info(`No dead-letter queues in ${sqs.region} (${sqs.endpoint}): no queue has a RedrivePolicy.`);
    ui.info("Create a queue with one: sqsctl queues create orders --create-dlq");
    return;
  }
  // "Still happening?" (issue 14): the change since the previous look, or over --growth.
  const growth = await listGrowth(
    ctx,
    sqs.endpoint,
    rows.map((r) => ({ arn: r.q.arn, url: r.q.url, counts: { at: countedAt, attributes: r.q.attributes } })),
    interval,
    (url) => getQueueAttributes(sqs, url, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"]),
  );
  const { ages, note } = await oldestAges(sqs, rows.map((r) => ({ name: r.q.name, url: r.q.url, visible: r.q.visible })));
  for (const r of rows) r.oldest = ages.get(r.q.name);
  const ageText = (a: OldestAge | undefined) => (a?.seconds == null ? (a?.source === null && note ? "n/a" : "-") : `${formatDuration(a.seconds)}${a.source === "sampled" ? " (sampled)" : ""}`);
  ui.list(
    rows,
    [
      { header: "DLQ", value: (r) => (r.q.visible > 0 ? ui.color.yellow(r.q.name) : r.q.name) },
      { header: "Visible", value: (r) => r.q.visible, align: "right" },
      { header: "In flight", value: (r) => r.q.inFlight, align: "right" },
      { header: "Growth", value: (r) => growthCell(growth.get(r.q.arn)), align: "right" },
      { header: "Oldest", value: (r) => (r.q.visible + r.q.inFlight === 0 && r.oldest?.seconds == null ? "-" : ageText(r.oldest)), align: "right" },
      { header: "Sources (max receives)", value: (r) => r.sources.map((s) => `${s.name} (${s.maxReceiveCount})`).join(", ") },
    ],
    (r) => ({
      name: r.q.name,
      url: r.q.url,
      arn: r.q.arn,
      fifo: r.q.fifo,
      visible: r.q.visible,
      inFlight: r.q.inFlight,
      delayed: r.q.delayed,
      oldestAgeSeconds: r.oldest?.seconds ?? null,
      oldestAgeSource: r.oldest?.source ?? null,
      sources: r.sources.map((s) => ({ name: s.name, url: s.url, arn: s.arn, maxReceiveCount: s.maxReceiveCount })),
      growth: growth.get(r.q.arn) ?? null,
    }),
  );
  if (note) ui.info(`note: ${note}`);
  if (ui.format === "table" && interval === undefined && rows.length) {
    ui.info(
      [...growth.values()].some(Boolean)
        ? "Growth: the change since the previous look (--growth 30s: two counts 30s apart)."
        : "Growth: shown from the next look on (--growth 30s: two counts 30s apart, now).",
    );
  }
  if (ui.format === "table" && rows.some((r) => r.q.visible > 0)) {
    const first = rows.find((r) => r.q.visible > 0)!;
    ui.info(`\nNext: sqsctl dlq inspect ${first.q.name} --group-by <expr>   (e.g. json.errorType)`);
  }
}
