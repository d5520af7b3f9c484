/**
 * What a browse session holds: the snapshot (received with a visibility timeout and
 * de-duplicated by MessageId), the heartbeat that keeps it hidden while the user
 * reads, the check that a message is still ours before acting on it (re-fetching it
 * when the hold lapsed), and the release of everything not acted on.
 */
import type { Envelope } from "../core/envelope.js";
import type { SqsContext } from "../sqs/client.js";
import { changeVisibility, receiveOnce, type BatchOutcome, type Held } from "../sqs/messages.js";

export interface HeldMessage {
  id: string;
  envelope: Envelope;
  receiptHandle: string;
  /** held: ours; lost: the hold lapsed (heartbeat failed or too late); done: deleted or moved; released: given back. */
  state: "held" | "lost" | "done" | "released";
  /** Epoch ms until which the message is hidden, as far as we know. */
  heldUntil: number;
}

export interface HolderOptions {
  /** Visibility timeout of each receive and each heartbeat, seconds. */
  holdSeconds: number;
  /** How often the heartbeat extends the hold, ms. */
  heartbeatMs: number;
  /** Long-poll seconds for snapshot and re-fetch receives. */
  waitSeconds: number;
  /** Consecutive empty long polls that end a snapshot (never just one). */
  emptyPolls: number;
  now?: () => number;
}

export const DEFAULT_HOLD: HolderOptions = { holdSeconds: 60, heartbeatMs: 20_000, waitSeconds: 1, emptyPolls: 2 };

/** A hold closer than this (or a quarter of the hold) to running out is treated as lapsed: a delete with it could race the timeout. */
const SAFETY_MS = 5_000;

export interface SnapshotOptions {
  /** Most messages to keep (those matching the filter). */
  limit: number;
  /** Most messages to receive in all, matching or not. */
  scan: number;
  filter?: (env: Envelope) => boolean;
  /**
   * ApproximateNumberOfMessages before the scan. Once this many were received, one
   * empty long poll ends the scan; before that it takes `emptyPolls` in a row.
   */
  expected?: number;
  signal?: AbortSignal;
  onProgress?: (p: { kept: number; scanned: number }) => void;
}

export interface SnapshotResult {
  kept: number;
  scanned: number;
  /** Messages received but not kept (filter, limit), released at the end of the scan. */
  released: number;
  /** Receives that returned a message already held (visibility lapsed mid-scan). */
  duplicates: number;
  /** True when the scan stopped at --limit or --scan rather than an empty queue. */
  truncated: boolean;
  releaseFailed: number;
}

export interface VerifyResult {
  /** Ids held now, with a fresh hold, in the order asked. */
  ready: string[];
  /** Ids whose hold lapsed and that could not be received again: reported, never skipped silently. */
  missing: string[];
  /** Ids that were lost and have been received again (new receipt handle). */
  refetched: string[];
}

/**
 * Makes messages visible again (visibility 0). Entries refused are tried once more
 * with 1 s: some servers reject 0 (fauxqs with --data-dir), and 1 s is as good.
 */
export async function releaseHandles(sqs: SqsContext, url: string, handles: string[]): Promise<BatchOutcome> {
  const first = await changeVisibility(sqs, url, handles, 0);
  if (first.failed.length === 0) return first;
  const second = await changeVisibility(sqs, url, first.failed.map((f) => f.receiptHandle), 1);
  return { ok: [...first.ok, ...second.ok], failed: second.failed };
}

/**
 * Runs a batch operation over many handles in slices of 100 (ten 10-entry calls), up
 * to 8 slices at a time: a heartbeat over thousands of held messages must finish well
 * within the hold, even at tens of milliseconds a call.
 */
async function inParallel(handles: string[], run: (part: string[]) => Promise<BatchOutcome>): Promise<BatchOutcome> {
  const parts: string[][] = [];
  for (let i = 0; i < handles.length; i += 100) parts.push(handles.slice(i, i + 100));
  const out: BatchOutcome = { ok: [], failed: [] };
  let next = 0;
  const worker = async () => {
    while (next < parts.length) {
      const r = await run(parts[next++]!);
      out.ok.push(...r.ok);
      out.failed.push(...r.failed);
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, parts.length) }, worker));
  return out;
}

export class Holder {
  readonly messages = new Map<string, HeldMessage>();
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;
  private readonly now: () => number;
  private readonly lostListeners = new Set<() => void>();

