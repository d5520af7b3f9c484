/**
 * THE one holder: every message sqsctl has received and not yet deleted, moved or
 * given back is held here, keyed by MessageId. One heartbeat (unref'd, never two beats
 * at once) renews every hold; each message has a local deadline, and a hold that a
 * heartbeat entry could not renew, or whose deadline passed, is LAPSED: someone else
 * may have received the message since, and a delete with our stale handle may
 * "succeed" without deleting (AWS, standard queues). A lapsed message is never
 * deleted or counted as done; it is reported. A later receive of it (a newer receipt
 * handle) makes it ours again.
 */
import type { SqsContext } from "../client.js";
import { changeVisibility, deleteHandles, type BatchOutcome, type Held } from "../messages.js";
import { runPool } from "./pool.js";

export interface HolderOptions {
  /** Seconds each heartbeat hides messages for (beats at about a third of it). */
  holdSeconds: number;
  fifo: boolean;
  /** From the redrive policy: an exhausted message (receiveCount >= this) is never released early. */
  maxReceiveCount?: number | undefined;
  /**
   * Keep only what custody needs (MessageId, newest receipt handle, receiveCount, deadline)
   * for every message: no body, attributes or SDK message is held. For callers that take
   * what they need from the messages `add` returns (still whole) and never hand a held
   * message on: dlq inspect, a dry run, export. `lighten` does the same for chosen ones.
   */
  lean?: boolean;
}

export interface ReleaseOutcome {
  released: number;
  failed: number;
  keptExhausted: number;
}

export interface DeleteOutcome {
  /** MessageIds confirmed deleted (newest handle). */
  deleted: string[];
  /** Failed entries, still held (or lapsed, for an invalid handle). */
  failed: Array<{ id: string; code: string }>;
  /** Hold had lapsed: NOT deleted, NOT counted as done. */
  lapsed: string[];
}

/**
 * One message in custody. Renew, release, delete, lapse detection and the peek guard read
 * only `handle`, `receiveCount`, `deadline` and `lapsed`; `held` (the whole message) is
 * kept only for callers that hand a held message on, and is undefined once lean.
 */
interface Entry {
  /** The newest receipt handle. */
  handle: string;
  /** ApproximateReceiveCount of the newest receive (the peek guard reads it). */
  receiveCount: number | undefined;
  /** Epoch ms until which the message is hidden, as far as we know. */
  deadline: number;
  lapsed: boolean;
  held: Held | undefined;
}

/**
 * A hold this close to its deadline is treated as lapsed by delete: the call could
 * reach the server after the message became visible and was received by someone else.
 */
const SAFETY_MS = 2_000;
/**
 * 10-entry calls in flight at once for a heartbeat, release or delete over many messages.
 * At 25 ms a call, releasing the 2,500 messages an export held took ~1 s at 8 lanes
 * (bench/RESULTS.md, "speed", "receive-side defaults"); 32 lanes against 16 took export
 * from 0.84 to 0.92 and dlq inspect from 0.80 to 0.85 of the raw loop (which releases
 * with 32), with no change on loopback (RESULTS 2d). 64 measured the same as 32 and
 * would take every socket of the client's pool (64) during a heartbeat.
 */
const LANES = 32;

/** The id a message is held under: its MessageId (a receipt handle only if a server omits it). */
export function idOf(h: Held): string {
  return h.envelope.messageId ?? h.receiptHandle;
}

/** True when this receive used the message's last attempt: the next receive of it, by anyone, moves it to the DLQ. */
export function isExhausted(h: Held, maxReceiveCount: number | undefined): boolean {
  return maxReceiveCount !== undefined && (h.envelope.receiveCount ?? 0) >= maxReceiveCount;
}

const exhaustedEntry = (e: Entry, maxReceiveCount: number | undefined) => maxReceiveCount !== undefined && (e.receiveCount ?? 0) >= maxReceiveCount;

/** What `get` returns for a lean entry: the custody data only (empty body, no attributes), built on demand. */
function leanView(id: string, e: Entry): Held {
  return {
    receiptHandle: e.handle,
    envelope: { body: "", messageId: id, ...(e.receiveCount !== undefined ? { receiveCount: e.receiveCount } : {}) },
    raw: { MessageId: id, ReceiptHandle: e.handle },
  };
}

/**
 * A batch call (changeVisibility, deleteHandles: they read every Failed list and never
 * throw) over many handles, one 10-entry call per task, LANES at a time through THE pool.
 * No signal on purpose: a release or delete in hand is finished even after Ctrl-C.
 */
