import type { Envelope } from "../../core/envelope.js";
import type { SqsContext } from "../client.js";
import type { Held } from "../messages.js";
import { Holder } from "../custody/holder.js";
import type { MoveJournal } from "../custody/journal.js";
import { moveHeld, stoppedMoveOutcome, type MoveFailure, type MoveOutcome, type MoveTarget } from "../custody/mover.js";
import { RateLimiter, runPool, sleep, type ConcurrencyControl } from "../custody/pool.js";
import { DEFAULT_RECEIVERS, receiveInto, type LoopEnd } from "../custody/receive-loop.js";
import type { ForeignJournals } from "./foreign.js";

/** Where one message goes, or why it stays in the DLQ. */
export type TargetChoice = { target: MoveTarget } | { stay: string };

export interface ManualRedriveOptions {
  source: { name: string; url: string; fifo: boolean };
  /** The target of one message, or the reason it stays in the DLQ (counted under that reason). */
  targetFor: (env: Envelope) => Promise<TargetChoice>;
  /** Only matching messages move; the others are held until the end, then released (looked at once). */
  filter?: ((env: Envelope) => boolean) | undefined;
  /** Move at most this many. */
  max?: number | undefined;
  /** Messages a second, overall. */
  rate?: number | undefined;
  /** Receives and moves in parallel. @default 8 */
  concurrency?: number | ConcurrencyControl | undefined;
  /** Seconds a received message stays hidden; the holder's heartbeat renews it. @default 30 */
  holdSeconds?: number;
  /** Long-poll seconds of each receive. @default 2 */
  waitSeconds?: number;
  /**
   * Also wait (up to this many seconds) for messages someone else holds, e.g. a killed
   * earlier run's, before deciding the DLQ is empty. @default 0
   */
  waitForInFlightSeconds?: number;
  journal: MoveJournal;
  /** Journals of other runs on this DLQ (other processes): what they sent is not sent again. */
  foreign?: ForeignJournals | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((s: ManualRedriveStats) => void) | undefined;
}

export interface ManualRedriveStats {
  /** Distinct messages received. */
  received: number;
  moved: number;
  /** Did not match the filter or were beyond --max: left in the DLQ. */
  skipped: number;
  /** No target could be found: left in the DLQ, counted by reason (issue 10 #3). */
  noTarget: Record<string, number>;
  /** Send failed (or its FIFO group was stopped): left in the DLQ. */
  failed: number;
  /** Journaled as sent (by an earlier run, or another process): deleted from the DLQ without sending again. */
  alreadySent: number;
  /** Sent but not deleted: in the target and still in the DLQ. A re-run with the same journal deletes them. */
  deleteFailed: number;
  /** Sent, but this run's hold lapsed before the delete and the message did not come back to it: still in the DLQ. */
  lapsed: number;
  /** Extra copies that may be in a target: unknown-outcome attempts, and resends of what a stopped run may have sent. */
  possibleDuplicates: number;
  /** FIFO: accepted by the target behind a failed earlier message of their group. */
  outOfOrder: number;
  /** Messages this run could not see because someone else held them when it ended. */
  inFlightElsewhere: number;
  /** Visible messages no receive returned at the end (FIFO groups blocked by another consumer). */
  unreachable: number;
  /** error: a call failed every attempt; the stats then say what was done before it (attached to the error as `redriveStats`). */
  ended: "empty" | "max" | "interrupted" | "stalled" | "error";
  failures: Array<{ messageId: string; code: string; message: string }>;
  byTarget: Record<string, number>;
}

const idOf = (h: Held) => h.envelope.messageId ?? h.receiptHandle;

/**
 * The manual redrive on the custody engine: THE receive loop fills THE holder (one
 * heartbeat renews every message in hand), THE mover sends, journals, fsyncs and
 * deletes only what was confirmed sent, with the newest receipt handle. Messages it
 * leaves (filtered out, failed, over --max, no target) stay held until the end so each
 * is looked at once, then released. A sent message whose hold lapsed is not counted as
 * moved: the run waits for it to come back and deletes it then (the journal says it was
 * sent), or reports it. On abort it finishes the batch in hand and releases the rest.
 */
