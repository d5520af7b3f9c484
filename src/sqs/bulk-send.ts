import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from "@aws-sdk/client-sqs";
import { BatchPacker, backoffMs, entryId, isRetryableCode, isRetryableError, lineOfEntryId } from "../core/batch.js";
import { toSdkAttributes } from "../core/envelope.js";
import type { SendEntry } from "../core/message-input.js";
import { isAmbiguousFailure, trackAmbiguity } from "./ambiguity.js";
import { errorCode } from "./errors.js";

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
}

export interface BulkOptions {
  /** Batch calls in flight at once. FIFO: also the number of lanes groups are spread over. */
  concurrency: number;
  /** Messages a second, across all workers; undefined = as fast as the server allows. */
  rate?: number | undefined;
  /** FIFO: keep order within a message group (a group's batches go one at a time). */
  fifo: boolean;
  signal?: AbortSignal | undefined;
  /** Calls per batch, counting the first (each on top of the SDK's own retries). Default 6. */
  maxAttempts?: number;
  backoffBaseMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface BulkResult {
  sent: number;
  failed: number;
  /** Entries read but neither sent nor failed because the run was interrupted. */
  notSent: number;
  /**
   * Extra copies that may be in the queue: entries times attempts whose outcome was
   * unknown (dropped connection, timeout, 5xx) and that were sent again after it.
   */
  possibleDuplicates: number;
  interrupted: boolean;
}

/** Errors after which no other batch can succeed: stop instead of failing every line. */
const FATAL = /^(QueueDoesNotExist|NonExistentQueue|AccessDenied|AccessDeniedException|InvalidClientTokenId|UnrecognizedClientException|SignatureDoesNotMatch|ExpiredToken|ExpiredTokenException|CredentialsProviderError)$/;

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Sends a stream of validated entries with SendMessageBatch: packs batches of 10 /
 * 1 MiB, keeps `concurrency` calls in flight, honours a message rate, retries
 * throttling, 5xx and network errors with backoff and jitter, re-sends only the
 * entries a batch reported as failed with a retryable code, and reports the rest.
 * The source is pulled only as fast as batches go out, so memory stays constant.
 * A fatal error (queue gone, access denied) stops the run and is rethrown.
 */
export async function bulkSend(
  client: Pick<SQSClient, "send">,
  queueUrl: string,
  /** Entries, one at a time or in arrays (fewer awaits on the bulk path). */
  source: AsyncIterable<SendEntry | SendEntry[]>,
  hooks: BulkHooks,
  opts: BulkOptions,
): Promise<BulkResult> {
  const sleep = opts.sleep ?? defaultSleep;
  const maxAttempts = opts.maxAttempts ?? 6;
  const baseMs = opts.backoffBaseMs ?? 100;
  const limiter = opts.rate ? new RateLimiter(opts.rate, sleep) : undefined;
  const result: BulkResult = { sent: 0, failed: 0, notSent: 0, possibleDuplicates: 0, interrupted: false };
  // Each ambiguous attempt may have left one extra copy of every entry it carried.
  const markAmbiguous = (entries: SendEntry[], attempts: number) => {
    result.possibleDuplicates += entries.length * attempts;
  };
  let fatal: unknown;
  const stopped = () => fatal !== undefined || opts.signal?.aborted === true;

  async function sendBatch(batch: SendEntry[]): Promise<void> {
    let pending = batch;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) {
        if (stopped()) break;
        await sleep(backoffMs(attempt - 1, baseMs));
      }
      if (limiter) await limiter.take(pending.length);
      hooks.beforeSend?.(pending);
      const last = attempt + 1 >= maxAttempts;
      let res: { Successful?: Array<{ Id?: string }>; Failed?: Array<{ Id?: string; Code?: string; Message?: string; SenderFault?: boolean }> };
      const command = new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending.map(toBatchEntry) });
      const ambiguous = trackAmbiguity(command);
      try {
        res = await client.send(command);
        // An earlier attempt inside the SDK may have been carried out by the server.
        markAmbiguous(pending, ambiguous());
      } catch (err) {
        markAmbiguous(pending, ambiguous() || (isAmbiguousFailure(err) ? 1 : 0));
        const code = errorCode(err) || (err as { name?: string }).name || "Error";
        if (FATAL.test(code)) {
          fatal ??= err;
          break;
        }
        if (!last && isRetryableError(err, code)) continue;
        fail(pending.map((entry) => ({ entry, code, message: (err as Error).message ?? String(err) })));
        pending = [];
        break;
      }
      const byLine = new Map(pending.map((e) => [e.line, e]));
      const ok: SendEntry[] = [];
      for (const s of res.Successful ?? []) {
        const e = byLine.get(lineOfEntryId(s.Id) ?? -1);
        if (e) {
          ok.push(e);
          byLine.delete(e.line);
        }
      }
      if (ok.length) {
        result.sent += ok.length;
        hooks.onSent?.(ok);
      }
      const retry: SendEntry[] = [];
      const failures: EntryFailure[] = [];
      for (const f of res.Failed ?? []) {
        const e = byLine.get(lineOfEntryId(f.Id) ?? -1);
        if (!e) continue;
        byLine.delete(e.line);
        const code = (f.Code ?? "Unknown").split(/[.#]/).at(-1) ?? "Unknown";
        if (!last && isRetryableCode(code, f.SenderFault)) retry.push(e);
        else failures.push({ entry: e, code, message: f.Message ?? "" });
      }
      // Entries the response named neither way: their outcome is unknown, so send again
      // (a duplicate is better than a loss).
      for (const e of byLine.values()) {
        if (!last) retry.push(e);
        else failures.push({ entry: e, code: "NoResult", message: "the server reported neither success nor failure" });
      }
      fail(failures);
      pending = retry;
    }
    // Interrupted or stopped by a fatal error between retries: not sent, not failed.
    result.notSent += pending.length;
  }

  function fail(failures: EntryFailure[]): void {
    if (!failures.length) return;
    result.failed += failures.length;
    hooks.onFailed?.(failures);
  }

  const lanes = opts.fifo ? opts.concurrency : 1;
  const workersPerLane = opts.fifo ? 1 : opts.concurrency;
  const channels = Array.from({ length: lanes }, () => new Channel<SendEntry[]>(opts.fifo ? 2 : opts.concurrency * 2));
  const packers = Array.from({ length: lanes }, () => new BatchPacker<SendEntry>());
  const workers: Promise<void>[] = [];
  for (const ch of channels) {
    for (let w = 0; w < workersPerLane; w++) {
      workers.push(
        (async () => {
          for await (const batch of ch) {
            if (stopped()) {
              result.notSent += batch.length;
              continue;
            }
            await sendBatch(batch);
          }
        })(),
      );
    }
  }

  try {
    reading: for await (const item of source) {
      for (const entry of Array.isArray(item) ? item : [item]) {
        if (stopped()) break reading;
        const lane = opts.fifo ? laneOf(entry.groupId ?? "", lanes) : 0;
        const full = packers[lane]!.add(entry);
        if (full) await channels[lane]!.push(full);
      }
    }
    for (let i = 0; i < lanes; i++) {
      const rest = packers[i]!.flush();
      if (rest) {
        if (stopped()) result.notSent += rest.length;
        else await channels[i]!.push(rest);
      }
    }
  } finally {
    for (const ch of channels) ch.close();
    await Promise.all(workers);
  }
  result.interrupted = opts.signal?.aborted === true;
  if (fatal) throw fatal;
  return result;
}

