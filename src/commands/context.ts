import type { Runtime } from "../cli/runtime.js";
import type { GlobalOptions, Io } from "../output/io.js";
import { Ui } from "../output/ui.js";
import { createSqsContext, type ClientOverrides, type SqsContext } from "../sqs/client.js";

/** Everything a command gets: streams, output, global flags, the client, the interrupt signal. */
export interface CommandContext {
  io: Io;
  ui: Ui;
  globals: GlobalOptions;
  /** Aborted on the first Ctrl-C / SIGTERM: finish the request in hand, release, return. */
  signal: AbortSignal;
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
    sqs(overrides) {
      sqs ??= createSqsContext(globals, rt.io.env, ui, overrides);
      return sqs;
    },
    close() {
      void sqs?.then((s) => s.destroy(), () => undefined);
    },
  };
}
