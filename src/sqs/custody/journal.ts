/**
 * THE journal of the custody engine: one format and one state folder for every command
 * that must survive a crash (send-batch/import and dlq redrive/browse moves).
 *
 * A journal is an append-only text file, one record a line:
 *
 *   <12 hex: sha256 of the JSON> <JSON object>\n
 *
 * - The first record is the header `{"k":"journal","v":2,"kind":...,"endpoint":...,
 *   "account":...,"queue":...}`: a journal belongs to ONE endpoint, account and queue and
 *   is never resumed across them (every local server has the same ARNs).
 * - Every record is one write(2) ending in a newline; opening an existing journal first
 *   ends a torn last line, so every appended record starts on a new line.
 * - A line whose checksum does not match (torn by a kill, power loss, a full disk, an
 *   edit) is counted as unreadable: what it said is "unknown", never "done".
 * - `{"k":"finished"}` closes a run: resuming a finished journal does nothing, and says so.
 *
 * write(2) puts records in the kernel at once (they survive a SIGKILL); fsync, which
 * matters only if the machine goes down, is group-committed: `durable()` resolves when
 * everything written before it is on disk (the mover awaits it before a delete). The
 * periodic fsync (every `fsyncMs`) runs off the main thread, so a slow disk never stalls
 * the calls in flight; `finish()` and `close()` fsync before they return.
 */
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { LineSet } from "../../core/batch.js";

export type JournalKind = "send-batch" | "redrive";

/** Where a journal belongs: checked on every resume. */
export interface JournalBinding {
  kind: JournalKind;
  endpoint: string;
  /** The account from the queue's ARN ("" when unknown). */
  account: string;
  /** The queue's URL (sent to for send-batch, the DLQ for redrive). */
  queue: string;
}

export interface JournalHeader extends JournalBinding {
  k: "journal";
  v: 2;
  created: string;
  /** Kind-specific facts (the input's sha256 and line count, the hold seconds...). */
  meta: Record<string, unknown>;
}

export type JournalRecord = { k: string } & Record<string, unknown>;

export interface JournalRead {
  header: JournalHeader;
  records: JournalRecord[];
  /** Lines that could not be verified (torn or edited): their content is unknown. */
  unreadable: number;
  /** The summary of the last `finished` record after which nothing else was written, if any. */
  finished: Record<string, unknown> | undefined;
  /** How many runs appended to this journal. */
  runs: number;
}

/** The one state folder: $XDG_STATE_HOME/sqsctl, else ~/.local/state/sqsctl. */
export function stateDir(env: Record<string, string | undefined>): string {
  const base = env.XDG_STATE_HOME || path.join(env.HOME || os.homedir(), ".local", "state");
  return path.join(base, "sqsctl");
}

export function journalDir(env: Record<string, string | undefined>): string {
  return path.join(stateDir(env), "journals");
}

/** The account id inside an SQS ARN (arn:aws:sqs:region:account:name), or "". */
export function accountOfArn(arn: string | undefined): string {
  return arn?.split(":")[4] ?? "";
}

/** A short stable key for a binding plus extra parts (the input hash for send-batch). */
export function bindingKey(b: JournalBinding, ...extra: string[]): string {
  return createHash("sha256").update([b.kind, b.endpoint, b.account, b.queue, ...extra].join("\n")).digest("hex").slice(0, 16);
}

/** Why `found` does not belong to `want` ("" when it does). */
export function bindingMismatch(found: JournalBinding, want: JournalBinding): string {
  const diffs: string[] = [];
  if (found.kind !== want.kind) diffs.push(`it is a ${found.kind} journal`);
  if (found.endpoint !== want.endpoint) diffs.push(`endpoint ${found.endpoint}`);
  if (found.account !== want.account) diffs.push(`account ${found.account || "(unknown)"}`);
  if (found.queue !== want.queue) diffs.push(`queue ${found.queue}`);
  return diffs.join(", ");
}

const sum = (json: string) => createHash("sha256").update(json).digest("hex").slice(0, 12);

/** One record as it is written: checksum, space, JSON, newline. */
export function encodeRecord(rec: object): string {
  const json = JSON.stringify(rec);
  return `${sum(json)} ${json}\n`;
}

