import { ExitCode, SqsctlError } from "./errors.js";
import { processIo, type Io } from "./output/io.js";
import { buildProgram } from "./program.js";

/**
 * Runs sqsctl with `argv` (without node and script) and returns the exit code.
 * The only place errors become exit codes.
 */
export async function run(argv: string[], io: Io, signal: AbortSignal = new AbortController().signal): Promise<number> {
  const program = buildProgram({ io, signal });
  const debug = argv.includes("--debug");
  try {
    await program.parseAsync(argv, { from: "user" });
    return ExitCode.Ok;
  } catch (err) {
    return await report(err, io, debug);
  }
}

async function report(err: unknown, io: Io, debug: boolean): Promise<number> {
  // Commander's own errors (bad flag, missing argument, --help, --version).
  const ce = err as { code?: string; exitCode?: number };
  if (typeof ce?.code === "string" && ce.code.startsWith("commander.")) {
    if (ce.exitCode === 0 || ce.code === "commander.helpDisplayed" || ce.code === "commander.version") return ExitCode.Ok;
    return ExitCode.Usage;
  }
  const { redact } = await import("./output/redact.js");
  let e: unknown = err;
  if (!(e instanceof SqsctlError)) {
    const { mapSdkError } = await import("./sqs/errors.js");
    e = mapSdkError(err, { region: "?", endpoint: "?" });
    if ((e as SqsctlError).exitCode === ExitCode.Failure && !(err as { $metadata?: unknown })?.$metadata) {
      // Not an SDK error: a bug or an unexpected system error. Say so plainly.
      e = new SqsctlError(`Unexpected error: ${(err as Error)?.message ?? String(err)}`, ExitCode.Failure, debug ? undefined : "Re-run with --debug for details.");
    }
  }
  const se = e as SqsctlError;
  const red = (s: string) => redact(s, io.env);
  const noColor = io.env.NO_COLOR !== undefined || io.env.TERM === "dumb" || !io.stderr.isTTY || process.argv.includes("--no-color");
  const label = noColor ? "error:" : "\u001b[31merror:\u001b[39m";
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
 * Process entry point: wires signals and the exit code. The first Ctrl-C/SIGTERM
 * aborts the command's signal so it can finish the request in hand and release
 * what it holds; a second one exits at once.
 */
export function main(): void {
  const io = processIo();
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (name: NodeJS.Signals) => {
    signals += 1;
    if (signals === 1) {
      // A long poll in hand can take up to 20 s to end: say why nothing happens at once.
      const quiet = process.argv.includes("-q") || process.argv.includes("--quiet");
      if (!quiet && io.stderr.isTTY) io.stderr.write("\nStopping: finishing the request in hand and releasing held messages (press Ctrl-C again to exit at once)…\n");
      controller.abort(name);
      return;
    }
    io.stderr.write("\nInterrupted again: exiting now. Messages this command held return to their queues when their visibility timeout ends.\n");
    process.exit(ExitCode.Interrupted);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  // A closed pipe (`sqsctl receive | head`) is not an error worth a stack trace, and
  // not a reason to exit before releasing: commands that hold messages check each
  // write (ui.stdoutAccepted) and stop, release and report. The others stop as on a
  // first Ctrl-C; a command still running after 30 s is ended.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE" || controller.signal.aborted) return;
    controller.abort("EPIPE");
    setTimeout(() => process.exit(process.exitCode ?? 1), 30_000).unref();
  });

  void run(process.argv.slice(2), io, controller.signal).then((code) => {
    process.exitCode = code;
    // Let stdout drain, then make sure a stray keep-alive socket or timer cannot hold the process open.
    setTimeout(() => process.exit(code), 1500).unref();
  });
}
