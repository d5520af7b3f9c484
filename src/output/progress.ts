import type { Ui } from "./ui.js";

export interface Progress {
  /** Stops the display (and clears it). */
  stop(): void;
}

/**
 * A live status line on stderr, redrawn from `render` every `everyMs`: an ora spinner
 * when stderr is a terminal and not --quiet, nothing otherwise (logs stay clean).
 * ora is imported only here, only when it will be shown.
 */
export async function startProgress(ui: Ui, render: () => string, everyMs = 200): Promise<Progress> {
  if (!ui.stderrIsTTY || ui.quiet) return { stop() {} };
  const { default: ora } = await import("ora");
  const spinner = ora({ text: render(), stream: ui.io.stderr as NodeJS.WritableStream & { isTTY: true }, discardStdin: false }).start();
  const timer = setInterval(() => {
    spinner.text = render();
  }, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      spinner.stop();
    },
  };
}

/** "1,234" */
export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** "12s", "3m 20s", "1h 5m" for an ETA. */
export function shortDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}