/** The record on one line, or undefined when it cannot be verified. */
export function decodeRecord(line: string): JournalRecord | undefined {
  const m = /^([0-9a-f]{12}) (\{.*\})$/.exec(line);
  if (!m || sum(m[2]!) !== m[1]) return undefined;
  try {
    const rec = JSON.parse(m[2]!) as JournalRecord;
    return typeof rec?.k === "string" ? rec : undefined;
  } catch {
    return undefined;
  }
}

export class JournalFormatError extends Error {}

/** Reads a journal; undefined when the file does not exist. */
export function readJournal(file: string): JournalRead | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  return parseJournal(text, file);
}

export function parseJournal(text: string, label = "journal"): JournalRead {
  const lines = text.split("\n");
  // A last piece without its newline was cut short mid-write.
  const torn = lines.pop() !== "" ? 1 : 0;
  const header = decodeRecord(lines[0] ?? "") as JournalHeader | undefined;
  if (!header || header.k !== "journal" || header.v !== 2) {
    throw new JournalFormatError(`${label} is not an sqsctl journal (or its first record is damaged).`);
  }
  const out: JournalRead = { header, records: [], unreadable: torn, finished: undefined, runs: 0 };
  for (const line of lines.slice(1)) {
    if (line === "") continue;
    const rec = decodeRecord(line);
    if (!rec) {
      out.unreadable += 1;
      continue;
    }
    if (rec.k === "run") {
      out.runs += 1;
      out.finished = undefined;
    } else if (rec.k === "finished") out.finished = (rec.summary as Record<string, unknown>) ?? {};
    else if (out.finished) out.finished = undefined; // written after the finish: a later run
    out.records.push(rec);
  }
  return out;
}

export interface OpenOptions {
  /** Start a new journal (truncate); otherwise append to the existing one. */
  fresh: boolean;
  /** Also fsync on its own at most this often (ms); 0 = after every record. @default 250 */
  fsyncMs?: number;
}

/** An open journal: append records, make them durable, close. */
export class Journal {
  private fd: number;
  private dirty = false;
  /** A periodic fsync that failed: thrown by the next append, durable() or close(). */
  private syncError: unknown;
  /** Records that may wait for the next write (appendLater). */
  private later: JournalRecord[] = [];
  private lastSync = performance.now();
  private syncing: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private readonly fsyncMs: number;
  /** fsyncs made (for the benchmark). */
  syncs = 0;

  private constructor(readonly path: string, fd: number, fsyncMs: number) {
    this.fd = fd;
    this.fsyncMs = fsyncMs;
  }

  /** Opens `file` (creating it with `header` when fresh or missing) and appends a `run` record. */
  static open(file: string, binding: JournalBinding, meta: Record<string, unknown>, opts: OpenOptions): Journal {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const exists = !opts.fresh && fs.existsSync(file);
    const fd = fs.openSync(file, exists ? "a+" : "w", 0o600);
    const j = new Journal(file, fd, opts.fsyncMs ?? 250);
    if (exists) {
      // End a torn last line so the next record starts on its own line.
      const size = fs.fstatSync(fd).size;
      if (size > 0) {
        const last = Buffer.alloc(1);
        fs.readSync(fd, last, 0, 1, size - 1);
        if (last[0] !== 0x0a) fs.writeSync(fd, "\n");
      }
    } else {
      const header: JournalHeader = { k: "journal", v: 2, ...binding, created: new Date().toISOString(), meta };
      fs.writeSync(fd, encodeRecord(header));
    }
    j.append([{ k: "run", at: new Date().toISOString(), pid: process.pid }]);
    return j;
  }

  /**
   * Appends records in one write. Every `fsyncMs` it also starts an fsync in the
   * background (libuv's thread pool): the write is in the kernel already (it survives a
   * kill), and the fsync, for a machine crash, need not hold up the event loop, where the
   * answers of every call in flight wait. fsyncMs 0 keeps a blocking fsync per record.
   */
  append(records: JournalRecord[]): void {
    if (records.length === 0 && this.later.length === 0) return;
    this.rethrowSyncError();
    const all = this.later.length ? [...this.later.splice(0), ...records] : records;
    fs.writeSync(this.fd, all.map(encodeRecord).join(""));
    this.dirty = true;
    if (this.fsyncMs === 0) this.syncNow();
    else if (!this.syncing && performance.now() - this.lastSync >= this.fsyncMs) {
      this.durable().catch((err: unknown) => {
        this.syncError ??= err;
      });
    }
  }

