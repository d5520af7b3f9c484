import { ExitCode, SqsctlError } from "./errors.js";
import { processIo, type Io } from "./output/io.js";
import { buildProgram } from "./program.js";
import type { Runtime } from "./cli/runtime.js";

/** How long the request in hand may run after the first interrupt before it is aborted. */
export const GRACE_MS = 5_000;
/** After the grace period (or a second signal), how long releasing what is held may take before the process exits anyway. */
export const RELEASE_MS = 10_000;

/**
 * Runs sqsctl with `argv` (without node and script) and returns the exit code.
 * The only place errors become exit codes, and the one rule for interrupts: a run
 * whose `signal` was aborted (Ctrl-C, SIGTERM, SIGHUP) exits 130, whether the command
 * noticed the interrupt and returned (tail, watch) or a cancelled request ended it;
 * a command's own failure keeps its code. The one exception is a command whose normal
 * end is a signal (`sqsctl local`): it exits 0.
 */
export async function run(argv: string[], io: Io, signal: AbortSignal = new AbortController().signal, stops?: Runtime["stops"]): Promise<number> {
  const outcome = { endsOnSignal: false };
  const program = buildProgram({ io, signal, ...(stops ? { stops } : {}), outcome }, argv);
  const debug = argv.includes("--debug");
  try {
    await program.parseAsync(argv, { from: "user" });
    return signal.aborted && !outcome.endsOnSignal ? ExitCode.Interrupted : ExitCode.Ok;
  } catch (err) {
    if (signal.aborted) {
      const { isAbortError } = await import("./sqs/abortable.js");
      if (isAbortError(err)) {
        return await report(
          new SqsctlError(
            "Interrupted: a request to SQS was still unanswered after the interrupt and was cancelled.",
            ExitCode.Interrupted,
            "Held messages were released where the server answered; any others return when their visibility timeout ends.",
          ),
          io,
          debug,
          argv,
        );
      }
    }
    return await report(err, io, debug, argv);
  }
}

async function report(err: unknown, io: Io, debug: boolean, argv: string[]): Promise<number> {
  // Commander's own errors (bad flag, missing argument, --help, --version).
  const ce = err as { code?: string; exitCode?: number };
  if (typeof ce?.code === "string" && ce.code.startsWith("commander.")) {
    if (ce.exitCode === 0 || ce.code === "commander.helpDisplayed" || ce.code === "commander.version") return ExitCode.Ok;
    return ExitCode.Usage;
  }
  const { redact } = await import("./output/redact.js");
  let e: unknown = err;
  if (!(e instanceof SqsctlError)) {
    const { errorContextOf, mapSdkError } = await import("./sqs/errors.js");
    const where = errorContextOf(err);
    e = mapSdkError(err, where ?? { region: "?", endpoint: "?" });
    if ((e as SqsctlError).exitCode === ExitCode.Failure && !where && !(err as { $metadata?: unknown })?.$metadata) {
      // Not an SDK error: a bug or an unexpected system error. Say so plainly.
      e = new SqsctlError(`Unexpected error: ${(err as Error)?.message ?? String(err)}`, ExitCode.Failure, debug ? undefined : "Re-run with --debug for details.");
    }
  }
  const se = e as SqsctlError;
  const [{ colorWanted }, { keepTarget, targetFromArgv }] = await Promise.all([import("./output/color.js"), import("./output/target.js")]);
  const target = targetFromArgv(argv);
  const red = (s: string) => keepTarget(redact(s, io.env), target);
  const colour = colorWanted(io.env, io.stderr.isTTY === true, !argv.includes("--no-color"));
  const label = colour ? "\u001b[31merror:\u001b[39m" : "error:";
  io.stderr.write(`${label} ${red(se.message)}\n`);
  if (se.hint) io.stderr.write(`hint: ${red(se.hint)}\n`);
  if (debug) {
    const stack = (err as Error)?.stack ?? String(err);
    io.stderr.write(`${red(stack)}\n`);
    const cause = (err as { cause?: Error })?.cause;
    if (cause?.stack) io.stderr.write(`cause: ${red(cause.stack)}\n`);
  }
  return se.exitCode;
}

/**
 * Process entry point: wires signals and the exit code.
 * - First Ctrl-C, SIGTERM or SIGHUP (terminal closed, ssh dropped): the command's
 *   signal aborts, so it finishes the request in hand and releases what it holds.
 * - GRACE_MS later, a request that was already in flight at the interrupt (a frozen
 *   server, a long poll) is cancelled; the calls made since (releases) are left to run.
 * - A second signal cancels every request in flight, releases included.
 * - RELEASE_MS after either, or on a third signal: exit 130 at once.
 * `timeout(1)`, systemd, Kubernetes and `docker stop` send one SIGTERM: that is enough.
 * A hangup can deliver SIGHUP twice (to the session leader and to the foreground
 * group): it counts once.
 */
export function main(): void {
  const io = processIo();
  const controller = new AbortController();
  const grace = new AbortController();
  const force = new AbortController();
  let signals = 0;
  let hungUp = false;
  const say = (text: string) => {
    const quiet = process.argv.includes("-q") || process.argv.includes("--quiet");
    if (!quiet && !hungUp && io.stderr.isTTY) io.stderr.write(text);
  };
  let watchdog: NodeJS.Timeout | undefined;
  const startWatchdog = () => {
    watchdog ??= setTimeout(() => process.exit(ExitCode.Interrupted), RELEASE_MS).unref();
  };
  const onSignal = (name: NodeJS.Signals) => {
    if (name === "SIGHUP" && hungUp) return;
    if (name === "SIGHUP") hungUp = true;
    signals += 1;
    if (signals === 1) {
      // A long poll in hand can take up to 20 s to end: say why nothing happens at once.
      say("\nStopping: finishing the request in hand and releasing held messages (press Ctrl-C again to stop waiting)…\n");
      controller.abort(name);
      setTimeout(() => {
        grace.abort("grace period over");
        startWatchdog();
      }, GRACE_MS).unref();
      return;
    }
    if (signals === 2) {
      say("\nInterrupted again: cancelling the requests in flight (Ctrl-C once more exits at once)…\n");
      force.abort("interrupted again");
      startWatchdog();
      return;
    }
    say("\nExiting now. Messages this command held return to their queues when their visibility timeout ends.\n");
    process.exit(ExitCode.Interrupted);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("SIGHUP", onSignal);
  // A closed pipe (`sqsctl receive | head`) is not an error worth a stack trace, and
  // not a reason to exit before releasing: commands that hold messages check each
  // write (ui.stdoutAccepted) and stop, release and report. The others stop as on a
  // first Ctrl-C; a command still running after 30 s is ended.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") {
      if (controller.signal.aborted) return;
      controller.abort("EPIPE");
      setTimeout(() => process.exit(process.exitCode ?? 1), 30_000).unref();
    }
    // EIO: the terminal is gone. Stop as for SIGHUP (writes to it are dropped).
    else if (err.code === "EIO") onSignal("SIGHUP");
  });
  process.stderr.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EIO" || err.code === "EPIPE") onSignal("SIGHUP");
  });

  void run(process.argv.slice(2), io, controller.signal, { grace: grace.signal, force: force.signal }).then((code) => {
    process.exitCode = code;
    // Let stdout drain, then make sure a stray keep-alive socket or timer cannot hold the process open.
    setTimeout(() => process.exit(code), 1500).unref();
  });
}
