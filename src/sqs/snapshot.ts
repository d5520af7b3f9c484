import type { Envelope } from "../core/envelope.js";
import { plural } from "../core/text.js";
import { PartialFailure } from "../errors.js";
import type { SqsContext } from "./client.js";
import { Holder, type ReleaseOutcome } from "./custody/holder.js";
import { partialReason } from "./custody/read-info.js";
import { DEFAULT_RECEIVERS, receiveInto, type LoopEnd } from "./custody/receive-loop.js";
import type { Held } from "./messages.js";

export interface SnapshotOptions {
  /** Stop after this many matching messages. @default all */
  limit?: number | undefined;
  /** Only these are returned; the others are held too (so they are not received again) and released with the rest. A throw ends the scan (everything released) and is rethrown. */
  filter?: ((env: Envelope) => boolean) | undefined;
  /** Seconds each message stays hidden between heartbeats. @default 60 */
  visibilitySeconds?: number;
  /** Long-poll seconds of each receive. @default 1 */
  waitSeconds?: number;
  /** Receives in parallel. @default 4 */
  concurrency?: number;
  /** The queue is FIFO (its end rule and partial reason differ). @default from the URL */
  fifo?: boolean;
  /** From the queue's own redrive policy: a message that used its last receive is kept hidden, never released early. */
  maxReceiveCount?: number | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((p: { scanned: number; matched: number }) => void) | undefined;
  /**
   * Streaming: each matching envelope is handed here as it arrives and NOT kept in
   * `messages` (left empty): for scans that only count (dlq inspect --group-by) or keep a
   * few (a dry run's preview). A throw ends the scan like `filter`'s.
   */
  onMatch?: ((env: Envelope) => void) | undefined;
  /** At SQS's in-flight limit, end as "overlimit" with a partial reason (the caller reports it) instead of throwing. */
  endAtInFlightLimit?: boolean | undefined;
  /** The queue's in-flight limit (receive-loop.ts). */
  inFlightLimit?: number | undefined;
}

export interface Snapshot {
  /** Matching messages in the order received, one per MessageId (empty with `onMatch`). */
  messages: Held[];
  /** Matching messages (kept in `messages`, or handed to `onMatch`). */
  matched: number;
  /** Distinct messages received. */
  scanned: number;
  /** Why the scan ended (the receive loop's end rule: custody/receive-loop.ts). */
  ended: "limit" | "empty" | "interrupted" | "stalled" | "overlimit";
  /** Why the scan did not see everything (FIFO groups blocked, messages in flight elsewhere, stalled, SQS's in-flight limit), or undefined (see snapshotPartial). */
  partial: string | undefined;
  /** The queue's counts (GetQueueAttributes' answer, and when it was asked) as the end rule read them to end the scan, with every message still held; undefined when the scan ended otherwise (limit, interrupt). */
  counts: { at: number; attributes: Record<string, string> } | undefined;
  /** Every message the snapshot holds, matching or not: custody data only (lean), the bodies are in `messages`. */
  held: Holder;
  /** Makes every held message visible again. Idempotent; call it in a finally. */
  release(): Promise<ReleaseOutcome>;
}

/**
 * A non-destructive look at a queue: receives everything (or up to `limit` matching
 * messages) into one Holder, whose heartbeat keeps it hidden, so no message is returned
 * twice and the scan sees each one once. Nothing is deleted; the caller releases the
 * snapshot, which makes the messages visible again (only ApproximateReceiveCount goes
 * up: SQS has no peek). On abort it stops receiving and returns what it has; on error
 * it releases and rethrows. Ends by THE end rule of the receive loop.
 */
export async function takeSnapshot(ctx: SqsContext, url: string, opts: SnapshotOptions = {}): Promise<Snapshot> {
  const fifo = opts.fifo ?? url.endsWith(".fifo");
  // Lean: matching messages are kept in `messages` (or handed to onMatch) as they arrive; the
  // holder keeps only custody data, so the ones that do not match cost no body until released.
  const held = new Holder(ctx, url, { holdSeconds: opts.visibilitySeconds ?? 60, fifo, maxReceiveCount: opts.maxReceiveCount, lean: true });
  const messages: Held[] = [];
  const end: LoopEnd = {};
  let scanned = 0;
  let matched = 0;
  const full = () => opts.limit !== undefined && matched >= opts.limit;
  try {
    const batches = receiveInto(ctx, url, held, {
      // Without a filter every message counts toward the limit: the loop can stop at it.
      max: opts.filter ? undefined : opts.limit,
      waitSeconds: opts.waitSeconds ?? 1,
      untilEmpty: true,
      receivers: opts.concurrency ?? DEFAULT_RECEIVERS,
      signal: opts.signal,
      end,
      endAtInFlightLimit: opts.endAtInFlightLimit,
      inFlightLimit: opts.inFlightLimit,
    });
    for await (const batch of batches) {
      for (const h of batch) {
        scanned += 1;
        if (!full() && (!opts.filter || opts.filter(h.envelope))) {
          matched += 1;
          if (opts.onMatch) opts.onMatch(h.envelope);
          else messages.push(h);
        }
      }
      opts.onProgress?.({ scanned, matched });
      if (full()) break;
    }
  } catch (err) {
    await held.close().catch(() => undefined);
    throw err;
  }
  const ended: Snapshot["ended"] = full() || end.reason === "max" ? "limit" : end.reason === "aborted" ? "interrupted" : end.reason === "stalled" ? "stalled" : end.reason === "overlimit" ? "overlimit" : "empty";
  return {
    messages,
    matched,
    scanned,
    ended,
    partial: snapshotPartial(ended, end, fifo),
    counts: full() ? undefined : end.finalCounts,
    held,
    release: () => held.close(),
  };
}

/**
 * Why a snapshot did not see every message, or undefined: it saw them all, or it stopped on
 * purpose (its limit, an interrupt: those say so themselves). The one "partial" of every
 * snapshot (dlq inspect, a redrive --dry-run): partialReason's, and a stall it could not
 * put a number on still says so.
 */
export function snapshotPartial(ended: Snapshot["ended"], end: LoopEnd, fifo: boolean): string | undefined {
  if (ended === "limit" || ended === "interrupted") return undefined;
  return partialReason(end, fifo) ?? (ended === "stalled" ? "the DLQ still counts messages no receive returned" : undefined);
}

/** A partial snapshot's error (exit 1): "partial WHAT of QUEUE: N messages looked at, but WHY.", or undefined when it is not partial. */
export function partialFailure(snap: Pick<Snapshot, "partial" | "scanned">, what: string, queue: string): PartialFailure | undefined {
  return snap.partial === undefined ? undefined : new PartialFailure(`partial ${what} of ${queue}: ${plural(snap.scanned, "message")} looked at, but ${snap.partial}.`);
}

/** Takes a snapshot, runs `fn` on it, and releases it whatever happens. */
export async function withSnapshot<T>(ctx: SqsContext, url: string, opts: SnapshotOptions, fn: (s: Snapshot) => Promise<T>): Promise<T> {
  const snap = await takeSnapshot(ctx, url, opts);
  try {
    return await fn(snap);
  } finally {
    await snap.release();
  }
}