function toBatchEntry(e: SendEntry): SendMessageBatchRequestEntry {
  const attrs = toSdkAttributes(e.attributes);
  return {
    Id: entryId(e.line),
    MessageBody: e.body,
    ...(attrs ? { MessageAttributes: attrs } : {}),
    ...(e.groupId !== undefined ? { MessageGroupId: e.groupId } : {}),
    ...(e.dedupId !== undefined ? { MessageDeduplicationId: e.dedupId } : {}),
    ...(e.delaySeconds ? { DelaySeconds: e.delaySeconds } : {}),
  };
}

/** Which lane a FIFO group goes to: stable, so a group's batches are sent one at a time, in order. */
function laneOf(group: string, lanes: number): number {
  let h = 2166136261;
  for (let i = 0; i < group.length; i++) h = Math.imul(h ^ group.charCodeAt(i), 16777619);
  return (h >>> 0) % lanes;
}

/** Spaces batch calls so that messages go out at `rate` a second on average. */
class RateLimiter {
  private next = 0;
  constructor(
    private readonly rate: number,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {}

  async take(n: number): Promise<void> {
    const now = performance.now();
    if (this.next < now) this.next = now;
    const wait = this.next - now;
    this.next += (n * 1000) / this.rate;
    if (wait > 1) await this.sleep(wait);
  }
}

/** A bounded queue between the reader and the workers: push waits while it is full. */
class Channel<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private closed = false;
  private takers: Array<(v: IteratorResult<T>) => void> = [];
  private pushers: Array<() => void> = [];

  constructor(private readonly capacity: number) {}

  async push(item: T): Promise<void> {
    while (this.items.length >= this.capacity) await new Promise<void>((r) => this.pushers.push(r));
    const taker = this.takers.shift();
    if (taker) return taker({ value: item, done: false });
    this.items.push(item);
  }

  close(): void {
    this.closed = true;
    for (const t of this.takers.splice(0)) t({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        const item = this.items.shift();
        if (item !== undefined) {
          this.pushers.shift()?.();
          return Promise.resolve({ value: item, done: false });
        }
        if (this.closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((r) => this.takers.push(r));
      },
    };
  }
}
