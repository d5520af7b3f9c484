import type { Envelope } from "../../core/envelope.js";
import { nameOf } from "../../core/queue-ref.js";
import { UsageError } from "../../errors.js";
import { startProgress } from "../../output/progress.js";
import type { Ui } from "../../output/ui.js";

/** "5m ago" on a terminal, the ISO time otherwise. */
export function when(ui: Ui, iso: string | undefined): string {
  if (!iso) return "";
  if (!ui.stdoutIsTTY) return iso;
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

function oneLine(text: string, width: number): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

/**
 * Messages as a table on a terminal (short id, age, receives, source, attributes, body
 * start), NDJSON envelopes when piped or with -o ndjson, a JSON array with -o json.
 */
export function printMessages(ui: Ui, messages: Envelope[]): void {
  if (ui.format === "json") return ui.json(messages);
  if (ui.streamsNdjson) {
    for (const m of messages) ui.ndjsonLine(m);
    return;
  }
  ui.list(messages, [
    { header: "Message", value: (m) => (m.messageId ?? "").slice(0, 8) },
    { header: "Sent", value: (m) => when(ui, m.sentAt) },
    { header: "Recv", value: (m) => m.receiveCount, align: "right" },
    ...(messages.some((m) => m.groupId) ? [{ header: "Group", value: (m: Envelope) => m.groupId }] : []),
    ...(messages.some((m) => m.sourceQueueArn) ? [{ header: "Source", value: (m: Envelope) => (m.sourceQueueArn ? nameOf(m.sourceQueueArn) : "") }] : []),
    {
      header: "Attributes",
      value: (m) =>
        oneLine(
          Object.entries(m.messageAttributes ?? {})
            .map(([k, v]) => `${k}=${v.StringValue ?? `<${v.DataType}>`}`)
            .join(" "),
          40,
        ),
    },
    { header: "Body", value: (m) => oneLine(m.body, 60) },
  ]);
}

export function positiveInt(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1) throw new UsageError(`${flag}: "${text}" is not a positive whole number.`);
  return Number(text);
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * A status line on a terminal (stderr, not --quiet); nothing otherwise. The one live
 * line of output/progress.ts, not ora: ora's spinner put the terminal in raw mode
 * (its stdin discarder), so a typed Ctrl-C never became SIGINT, and its line clearing
 * looped on a terminal that reports 0 columns.
 */
export async function progress(ui: Ui, text: string): Promise<{ update(t: string): void; stop(): void }> {
  let current = text;
  const line = await startProgress(ui, () => current);
  return {
    update: (t) => {
      current = t;
    },
    stop: () => line.stop(),
  };
}
