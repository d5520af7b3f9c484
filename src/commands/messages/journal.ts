import { createHash } from "node:crypto";
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { LineSet } from "../../core/batch.js";

/**
 * The send-batch progress journal: an append-only text file next to nothing else,
 * so a re-run with --resume sends only what was not confirmed.
 *
 *   sqsctl-journal 1 {"queueUrl":..., "sha256":..., "lines":N}
 *   B 12,13,14        a batch call is about to go out with these lines
 *   S 12,13           SQS confirmed these lines
 *   F 14              these failed for good (they are in --failed-file)
 *
 * Records are written with write(2) as each batch starts and ends, so they survive a
 * SIGKILL (the kernel has them); fsync, which only matters if the machine itself
 * goes down, runs at most every `fsyncMs` (group commit; see bench/RESULTS.md).
 * Lines named by a B record but by no S or F record were in flight at the kill:
 * they may or may not have reached the queue, are sent again, and are reported as
 * possible duplicates.
 */
export interface JournalHeader {
  queueUrl: string;
  sha256: string;
  lines: number;
}

export interface JournalState {
  header: JournalHeader;
  confirmed: LineSet;
  failed: LineSet;
  /** Lines in a batch whose outcome the journal never recorded. */
  unknown: LineSet;
}

export function defaultJournalPath(env: Record<string, string | undefined>, queueUrl: string, sha256: string): string {
  const base = env.XDG_STATE_HOME || join(env.HOME || homedir(), ".local", "state");
  const key = createHash("sha256").update(`${queueUrl}\n${sha256}`).digest("hex").slice(0, 20);
  return join(base, "sqsctl", "journals", `send-batch-${key}.journal`);
}

/** Reads a journal; undefined when there is none. A torn last line (killed mid-write) is ignored. */
export function readJournal(path: string): JournalState | undefined {
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, "utf8");
  const lines = text.split("\n");
  const m = /^sqsctl-journal 1 (.*)$/.exec(lines[0] ?? "");
  if (!m) throw new Error(`${path} is not an sqsctl journal`);
  const header = JSON.parse(m[1]!) as JournalHeader;
  const confirmed = new LineSet();
  const failed = new LineSet();
  const started = new LineSet();
  const startedList: number[][] = [];
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i]!;
    // The last line is complete only if the file ends with a newline.
    if (i === lines.length - 1) break;
    const kind = l[0];
    const nums = l.slice(2).split(",").map(Number).filter((n) => Number.isInteger(n) && n > 0);
    if (kind === "S") for (const n of nums) confirmed.add(n);
    else if (kind === "F") for (const n of nums) failed.add(n);
    else if (kind === "B") {
      for (const n of nums) started.add(n);
      startedList.push(nums);
    }
  }
  const unknown = new LineSet();
  for (const batch of startedList) for (const n of batch) if (!confirmed.has(n) && !failed.has(n)) unknown.add(n);
  return { header, confirmed, failed, unknown };
}

export class Journal {
  private fd: number;
  private lastSync = performance.now();
  private dirty = false;

  /** Opens for appending; `fresh` truncates and writes the header. */
  constructor(
    readonly path: string,
    header: JournalHeader,
    fresh: boolean,
    private readonly fsyncMs = 250,
  ) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    this.fd = openSync(path, fresh ? "w" : "a", 0o600);
    if (fresh) this.write(`sqsctl-journal 1 ${JSON.stringify(header)}\n`);
  }

  started(lines: number[]): void {
    this.write(`B ${lines.join(",")}\n`);
  }

  sent(lines: number[]): void {
    this.write(`S ${lines.join(",")}\n`);
  }

  failed(lines: number[]): void {
    this.write(`F ${lines.join(",")}\n`);
  }

  private write(text: string): void {
    writeSync(this.fd, text);
    this.dirty = true;
    if (this.fsyncMs === 0 || performance.now() - this.lastSync >= this.fsyncMs) this.sync();
  }

  sync(): void {
    if (!this.dirty) return;
    fsyncSync(this.fd);
    this.dirty = false;
    this.lastSync = performance.now();
  }

  close(): void {
    this.sync();
    closeSync(this.fd);
  }

  /** Removes the journal once every line is confirmed. */
  remove(): void {
    try {
      unlinkSync(this.path);
    } catch {
      // already gone
    }
  }
}
