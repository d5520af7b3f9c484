/**
 * THE one holder: every message sqsctl has received and not yet deleted, moved or
 * given back is held here, keyed by MessageId. One heartbeat (unref'd, never two beats
 * at once) keeps every hold alive; each message has a local deadline (counted from
 * before the call that hid it, so it never runs past the server's), and a hold that a
 * heartbeat entry could not renew, or whose deadline passed, is LAPSED: someone else
 * may have received the message since, and a delete with our stale handle may
 * "succeed" without deleting (AWS, standard queues). A lapsed message is never
 * deleted or counted as done; it is reported. A later receive of it (a newer receipt
 * handle) makes it ours again.
 *
 * HEARTBEAT: a beat every twelfth of the hold (5 s for a 60 s hold) renews only the
 * holds with half the hold or less left (deadline <= now + holdSeconds/2), earliest
 * deadline first, each 10-entry call's new deadline counted from just before that call
 * was sent. A hold a beat skips has more than half the hold left, so the next beat,
 * due a twelfth later, still finds it with 5/12 of the hold to spare (25 s for 60 s,
 * 12.5 s for the manual redrive's 30 s): that beat may start that late (a GC pause, a
 * busy event loop, the beat before it slow) before a skipped hold is at risk. The
 * slowest beat: 100,000 holds all due at once (received within one beat) at 25 ms a
 * call is 10,000 calls over 32 lanes, ~8 s, and a beat renews in deadline order at
 * the rate the 32 receivers took them in (32 lanes of 10-entry calls), so it keeps up
 * with how the holds came in. A beat that overran its interval is followed at once,
 * never by a skipped tick. Renewing
 * every hold every third of the hold (before bench/RESULTS.md 3d) allowed a beat 2/3
 * of the hold late, but at 100,000 held made 10,000 calls a beat, as many as the scan's
 * own receives; now each hold is renewed every half hold (not every third), and a
 * scan shorter than half the hold renews nothing.
 */
import type { SqsContext } from "../client.js";
import { changeVisibility, deleteHandles, type BatchOutcome, type Held } from "../messages.js";
import { runPool } from "./pool.js";

