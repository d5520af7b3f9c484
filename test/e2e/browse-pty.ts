/**
 * Runs the built CLI in a real pseudo-terminal and keeps a headless xterm screen of
 * what it draws, so tests press keys and read the screen as a user would.
 */
import pty from "@lydell/node-pty";
import xterm from "@xterm/headless";
import { BIN } from "../helpers/cli.js";

export const KEY = {
  up: "\u001b[A",
  down: "\u001b[B",
  right: "\u001b[C",
  left: "\u001b[D",
  space: " ",
  enter: "\r",
  esc: "\u001b",
  tab: "\t",
  ctrlC: "\u0003",
  backspace: "\u007f",
} as const;

export interface PtyRun {
  /** The process id (the CLI itself, or the sh that execs it). */
  pid: number;
  /** Sends keys as typed. */
  press(...keys: string[]): void;
  /** What the terminal shows now, one line a row, trailing spaces and empty last rows trimmed. */
  screen(): string;
  /** Waits until the screen shows `what`; fails with the screen when it does not. */
  waitFor(what: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Waits for the process to end. */
  exited(timeoutMs?: number): Promise<number>;
  kill(): void;
}

export interface PtyOptions {
  env: Record<string, string>;
  cols?: number;
  rows?: number;
  /** Run through `sh -c` with stdout redirected to this file (stdin and stderr stay on the terminal). */
  stdoutFile?: string;
  cwd?: string;
}

export function runInPty(args: string[], opts: PtyOptions): PtyRun {
  const cols = opts.cols ?? 120;
  const rows = opts.rows ?? 40;
  const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", TERM: "xterm-256color", NO_COLOR: "1", ...opts.env };
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const child = opts.stdoutFile
    ? pty.spawn("/bin/sh", ["-c", `exec ${[process.execPath, BIN, ...args].map(quote).join(" ")} > ${quote(opts.stdoutFile)}`], { cols, rows, env, ...(opts.cwd ? { cwd: opts.cwd } : {}) })
    : pty.spawn(process.execPath, [BIN, ...args], { cols, rows, env, ...(opts.cwd ? { cwd: opts.cwd } : {}) });
  const term = new xterm.Terminal({ cols, rows, scrollback: 5000, allowProposedApi: true });
  let pending = 0;
  child.onData((d) => {
    pending += 1;
    term.write(d, () => (pending -= 1));
  });
  let exitCode: number | undefined;
  const exitWaiters: Array<(code: number) => void> = [];
  child.onExit(({ exitCode: code }) => {
    exitCode = code;
    for (const w of exitWaiters) w(code);
  });

  const screen = () => {
    const buf = term.buffer.active;
    const lines: string[] = [];
    for (let i = buf.viewportY; i < buf.viewportY + rows; i++) lines.push(buf.getLine(i)?.translateToString(true) ?? "");
    while (lines.length && lines.at(-1) === "") lines.pop();
    return lines.join("\n");
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  return {
    pid: child.pid,
    press(...keys) {
      for (const k of keys) child.write(k);
    },
    screen,
    async waitFor(what, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const s = screen();
        if (pending === 0 && (typeof what === "string" ? s.includes(what) : what.test(s))) return;
        if (Date.now() > deadline) throw new Error(`screen never showed ${String(what)}; it shows:\n${s}`);
        if (exitCode !== undefined && pending === 0) {
          throw new Error(`the process exited (${exitCode}) before the screen showed ${String(what)}; it shows:\n${s}`);
        }
        await sleep(30);
      }
    },
    exited(timeoutMs = 20_000) {
      if (exitCode !== undefined) return Promise.resolve(exitCode);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`still running after ${timeoutMs} ms; screen:\n${screen()}`)), timeoutMs);
        exitWaiters.push((code) => {
          clearTimeout(t);
          resolve(code);
        });
      });
    },
    kill() {
      if (exitCode === undefined) child.kill("SIGKILL");
    },
  };
}
