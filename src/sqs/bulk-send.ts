import type { SQSClient } from "@aws-sdk/client-sqs";
import { BatchPacker, entryId } from "../core/batch.js";
import { toSdkAttributes } from "../core/envelope.js";
import type { SendEntry } from "../core/message-input.js";
import { sendEntries, type SendItem } from "./custody/mover.js";
import { RateLimiter, runPool, type ConcurrencyControl } from "./custody/pool.js";
import type { EntryRetryPolicy } from "./custody/retry.js";

export interface EntryFailure {
  entry: SendEntry;
  code: string;
  message: string;
}

/** Callbacks the bulk sender reports through (journal, failed file, progress). */
export interface BulkHooks {
  /** Just before a batch call: its lines are now "in flight" (outcome unknown until the next hook). */
  beforeSend?(entries: SendEntry[]): void;
  /** Entries SQS confirmed. */
  onSent?(entries: SendEntry[]): void;
  /** Entries that failed for good (after retries, or with an error not worth retrying). */
  onFailed?(failures: EntryFailure[]): void;
  /** An attempt carrying these entries had an unknown outcome (each may now be in the queue once more). */
  onAmbiguous?(entries: SendEntry[]): void;
}

export interface BulkOptions {
  /** Batch calls in flight at once (or an adaptive control). FIFO: also the number of lanes groups are spread over. */
  concurrency: number | ConcurrencyControl;
  /** Messages a second, across all workers; undefined = as fast as the server allows. */
  rate?: number | undefined;
  /** FIFO: keep order within a message group (a group's batches go one at a time; a failed group stops). */
  fifo: boolean;
  signal?: AbortSignal | undefined;
  /** The per-entry retry policy (retry.ts); tests shorten it. */
  policy?: EntryRetryPolicy | undefined;
  sleep?: ((ms: number) => Promise<void>) | undefined;
}

export interface BulkResult {
  sent: number;
  failed: number;
  /** Entries read but neither sent nor failed because the run was interrupted. */
  notSent: number;
  /**
   * Extra copies that may be in the queue: entries times attempts whose outcome was
   * unknown (dropped connection, timeout, 5xx).
   */
  possibleDuplicates: number;
  /** FIFO: accepted by SQS behind an earlier message of their group that failed in the same call. */
  outOfOrder: number;
  interrupted: boolean;
}

/** FIFO lanes when the concurrency is adaptive: groups hash onto this many ordered lanes. */
const ADAPTIVE_FIFO_LANES = 64;

/**
 * Sends a stream of validated entries through the custody engine: packs batches of 10 /
 * 1 MiB, runs them on the one worker pool (pool.ts) with the one rate limiter, sends
 * each batch with the mover's sendEntries (Failed lists read, entries retried by
 * retry.ts, FIFO group stop, ambiguity counted). The source is pulled only as fast as
 * batches go out. A fatal error (queue gone, access denied) stops the run and is rethrown.
 */
export async function bulkSend(
  client: Pick<SQSClient, "send">,
  queueUrl: string,
  source: AsyncIterable<SendEntry | SendEntry[]>,
  hooks: BulkHooks,
  opts: BulkOptions,
): Promise<BulkResult> {
  const result: BulkResult = { sent: 0, failed: 0, notSent: 0, possibleDuplicates: 0, outOfOrder: 0, interrupted: false };
  const rate = opts.rate ? new RateLimiter(opts.rate) : undefined;
  const control = typeof opts.concurrency === "number" ? undefined : opts.concurrency;
  const failedGroups = new Set<string>();
  const lanes = opts.fifo ? (typeof opts.concurrency === "number" ? opts.concurrency : ADAPTIVE_FIFO_LANES) : 1;
  // FIFO: a lane's batches go one at a time, in order (a group always hashes to one lane).
  const laneTail: Array<Promise<void>> = Array.from({ length: lanes }, () => Promise.resolve());
  let read = 0;
  let settled = 0;

  async function* batches(): AsyncGenerator<{ lane: number; batch: SendEntry[] }> {
    const packers = Array.from({ length: lanes }, () => new BatchPacker<SendEntry>());
    for await (const item of source) {
      for (const entry of Array.isArray(item) ? item : [item]) {
        read += 1;
        const lane = opts.fifo ? laneOf(entry.groupId ?? "", lanes) : 0;
        const full = packers[lane]!.add(entry);
        if (full) yield { lane, batch: full };
      }
    }
    for (let lane = 0; lane < lanes; lane++) {
      const rest = packers[lane]!.flush();
      if (rest) yield { lane, batch: rest };
    }
  }

  const sendOne = async (batch: SendEntry[], signal: AbortSignal) => {
    if (signal.aborted) return;
    const items: SendItem[] = batch.map(toItem);
    const r = await sendEntries({ client }, queueUrl, items, {
      fifo: opts.fifo,
      rate,
      control,
      failedGroups,
      signal,
      policy: opts.policy,
      sleep: opts.sleep,
      beforeCall: (idx) => hooks.beforeSend?.(idx.map((i) => batch[i]!)),
      onAmbiguous: (idx) => hooks.onAmbiguous?.(idx.map((i) => batch[i]!)),
    });
    result.possibleDuplicates += r.ambiguous;
    result.outOfOrder += r.outOfOrder;
    if (r.sent.length) {
      result.sent += r.sent.length;
      hooks.onSent?.(r.sent.map((s) => batch[s.index]!));
    }
    if (r.failed.length) {
      result.failed += r.failed.length;
      hooks.onFailed?.(r.failed.map((f) => ({ entry: batch[f.entry]!, code: f.code, message: f.message })));
    }
    settled += r.sent.length + r.failed.length;
  };

  await runPool(
    batches(),
    async ({ lane, batch }, signal) => {
      if (!opts.fifo) return sendOne(batch, signal);
      const run = laneTail[lane]!.then(() => sendOne(batch, signal));
      laneTail[lane] = run.catch(() => undefined);
      return run;
    },
    { concurrency: opts.concurrency, signal: opts.signal },
  );
  await Promise.all(laneTail);
  // Read but neither sent nor failed: interrupted (between attempts, or before its batch went out).
  result.notSent = read - settled;
  result.interrupted = opts.signal?.aborted === true;
  return result;
}

function toItem(e: SendEntry): SendItem {
  const attrs = toSdkAttributes(e.attributes);
  return {
    entry: {
      MessageBody: e.body,
      ...(attrs ? { MessageAttributes: attrs } : {}),
      ...(e.groupId !== undefined ? { MessageGroupId: e.groupId } : {}),
      ...(e.dedupId !== undefined ? { MessageDeduplicationId: e.dedupId } : {}),
      ...(e.delaySeconds ? { DelaySeconds: e.delaySeconds } : {}),
    },
    group: e.groupId,
    id: entryId(e.line),
  };
}

/** Which lane a FIFO group goes to: stable, so a group's batches are sent one at a time, in order. */
function laneOf(group: string, lanes: number): number {
  let h = 2166136261;
  for (let i = 0; i < group.length; i++) h = Math.imul(h ^ group.charCodeAt(i), 16777619);
  return (h >>> 0) % lanes;
}