  constructor(
    private readonly sqs: SqsContext,
    readonly url: string,
    readonly opts: HolderOptions = DEFAULT_HOLD,
  ) {
    this.now = opts.now ?? Date.now;
  }

  /** Messages still held or lost (not acted on), oldest sent first, ties in the order received. */
  list(): HeldMessage[] {
    return [...this.messages.values()]
      .filter((m) => m.state === "held" || m.state === "lost")
      .sort((a, b) => (a.envelope.sentAt ?? "").localeCompare(b.envelope.sentAt ?? ""));
  }

  get(id: string): HeldMessage | undefined {
    return this.messages.get(id);
  }

  /**
   * Receives until `limit` messages match, `scan` were received, or `emptyPolls`
   * long polls in a row find nothing. Everything received stays hidden during the
   * scan (so nothing is seen twice); what is not kept is released at the end.
   */
  async snapshot(o: SnapshotOptions): Promise<SnapshotResult> {
    const extra = new Map<string, Held>();
    let scanned = 0;
    let duplicates = 0;
    let empties = 0;
    let truncated = false;
    const kept = () => this.list().length;
    // Those not kept are hidden too while scanning; the heartbeat must cover them.
    this.extraDuringScan = extra;
    try {
      while (!o.signal?.aborted) {
        if (kept() >= o.limit || scanned >= o.scan) {
          truncated = true;
          break;
        }
        const batch = await receiveOnce(this.sqs, this.url, { max: 10, waitSeconds: this.opts.waitSeconds, visibilityTimeout: this.opts.holdSeconds });
        if (batch.length === 0) {
          empties += 1;
          const seenAll = o.expected !== undefined && scanned >= o.expected;
          if (empties >= (seenAll ? 1 : this.opts.emptyPolls)) break;
          continue;
        }
        empties = 0;
        const heldUntil = this.now() + this.opts.holdSeconds * 1000;
        for (const h of batch) {
          const id = h.envelope.messageId ?? "";
          const known = this.messages.get(id) ?? extra.get(id);
          if (known) {
            // Seen before: its earlier hold lapsed. Only the newest receipt handle is valid.
            duplicates += 1;
            if ("state" in known) Object.assign(known, { receiptHandle: h.receiptHandle, envelope: h.envelope, state: "held", heldUntil });
            else extra.set(id, h);
            continue;
          }
          scanned += 1;
          const keep = kept() < o.limit && (o.filter ? o.filter(h.envelope) : true);
          if (keep) this.messages.set(id, { id, envelope: h.envelope, receiptHandle: h.receiptHandle, state: "held", heldUntil });
          else extra.set(id, h);
        }
        o.onProgress?.({ kept: kept(), scanned });
      }
    } catch (err) {
      // A failed receive must not leave what was not kept hidden until its timeout.
      if (extra.size) await releaseHandles(this.sqs, this.url, [...extra.values()].map((h) => h.receiptHandle)).catch(() => undefined);
      throw err;
    } finally {
      this.extraDuringScan = undefined;
    }
    const out = extra.size ? await releaseHandles(this.sqs, this.url, [...extra.values()].map((h) => h.receiptHandle)) : { ok: [], failed: [] };
    return { kept: kept(), scanned, released: out.ok.length, duplicates, truncated, releaseFailed: out.failed.length };
  }

  private extraDuringScan: Map<string, Held> | undefined;

  /** Starts extending every held message every `heartbeatMs`. */
  startHeartbeat(): void {
    this.stopHeartbeat();
    this.timer = setInterval(() => void this.beat(), this.opts.heartbeatMs);
    this.timer.unref();
  }

