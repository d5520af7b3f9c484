import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** What a journal line records. One JSON object a line (NDJSON), appended only. */
export type JournalLine =
  | { type: "run"; at: string; dlq: { name: string; url: string; arn: string }; holdSeconds: number; filter?: string; pid: number }
  | { type: "sending"; to: string; ids: string[] }
  | { type: "sent"; id: string; to: string; targetMessageId: string }
  | { type: "deleted"; id: string }
  | { type: "end"; at: string; summary: Record<string, unknown> };

export interface SentRecord {
  id: string;
  to: string;
  targetMessageId: string;
}

/** What earlier runs in the same journal left to finish. */
export interface PreviousRuns {
  runs: number;
  /** True when the last run wrote its end line (it was not killed). */
  ended: boolean;
  /** The hold (visibility) the last run used: its held messages come back after this. */
  holdSeconds: number;
  /** Sent to the target but not yet deleted from the DLQ: delete these, never send them again. */
  pendingDelete: number;
  /** Handed to a send whose result was never recorded: the target may have them already. */
  maybeSent: Set<string>;
}

/**
 * The redrive journal: an append-only NDJSON file that records, per source MessageId,
 * that it was being sent, that it was sent (with the target's MessageId), and that it
 * was deleted from the DLQ. A "sent" line is on disk (fsynced) before the delete that
 * depends on it, so a run killed at any point can be re-run with the same journal: a
 * message journaled as sent is deleted from the DLQ without being sent again.
 *
 * With no path it keeps the same state in memory only (--no-journal).
 */
export class Journal {
  private fd: number | undefined;
  private readonly sentNotDeleted = new Map<string, SentRecord>();
  private readonly deletedIds = new Set<string>();
  private syncing: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  /** fsync calls made, for the summary and the benchmark. */
  syncs = 0;

  private constructor(
    readonly path: string | undefined,
    readonly previous: PreviousRuns,
  ) {}

  /** Opens (creating or resuming) a journal and writes the run header. */
  static open(file: string | undefined, header: Omit<Extract<JournalLine, { type: "run" }>, "type" | "at" | "pid">): Journal {
    const previous: PreviousRuns = { runs: 0, ended: true, holdSeconds: 0, pendingDelete: 0, maybeSent: new Set() };
    const j = new Journal(file, previous);
    if (file) {
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      if (fs.existsSync(file)) j.load(fs.readFileSync(file, "utf8"));
      j.fd = fs.openSync(file, "a", 0o600);
    }
    j.write([{ type: "run", at: new Date().toISOString(), pid: process.pid, ...header }]);
    return j;
  }

  /** What a journal's text says earlier runs left to finish. */
  static readState(text: string): PreviousRuns {
    const j = new Journal(undefined, { runs: 0, ended: true, holdSeconds: 0, pendingDelete: 0, maybeSent: new Set() });
    j.load(text);
    return j.previous;
  }

  private load(text: string): void {
    const sending = new Set<string>();
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      let l: JournalLine;
      try {
        l = JSON.parse(line) as JournalLine;
      } catch {
        continue; // a line cut short by a kill mid-write; everything before it stands
      }
      switch (l.type) {
        case "run":
          this.previous.runs += 1;
          this.previous.ended = false;
          this.previous.holdSeconds = l.holdSeconds;
          break;
        case "sending":
          for (const id of l.ids) sending.add(id);
          break;
        case "sent":
          sending.delete(l.id);
          this.sentNotDeleted.set(l.id, { id: l.id, to: l.to, targetMessageId: l.targetMessageId });
          break;
        case "deleted":
          sending.delete(l.id);
          this.sentNotDeleted.delete(l.id);
          this.deletedIds.add(l.id);
          break;
        case "end":
          this.previous.ended = true;
          break;
      }
    }
    this.previous.pendingDelete = this.sentNotDeleted.size;
    this.previous.maybeSent = sending;
  }

  /** The send recorded for a message that is not yet deleted from the DLQ. */
  sentRecord(id: string): SentRecord | undefined {
    return this.sentNotDeleted.get(id);
  }

  /** True when the message was sent by this or an earlier run (deleted from the DLQ or not): never send it again. */
  alreadySent(id: string): boolean {
    return this.sentNotDeleted.has(id) || this.deletedIds.has(id);
  }

  /** Before a send: if the process dies now, the next run knows these may be in the target. */
  sending(to: string, ids: string[]): void {
    this.write([{ type: "sending", to, ids }]);
  }

  /** After a send succeeded. Call `durable()` before deleting. */
  sent(records: SentRecord[]): void {
    for (const r of records) this.sentNotDeleted.set(r.id, r);
    this.write(records.map((r) => ({ type: "sent", ...r })));
  }

  deleted(ids: string[]): void {
    for (const id of ids) {
      this.sentNotDeleted.delete(id);
      this.deletedIds.add(id);
    }
    this.write(ids.map((id) => ({ type: "deleted", id })));
  }

  end(summary: Record<string, unknown>): void {
    this.write([{ type: "end", at: new Date().toISOString(), summary }]);
  }

  /**
   * Resolves once everything written so far is on disk. Concurrent callers share
   * fsyncs (group commit): a call during an fsync waits for the next one, which
   * covers every line written before it started.
   */
  durable(): Promise<void> {
    if (this.fd === undefined) return Promise.resolve();
    if (!this.syncing) {
      this.syncing = this.fsync().finally(() => (this.syncing = undefined));
      return this.syncing;
    }
    this.queued ??= this.syncing.then(() => {
      this.queued = undefined;
      return this.durable();
    });
    return this.queued;
  }

  close(): void {
    if (this.fd !== undefined) {
      fs.fsyncSync(this.fd);
      fs.closeSync(this.fd);
    }
    this.fd = undefined;
  }

  private fsync(): Promise<void> {
    const fd = this.fd!;
    this.syncs += 1;
    return new Promise((resolve, reject) => fs.fsync(fd, (err) => (err ? reject(err) : resolve())));
  }

  private write(lines: JournalLine[]): void {
    if (this.fd === undefined || lines.length === 0) return;
    // One write per call, so a kill leaves at most one partial line at the end.
    fs.writeSync(this.fd, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  }
}

export function journalDir(env: Record<string, string | undefined>): string {
  return path.join(env.SQSCTL_HOME || path.join(env.HOME || os.homedir(), ".sqsctl"), "journal");
}

/** ~/.sqsctl/journal/<dlq>-<UTC timestamp>.ndjson */
export function defaultJournalPath(env: Record<string, string | undefined>, dlqName: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return path.join(journalDir(env), `${dlqName}-${stamp}.ndjson`);
}

/**
 * The newest journal of an earlier run on this DLQ that did not finish (killed) or
 * left messages sent but not deleted, so a plain re-run resumes it.
 */
export function findUnfinishedJournal(env: Record<string, string | undefined>, dlqName: string, dlqArn: string): string | undefined {
  const dir = journalDir(env);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return undefined;
  }
  const mine = names
    .filter((n) => n.startsWith(`${dlqName}-`) && /^\d{8}T\d{6}Z(-\d+)?\.ndjson$/.test(n.slice(dlqName.length + 1)))
    .sort()
    .reverse();
  for (const name of mine.slice(0, 20)) {
    const file = path.join(dir, name);
    const text = fs.readFileSync(file, "utf8");
    if (!text.includes(`"arn":${JSON.stringify(dlqArn)}`)) continue;
    const state = Journal.readState(text);
    if (!state.ended || state.pendingDelete > 0) return file;
    return undefined; // the newest finished cleanly: nothing to resume
  }
  return undefined;
}
