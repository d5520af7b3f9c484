/**
 * Terminal tables that fit the terminal: pure layout (widths, wrapping, truncation)
 * for the Ui, which draws the result with cli-table3. A table wider than the terminal
 * gives up width from its widest columns first: a column marked "truncate" (a preview
 * such as a message body) is cut with an ellipsis, any other column wraps so no
 * queue name or id is ever lost.
 */

import { charWidth, displayWidth, stripAnsi, truncate } from "./width.js";

export { displayWidth, stripAnsi, truncate };

/** The widest line of a (possibly multi-line) cell. */
function cellWidth(text: string): number {
  return Math.max(0, ...text.split("\n").map(displayWidth));
}

/** Wraps plain text to `width` columns: at spaces where it can, inside a word where it must. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const para of stripAnsi(text).split("\n")) {
    let line = "";
    for (const word of para.split(/(?<= )/)) {
      if (displayWidth(line + word.trimEnd()) <= width) {
        line += word;
        continue;
      }
      if (line.trim()) lines.push(line.trimEnd());
      line = "";
      let rest = word;
      while (displayWidth(rest.trimEnd()) > width) {
        let cut = "";
        for (const ch of rest) {
          if (displayWidth(cut + ch) > width) break;
          cut += ch;
        }
        // payments-settlement-eu breaks after a dash when one is near the end.
        const dash = cut.lastIndexOf("-");
        if (dash >= cut.length / 2 && dash < cut.length - 1) cut = cut.slice(0, dash + 1);
        lines.push(cut);
        rest = rest.slice(cut.length);
      }
      line = rest;
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

/**
 * Content widths for columns whose natural widths are `natural`, so that they add up
 * to at most `budget`: the widest column gives up one column at a time, never below
 * its minimum. Returns the natural widths when they already fit.
 */
export function fitWidths(natural: number[], minimum: number[], budget: number): number[] {
  const w = [...natural];
  let total = w.reduce((a, b) => a + b, 0);
  while (total > budget) {
    let widest = -1;
    for (let i = 0; i < w.length; i++) if (w[i]! > minimum[i]! && (widest < 0 || w[i]! > w[widest]!)) widest = i;
    if (widest < 0) break;
    w[widest]! -= 1;
    total -= 1;
  }
  return w;
}

export type Overflow = "wrap" | "truncate";

/** Re-applies a cell's surrounding colour to each of its lines after wrapping. */
function recolour(original: string, lines: string[]): string {
  const open = /^(?:\u001b\[[0-9;]*m)+/.exec(original)?.[0] ?? "";
  const close = /(?:\u001b\[[0-9;]*m)+$/.exec(original)?.[0] ?? "";
  const inner = original.slice(open.length, original.length - close.length);
  if (!open || /\u001b\[/.test(inner)) return lines.join("\n");
  return lines.map((l) => `${open}${l}${close}`).join("\n");
}

export interface Layout {
  headers: string[];
  rows: string[][];
  /** cli-table3 colWidths (content + one space of padding each side), or undefined when the table fits as it is. */
  colWidths: number[] | undefined;
}

/**
 * Lays out a table for a terminal `width` columns wide: cells are wrapped or cut to
 * their column, so the drawn table (borders included) is at most `width` wide.
 */
export function layoutTable(
  headers: string[],
  rows: string[][],
  overflow: Overflow[],
  width: number,
  ellipsis = "…",
  align: Array<"left" | "right"> = headers.map(() => "left"),
): Layout {
  const n = headers.length;
  const natural = headers.map((h, i) => Math.max(cellWidth(h), ...rows.map((r) => cellWidth(r[i] ?? ""))));
  // Each column: a border on its left and one space of padding each side; one more border at the end.
  const budget = Math.max(width - (3 * n + 1), n);
  if (natural.reduce((a, b) => a + b, 0) <= budget) return { headers, rows, colWidths: undefined };
  // Numbers never wrap (only their header does, at a space); text wraps down to about a word;
  // previews are cut first, down to 10 columns, before anything else gives up room.
  const minimum = headers.map((h, i) => {
    if (align[i] === "right") return Math.min(natural[i]!, Math.max(longestWord(h), ...rows.map((r) => cellWidth(r[i] ?? ""))));
    if (overflow[i] === "truncate") return Math.min(natural[i]!, 6);
    return Math.min(natural[i]!, Math.max(8, longestWord(h)));
  });
  // Room is given up in rounds, each only when the one before was not enough: previews
  // (cut) first; then wrapping at spaces only (headers such as "Max receives", text
  // such as "standard (dlq)"); then long words such as queue names, widest first.
  const previews = fitWidths(natural, natural.map((w, i) => (overflow[i] === "truncate" ? Math.min(w, 10) : w)), budget);
  const atSpaces = fitWidths(
    previews,
    previews.map((w, i) => Math.max(minimum[i]!, Math.min(w, Math.max(longestWord(headers[i]!), ...rows.map((r) => longestWord(r[i] ?? "")))))),
    budget,
  );
  const w = fitWidths(atSpaces, minimum, budget);
  const fit = (text: string, i: number) => {
    if (cellWidth(text) <= w[i]!) return text;
    if (overflow[i] === "truncate") return recolour(text, [truncate(stripAnsi(text).replace(/\s*\n\s*/g, " "), w[i]!, ellipsis)]);
    return recolour(text, wrap(text, w[i]!));
  };
  return {
    headers: headers.map((h, i) => (cellWidth(h) <= w[i]! ? h : recolour(h, wrap(h, w[i]!)))),
    rows: rows.map((r) => r.map(fit)),
    colWidths: w.map((x) => x + 2),
  };
}

function longestWord(text: string): number {
  return Math.max(0, ...stripAnsi(text).split(/\s+/).map(displayWidth));
}

/** Box characters for TERM=dumb: plain ASCII. */
export const ASCII_BORDERS = {
  top: "-",
  "top-mid": "+",
  "top-left": "+",
  "top-right": "+",
  bottom: "-",
  "bottom-mid": "+",
  "bottom-left": "+",
  "bottom-right": "+",
  left: "|",
  "left-mid": "+",
  mid: "-",
  "mid-mid": "+",
  right: "|",
  "right-mid": "+",
  middle: "|",
};

/** A drawn table without the lines between its rows (the top, the bottom and the one under the header stay). */
export function withoutRowLines(drawn: string): string {
  const lines = drawn.split("\n");
  const isRule = (l: string) => /^[├+][─┼+-]*[┤+]$/.test(stripAnsi(l));
  let rules = 0;
  return lines
    .filter((l, i) => {
      if (i === 0 || i === lines.length - 1 || !isRule(l)) return true;
      rules += 1;
      return rules === 1;
    })
    .join("\n");
}
