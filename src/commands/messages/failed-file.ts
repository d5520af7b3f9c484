import { closeSync, fstatSync, openSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { SendEntry } from "../../core/message-input.js";
import { UsageError } from "../../errors.js";

/**
 * `--failed-file F`: the messages that failed for good, as envelopes with their line and
 * error. Written to a temporary file beside F and renamed over F only when the send pass
 * ends, so an existing F is never emptied before it is needed: a refused run (exit 2) or
 * a crash leaves it as it was. F may not be the input itself (same file, by device and
 * inode, whatever the name), nor where stdin comes from.
 */
export class FailedFile {
  private fd: number | undefined;
  private readonly tmp: string;
  written = 0;

  private constructor(readonly path: string) {
    this.tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  }

  /** Checks the flag before anything is sent. `input` is the input file (undefined: stdin). */
  static check(path: string, input: string | undefined): FailedFile {
    const target = statOrUndefined(path);
    if (target?.isDirectory()) throw new UsageError(`--failed-file ${path} is a directory.`, "Give a file name.");
    const source = input !== undefined ? statOrUndefined(input) : fstatOrUndefined(0);
    if (target && source && target.dev === source.dev && target.ino === source.ino) {
      throw new UsageError(
        `--failed-file ${path} is the input${input !== undefined && input !== path ? ` (${input})` : ""}: writing failures there would destroy the messages being sent.`,
        "Give another file for --failed-file, e.g. --failed-file failed.ndjson.",
      );
    }
    const f = new FailedFile(path);
    try {
      // Probe that the folder is writable now, not after the sends.
      closeSync(openSync(f.tmp, "w", 0o600));
      rmSync(f.tmp, { force: true });
    } catch (err) {
      throw new UsageError(`--failed-file: cannot write ${path}: ${(err as Error).message}`);
    }
    return f;
  }

  write(failures: Array<{ entry: SendEntry; code: string; message: string }>): void {
    if (failures.length === 0) return;
    this.fd ??= openSync(this.tmp, "w", 0o600);
    writeSync(this.fd, failures.map((f) => `${JSON.stringify({ ...envelopeOf(f.entry), line: f.entry.line, errorCode: f.code, errorMessage: f.message })}\n`).join(""));
    this.written += failures.length;
  }

  /** The send pass ended: F now holds exactly this run's failures (empty when there were none). */
  commit(): void {
    this.fd ??= openSync(this.tmp, "w", 0o600);
    closeSync(this.fd);
    this.fd = undefined;
    renameSync(this.tmp, this.path);
  }

  /** The run stopped before the send pass ended (crash path aside): F is left as it was. */
  discard(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.tmp, { force: true });
  }
}

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function fstatOrUndefined(fd: number) {
  try {
    const s = fstatSync(fd);
    return s.isFile() ? s : undefined;
  } catch {
    return undefined;
  }
}

function envelopeOf(e: SendEntry): Record<string, unknown> {
  return {
    body: e.body,
    ...(e.attributes ? { messageAttributes: e.attributes } : {}),
    ...(e.groupId !== undefined ? { groupId: e.groupId } : {}),
    ...(e.dedupId !== undefined ? { dedupId: e.dedupId } : {}),
    ...(e.delaySeconds ? { delaySeconds: e.delaySeconds } : {}),
  };
}
