import type { Io } from "./io.js";

const ENTER = "\u001b[?1049h\u001b[?25l"; // alternate screen buffer, hide cursor
const LEAVE = "\u001b[?25h\u001b[?1049l"; // show cursor, back to the normal screen

interface RawStdin {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  on(event: "data", cb: (chunk: Buffer | string) => void): unknown;
  off(event: "data", cb: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/**
 * A full-screen view on the alternate screen buffer, for `sqsctl watch`. Whatever
 * happens (q, Ctrl-C, SIGTERM, an error, even process.exit from a second Ctrl-C), the
 * terminal gets its screen, cursor and cooked mode back: `leave()` is idempotent and
 * also runs on process exit.
 */
export class Screen {
  private active = false;
  private readonly stdin: RawStdin;
  private keyHandler: ((chunk: Buffer | string) => void) | undefined;
  private resizeHandler: (() => void) | undefined;
  private readonly onExit = () => this.leave();

  constructor(private readonly io: Io) {
    this.stdin = io.stdin as unknown as RawStdin;
  }

  get size(): { width: number; height: number } {
    const out = this.io.stdout as { columns?: number; rows?: number };
    return { width: out.columns || 80, height: out.rows || 24 };
  }

  /** Takes over the terminal; `onKey` gets each key press (raw mode, so Ctrl-C arrives as "\u0003"). */
  enter(onKey: (key: string) => void, onResize: () => void): void {
    if (this.active) return;
    this.active = true;
    process.once("exit", this.onExit);
    this.io.stdout.write(ENTER);
    if (this.stdin.isTTY && this.stdin.setRawMode) {
      this.stdin.setRawMode(true);
      this.keyHandler = (chunk) => onKey(String(chunk));
      this.stdin.on("data", this.keyHandler);
      this.stdin.resume();
    }
    this.resizeHandler = onResize;
    (this.io.stdout as unknown as NodeJS.EventEmitter).on?.("resize", onResize);
  }

  /** Redraws in place: home, each line cleared to its end, then the rest of the screen cleared. */
  draw(lines: string[]): void {
    if (!this.active) return;
    this.io.stdout.write(`\u001b[H${lines.map((l) => `${l}\u001b[K`).join("\r\n")}\u001b[J`);
  }

  leave(): void {
    if (!this.active) return;
    this.active = false;
    process.off("exit", this.onExit);
    if (this.resizeHandler) (this.io.stdout as unknown as NodeJS.EventEmitter).off?.("resize", this.resizeHandler);
    if (this.keyHandler) {
      this.stdin.off("data", this.keyHandler);
      this.stdin.setRawMode?.(false);
      this.stdin.pause();
    }
    this.io.stdout.write(LEAVE);
  }
}
