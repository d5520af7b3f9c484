/**
 * The "view" action: a message's fields, all its attributes, and its body
 * (pretty-printed when it is JSON), as lines cut to the terminal width, shown a
 * screen at a time. Pure.
 */
import type { Envelope } from "../core/envelope.js";
import { charWidth, formatAge, textWidth, type Paint, plainPaint } from "./list.js";
import type { Key } from "./picker-state.js";

/** The body pretty-printed when it parses as JSON, else as it is; and which it was. */
export function prettyBody(body: string): { text: string; json: boolean } {
  const t = body.trim();
  if (t.startsWith("{") || t.startsWith("[")) {
    try {
      return { text: JSON.stringify(JSON.parse(t), null, 2), json: true };
    } catch {
      // not JSON after all
    }
  }
  return { text: body, json: false };
}

/** Keeps newlines and tabs, drops other control characters so a body cannot drive the terminal. */
export function safeText(text: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return text.replace(/\r\n?/g, "\n").replace(/\t/g, "  ").replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, "");
}

/** Hard-wraps one line to `width` terminal columns (a pager line must never wrap on screen). */
export function wrap(line: string, width: number): string[] {
  if (textWidth(line) <= width) return [line];
  const out: string[] = [];
  let current = "";
  let w = 0;
  for (const ch of line) {
    const cw = charWidth(ch.codePointAt(0)!);
    if (w + cw > width) {
      out.push(current);
      current = "";
      w = 0;
    }
    current += ch;
    w += cw;
  }
  if (current) out.push(current);
  return out;
}

/** A line of the view: plain text, styled only after wrapping so colour codes never count as width. */
export interface ViewLine {
  text: string;
  kind: "field" | "heading" | "text";
}

const FIELD_WIDTH = 13;

/** Every line of the view of one message, before wrapping. */
export function messageLines(env: Envelope, now: number): ViewLine[] {
  const field = (k: string, v: string | number | undefined): ViewLine[] =>
    v === undefined || v === "" ? [] : [{ text: `  ${k.padEnd(FIELD_WIDTH)}${safeText(String(v)).replace(/\n/g, " ")}`, kind: "field" }];
  const lines: ViewLine[] = [
    ...field("MessageId", env.messageId),
    ...field("sent", env.sentAt ? `${env.sentAt} (${formatAge(env.sentAt, now)} ago)` : undefined),
    ...field("receives", env.receiveCount),
    ...field("first recv", env.firstReceivedAt),
    ...field("group", env.groupId),
    ...field("dedup id", env.dedupId),
    ...field("sequence", env.sequenceNumber),
    ...field("DLQ source", env.sourceQueueArn),
  ];
  const attrs = Object.entries(env.messageAttributes ?? {});
  lines.push({ text: `Attributes (${attrs.length})`, kind: "heading" });
  if (attrs.length === 0) lines.push({ text: "  none", kind: "text" });
  const nameWidth = Math.max(0, ...attrs.map(([k]) => k.length));
  for (const [k, v] of attrs) {
    const value = v.StringValue ?? (v.BinaryValue !== undefined ? `${v.BinaryValue} (base64)` : "");
    lines.push({ text: `  ${k.padEnd(nameWidth)}  ${v.DataType.padEnd(8)} ${safeText(value).replace(/\n/g, " ")}`, kind: "text" });
  }
  const body = prettyBody(env.body);
  lines.push({ text: `Body (${Buffer.byteLength(env.body, "utf8")} bytes${body.json ? ", JSON" : ""})`, kind: "heading" });
  for (const text of safeText(body.text).split("\n")) lines.push({ text, kind: "text" });
  return lines;
}

/** Wraps view lines to `width` and styles them. */
export function layout(lines: ViewLine[], width: number, p: Paint = plainPaint): string[] {
  return lines.flatMap((l) =>
    wrap(l.text, width).map((piece, i) => {
      if (l.kind === "heading") return p.bold(piece);
      if (l.kind === "field" && i === 0) return p.dim(piece.slice(0, FIELD_WIDTH + 2)) + piece.slice(FIELD_WIDTH + 2);
      return piece;
    }),
  );
}

export interface ViewerState {
  /** Which of the selected messages is shown. */
  index: number;
  /** First line shown. */
  offset: number;
}

export type ViewerResult = "back";

/** Scrolling and paging keys of the viewer; any of q, Esc, Enter, Backspace goes back. */
export function reduceViewer(
  state: ViewerState,
  key: Key,
  dims: { count: number; lines: number; page: number },
): { state: ViewerState; result?: ViewerResult } {
  const maxOffset = Math.max(0, dims.lines - dims.page);
  const scroll = (d: number) => ({ state: { ...state, offset: Math.max(0, Math.min(maxOffset, state.offset + d)) } });
  const seq = key.ctrl || key.meta ? undefined : key.sequence;
  if (key.name === "up" || seq === "k") return scroll(-1);
  if (key.name === "down" || seq === "j") return scroll(1);
  if (key.name === "pageup" || seq === "b") return scroll(-dims.page);
  if (key.name === "pagedown" || key.name === "space") return scroll(dims.page);
  if (key.name === "home" || seq === "g") return scroll(-Infinity);
  if (key.name === "end" || seq === "G") return scroll(Infinity);
  if (key.name === "right" || seq === "n" || seq === "l") return { state: { index: Math.min(dims.count - 1, state.index + 1), offset: 0 } };
  if (key.name === "left" || seq === "p" || seq === "h") return { state: { index: Math.max(0, state.index - 1), offset: 0 } };
  if (key.name === "escape" || key.name === "return" || key.name === "enter" || key.name === "backspace" || seq === "q") {
    return { state, result: "back" };
  }
  return { state };
}

/** Lines of the viewer screen that are not message content (title and footer). */
export const VIEWER_CHROME = 2;

/** Draws one screen of the viewer. */
export function renderViewer(
  envs: Envelope[],
  state: ViewerState,
  opts: { width: number; rows: number; now: number; paint?: Paint },
  /** Lays out one message; the prompt passes a memoised one so a 1 MiB body is not re-wrapped on every key. */
  lay: (env: Envelope, width: number) => string[] = (env, width) => layout(messageLines(env, opts.now), width, opts.paint ?? plainPaint),
): { top: string; bottom: string; lines: number; page: number } {
  const p = opts.paint ?? plainPaint;
  const width = Math.max(20, opts.width - 1);
  const all = lay(envs[state.index]!, width);
  const page = Math.max(3, opts.rows - 1 - VIEWER_CHROME);
  const offset = Math.max(0, Math.min(state.offset, all.length - page));
  const shown = all.slice(offset, offset + page);
  const more = all.length > page ? ` · lines ${offset + 1}-${offset + shown.length} of ${all.length}` : "";
  const top = p.bold(`Message ${state.index + 1} of ${envs.length}`) + p.dim(more);
  const nav = envs.length > 1 ? "←→ message · " : "";
  const help = p.dim(`${all.length > page ? "↑↓ scroll · space page · " : ""}${nav}q/esc/enter back`);
  return { top, bottom: [...shown, help].join("\n"), lines: all.length, page };
}