  /**
   * Records whose loss in a crash can only make a resume do more, never less (a
   * confirmation: its lines then count as unknown, are sent again and reported as possible
   * duplicates): they go out in the same write(2) as the next append, or with durable(),
   * finish() or close(). In a bulk send the next batch's record follows at once, so this
   * halves the writes without widening what a kill can cost.
   */
  appendLater(records: JournalRecord[]): void {
    this.later.push(...records);
    if (this.later.length >= 64) this.append([]);
  }

  /** Marks the run finished (a resume then does nothing). */
  finish(summary: Record<string, unknown>): void {
    this.append([{ k: "finished", at: new Date().toISOString(), summary }]);
    this.syncNow();
  }

  /**
   * Resolves once everything appended so far is on disk. Concurrent callers share
   * fsyncs (group commit): a call during an fsync waits for the next one.
   */
  durable(): Promise<void> {
    if (this.syncError !== undefined) return Promise.reject(this.syncError as Error);
    if (this.later.length) this.append([]);
    if (!this.syncing) {
      this.syncing = this.fsyncAsync().finally(() => (this.syncing = undefined));
      return this.syncing;
    }
    this.queued ??= this.syncing.then(() => {
      this.queued = undefined;
      return this.durable();
    });
    return this.queued;
  }

  /** fsync now, blocking: everything appended so far is on disk when it returns. */
  syncNow(): void {
    this.rethrowSyncError();
    // A background fsync still running may have started before the last write(2).
    if (!this.dirty && !this.syncing) return;
    fs.fsyncSync(this.fd);
    this.syncs += 1;
    this.dirty = false;
    this.lastSync = performance.now();
  }

  close(): void {
    if (this.fd < 0) return;
    const fd = this.fd;
    try {
      this.append([]);
      this.syncNow();
    } finally {
      this.fd = -1;
      // The descriptor outlives a background fsync in flight (never an fsync of a closed, reused fd).
      if (this.syncing) {
        const closeFd = () => fs.close(fd, () => undefined);
        void this.syncing.then(closeFd, closeFd);
      } else fs.closeSync(fd);
    }
  }

  private rethrowSyncError(): void {
    if (this.syncError !== undefined) throw this.syncError;
  }

  private fsyncAsync(): Promise<void> {
    const fd = this.fd;
    this.dirty = false;
    this.syncs += 1;
    this.lastSync = performance.now();
    return new Promise((resolve, reject) => fs.fsync(fd, (err) => (err ? reject(err) : resolve())));
  }
}

/**
 * The stdin spool of a send: kept in the state folder beside the journals, named by
 * process id, so a run killed with -9 leaves it where the next run finds and removes it.
 */
export function spoolPath(env: Record<string, string | undefined>): string {
  return path.join(stateDir(env), "spool", `stdin-${process.pid}-${randomBytes(4).toString("hex")}.ndjson`);
}

/** Removes spools of processes that no longer run (killed earlier); returns how many. */
export function removeStaleSpools(env: Record<string, string | undefined>): number {
  const dir = path.join(stateDir(env), "spool");
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const pid = Number(/^stdin-(\d+)-/.exec(name)?.[1]);
    if (!pid || pid === process.pid || alive(pid)) continue;
    try {
      fs.rmSync(path.join(dir, name), { force: true });
      removed += 1;
    } catch {
      // another run removed it
    }
  }
  return removed;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

// ---- send-batch/import records: B (a call is about to carry these lines), S (confirmed), F (failed for good)

export interface SendState {
  confirmed: LineSet;
  failed: LineSet;
  /** Lines a call carried whose outcome no readable record gives: they may be in the queue. */
  unknown: LineSet;
  /** Attempts with an unknown outcome, one per line and attempt (A records): extra copies the queue may hold. */
  ambiguous: number;
  unreadable: number;
  finished: Record<string, unknown> | undefined;
}