export interface HolderOptions {
  /** Seconds each receive and renewal hides messages for (a hold is renewed once half of it is left). */
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
  /** Epoch ms until which the message is hidden at least (counted from before the call that hid it). */
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
  private ticking = false;
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
   * received with a visibility of `holdSeconds`, by a call sent at `sentAt` (epoch ms,
   * default now: give it when known, so the deadline never runs past the server's).
   * Returns the ones new to this holder.
   */
  add(batch: Held[], sentAt = Date.now()): Held[] {
    if (this.closing) throw new Error("Holder.add after close()");
    const fresh: Held[] = [];
    const deadline = sentAt + this.opts.holdSeconds * 1000;
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

  /** True when this message's hold lapsed (see `lapsed`): one lookup, for callers that ask per message. */
  isLapsed(messageId: string): boolean {
    const e = this.entries.get(messageId);
    if (e && !e.lapsed && e.deadline <= Date.now()) e.lapsed = true;
    return e !== undefined && e.lapsed;
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
    const nearEnd = () => {
      const soon = Date.now() + margin;
      return ids.filter((id) => { const e = this.entries.get(id); return e !== undefined && !e.lapsed && e.deadline <= soon; });
    };
    if (nearEnd().length) await this.renewWhen(nearEnd);
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
    // Released or not, they are no longer held (a failed release returns by its own timeout).
    // Out of the map before the calls: a beat meanwhile must not hide them again, and a
    // receive of one after it is visible is a new hold, not one this release then drops.
    for (const id of byHandle.values()) this.entries.delete(id);
    const first = await changeVisibilityWide(this.ctx, this.url, [...byHandle.keys()], 0);
    let failed = first.failed;
    let ok = first.ok;
    if (failed.length) {
      // Some servers refuse a timeout of 0 (fauxqs with --data-dir); one second is as good.
      const second = await changeVisibilityWide(this.ctx, this.url, failed.map((f) => f.receiptHandle), 1);
      ok = [...ok, ...second.ok];
      failed = second.failed;
    }
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
   * Renews EVERY live hold now, whatever its deadline (the heartbeat renews only those
   * about to run out): for callers that must know every handle is still ours, or renew
   * right before a slow step. Marks holds past their deadline as lapsed; an entry that
   * fails to renew is lapsed. Never throws, and never runs at the same time as another
   * beat (it starts once the one in hand ends).
   */
  beat(): Promise<void> {
    return this.renewWhen(() => [...this.entries.keys()]);
  }

  /** The heartbeat's interval: a twelfth of the hold (see HEARTBEAT above). */
  private get interval(): number {
    return Math.max(200, (this.opts.holdSeconds * 1000) / 12);
  }

  /**
   * The heartbeat's pick: lapses the holds whose deadline passed and returns the ones
   * with half the hold or less left (see HEARTBEAT above). One walk of the entries per
   * beat (~1 ms per 100,000), none per received batch.
   */
  private due(): string[] {
    const now = Date.now();
    const horizon = now + (this.opts.holdSeconds * 1000) / 2;
    const out: string[] = [];
    for (const [id, e] of this.entries) {
      if (e.lapsed) continue;
      if (e.deadline <= now) e.lapsed = true;
      else if (e.deadline <= horizon) out.push(id);
    }
    return out;
  }

  /**
   * Runs one beat over the ids `pick` returns, once no other beat is in hand (a beat
   * joins none in flight: it may cover other holds). Beats run one at a time.
   */
  private async renewWhen(pick: () => string[]): Promise<void> {
    while (this.beating) await this.beating;
    this.beating = this.renew(pick()).finally(() => (this.beating = undefined));
    return this.beating;
  }

  /**
   * Renews these holds for holdSeconds, earliest deadline first, LANES calls at a time.
   * Each call's new deadline counts from just before it was sent (the server may apply
   * it at once), and a hold whose deadline passed before its call went out is lapsed,
   * not renewed. Never throws: a call that fails leaves its deadlines as they were, and
   * the next beat (or delete) sees them pass.
   */
  private async renew(ids: string[]): Promise<void> {
    const live: Array<{ id: string; e: Entry }> = [];
    for (const id of ids) {
      const e = this.entries.get(id);
      if (e && !e.lapsed) live.push({ id, e });
    }
    if (live.length === 0) return;
    live.sort((a, b) => a.e.deadline - b.e.deadline);
    const slices: Array<typeof live> = [];
    for (let i = 0; i < live.length; i += 10) slices.push(live.slice(i, i + 10));
    const renewSlice = async (slice: typeof live) => {
      const sentAt = Date.now();
      // A newer receive (add) may have replaced a handle meanwhile: renew the newest.
      const byHandle = new Map<string, Entry>();
      for (const { id, e } of slice) {
        if (this.entries.get(id) !== e || e.lapsed) continue;
        if (e.deadline <= sentAt) e.lapsed = true;
        else byHandle.set(e.handle, e);
      }
      if (byHandle.size === 0) return;
      let res: BatchOutcome;
      try {
        res = await changeVisibility(this.ctx, this.url, [...byHandle.keys()], this.opts.holdSeconds);
      } catch {
        return;
      }
      const deadline = sentAt + this.opts.holdSeconds * 1000;
      // A result is about the handle it was sent with: a handle replaced meanwhile is left to its own deadline.
      for (const handle of res.ok) {
        const e = byHandle.get(handle)!;
        if (e.handle === handle && !e.lapsed) e.deadline = Math.max(e.deadline, deadline);
      }
      for (const f of res.failed) {
        const e = byHandle.get(f.receiptHandle);
        if (e && e.handle === f.receiptHandle) e.lapsed = true;
      }
    };
    await runPool(slices, renewSlice, { concurrency: LANES }).catch(() => undefined);
  }

  private markOverdue(marginMs = 0, ids?: string[]): void {
    const now = Date.now() + marginMs;
    const targets = ids ? ids.map((id) => this.entries.get(id)) : this.entries.values();
    for (const e of targets) if (e && !e.lapsed && e.deadline <= now) e.lapsed = true;
  }

  /**
   * The heartbeat: one timer at a time (unref'd). A beat that took longer than the
   * interval is followed at once, so a slow beat never costs a skipped tick.
   */
  private startHeartbeat(): void {
    if (this.ticking || this.closing) return;
    this.ticking = true;
    this.scheduleBeat(this.interval);
  }

  private scheduleBeat(ms: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const started = Date.now();
      void this.renewWhen(() => this.due()).finally(() => {
        if (this.ticking) this.scheduleBeat(Math.max(0, this.interval - (Date.now() - started)));
      });
    }, ms);
    this.timer.unref();
  }

  private stopHeartbeat(): void {
    this.ticking = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
