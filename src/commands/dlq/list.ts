import { formatDuration } from "../../core/duration.js";
import { oldestAges, type OldestAge } from "../../sqs/dlq-age.js";
import { describeQueues, type QueueSummary } from "../../sqs/queues.js";
import type { CommandContext } from "../context.js";

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
export default async function list(ctx: CommandContext): Promise<void> {
  const { ui } = ctx;
  const sqs = await ctx.sqs();
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
  rows.sort((a, b) => a.q.name.localeCompare(b.q.name));
  if (rows.length === 0 && ui.format === "table") {
    ui.info(`No dead-letter queues in ${sqs.region} (${sqs.endpoint}): no queue has a RedrivePolicy.`);
    ui.info("Create a queue with one: sqsctl queues create orders --create-dlq");
    return;
  }
  const { ages, note } = await oldestAges(sqs, rows.map((r) => ({ name: r.q.name, url: r.q.url, visible: r.q.visible })));
  for (const r of rows) r.oldest = ages.get(r.q.name);
  const ageText = (a: OldestAge | undefined) => (a?.seconds == null ? (a?.source === null && note ? "n/a" : "-") : `${formatDuration(a.seconds)}${a.source === "sampled" ? " (sampled)" : ""}`);
  ui.list(
    rows,
    [
      { header: "DLQ", value: (r) => (r.q.visible > 0 ? ui.color.yellow(r.q.name) : r.q.name) },
      { header: "Visible", value: (r) => r.q.visible, align: "right" },
      { header: "In flight", value: (r) => r.q.inFlight, align: "right" },
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
    }),
  );
  if (note) ui.info(`note: ${note}`);
  if (ui.format === "table" && rows.some((r) => r.q.visible > 0)) {
    const first = rows.find((r) => r.q.visible > 0)!;
    ui.info(`\nNext: sqsctl dlq inspect ${first.q.name} --group-by <expr>   (e.g. json.errorType)`);
  }
}
