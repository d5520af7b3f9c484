import type { Ui } from "./ui.js";

export interface Progress {
  /** Stops the display (and clears it). */
  stop(): void;
}

/**
 * A live status line on stderr, redrawn from `render` every `everyMs`: one line
 * rewritten in place with \r when stderr is a terminal and not --quiet, nothing
 * otherwise (logs stay clean). A plain line rather than ora: ora's multi-line
 * clearing loops when the terminal reports 0 columns (e.g. under `script`).
 */
export async function startProgress(ui: Ui, render: () => string, everyMs = 200): Promise<Progress> {
  if (!ui.stderrIsTTY || ui.quiet) return { stop() {} };
  const stream = ui.io.stderr;
  const frames = ui.ascii ? ["|", "/", "-", "\\"] : ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
  let frame = 0;
  const draw = () => {
    const cols = stream.columns && stream.columns > 10 ? stream.columns - 1 : 79;
    const text = `${ui.color.cyan(frames[frame++ % frames.length]!)} ${render()}`;
    stream.write(`\r${text.length > cols + 10 ? `${text.slice(0, cols + 9)}…` : text}\u001b[K`);
  };
  draw();
  const timer = setInterval(draw, everyMs);
  timer.unref();
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      stream.write("\r\u001b[K");
    },
  };
}

/** "1,234" */
export { count } from "../core/text.js";

/** "12s", "3m 20s", "1h 5m" for an ETA. */
export function shortDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}