  stopHeartbeat(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * One heartbeat: extends every held message; an entry that fails is marked lost. So
   * is one whose hold already ran out (the process was suspended, the machine slept):
   * someone may have received it since, and some servers accept a stale handle.
   */
  beat(): Promise<void> {
    this.beating ??= (async () => {
      const now = this.now();
      const held = this.list().filter((m) => m.state === "held");
      for (const m of held) if (m.heldUntil <= now) m.state = "lost";
      await this.extend(held.filter((m) => m.state === "held"));
      if (held.some((m) => m.state === "lost")) for (const cb of this.lostListeners) cb();
    })().finally(() => (this.beating = undefined));
    return this.beating;
  }

  private async extend(targets: HeldMessage[]): Promise<void> {
    const extra = [...(this.extraDuringScan?.values() ?? [])].map((h) => h.receiptHandle);
    const handles = [...targets.map((m) => m.receiptHandle), ...extra];
    if (handles.length === 0) return;
    const until = this.now() + this.opts.holdSeconds * 1000;
    const out = await inParallel(handles, (part) => changeVisibility(this.sqs, this.url, part, this.opts.holdSeconds));
    const failed = new Set(out.failed.map((f) => f.receiptHandle));
    for (const m of targets) {
      if (m.state !== "held") continue;
      if (failed.has(m.receiptHandle)) m.state = "lost";
      else m.heldUntil = until;
    }
  }

  /**
   * Makes sure the messages about to be deleted or moved are still ours: extends
   * their hold (which fails for a stale handle), treats a hold about to lapse as lost,
   * and re-receives lost ones to get a valid receipt handle.
   */
  async verify(ids: string[]): Promise<VerifyResult> {
    await this.beating;
    const wanted = ids.map((id) => this.messages.get(id)).filter((m): m is HeldMessage => m !== undefined && (m.state === "held" || m.state === "lost"));
    const now = this.now();
    const safety = Math.min(SAFETY_MS, this.opts.holdSeconds * 250);
    for (const m of wanted) if (m.state === "held" && m.heldUntil - safety <= now) m.state = "lost";
    await this.extend(wanted.filter((m) => m.state === "held"));
    const lost = wanted.filter((m) => m.state === "lost").map((m) => m.id);
    const refetched = lost.length ? await this.refetch(lost) : [];
    const ready = wanted.filter((m) => m.state === "held").map((m) => m.id);
    const missing = wanted.filter((m) => m.state === "lost").map((m) => m.id);
    return { ready, missing, refetched };
  }

  /**
   * Receives again looking for lost messages. A lost message found gets its new
   * receipt handle back; anything else received is released at once.
   */
  async refetch(ids: string[], maxPolls = 5): Promise<string[]> {
    const want = new Set(ids);
    const found: string[] = [];
    let empties = 0;
    for (let i = 0; i < maxPolls && want.size > 0; i++) {
      const batch = await receiveOnce(this.sqs, this.url, { max: 10, waitSeconds: this.opts.waitSeconds, visibilityTimeout: this.opts.holdSeconds });
      if (batch.length === 0) {
        if (++empties >= this.opts.emptyPolls) break;
        continue;
      }
      empties = 0;
      const others: string[] = [];
      const heldUntil = this.now() + this.opts.holdSeconds * 1000;
      for (const h of batch) {
        const id = h.envelope.messageId ?? "";
        const m = this.messages.get(id);
        if (m && m.state === "lost") {
          Object.assign(m, { receiptHandle: h.receiptHandle, envelope: h.envelope, state: "held", heldUntil });
          if (want.delete(id)) found.push(id);
        } else {
          others.push(h.receiptHandle);
        }
      }
      if (others.length) await releaseHandles(this.sqs, this.url, others);
    }
    return found;
  }

  /** Calls `cb` whenever a heartbeat finds messages whose hold lapsed; returns the unsubscribe. */
  onLost(cb: () => void): () => void {
    this.lostListeners.add(cb);
    return () => this.lostListeners.delete(cb);
  }

  /** Marks messages as acted on: they leave the list and are never released. */
  markDone(ids: Iterable<string>): void {
    for (const id of ids) {
      const m = this.messages.get(id);
      if (m) m.state = "done";
    }
  }

  /**
   * Stops the heartbeat and makes every message not acted on visible again at once.
   * Lost ones are not ours to release (their handles are stale); they are counted.
   */
  async releaseAll(): Promise<{ released: number; failed: number; lost: number }> {
    this.stopHeartbeat();
    await this.beating?.catch(() => undefined);
    const held = this.list().filter((m) => m.state === "held");
    const lost = this.list().filter((m) => m.state === "lost").length;
    if (held.length === 0) return { released: 0, failed: 0, lost };
    const out = await inParallel(held.map((m) => m.receiptHandle), (part) => releaseHandles(this.sqs, this.url, part));
    const ok = new Set(out.ok);
    for (const m of held) if (ok.has(m.receiptHandle)) m.state = "released";
    return { released: out.ok.length, failed: out.failed.length, lost };
  }
}
