/**
 * The browse list: one line a message, search, and the window of lines that fits the
 * terminal. Pure: no I/O, so every piece is unit-tested.
 */
import type { Envelope } from "../core/envelope.js";
import { textWidth, truncate } from "../output/width.js";

/** A message in the browse session, as the list sees it. */
export interface ListItem {
  /** The full MessageId: the key for selection and actions. */
  id: string;
  envelope: Envelope;
  /** True when this session's hold on it lapsed (heartbeat failed): shown with a mark. */
  lost?: boolean;
}

/** Colours for the list; identity functions when colour is off. */
export interface Paint {
  bold(s: string): string;
  dim(s: string): string;
  cyan(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  red(s: string): string;
}

export const plainPaint: Paint = { bold: id, dim: id, cyan: id, yellow: id, green: id, red: id };
function id(s: string): string {
  return s;
}

/** "42s", "5m", "3h", "2d": the age of a message from its sent time. */
export function formatAge(sentAt: string | undefined, now: number): string {
  if (!sentAt) return "?";
  const s = Math.max(0, Math.floor((now - Date.parse(sentAt)) / 1000));
  if (!Number.isFinite(s)) return "?";
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

/** The first 8 characters of the MessageId: enough to tell messages apart on screen. */
export function shortId(messageId: string): string {
  return messageId.slice(0, 8);
}

/**
 * Text made safe for one terminal line: whitespace runs (newlines, tabs) become one
 * space and control characters (ESC above all, which could drive the terminal) are
 * dropped.
 */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return text.replace(/\s+/g, " ").replace(/[\u0000-\u001f\u007f-\u009f]/g, "").trim();
}

// The terminal-width primitives live with the other terminal output (src/output/width.ts).
export { charWidth, textWidth, truncate } from "../output/width.js";

/** Up to `max` message attributes as "name=value", binary ones as "name=<binary>". */
export function attributeSummary(env: Envelope, max = 2): string {
  const attrs = Object.entries(env.messageAttributes ?? {});
  const parts = attrs.slice(0, max).map(([k, v]) => `${k}=${oneLine(v.StringValue ?? (v.BinaryValue !== undefined ? "<binary>" : ""))}`);
  if (attrs.length > max) parts.push(`+${attrs.length - max}`);
  return parts.join(" ");
}

/** The plain-text columns of one row, before padding and colour. */
export function rowColumns(item: ListItem, now: number) {
  const env = item.envelope;
  return {
    id: shortId(item.id),
    age: formatAge(env.sentAt, now),
    receives: env.receiveCount !== undefined ? `×${env.receiveCount}` : "×?",
    group: env.groupId ? `[${oneLine(env.groupId)}]` : "",
    attrs: attributeSummary(env),
    body: oneLine(env.body),
  };
}

/**
 * One list line: cursor, checkbox, short id, age, receive count, FIFO group, a few
 * attributes and the start of the body, cut to `width` columns so the line never
 * wraps (a wrapped line would break the prompt's redraw).
 */
export function renderRow(
  item: ListItem,
  opts: { now: number; width: number; active: boolean; checked: boolean; paint?: Paint },
): string {
  const p = opts.paint ?? plainPaint;
  const c = rowColumns(item, opts.now);
  const cursor = opts.active ? "❯" : " ";
  const box = opts.checked ? "◉" : "◯";
  const mark = item.lost ? "!" : " ";
  const head = `${cursor} ${box}${mark}${c.id} ${c.age.padStart(3)} ${c.receives.padEnd(3)} `;
  const meta = [c.group, c.attrs ? truncate(c.attrs, 40) : ""].filter(Boolean).join(" ");
  const room = opts.width - 1 - textWidth(head);
  const metaText = meta ? truncate(meta, Math.max(0, Math.min(textWidth(meta), room - 12))) : "";
  const bodyRoom = room - (metaText ? textWidth(metaText) + 1 : 0);
  const bodyText = truncate(c.body, bodyRoom);
  // Colour is applied after cutting so escape codes never count as width.
  const styledHead = `${opts.active ? p.cyan(cursor) : cursor} ${opts.checked ? p.green(box) : p.dim(box)}${item.lost ? p.red(mark) : mark}${p.bold(c.id)} ${p.dim(c.age.padStart(3))} ${(item.envelope.receiveCount ?? 0) > 1 ? p.yellow(c.receives.padEnd(3)) : p.dim(c.receives.padEnd(3))} `;
  return `${styledHead}${metaText ? `${p.cyan(metaText)} ` : ""}${opts.active ? p.bold(bodyText) : bodyText}`;
}

/**
 * Case-insensitive search over what a user might remember: id, body, group, and the
 * attribute names and values. Every space-separated word must match.
 */
export function matches(item: ListItem, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const e = item.envelope;
  const attrs = Object.entries(e.messageAttributes ?? {}).map(([k, v]) => `${k}=${v.StringValue ?? ""}`);
  const hay = [item.id, e.body, e.groupId ?? "", ...attrs].join("\n").toLowerCase();
  return words.every((w) => hay.includes(w));
}

/**
 * The first visible index so that `cursor` is on screen within `size` lines,
 * moving the window as little as possible from `previousStart`.
 */
export function windowStart(cursor: number, total: number, size: number, previousStart = 0): number {
  if (size <= 0 || total <= size) return 0;
  let start = Math.min(Math.max(0, previousStart), total - size);
  if (cursor < start) start = cursor;
  else if (cursor >= start + size) start = cursor - size + 1;
  return Math.max(0, Math.min(start, total - size));
}
