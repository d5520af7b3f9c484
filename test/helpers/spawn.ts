import { spawn, type ChildProcess } from "node:child_process";
import { BIN, type CliResult } from "./cli.js";

/**
 * A running sqsctl subprocess, for tests that interact with it while it runs:
 * wait for some output, then signal it (SIGINT, SIGTERM, SIGKILL) and collect the result.
 */
export interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when `pattern` has appeared on stdout or stderr (rejects after `timeoutMs` or on exit). */
  waitFor(pattern: RegExp | string, timeoutMs?: number): Promise<void>;
  signal(sig: NodeJS.Signals): void;
  /** Resolves with the exit code/signal and all output once the process is gone. */
  done: Promise<CliResult>;
}

export interface StartOptions {
  env?: Record<string, string | undefined>;
  /** Written to stdin; stdin stays open unless `closeStdin` (default true). */
  input?: string;
  closeStdin?: boolean;
  /** Kill with SIGKILL after this long (a hang fails the test instead of the run). Default 60 s. */
  timeoutMs?: number;
}

export function startCli(args: string[], opts: StartOptions = {}): RunningCli {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", NO_COLOR: "1" };
  for (const [k, v] of Object.entries(opts.env ?? {})) if (v !== undefined) env[k] = v;
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const w of [...waiters]) w();
  };
  child.stdout!.setEncoding("utf8").on("data", (d: string) => {
    out += d;
    notify();
  });
  child.stderr!.setEncoding("utf8").on("data", (d: string) => {
    err += d;
    notify();
  });
  child.stdin!.on("error", () => undefined);
  if (opts.input !== undefined) child.stdin!.write(opts.input);
  if (opts.closeStdin ?? true) child.stdin!.end();

  const killer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 60_000);
  let exited = false;
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      exited = true;
      clearTimeout(killer);
      notify();
      resolve({ code, signal, stdout: out, stderr: err });
    });
  });

  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitFor(pattern, timeoutMs = 30_000) {
      const matches = () => (typeof pattern === "string" ? out.includes(pattern) || err.includes(pattern) : pattern.test(out) || pattern.test(err));
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (matches()) {
            cleanup();
            resolve();
          } else if (exited) {
            cleanup();
            reject(new Error(`sqsctl ${args.join(" ")} exited before printing ${String(pattern)}\nstdout: ${out}\nstderr: ${err}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${String(pattern)} from sqsctl ${args.join(" ")}\nstdout: ${out}\nstderr: ${err}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    signal(sig) {
      if (!exited) child.kill(sig);
    },
    done,
  };
}
