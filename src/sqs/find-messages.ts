import type { SqsContext } from "./client.js";
import { Holder, idOf, type DeleteOutcome, type ReleaseOutcome } from "./custody/holder.js";
import { readInfo } from "./custody/read-info.js";
import { receiveInto, type LoopEnd } from "./custody/receive-loop.js";

export interface DeleteByIdOptions {
  /** Stop scanning after this many messages. */
  scanMax: number;
  /** Long-poll seconds for each receive. */
  waitSeconds: number;
  signal?: AbortSignal | undefined;
  label?: string | undefined;
}

export interface DeleteByIdResult {
  delete: DeleteOutcome;
  notFound: string[];
  scanned: number;
  /** The rest, given back (exhausted ones kept hidden to return by their own timeout). */
  released: ReleaseOutcome;
  end: LoopEnd;
  fifo: boolean;
}

/**
 * Finds messages by MessageId with a bounded scan and deletes only those: every
 * message seen is held by THE holder (custody/holder.ts) through THE receive loop
 * (custody/receive-loop.ts), the wanted ones are deleted with their newest handles,
 * and the rest are released on every exit path. Stops as soon as all ids are found,
 * at `scanMax`, at the loop's end rule, or on the signal (then nothing is deleted).
 */
export async function deleteByIds(ctx: SqsContext, url: string, ids: string[], opts: DeleteByIdOptions): Promise<DeleteByIdResult> {
  const info = await readInfo(ctx, url, opts.label ?? url);
  // Hidden long enough for a scan between heartbeats; the holder renews it.
  const holder = new Holder(ctx, url, { holdSeconds: 60, fifo: info.fifo, maxReceiveCount: info.maxReceiveCount });
  const wanted = new Set(ids);
  const found = new Set<string>();
  const end: LoopEnd = {};
  let scanned = 0;
  let outcome: DeleteOutcome = { deleted: [], failed: [], lapsed: [] };
  let released: ReleaseOutcome = { released: 0, failed: 0, keptExhausted: 0 };
  try {
    for await (const batch of receiveInto(ctx, url, holder, {
      max: opts.scanMax,
      waitSeconds: opts.waitSeconds,
      untilEmpty: true,
      signal: opts.signal,
      end,
      label: opts.label,
    })) {
      scanned += batch.length;
      for (const h of batch) if (wanted.has(idOf(h))) found.add(idOf(h));
      if (found.size === wanted.size) break;
    }
    if (!opts.signal?.aborted && found.size) outcome = await holder.delete([...found]);
  } finally {
    released = await holder.close();
  }
  return { delete: outcome, notFound: ids.filter((id) => !found.has(id)), scanned, released, end, fifo: info.fifo };
}
