import type { Runtime } from "../cli/runtime.js";
import type { GlobalOptions, Io } from "../output/io.js";
import { Ui } from "../output/ui.js";
import { abortRequestsOn } from "../sqs/abortable.js";
import { createSqsContext, type ClientOverrides, type SqsContext } from "../sqs/client.js";

/** Everything a command gets: streams, output, global flags, the client, the interrupt signal. */
export interface CommandContext {
  io: Io;
  ui: Ui;
  globals: GlobalOptions;
  /**
   * Aborted on the first Ctrl-C / SIGTERM / SIGHUP: finish the request in hand, release,
   * return (the run then exits 130). If the request in hand is still running when the
   * grace period ends (or on a second signal), it is aborted: the SDK call rejects with
   * an AbortError, and the command's release path must still run.
   */
  signal: AbortSignal;
  /** For a command whose normal end is a signal (`sqsctl local`): an interrupt then exits 0. */
  endsOnSignal(): void;
  /** The SQS client, created on first use (commands like `local` never need one). */
  sqs(overrides?: ClientOverrides): Promise<SqsContext>;
  close(): void;
}

export function createContext(rt: Runtime, globals: GlobalOptions): CommandContext {
  const ui = new Ui(rt.io, globals);
  let sqs: Promise<SqsContext> | undefined;
  return {
    io: rt.io,
    ui,
    globals,
    signal: rt.signal,
    endsOnSignal() {
      if (rt.outcome) rt.outcome.endsOnSignal = true;
    },
    sqs(overrides) {
      sqs ??= createSqsContext(globals, rt.io.env, ui, overrides).then((ctx) => {
        if (rt.stops) abortRequestsOn(ctx.client, { interrupt: rt.signal, ...rt.stops });
        return ctx;
      });
      return sqs;
    },
    close() {
      void sqs?.then((s) => s.destroy(), () => undefined);
    },
  };
}
