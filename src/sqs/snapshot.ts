import type { Envelope } from "../core/envelope.js";
import type { SqsContext } from "./client.js";
import { HeldMessages, type ReleaseOutcome } from "./hold.js";
import { receiveOnce, type Held } from "./messages.js";
import { getQueueAttributes } from "./queues.js";

export interface SnapshotOptions {
  /** Stop after this many matching messages. @default all */
  limit?: number | undefined;
  /** Only these are returned; the others are held too (so they are not received again) and released with the rest. */
  filter?: ((env: Envelope) => boolean) | undefined;
  /** Seconds each message stays hidden between heartbeats. @default 60 */
  visibilitySeconds?: number;
  /** Long-poll seconds of each receive. @default 1 */
  waitSeconds?: number;
  /** Empty long polls in a row (with the queue reporting nothing visible) that end the scan. @default 2 */
  emptyPolls?: number;
  /** Receives in parallel. @default 4 */
  concurrency?: number;
  signal?: AbortSignal | undefined;
  onProgress?: ((p: { scanned: number; matched: number }) => void) | undefined;
}

export interface Snapshot {
  /** Matching messages in the order received, one per MessageId. */
  messages: Held[];
  /** Distinct messages received. */
  scanned: number;
  /** Deliveries of a message already held (SQS is at-least-once). */
  redelivered: number;
  /** Why the scan ended. */
  ended: "limit" | "empty" | "interrupted" | "stalled";
  /** Every message the snapshot holds, matching or not. */
  held: HeldMessages;
  /** Makes every held message visible again. Call it exactly once, in a finally. */
  release(): Promise<ReleaseOutcome>;
}

/**
 * A non-destructive look at a queue: receives everything (or up to `limit` matching
 * messages) and keeps it hidden with a heartbeat, so no message is returned twice and
 * the scan sees each one once. Nothing is deleted; the caller releases the snapshot,
 * which makes the messages visible again with their counts as they were (only
 * ApproximateReceiveCount goes up: SQS has no peek). On abort it stops receiving and
 * returns what it has; on error it releases and rethrows.
 *
 * The caller can also keep the held messages and act on some of them (the browse
 * view moves selected ones with the custody mover), then release the rest.
 */
export async function takeSnapshot(ctx: SqsContext, url: string, opts: SnapshotOptions = {}): Promise<Snapshot> {
  const held = new HeldMessages(ctx, url, opts.visibilitySeconds ?? 60).start();
  const messages: Held[] = [];
  const wait = opts.waitSeconds ?? 1;
  const emptyPolls = opts.emptyPolls ?? 2;
  let scanned = 0;
  let redelivered = 0;
  let emptyStreak = 0;
  let checks = 0;
  let ended: Snapshot["ended"] | undefined;
  let checking: Promise<void> | undefined;

  const full = () => opts.limit !== undefined && messages.length >= opts.limit;

  // Ends the scan once receives come back empty and the queue agrees it has nothing
  // visible. A few extra rounds cover servers that count held messages as visible.
  const checkEmpty = async () => {
    const attrs = await getQueueAttributes(ctx, url, ["ApproximateNumberOfMessages"]);
    checks += 1;
    if (Number(attrs.ApproximateNumberOfMessages ?? 0) === 0) ended ??= "empty";
    else if (checks >= 4) ended ??= "stalled";
    else emptyStreak = 0;
  };

  const worker = async () => {
    while (!ended) {
      if (opts.signal?.aborted) {
        ended = "interrupted";
        break;
      }
      if (full()) {
        ended = "limit";
        break;
      }
      const batch = await receiveOnce(ctx, url, { max: 10, waitSeconds: wait, visibilityTimeout: held.visibilitySeconds });
      if (batch.length === 0) {
        emptyStreak += 1;
        if (emptyStreak >= emptyPolls) {
          checking ??= checkEmpty().finally(() => (checking = undefined));
          await checking;
        }
        continue;
      }
      emptyStreak = 0;
      checks = 0; // progress: only checks in a row without any count as stalled
      for (const h of batch) {
        if (!held.add(h)) {
          redelivered += 1;
          continue;
        }
        scanned += 1;
        if (full()) continue;
        if (!opts.filter || opts.filter(h.envelope)) messages.push(h);
      }
      opts.onProgress?.({ scanned, matched: messages.length });
    }
  };

  // allSettled, not all: when one worker fails the others must stop before the release.
  const results = await Promise.allSettled(
    Array.from({ length: opts.concurrency ?? 4 }, () =>
      worker().catch((err: unknown) => {
        ended = "interrupted";
        throw err;
      }),
    ),
  );
  const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failure) {
    await held.releaseAll().catch(() => undefined);
    throw failure.reason;
  }
  return {
    messages,
    scanned,
    redelivered,
    ended: ended ?? "empty",
    held,
    release: () => held.releaseAll(),
  };
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
