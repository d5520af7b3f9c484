import type { Envelope } from "../core/envelope.js";
import type { Ui } from "./ui.js";

/** "3m ago", "2h ago", "5d ago" */
export function age(iso: string | undefined, now = Date.now()): string {
  if (!iso) return "";
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

/**
 * Prints one message: NDJSON envelope when output is machine-readable, otherwise a
 * readable block (header line, attributes, JSON bodies pretty-printed).
 */
export function printMessage(ui: Ui, env: Envelope, n: number): void {
  if (ui.streamsNdjson || ui.format === "json") {
    ui.ndjsonLine(env);
    return;
  }
  const c = ui.color;
  const meta = [
    env.receiveCount !== undefined ? `received ${env.receiveCount}${ui.ascii ? "x" : "×"}` : "",
    env.sentAt ? `sent ${age(env.sentAt)}` : "",
    env.groupId ? `group ${env.groupId}` : "",
    env.dedupId ? `dedup ${env.dedupId}` : "",
  ].filter(Boolean);
  const [rule, dot] = ui.ascii ? ["--", "-"] : ["──", "·"];
  ui.out(`${c.dim(`${rule} ${n} ${rule[0]}`)} ${c.bold(env.messageId ?? "")}  ${c.dim(meta.join(` ${dot} `))}`);
  for (const [name, v] of Object.entries(env.messageAttributes ?? {})) {
    const value = v.StringValue ?? (v.BinaryValue !== undefined ? `<${Buffer.from(v.BinaryValue, "base64").length} bytes>` : "");
    ui.out(`  ${c.cyan(name)}${c.dim(`:${v.DataType}`)} = ${value}`);
  }
  ui.out(prettyBody(env.body));
}

function prettyBody(body: string): string {
  const t = body.trimStart();
  if (t.startsWith("{") || t.startsWith("[")) {
    try {
      return JSON.stringify(JSON.parse(body), null, 2);
    } catch {
      // not JSON after all
    }
  }
  return body;
}
