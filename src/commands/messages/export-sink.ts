import { closeSync, fstatSync, fsync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from "node:fs";
import { UsageError } from "../../errors.js";
import type { Ui } from "../../output/ui.js";

/**
 * Where export writes its NDJSON lines: a file (lines made durable with a shared
 * fsync before any of them is deleted) or stdout (lines accepted by the stream).
 */
export interface LineSink {
  /** Writes one NDJSON line a record; resolves once they are durable (file, after fsync) or accepted (stdout). */
  write(records: unknown[], durable: boolean): Promise<void>;
  close(): void;
}

export function openSink(file: string, append: boolean | undefined, ui: Ui): LineSink {
  if (file === "-") {
    return {
      // Through the one writer, so --query applies to each line as it does elsewhere.
      write: async (records) => {
        ui.ndjsonLines(records);
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
  if (append) {
    const cut = endTornLine(fd);
    if (cut) {
      ui.warn(
        `${file} ended in a partial line (${cut} bytes: a run was interrupted while writing it); removed it. ` +
          "Its messages were never deleted (a line is deleted only once it is on disk whole), so they are still in the queue and this run exports them.",
      );
    }
  }
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
    write: async (records, durable) => {
      writeSync(fd, records.map((r) => `${JSON.stringify(r)}\n`).join(""));
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
 * A file cut short by a crash mid-write ends without a newline. Appending to it as it is
 * would glue the next message onto the torn line, and `import` would refuse the file at
 * that line. The torn fragment is cut off: its batch was never made durable, so never
 * deleted, and its messages are still in the queue. A last line that is whole JSON and
 * only lacks its newline (a file written by hand) is kept and ended. Returns the bytes cut.
 */
function endTornLine(fd: number): number {
  const size = fstatSync(fd).size;
  if (size === 0) return 0;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  if (last[0] === 0x0a) return 0;
  // Find where the last line starts, reading back a chunk at a time.
  let start = 0;
  const chunk = Buffer.alloc(64 * 1024);
  for (let end = size; end > 0; ) {
    const from = Math.max(0, end - chunk.length);
    const n = readSync(fd, chunk, 0, end - from, from);
    const nl = chunk.subarray(0, n).lastIndexOf(0x0a);
    if (nl !== -1) {
      start = from + nl + 1;
      break;
    }
    end = from;
  }
  const tail = Buffer.alloc(size - start);
  readSync(fd, tail, 0, tail.length, start);
  try {
    JSON.parse(tail.toString("utf8"));
    writeSync(fd, "\n");
    return 0;
  } catch {
    ftruncateSync(fd, start);
    fsyncSync(fd);
    return tail.length;
  }
}