export async function runManualRedrive(ctx: SqsContext, opts: ManualRedriveOptions): Promise<ManualRedriveStats> {
  const holdSeconds = opts.holdSeconds ?? 30;
  const holder = new Holder(ctx, opts.source.url, { holdSeconds, fifo: opts.source.fifo });
  const stats = newStats();
  const run = new Run(ctx, opts, holder, stats);
  try {
    // The end rule may call a FIFO queue "stalled" while this run's own moves still block
    // its groups (a server that answers empty at once): a pass that made progress is
    // followed by another; only a pass that moved nothing ends the run as stalled.
    for (;;) {
      const before = stats.moved + stats.alreadySent + stats.failed + stats.skipped;
      await run.pass(opts.max === undefined ? undefined : Math.max(0, opts.max - stats.moved));
      const progress = stats.moved + stats.alreadySent + stats.failed + stats.skipped > before;
      if (stats.ended !== "stalled" || !progress || opts.signal?.aborted) break;
    }
    // Sent, but the hold lapsed: wait for those to come back (their visibility ends within
    // a hold) and delete them then; or for a stopped run's messages to come back.
    const deadline = Date.now() + (holdSeconds + 5) * 1000;
    const waitUntil = Date.now() + (opts.waitForInFlightSeconds ?? 0) * 1000;
    while ((stats.ended === "empty" || stats.ended === "stalled") && !opts.signal?.aborted) {
      await run.settleLapsed();
      const waitingLapsed = run.unsettled.size > 0 && Date.now() < deadline;
      const waitingOthers = run.end.inFlightElsewhere! > 0 && Date.now() < waitUntil;
      if (!waitingLapsed && !waitingOthers) break;
      opts.onProgress?.(stats);
      await sleep(1000, opts.signal);
      await run.pass(opts.max === undefined ? undefined : Math.max(0, opts.max - stats.moved));
    }
    await run.settleLapsed();
    stats.lapsed = run.unsettled.size;
    stats.inFlightElsewhere = run.end.inFlightElsewhere ?? 0;
    stats.unreachable = stats.ended === "stalled" ? (run.end.visible ?? 0) : 0;
    return stats;
  } catch (err) {
    // What was done before the error, for the summary the command still prints.
    stats.ended = opts.signal?.aborted ? "interrupted" : "error";
    stats.lapsed = run.unsettled.size;
    throw Object.assign(err as Error, { redriveStats: stats });
  } finally {
    await holder.close().catch(() => undefined);
  }
}

function newStats(): ManualRedriveStats {
  return {
    received: 0, moved: 0, skipped: 0, noTarget: {}, failed: 0, alreadySent: 0, deleteFailed: 0, lapsed: 0,
    possibleDuplicates: 0, outOfOrder: 0, inFlightElsewhere: 0, unreachable: 0, ended: "empty", failures: [], byTarget: {},
  };
}

/** One run's state across receive passes. */
class Run {
  readonly end: LoopEnd = {};
  /** Sent, then the hold lapsed before the delete: in the DLQ until it comes back to us. */
  readonly unsettled = new Map<string, MoveTarget>();
  private claimed = 0; // per pass
  private readonly rate: RateLimiter | undefined;
  private readonly failedGroups = new Map<string, Set<string>>();
  /**
   * Messages in the holder this run has looked at (left, or in a move); a moved one leaves
   * both. The rest of the holder was taken in hand by receives still out when a pass ended.
   */
  private readonly seen = new Set<string>();

  constructor(
    private readonly ctx: SqsContext,
    private readonly opts: ManualRedriveOptions,
    private readonly holder: Holder,
    private readonly stats: ManualRedriveStats,
  ) {
    this.rate = opts.rate ? new RateLimiter(opts.rate) : undefined;
  }

  /** Receives until the end rule (or max, or the signal) and moves what it receives. */
  async pass(max: number | undefined): Promise<void> {
    this.claimed = 0;
    const stop = new AbortController();
    const signal = this.opts.signal ? AbortSignal.any([this.opts.signal, stop.signal]) : stop.signal;
    const concurrency = this.opts.concurrency ?? 8;
    // A fixed --concurrency is the user's; the adaptive default paces the moves, and receives
    // start at least at THE receive default (a receive costs the same at any sending pace).
    const receivers = typeof concurrency === "number" ? concurrency : Math.max(DEFAULT_RECEIVERS, concurrency.current());
    const batches = receiveInto(this.ctx, this.opts.source.url, this.holder, {
      untilEmpty: true,
      receivers,
      waitSeconds: this.opts.waitSeconds ?? 1,
      signal,
      end: this.end,
      label: this.opts.source.name,
    });
    let reachedMax = false;
    const handle = async (batch: Held[]) => {
      const take: Held[] = [];
      for (const h of batch) {
        this.seen.add(idOf(h));
        this.stats.received += 1;
        if (this.opts.filter && !this.opts.filter(h.envelope)) this.leave(h, "skipped");
        else if (max !== undefined && this.claimed >= max) this.leave(h, "skipped");
        else {
          this.claimed += 1;
          take.push(h);
        }
      }
      if (max !== undefined && this.claimed >= max && !reachedMax) {
        reachedMax = true;
        stop.abort();
      }
      await this.move(take);
      this.opts.onProgress?.(this.stats);
    };
    // Taken in hand by receives that were still out when the last pass ended: move them now.
    // (Never a lean one: only messages this run left are lightened, and those are seen.)
    const pending = this.holder.ids().filter((id) => !this.seen.has(id) && !this.holder.isLean(id)).map((id) => this.holder.get(id)!);
    if (pending.length) await handle(pending);
    await runPool(batches, handle, { concurrency });
    if (this.opts.signal?.aborted) this.stats.ended = "interrupted";
    else if (reachedMax) this.stats.ended = "max";
    else if (this.end.reason === "stalled") this.stats.ended = "stalled";
    else this.stats.ended = "empty";
  }

