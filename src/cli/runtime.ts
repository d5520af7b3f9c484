import type { Command } from "commander";
import type { Io } from "../output/io.js";
import type { CommandContext } from "../commands/context.js";

/** What the Commander tree needs from the process: streams, env, and the interrupt signals. */
export interface Runtime {
  io: Io;
  /** Aborted on the first Ctrl-C / SIGTERM / SIGHUP: finish the request in hand, release, return. */
  signal: AbortSignal;
  /**
   * After the first signal: `grace` aborts when the grace period ends (cancels the
   * requests that were in flight at the interrupt), `force` on a second signal
   * (cancels every request in flight). See main.ts.
   */
  stops?: { grace: AbortSignal; force: AbortSignal };
  /** Set by a command whose normal end IS a signal (`sqsctl local`): then an interrupt exits 0, not 130. */
  outcome?: { endsOnSignal: boolean };
}

/** A command implementation: positional arguments, its own options, and the context. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command declares its own option shape
export type CommandFn = (ctx: CommandContext, args: string[], opts: any) => Promise<void>;

/**
 * Wraps a lazily imported command module as a Commander action, so `--help` and
 * `--version` never load the AWS SDK, inquirer or ora: each command's code is imported
 * only when that command runs.
 */
export function lazy(rt: Runtime, load: () => Promise<{ default: CommandFn }>) {
  return async (...actionArgs: unknown[]): Promise<void> => {
    const cmd = actionArgs.at(-1) as Command;
    const positional = actionArgs.slice(0, -2).flatMap((a) => (a === undefined ? [] : Array.isArray(a) ? a.map(String) : [String(a)]));
    const [{ createContext }, mod] = await Promise.all([import("../commands/context.js"), load()]);
    const ctx = createContext(rt, cmd.optsWithGlobals());
    try {
      await mod.default(ctx, positional, cmd.opts());
    } finally {
      ctx.close();
    }
  };
}