export function sendState(j: JournalRead): SendState {
  const confirmed = new LineSet();
  const failed = new LineSet();
  const started: number[][] = [];
  let ambiguous = 0;
  for (const r of j.records) {
    const lines = Array.isArray(r.l) ? (r.l as number[]) : [];
    if (r.k === "S") for (const n of lines) confirmed.add(n);
    else if (r.k === "F") for (const n of lines) failed.add(n);
    else if (r.k === "B") started.push(lines);
    else if (r.k === "A") ambiguous += lines.length;
  }
  const unknown = new LineSet();
  for (const batch of started) for (const n of batch) if (!confirmed.has(n) && !failed.has(n)) unknown.add(n);
  return { confirmed, failed, unknown, ambiguous, unreadable: j.unreadable, finished: j.finished };
}

/** The send-batch side of a journal. */
export class SendJournal {
  constructor(readonly journal: Journal) {}
  started(lines: number[]): void {
    this.journal.append([{ k: "B", l: lines }]);
  }
  /** Confirmed: written with the next record (appendLater); a lost S only re-sends and reports. */
  sent(lines: number[]): void {
    this.journal.appendLater([{ k: "S", l: lines }]);
  }
  failed(lines: number[]): void {
    this.journal.append([{ k: "F", l: lines }]);
  }
  /** An attempt carrying these lines had an unknown outcome. */
  ambiguous(lines: number[]): void {
    this.journal.append([{ k: "A", l: lines }]);
  }
}

// ---- move records (dlq redrive, browse): sending, sent (with the target's MessageId), deleted

export interface MoveState {
  runs: number;
  /** The last run did not write `finished` (it was killed). */
  unfinished: boolean;
  /** The hold seconds the last run used: its held messages come back after this. */
  holdSeconds: number;
  /** Sent to the target but not yet deleted from the source: delete, never send again. */
  sentNotDeleted: Map<string, { to: string; tid: string }>;
  deleted: Set<string>;
  /**
   * Handed to a send by a run that stopped before any record gave its outcome: the target
   * may hold that copy. Per message, how many stopped runs did so (each may be one copy).
   */
  maybeSent: Map<string, number>;
  /**
   * Possible extra copies in the target that no summary reported, since the last finished
   * run: send attempts of unknown outcome ("ambiguous"), and copies a stopped run may have
   * sent of a message a later stopped run then sent for sure.
   */
  ambiguousUnreported: number;
  unreadable: number;
  finished: Record<string, unknown> | undefined;
}

export function moveState(j: JournalRead | undefined): MoveState {
  const s: MoveState = { runs: 0, unfinished: false, holdSeconds: 0, sentNotDeleted: new Map(), deleted: new Set(), maybeSent: new Map(), ambiguousUnreported: 0, unreadable: 0, finished: undefined };
  if (!j) return s;
  s.runs = j.runs;
  s.unreadable = j.unreadable;
  s.finished = j.finished;
  s.holdSeconds = Number(j.header.meta.holdSeconds ?? 0);
  let ended = true;
  // Sends of the current run segment with no outcome yet; when the run stops there, each
  // becomes one possible copy in the target (maybeSent).
  const open = new Set<string>();
  const stopped = () => {
    for (const id of open) s.maybeSent.set(id, (s.maybeSent.get(id) ?? 0) + 1);
    open.clear();
  };
  // A copy is now in the target for sure: what stopped runs may have sent of it is extra.
  const confirmed = (id: string) => {
    open.delete(id);
    const earlier = s.maybeSent.get(id);
    if (earlier) s.ambiguousUnreported += earlier;
    s.maybeSent.delete(id);
  };
  for (const r of j.records) {
    if (r.k === "run") {
      if (!ended) stopped();
      open.clear();
      ended = false;
      if (typeof r.holdSeconds === "number") s.holdSeconds = r.holdSeconds;
    } else if (r.k === "finished") {
      // Its summary counted its ambiguous attempts and what it sent again of earlier runs;
      // its sends with no "sent" record failed for good (nothing in the target).
      ended = true;
      open.clear();
      s.ambiguousUnreported = 0;
    } else if (r.k === "ambiguous") s.ambiguousUnreported += (r.ids as string[]).length;
    else if (r.k === "sending") for (const id of r.ids as string[]) open.add(id);
    else if (r.k === "sent") {
      confirmed(r.id as string);
      s.sentNotDeleted.set(r.id as string, { to: r.to as string, tid: r.tid as string });
    } else if (r.k === "deleted") {
      for (const id of r.ids as string[]) {
        confirmed(id);
        s.sentNotDeleted.delete(id);
        s.deleted.add(id);
      }
    }
  }
  if (!ended) stopped();
  s.unfinished = !ended;
  return s;
}