async function wide(handles: string[], call: (slice: string[]) => Promise<BatchOutcome>): Promise<BatchOutcome> {
  if (handles.length <= 10) return call(handles);
  const slices: string[][] = [];
  for (let i = 0; i < handles.length; i += 10) slices.push(handles.slice(i, i + 10));
  const out: BatchOutcome = { ok: [], failed: [] };
  await runPool(slices, async (slice) => {
    const r = await call(slice);
    out.ok.push(...r.ok);
    out.failed.push(...r.failed);
  }, { concurrency: LANES });
  return out;
}

const changeVisibilityWide = (ctx: SqsContext, url: string, handles: string[], seconds: number) =>
  wide(handles, (s) => changeVisibility(ctx, url, s, seconds));

export class Holder {
  private readonly entries = new Map<string, Entry>();
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;
  private closing: Promise<ReleaseOutcome> | undefined;
  /** Receives of a message this holder already held (SQS is at-least-once, or a hold lapsed). */
  redelivered = 0;

  constructor(
    private readonly ctx: SqsContext,
    readonly url: string,
    readonly opts: HolderOptions,
  ) {}

  /** Seconds a receive into this holder should hide messages for (the receive loop uses it). */
  get holdSeconds(): number {
    return this.opts.holdSeconds;
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Takes custody of received messages (dedup by MessageId; a re-delivery's newer
   * handle wins and makes a lapsed hold ours again). The messages must have been
   * received with a visibility of `holdSeconds`. Returns the ones new to this holder.
   */
  add(batch: Held[]): Held[] {
    if (this.closing) throw new Error("Holder.add after close()");
    const fresh: Held[] = [];
    const deadline = Date.now() + this.opts.holdSeconds * 1000;
    for (const h of batch) {
      const id = idOf(h);
      const known = this.entries.get(id);
      // A re-delivery is never handed to the caller (add does not return it): a lean entry stays lean.
      const keep = this.opts.lean || (known !== undefined && known.held === undefined) ? undefined : h;
      const record = { handle: h.receiptHandle, receiveCount: h.envelope.receiveCount, deadline, lapsed: false, held: keep };
      if (known) {
        Object.assign(known, record);
        this.redelivered += 1;
      }
      else {
        this.entries.set(id, record);
        fresh.push(h);
      }
    }
    if (batch.length) this.startHeartbeat();
    return fresh;
  }

  /**
   * The held message with its NEWEST receipt handle, or undefined. A lean entry (see
   * `lean`, `lighten`) gives its custody data only: an empty body and no attributes, so
   * never hand one on to be sent (`isLean` tells).
   */
  get(messageId: string): Held | undefined {
    const e = this.entries.get(messageId);
    if (!e) return undefined;
    return e.held ?? leanView(messageId, e);
  }

  /** True when the holder keeps only custody data for this message (no body): see `lighten`. */
  isLean(messageId: string): boolean {
    const e = this.entries.get(messageId);
    return e !== undefined && e.held === undefined;
  }

  /**
   * The caller has what it needs of these messages (written, counted, or left where they
   * are): keep only what custody needs (newest handle, receiveCount, deadline), so their
   * bodies, attributes and SDK messages can be freed. Custody is unchanged: they are
   * renewed, released and guarded as before, and a re-delivery keeps them lean.
   */
  lighten(ids: Iterable<string>): void {
    for (const id of ids) {
      const e = this.entries.get(id);
      if (e) e.held = undefined;
    }
  }

  has(messageId: string): boolean {
    return this.entries.has(messageId);
  }

  /** Every MessageId in custody (held or lapsed). */
  ids(): string[] {
    return [...this.entries.keys()];
  }

  /** True when this held message used its last receive (the peek guard keeps it hidden). */
  exhausted(messageId: string): boolean {
    const e = this.entries.get(messageId);
    return e !== undefined && exhaustedEntry(e, this.opts.maxReceiveCount);
  }

  /** MessageIds whose hold lapsed (a heartbeat entry failed, or the local deadline passed). */
  lapsed(): string[] {
    this.markOverdue();
    return [...this.entries].filter(([, e]) => e.lapsed).map(([id]) => id);
  }

  /** Stop tracking without any call (already deleted/moved elsewhere). */
  forget(ids: string[]): void {
    for (const id of ids) this.entries.delete(id);
  }

  /** Deletes with the newest handles; reads Failed; lapsed holds are reported, never deleted-as-done. */
  async delete(ids: string[]): Promise<DeleteOutcome> {
    await this.beating;
    // A hold about to run out is renewed first (which also proves the handle is still ours).
    const margin = Math.min(SAFETY_MS, this.opts.holdSeconds * 250);
    const soon = Date.now() + margin;
    if (ids.some((id) => { const e = this.entries.get(id); return e !== undefined && !e.lapsed && e.deadline <= soon; })) await this.beat();
    this.markOverdue(margin, ids);
    const out: DeleteOutcome = { deleted: [], failed: [], lapsed: [] };
    const byHandle = new Map<string, string>();
    for (const id of ids) {
      const e = this.entries.get(id);
      if (!e) out.failed.push({ id, code: "NotHeld" });
      else if (e.lapsed) out.lapsed.push(id);
      else byHandle.set(e.handle, id);
    }
    if (byHandle.size === 0) return out;
    const res = await wide([...byHandle.keys()], (s) => deleteHandles(this.ctx, this.url, s));
    for (const handle of res.ok) {
      const id = byHandle.get(handle)!;
      this.entries.delete(id);
      out.deleted.push(id);
    }
    for (const f of res.failed) {
      const id = byHandle.get(f.receiptHandle)!;
      const e = this.entries.get(id);
      // A handle the server calls invalid is no longer ours: the hold lapsed.
      if (e && /ReceiptHandleIsInvalid|InvalidParameterValue|MessageNotInflight/.test(f.code)) e.lapsed = true;
      out.failed.push({ id, code: f.code });
    }
    return out;
  }

  /** Visible again (all when ids omitted); exhausted ones are kept hidden to expire (peek guard). Lapsed ones are not ours to release: they stay reported. */
  async release(ids?: string[]): Promise<ReleaseOutcome> {
    await this.beating;
    this.markOverdue();
    const targets = ids ?? [...this.entries.keys()];
    const byHandle = new Map<string, string>();
    let keptExhausted = 0;
    for (const id of targets) {
      const e = this.entries.get(id);
      if (!e || e.lapsed) continue;
      if (exhaustedEntry(e, this.opts.maxReceiveCount)) {
        keptExhausted += 1;
        this.entries.delete(id);
      } else byHandle.set(e.handle, id);
    }
    if (byHandle.size === 0) return { released: 0, failed: 0, keptExhausted };
    const first = await changeVisibilityWide(this.ctx, this.url, [...byHandle.keys()], 0);
    let failed = first.failed;
    let ok = first.ok;
    if (failed.length) {
      // Some servers refuse a timeout of 0 (fauxqs with --data-dir); one second is as good.
      const second = await changeVisibilityWide(this.ctx, this.url, failed.map((f) => f.receiptHandle), 1);
      ok = [...ok, ...second.ok];
      failed = second.failed;
    }
    // Released or not, they are no longer held: a failed release returns by its own timeout.
    for (const id of byHandle.values()) this.entries.delete(id);
    return { released: ok.length, failed: failed.length, keptExhausted };
  }

  /** Stops the heartbeat and releases everything still held. Idempotent; call on EVERY exit path. */
  close(): Promise<ReleaseOutcome> {
    this.closing ??= (async () => {
      this.stopHeartbeat();
      return this.release();
    })();
    return this.closing;
  }

  /**
   * One heartbeat: marks holds past their deadline as lapsed, then renews the rest
   * for holdSeconds; an entry that fails to renew is lapsed. Never throws, and never
   * runs twice at once (a slow beat is not stacked on). Public for tests and for
   * callers that must renew right before a slow step.
   */
  beat(): Promise<void> {
    this.beating ??= this.renew().finally(() => (this.beating = undefined));
    return this.beating;
  }

  private async renew(): Promise<void> {
    this.markOverdue();
    const live = [...this.entries].filter(([, e]) => !e.lapsed);
    if (live.length === 0) return;
    const byHandle = new Map(live.map(([id, e]) => [e.handle, id]));
    // The new deadline counts from before the call: the server may apply it at once.
    const deadline = Date.now() + this.opts.holdSeconds * 1000;
    let res: BatchOutcome;
    try {
      res = await changeVisibilityWide(this.ctx, this.url, [...byHandle.keys()], this.opts.holdSeconds);
    } catch {
      return; // the local deadlines stay as they were; the next beat (or delete) sees them pass
    }
    const stillSame = (handle: string) => {
      const e = this.entries.get(byHandle.get(handle)!);
      // A newer receive (add) replaced the handle meanwhile: this result is not about it.
      return e && e.handle === handle ? e : undefined;
    };
    for (const handle of res.ok) {
      const e = stillSame(handle);
      if (e && !e.lapsed) e.deadline = Math.max(e.deadline, deadline);
    }
    for (const f of res.failed) {
      const e = stillSame(f.receiptHandle);
      if (e) e.lapsed = true;
    }
  }

  private markOverdue(marginMs = 0, ids?: string[]): void {
    const now = Date.now() + marginMs;
    const targets = ids ? ids.map((id) => this.entries.get(id)) : [...this.entries.values()];
    for (const e of targets) if (e && !e.lapsed && e.deadline <= now) e.lapsed = true;
  }

  private startHeartbeat(): void {
    if (this.timer || this.closing) return;
    this.timer = setInterval(() => void this.beat(), Math.max(200, (this.opts.holdSeconds * 1000) / 3));
    this.timer.unref();
  }

  private stopHeartbeat(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
