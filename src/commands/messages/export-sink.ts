import { closeSync, fstatSync, fsync, fsyncSync, openSync, readSync, writeSync } from "node:fs";
import { UsageError } from "../../errors.js";
import type { Ui } from "../../output/ui.js";
import type { Io } from "../../output/io.js";

/**
 * Where export writes its NDJSON lines: a file (lines made durable with a shared
 * fsync before any of them is deleted) or stdout (lines accepted by the stream).
 */
export interface LineSink {
  /** Writes lines; resolves once they are durable (file, after fsync) or accepted (stdout). */
  write(text: string, durable: boolean): Promise<void>;
  close(): void;
}

export function openSink(file: string, append: boolean | undefined, io: Io, ui: Ui): LineSink {
  if (file === "-") {
    return {
      write: async (text) => {
        io.stdout.write(text);
        await ui.stdoutAccepted();
      },
      close: () => undefined,
    };
  }
  let fd: number;
  try {
    fd = openSync(file, append ? "a+" : "w", 0o600);
  } catch (err) {
    throw new UsageError(`--file: cannot write ${file}: ${(err as Error).message}`);
  }
  if (append) endTornLine(fd);
  let writes = 0;
  let syncedUpTo = 0;
  let syncing: Promise<void> | undefined;
  // Group commit: one fsync covers every line written before it started, so parallel
  // workers share fsyncs instead of queueing one each.
  const flushed = async (upTo: number): Promise<void> => {
    while (syncedUpTo < upTo) {
      if (!syncing) {
        const target = writes;
        syncing = new Promise<void>((resolve, reject) => fsync(fd, (err) => (err ? reject(err) : resolve()))).finally(() => (syncing = undefined));
        await syncing;
        syncedUpTo = Math.max(syncedUpTo, target);
      } else await syncing;
    }
  };
  let closed = false;
  return {
    write: async (text, durable) => {
      writeSync(fd, text);
      const mine = ++writes;
      if (durable) await flushed(mine);
    },
    close: () => {
      if (closed) return;
      closed = true;
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    },
  };
}

/**
 * A file cut short by a crash mid-write ends without a newline; appending to it as it
 * is would glue the next message onto the torn line, and that message (deleted once
 * written) would be unreadable. Start on a fresh line instead.
 */
function endTornLine(fd: number): void {
  const size = fstatSync(fd).size;
  if (size === 0) return;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  if (last[0] !== 0x0a) writeSync(fd, "\n");
}