/** The move side of a journal (undefined journal: the same state in memory only, --no-journal). */
export class MoveJournal {
  /** What stopped runs had in a send whose outcome they never recorded, with how many runs did (frozen at open). */
  readonly earlierMaybeSent: ReadonlyMap<string, number>;
  /** Another source of "already sent" (journals of other processes on the same queue). */
  alsoSent: ((id: string) => boolean) | undefined;

  constructor(
    readonly journal: Journal | undefined,
    readonly previous: MoveState,
  ) {
    this.earlierMaybeSent = new Map(previous.maybeSent);
  }

  /** Sent by this, an earlier or another run (deleted from the source or not): never send it again. */
  alreadySent(id: string): boolean {
    return this.previous.sentNotDeleted.has(id) || this.previous.deleted.has(id) || this.alsoSent?.(id) === true;
  }

  sending(to: string, ids: string[]): void {
    this.journal?.append([{ k: "sending", to, ids }]);
  }

  /** A send attempt carrying these had an unknown outcome (the target may hold one more copy each). */
  ambiguous(ids: string[]): void {
    this.journal?.append([{ k: "ambiguous", ids }]);
  }

  /** After a confirmed send; `durable()` before the delete that depends on it. */
  sent(records: Array<{ id: string; to: string; tid: string }>): void {
    for (const r of records) this.previous.sentNotDeleted.set(r.id, { to: r.to, tid: r.tid });
    this.journal?.append(records.map((r) => ({ k: "sent", ...r })));
  }

  deleted(ids: string[]): void {
    for (const id of ids) {
      this.previous.sentNotDeleted.delete(id);
      this.previous.deleted.add(id);
    }
    if (ids.length) this.journal?.append([{ k: "deleted", ids }]);
  }

  durable(): Promise<void> {
    return this.journal?.durable() ?? Promise.resolve();
  }

  finish(summary: Record<string, unknown>): void {
    this.journal?.finish(summary);
  }

  close(): void {
    this.journal?.close();
  }
}

// ---- where journals live

/** send-batch/import: one journal per endpoint + account + queue + input (sha256), so --resume finds it. */
export function sendJournalPath(env: Record<string, string | undefined>, b: JournalBinding, sha256: string): string {
  return path.join(journalDir(env), `send-batch-${bindingKey(b, sha256)}.journal`);
}

/** A new redrive journal: redrive-<queue name>-<binding key>-<UTC time>.journal */
export function newMoveJournalPath(env: Record<string, string | undefined>, b: JournalBinding, queueName: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return path.join(journalDir(env), `redrive-${queueName}-${bindingKey(b)}-${stamp}-${process.pid}.journal`);
}

/**
 * The newest redrive journal of this same endpoint + account + queue that an earlier run
 * left unfinished (killed, or sent-but-not-deleted messages), so a plain re-run resumes it.
 */
export function findUnfinishedMove(env: Record<string, string | undefined>, b: JournalBinding, queueName: string): string | undefined {
  const dir = journalDir(env);
  const prefix = `redrive-${queueName}-${bindingKey(b)}-`;
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.startsWith(prefix) && n.endsWith(".journal"));
  } catch {
    return undefined;
  }
  for (const name of names.sort().reverse().slice(0, 20)) {
    const file = path.join(dir, name);
    let read: JournalRead | undefined;
    try {
      read = readJournal(file);
    } catch {
      continue;
    }
    if (!read || bindingMismatch(read.header, b)) continue;
    // Another process on this machine is running it now (several redrives on one DLQ).
    const lastRun = read.records.findLast((r) => r.k === "run");
    if (typeof lastRun?.pid === "number" && lastRun.pid !== process.pid && alive(lastRun.pid)) continue;
    const s = moveState(read);
    // Several runs may share a DLQ: a finished newer one does not make an older killed one finished.
    if (s.unfinished || s.sentNotDeleted.size > 0) return file;
  }
  return undefined;
}
