// Renders a terminal screen (rows of styled cells, e.g. read from @xterm/headless) as
// an SVG picture of a terminal window. No dependencies: each run of same-styled cells
// is a <tspan> placed at its column, so box drawing and tables stay aligned in any
// monospace font.

/** A dark palette for the 16 ANSI colours (0-7 normal, 8-15 bright). */
export const PALETTE = [
  "#1d1f21", "#e06c75", "#98c379", "#e5c07b", "#61afef", "#c678dd", "#56b6c2", "#c5c8c6",
  "#7f848e", "#ff7b86", "#b5e890", "#ffd787", "#7cc4ff", "#e29eff", "#7fdde8", "#ffffff",
];
export const THEME = { background: "#282c34", foreground: "#d7dae0", dim: "#7f848e", title: "#9da5b4" };

/** xterm's 256-colour palette index to a hex colour. */
export function color256(i) {
  if (i < 16) return PALETTE[i];
  if (i >= 232) {
    const v = 8 + (i - 232) * 10;
    return `#${[v, v, v].map((x) => x.toString(16).padStart(2, "0")).join("")}`;
  }
  const n = i - 16;
  const steps = [0, 95, 135, 175, 215, 255];
  const rgb = [steps[Math.floor(n / 36)], steps[Math.floor(n / 6) % 6], steps[n % 6]];
  return `#${rgb.map((x) => x.toString(16).padStart(2, "0")).join("")}`;
}

export function escapeXml(s) {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * @param {Array<Array<{ch: string, fg?: string, bold?: boolean, dim?: boolean}>>} rows
 * @param {{ title?: string, fontSize?: number }} [opts]
 */
export function renderSvg(rows, opts = {}) {
  const fontSize = opts.fontSize ?? 14;
  const cw = fontSize * 0.6; // advance of a monospace cell
  const lh = Math.round(fontSize * 1.45);
  const cols = Math.max(20, ...rows.map((r) => r.length));
  const padX = 18;
  const top = 44;
  const width = Math.ceil(padX * 2 + cols * cw);
  const height = Math.ceil(top + rows.length * lh + 18);
  const out = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(opts.title ?? "terminal")}">`,
    `<style>text{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono","Liberation Mono",monospace;font-size:${fontSize}px;white-space:pre}.b{font-weight:bold}</style>`,
    `<rect width="${width}" height="${height}" rx="10" fill="${THEME.background}"/>`,
    `<circle cx="22" cy="20" r="6" fill="#ff5f57"/><circle cx="42" cy="20" r="6" fill="#febc2e"/><circle cx="62" cy="20" r="6" fill="#28c840"/>`,
  );
  if (opts.title) out.push(`<text x="${width / 2}" y="25" fill="${THEME.title}" text-anchor="middle">${escapeXml(opts.title)}</text>`);
  rows.forEach((row, y) => {
    const runs = [];
    let x = 0;
    while (x < row.length) {
      const c = row[x];
      if (c.ch === " " || c.ch === "") {
        x++;
        continue;
      }
      let text = "";
      const start = x;
      while (x < row.length && row[x].fg === c.fg && !!row[x].bold === !!c.bold && !!row[x].dim === !!c.dim && row[x].ch !== "") {
        // Runs break at wide gaps so columns stay anchored.
        if (row[x].ch === " " && row[x + 1]?.ch === " ") break;
        text += row[x].ch;
        x++;
      }
      if (text === "") {
        x++;
        continue;
      }
      const fill = c.dim ? THEME.dim : (c.fg ?? THEME.foreground);
      runs.push(`<tspan x="${(padX + start * cw).toFixed(1)}" fill="${fill}"${c.bold ? ' class="b"' : ""}>${escapeXml(text)}</tspan>`);
    }
    if (runs.length) out.push(`<text y="${top + y * lh + fontSize}" xml:space="preserve">${runs.join("")}</text>`);
  });
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

/** Reads the used part of an @xterm/headless buffer as styled cells. */
export function rowsFromXterm(term) {
  const buf = term.buffer.active;
  const rows = [];
  const cell = buf.getNullCell();
  let last = -1;
  for (let y = 0; y < buf.length; y++) {
    const line = buf.getLine(y);
    if (!line) continue;
    const row = [];
    for (let x = 0; x < term.cols; x++) {
      line.getCell(x, cell);
      const ch = cell.getWidth() === 0 ? "" : cell.getChars() || " ";
      let fg;
      if (cell.isFgPalette()) fg = color256(cell.getFgColor());
      else if (cell.isFgRGB()) fg = `#${cell.getFgColor().toString(16).padStart(6, "0")}`;
      row.push({ ch, fg, bold: cell.isBold() !== 0, dim: cell.isDim() !== 0 });
    }
    while (row.length && row.at(-1).ch === " ") row.pop();
    if (row.length) last = y;
    rows.push(row);
  }
  return rows.slice(0, last + 1);
}
