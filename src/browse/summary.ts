/**
 * The lines browse prints around the interactive part: what the snapshot holds, and
 * what leaving gave back. Pure, so the wording is unit-tested.
 */
import type { SnapshotResult } from "../sqs/custody/selection.js";

const s = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export interface SnapshotContext {
  queue: string;
  fifo: boolean;
  filter?: string | undefined;
  limit: number;
  scan: number;
  /** ApproximateNumberOfMessages before the scan. */
  visibleBefore: number;
  holdSeconds: number;
}

/** Notes after the first scan: how many are held and why the scan stopped. `empty` when nothing was kept. */
export function snapshotNotes(snap: SnapshotResult, c: SnapshotContext): { empty: boolean; info: string[]; warn: string[] } {
  if (snap.kept === 0) {
    return { empty: true, info: [c.filter ? `No message in ${c.queue} matches ${c.filter} (${snap.scanned} read).` : `${c.queue} has no visible messages.`], warn: [] };
  }
  const info = [
    `Holding ${s(snap.kept, "message")} from ${c.queue}` +
      (c.filter ? ` matching ${c.filter} (${snap.scanned} read)` : "") +
      (snap.truncated ? ` (stopped at ${snap.kept >= c.limit ? `--limit ${c.limit}` : `--scan ${c.scan}`}; about ${c.visibleBefore} were visible)` : "") +
      `. They stay hidden from consumers until you leave; q or Esc leaves, Ctrl-C too.`,
  ];
  if (c.fifo && !snap.truncated && snap.scanned < c.visibleBefore) {
    info.push(
      `${c.queue} is FIFO: the rest of a message group cannot be received while its first messages are held, so about ${c.visibleBefore - snap.scanned} more are not listed yet (act on some, then r receives more).`,
    );
  }
  const warn = snap.releaseFailed ? [`${s(snap.releaseFailed, "message")} read but not kept could not be released; they become visible within ${c.holdSeconds} s.`] : [];
  return { empty: false, info, warn };
}

export interface LeaveFacts {
  queue: string;
  released: number;
  lost: number;
  deleted: number;
  moved: number;
  /** Left behind having used every receive of the queue's redrive policy. */
  exhausted: number;
  maxReceiveCount?: number | undefined;
}

/** What leaving says: released, what the session did, and what needs the user's attention. */
export function leaveNotes(f: LeaveFacts): { info: string[]; warn: string[] } {
  const done = [f.deleted && `deleted ${f.deleted}`, f.moved && `moved ${f.moved}`].filter(Boolean).join(", ");
  const info: string[] = [];
  if (f.released) info.push(`Released ${s(f.released, "message")}: visible in ${f.queue} again now.${done ? ` This session ${done}.` : ""}`);
  else if (done) info.push(`This session ${done}.`);
  const warn: string[] = [];
  if (f.exhausted) {
    warn.push(
      `${f.exhausted} message${f.exhausted === 1 ? " has" : "s have"} now been received ${f.maxReceiveCount} times: the next receive by anyone moves ${f.exhausted === 1 ? "it" : "them"} to the DLQ.`,
    );
  }
  if (f.lost) warn.push(`${s(f.lost, "message")} had slipped out of this session's hold (visible again already, or taken by a consumer).`);
  return { info, warn };
}