  /** Messages this run sent whose hold lapsed and that came back to the holder: delete them now. */
  async settleLapsed(): Promise<void> {
    const back = [...this.unsettled.keys()].filter((id) => this.holder.has(id) && !this.holder.isLapsed(id));
    const byTarget = new Map<string, { target: MoveTarget; held: Held[] }>();
    for (const id of back) {
      const t = this.unsettled.get(id)!;
      const g = byTarget.get(t.url) ?? { target: t, held: [] };
      g.held.push(this.holder.get(id)!);
      byTarget.set(t.url, g);
    }
    for (const { target, held } of byTarget.values()) {
      const out = await moveHeld(this.ctx, this.holder, held, target, this.opts.journal, { signal: this.opts.signal });
      for (const id of out.alreadySent) {
        this.unsettled.delete(id);
        this.stats.moved += 1; // it was sent (journaled) by this run; now it is out of the DLQ
        this.stats.byTarget[target.name] = (this.stats.byTarget[target.name] ?? 0) + 1;
      }
    }
  }

  /**
   * Left in the DLQ: held (so it is not received again) until the end, then released. Its
   * body is no longer needed, so the holder keeps custody data only from now on.
   */
  private leave(h: Held, why: "skipped" | "failed"): void {
    this.holder.lighten([idOf(h)]);
    this.stats[why] += 1;
  }

  private async move(take: Held[]): Promise<void> {
    const byTarget = new Map<string, { target: MoveTarget; held: Held[] }>();
    for (const h of take) {
      const choice = await this.opts.targetFor(h.envelope);
      if ("stay" in choice) {
        this.stats.noTarget[choice.stay] = (this.stats.noTarget[choice.stay] ?? 0) + 1;
        this.holder.lighten([idOf(h)]);
        continue;
      }
      const g = byTarget.get(choice.target.url) ?? { target: choice.target, held: [] };
      g.held.push(h);
      byTarget.set(choice.target.url, g);
    }
    for (const { target, held } of byTarget.values()) {
      await this.opts.foreign?.refresh(held);
      const groups = this.failedGroups.get(target.url) ?? new Set<string>();
      this.failedGroups.set(target.url, groups);
      let out: MoveOutcome;
      try {
        out = await moveHeld(this.ctx, this.holder, held, target, this.opts.journal, {
          failedGroups: groups,
          rate: this.rate,
          control: typeof this.opts.concurrency === "object" ? this.opts.concurrency : undefined,
          signal: this.opts.signal,
        });
      } catch (err) {
        // A fatal error: what this call moved before it, and what it left, still count in the summary.
        const done = stoppedMoveOutcome(err);
        if (done) this.account(target, done);
        throw err;
      }
      this.account(target, out);
    }
  }

  private account(target: MoveTarget, out: MoveOutcome): void {
    const s = this.stats;
    s.moved += out.moved.length;
    s.byTarget[target.name] = (s.byTarget[target.name] ?? 0) + out.moved.length;
    s.alreadySent += out.alreadySent.length;
    s.possibleDuplicates += out.ambiguous;
    s.outOfOrder += out.outOfOrder;
    // Sent again although a stopped run (one copy each) or another process may have sent it
    // already: every send confirmed now, moved or not (a lapsed hold or a failed delete
    // leaves it in the DLQ too, and it is counted again below for that).
    const earlier = this.opts.journal.earlierMaybeSent;
    for (const id of out.sent) s.possibleDuplicates += (earlier.get(id) ?? 0) + (this.opts.foreign?.maybeSent(id) ? 1 : 0);
    s.deleteFailed += out.deleteFailed.length;
    for (const f of out.sendFailed) {
      this.leave(f.held, "failed");
      this.note(f);
    }
    // Sent but not deleted: in both queues until a re-run deletes it (the journal says sent); never sent again here.
    for (const f of out.deleteFailed) {
      this.holder.lighten([idOf(f.held)]);
      this.note(f);
    }
    // Sent, hold lapsed: kept whole until it comes back and settleLapsed deletes it.
    for (const h of out.lapsed) this.unsettled.set(idOf(h), target);
    // Moved (deleted from the DLQ, so no longer held): nothing of it is kept.
    for (const m of out.moved) this.seen.delete(m.messageId);
    for (const id of out.alreadySent) this.seen.delete(id);
  }

  private note(f: MoveFailure): void {
    if (this.stats.failures.length < 100) this.stats.failures.push({ messageId: f.held.envelope.messageId ?? "", code: f.code, message: f.message });
  }
}

