import { shellCommand } from "../core/shell.js";
import { estimate, groupFilter, type TriageGroup } from "../core/triage.js";

export interface TriageReportInput {
  queue: { name: string; url: string };
  /** ISO time the snapshot was taken. */
  snapshotAt: string;
  /** The sqsctl command that made this report, as argv (quoted here). */
  command: string[];
  /** Distinct messages the scan looked at, and whether it saw the whole DLQ. */
  scanned: number;
  complete: boolean;
  /** The DLQ's approximate message count when the scan began. */
  approximateTotal: number;
  /** Set with --sample: counts are scaled from `scanned` to `approximateTotal`. */
  sampled: boolean;
  groupBy: string | undefined;
  filter: string | undefined;
  groups: TriageGroup[];
  /** The timeline chart, plain ASCII; absent when none was asked for or there is nothing to chart. */
  timeline: string[] | undefined;
  growth: string | undefined;
  /** Global flags that reach the same queue (--local, --region, --profile, --endpoint-url). */
  connection: string[];
  /** Environment the commands need, written before each (e.g. "SQSCTL_LOCAL_PORT=9481 "). */
  envPrefix?: string;
  /** False with --no-bodies: no message body appears anywhere in the report. */
  bodies: boolean;
  /** True on a FIFO DLQ, where SentTimestamp is when SQS moved the message there. */
  movedTimes?: boolean;
}

/**
 * The Markdown write-up of a DLQ snapshot for an incident ticket: what, how many,
 * since when, one sample of each, and the commands that redrive each group.
 */
export function triageReport(r: TriageReportInput): string {
  const out: string[] = [];
  const matched = r.groups.reduce((a, g) => a + g.count, 0);
  const est = (n: number) => (r.sampled ? `~${estimate(n, r.scanned, r.approximateTotal)}` : String(n));
  out.push(`# DLQ triage: ${r.queue.name}`, "");
  out.push(`- **Queue:** \`${r.queue.name}\` (${r.queue.url})`);
  out.push(`- **Snapshot:** ${utc(r.snapshotAt)}, made with \`${shellCommand(r.command)}\``);
  const scope = r.sampled
    ? `a sample of ${r.scanned} of ~${r.approximateTotal} messages: **counts are estimates** scaled from the sample`
    : r.complete
      ? `all ${r.scanned} messages in the DLQ`
      : `${r.scanned} of ~${r.approximateTotal} messages (the scan stopped before the end)`;
  out.push(`- **Messages:** ${r.filter ? `${est(matched)} matching \`${r.filter}\`, ` : `${est(matched)} total, `}${scope}`);
  const sources = new Map<string, number>();
  for (const g of r.groups) for (const [s, n] of Object.entries(g.sources)) sources.set(s, (sources.get(s) ?? 0) + n);
  if (sources.size) out.push(`- **From:** ${[...sources].map(([s, n]) => `\`${s}\` (${est(n)})`).join(", ")}`);
  const first = minIso(r.groups.map((g) => g.firstSeen));
  const last = maxIso(r.groups.map((g) => g.lastSeen));
  if (first && last) out.push(`- **${r.movedTimes ? "Moved to the DLQ (FIFO SentTimestamp)" : "Sent"}:** ${utc(first)} … ${utc(last)}`);
  if (r.growth) out.push(`- **Growth:** ${r.growth}`);
  if (r.groupBy) out.push(`- **Grouped by:** \`${r.groupBy}\``);
  out.push("");

  out.push("## Groups", "");
  const verb = r.movedTimes ? "moved to the DLQ" : "sent";
  out.push(`| ${cell(r.groupBy ?? "Group")} | Count | % | First ${verb} (UTC) | Last ${verb} (UTC) | ${r.movedTimes ? "Moved" : "Sent"} in the last hour | Receives | Sources |`);
  out.push("|---|--:|--:|---|---|--:|---|---|");
  for (const g of r.groups) {
    const pct = matched ? ((g.count / matched) * 100).toFixed(1) : "0.0";
    const recv = g.receiveCount ? (g.receiveCount.min === g.receiveCount.max ? `${g.receiveCount.min}` : `${g.receiveCount.min}-${g.receiveCount.max}`) : "-";
    const src = Object.entries(g.sources).map(([s, n]) => `${s} (${est(n)})`).join(", ");
    out.push(`| ${cell(g.key)} | ${est(g.count)} | ${pct} | ${g.firstSeen ? utc(g.firstSeen) : "-"} | ${g.lastSeen ? utc(g.lastSeen) : "-"} | ${g.lastHour === undefined ? "-" : est(g.lastHour)} | ${recv} | ${cell(src)} |`);
  }
  out.push("", "Receives count every receive, sqsctl's own looks included (SQS has no peek).", "");

  if (r.timeline?.length) {
    out.push("## Timeline", "");
    out.push(...fenced(r.timeline.join("\n"), "text"), "");
  }

  out.push("## One sample per group", "");
  if (!r.bodies) out.push("_Bodies left out (--no-bodies)._", "");
  for (const g of r.groups) {
    const s = g.sample;
    out.push(`### ${mdText(g.key)} (${est(g.count)})`, "");
    out.push(`- Message \`${s.messageId ?? "?"}\`, sent ${s.sentAt ? utc(s.sentAt) : "?"}, received ${s.receiveCount ?? "?"} times`);
    out.push(`- Attributes: ${s.attributes.length ? s.attributes.map((a) => `\`${a}\``).join(", ") : "none"}`);
    if (r.bodies) {
      out.push(`- Body${s.truncated ? ` (first ${s.body.length - 1} of ${s.bodyChars} characters)` : ""}:`, "");
      out.push(...fenced(s.body, s.body.trimStart().startsWith("{") ? "json" : "text"));
    }
    out.push("");
  }

  out.push("## Redrive", "");
  out.push("Each group back to its source queue. Preview with `--dry-run` first; the manual engine moves only what matches the filter.", "");
  const lines: string[] = [];
  for (const g of r.groups) {
    const f = groupFilter(r.groupBy, g, r.filter);
    const base = ["sqsctl", ...r.connection, "dlq", "redrive", r.queue.name, ...(f ? ["--filter", f] : [])];
    lines.push(`# ${oneLine(g.key)}: ${est(g.count)} message${g.count === 1 ? "" : "s"}`);
    lines.push(`${r.envPrefix ?? ""}${shellCommand([...base, "--dry-run"])}`);
    lines.push(`${r.envPrefix ?? ""}${shellCommand([...base, "--yes"])}`);
    lines.push("");
  }
  out.push(...fenced(lines.join("\n").trimEnd(), "bash"), "");
  return `${out.join("\n").trimEnd()}\n`;
}

/** A fenced block that the content cannot close (the fence is longer than any backtick run in it). */
function fenced(text: string, lang: string): string[] {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return [`${fence}${lang}`, text, fence];
}

function cell(text: string): string {
  return mdText(text).replace(/\|/g, "\\|");
}

function mdText(text: string): string {
  return oneLine(text).replace(/([\\`*_[\]<>#])/g, "\\$1");
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function utc(iso: string): string {
  return `${iso.slice(0, 19).replace("T", " ")} UTC`;
}

function minIso(xs: Array<string | null>): string | undefined {
  return xs.filter((x): x is string => Boolean(x)).sort()[0];
}

function maxIso(xs: Array<string | null>): string | undefined {
  return xs.filter((x): x is string => Boolean(x)).sort().at(-1);
}
