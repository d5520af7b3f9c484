/**
 * Runs the built CLI in a real pseudo-terminal and keeps a headless xterm screen of
 * what it draws, so tests press keys and read the screen as a user would: type Ctrl-C
 * (KEY.ctrlC, "\x03": the terminal's line discipline turns it into SIGINT for the
 * foreground process group, exactly as for a user, unless the program put the terminal
 * in raw mode), close the terminal (`hangup()`: the kernel sends SIGHUP, as when a
 * window is closed or ssh drops), and read the screen or the raw bytes written.
 */
import { closeSync, constants, openSync } from "node:fs";
import pty from "@lydell/node-pty";
import xterm from "@xterm/headless";
import { BIN } from "./cli.js";

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
  /** Waits for the process to end; resolves with its exit code (see `signal()` for a death by signal). */
  exited(timeoutMs?: number): Promise<number>;
  /** The signal number that ended the process, once it has exited (0 when it exited by itself). */
  signal(): number | undefined;
  /** Everything the process wrote to the terminal so far, raw (escape codes included). */
  output(): string;
  /** How many characters it wrote so far (cheap; for "does not write forever" checks). */
  written(): number;
  /** Closes the terminal, as closing the window does: the process gets SIGHUP from the kernel. */
  hangup(): void;
  kill(): void;
}

export interface PtyOptions {
  env: Record<string, string>;
  cols?: number;
  rows?: number;
  /** Run through `sh -c` with stdout redirected to this file (stdin and stderr stay on the terminal). */
  stdoutFile?: string;
  cwd?: string;
  /** The terminal reports 0 columns and 0 rows (`stty cols 0 rows 0`, as under some `script`/CI setups); the screen kept here stays `cols` wide. */
  zeroSize?: boolean;
  /** Keep at most this many characters of raw output for `output()` (default 1,000,000). */
  keepRaw?: number;
}

export function runInPty(args: string[], opts: PtyOptions): PtyRun {
  const cols = opts.cols ?? 120;
  const rows = opts.rows ?? 40;
  const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", TERM: "xterm-256color", NO_COLOR: "1", ...opts.env };
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, BIN, ...args].map(quote).join(" ");
  const viaShell = opts.stdoutFile !== undefined || opts.zeroSize === true;
  const script = `${opts.zeroSize ? "stty cols 0 rows 0; " : ""}exec ${command}${opts.stdoutFile ? ` > ${quote(opts.stdoutFile)}` : ""}`;
  const spawnOpts = { cols, rows, env, ...(opts.cwd ? { cwd: opts.cwd } : {}) };
  const child = viaShell ? pty.spawn("/bin/sh", ["-c", script], spawnOpts) : pty.spawn(process.execPath, [BIN, ...args], spawnOpts);
  // node-pty on Linux can drop the last bytes a process writes just before it exits (the
  // master sees the hang-up before it has read them: microsoft/node-pty#72, #726), so a final
  // "Released 5 messages" went missing at random. Holding the terminal's other end open here
  // keeps that hang-up from happening: the master reads every byte, and node-pty ends the
  // read side on its own once the process has exited.
  let slave: number | undefined;
  try {
    slave = openSync((child as unknown as { ptsName: string }).ptsName, constants.O_RDWR | constants.O_NOCTTY);
  } catch {
    slave = undefined; // already gone (the process exited at once): nothing left to read
  }
  const closeSlave = () => {
    if (slave === undefined) return;
    try {
      closeSync(slave);
    } catch {
      // already closed
    }
    slave = undefined;
  };
  const term = new xterm.Terminal({ cols, rows, scrollback: 5000, allowProposedApi: true });
  let pending = 0;
  let raw = "";
  let count = 0;
  const keepRaw = opts.keepRaw ?? 1_000_000;
  // xterm parses what it is given later, in chunks: `pending` counts the writes not yet on
  // the screen, and `onParsed` runs the waiters once it is back to 0.
  let parsedWaiters: Array<() => void> = [];
  const onParsed = () => {
    if (pending !== 0) return;
    const waiters = parsedWaiters;
    parsedWaiters = [];
    for (const w of waiters) w();
  };
  child.onData((d) => {
    count += d.length;
    if (raw.length < keepRaw) raw += d;
    pending += 1;
    term.write(d, () => {
      pending -= 1;
      onParsed();
    });
  });
  let exitCode: number | undefined;
  let exitSignal: number | undefined;
  const exitWaiters: Array<(code: number) => void> = [];
  // node-pty reports the exit after the terminal's last bytes were read, but they may not be
  // parsed yet: the exit counts (for `exited()` and `waitFor`) once the screen shows them, so
  // a test that reads the screen right after `exited()` sees the process's last words.
  child.onExit(({ exitCode: code, signal }) => {
    closeSlave();
    parsedWaiters.push(() => {
      exitSignal = signal ?? 0;
      exitCode = code;
      for (const w of exitWaiters) w(code);
    });
    onParsed();
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
    signal: () => exitSignal,
    output: () => raw,
    written: () => count,
    hangup() {
      if (exitCode !== undefined) return;
      // Closing the master side is what a terminal emulator does when its window closes;
      // the kernel then hangs up the session (SIGHUP to the session leader, our CLI).
      // node-pty's kill("SIGHUP") is the same signal sent directly, used as a fallback
      // where the pty cannot be closed from here.
      const t = child as unknown as { destroy?: () => void };
      if (typeof t.destroy === "function") t.destroy();
      else child.kill("SIGHUP");
    },
    kill() {
      if (exitCode === undefined) child.kill("SIGKILL");
    },
  };
}
