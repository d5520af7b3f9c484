/**
 * THE retry policy for the entries of batch calls (SendMessageBatch, DeleteMessageBatch,
 * ChangeMessageVisibilityBatch). Whole calls are retried by the SDK's standard retry mode
 * (client.ts: backoff, jitter, a retry quota); this is the only place that tries ENTRIES
 * again, and it never retries a call the SDK already gave up on: that would stack
 * attempts (6 outer x 5 SDK, as before) outside the SDK's quota.
 */
import { errorCode } from "../errors.js";
import { sleep as abortableSleep } from "./pool.js";

export interface EntryFailure<E> {
  entry: E;
  code: string;
  message: string;
  senderFault?: boolean | undefined;
}

/** What one batch call said about its entries; an entry in neither list got no answer. */
export interface EntryCallResult<E> {
  ok: E[];
  failed: Array<EntryFailure<E>>;
}

export interface EntryRetryPolicy {
  /** Calls an entry may be part of, counting the first. */
  attempts: number;
  baseMs: number;
  capMs: number;
}

/**
 * Seven tries, 50 ms doubling to at most 2 s with full jitter (about 2 s of waiting in
 * all on average): an entry failing a quarter of the time still gets through with
 * odds of 1 in 16,000 of failing, which a release of thousands of messages needs.
 */
export const ENTRY_RETRY: EntryRetryPolicy = { attempts: 7, baseMs: 50, capMs: 2000 };

const RETRYABLE_CODES = new Set([
  "ThrottlingException",
  "Throttling",
  "RequestThrottled",
  "RequestThrottledException",
  "TooManyRequestsException",
  "KmsThrottled",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "InternalError",
  "InternalFailure",
  "InternalServerError",
  "SlowDown",
  "RequestTimeout",
  "RequestTimeoutException",
  "NoResult",
]);

/** Codes after which no later call can succeed either: the run stops instead of failing every entry. */
export const FATAL_CODES = /^(QueueDoesNotExist|NonExistentQueue|AccessDenied|AccessDeniedException|InvalidClientTokenId|UnrecognizedClientException|SignatureDoesNotMatch|ExpiredToken|ExpiredTokenException|CredentialsProviderError|InvalidSecurity|MissingAuthenticationToken)$/;

/** An entry failure worth another try: the server says it was its fault, or it is a passing code. */
export function isRetryableEntry(code: string, senderFault?: boolean): boolean {
  return RETRYABLE_CODES.has(code) || senderFault === false;
}

/** The last dotted part of an entry's code (fauxqs sends `AWS.SimpleQueueService.X`). */
export function shortCode(code: string | undefined): string {
  return (code ?? "Unknown").split(/[.#]/).at(-1) || "Unknown";
}

/** Full-jitter exponential backoff: random in [0, min(cap, base * 2^attempt)). */
export function backoffMs(attempt: number, policy: EntryRetryPolicy = ENTRY_RETRY, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(policy.capMs, policy.baseMs * 2 ** attempt));
}

export interface RetryEntriesOptions {
  policy?: EntryRetryPolicy | undefined;
  /** Stops between attempts: entries not yet tried again come back in `notTried`. */
  signal?: AbortSignal | undefined;
  sleep?: ((ms: number) => Promise<void>) | undefined;
}

export interface RetryEntriesResult<E> {
  ok: E[];
  failed: Array<EntryFailure<E>>;
  /** Left after an abort between attempts: neither confirmed nor failed. */
  notTried: E[];
}

/**
 * Calls `call` with the entries, then again with those that failed for a passing reason
 * or got no answer, in their original order, with backoff, up to `policy.attempts` calls.
 * A call that throws (the SDK has already retried it) fails its entries with the error's
 * code, except a fatal code, which is rethrown. Order of `pending` is kept, so a FIFO
 * group's failed head is retried before anything after it.
 */
export async function retryEntries<E>(entries: E[], call: (pending: E[], attempt: number) => Promise<EntryCallResult<E>>, opts: RetryEntriesOptions = {}): Promise<RetryEntriesResult<E>> {
  const policy = opts.policy ?? ENTRY_RETRY;
  const wait = opts.sleep ?? ((ms: number) => abortableSleep(ms, opts.signal));
  const out: RetryEntriesResult<E> = { ok: [], failed: [], notTried: [] };
  let pending = entries;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 0) {
      if (opts.signal?.aborted) break;
      await wait(backoffMs(attempt - 1, policy));
      if (opts.signal?.aborted) break;
    }
    const last = attempt + 1 >= policy.attempts;
    let res: EntryCallResult<E>;
    try {
      res = await call(pending, attempt);
    } catch (err) {
      const code = errorCode(err) || (err as { name?: string }).name || "Error";
      if (FATAL_CODES.test(code)) throw err;
      for (const entry of pending) out.failed.push({ entry, code, message: (err as Error)?.message ?? String(err) });
      pending = [];
      break;
    }
    const answered = new Set<E>();
    for (const e of res.ok) answered.add(e);
    out.ok.push(...res.ok);
    const failedBy = new Map<E, EntryFailure<E>>();
    for (const f of res.failed) {
      answered.add(f.entry);
      failedBy.set(f.entry, { ...f, code: shortCode(f.code) });
    }
    const retry: E[] = [];
    for (const entry of pending) {
      const f = failedBy.get(entry) ?? (answered.has(entry) ? undefined : { entry, code: "NoResult", message: "the server reported neither success nor failure" });
      if (!f) continue;
      if (!last && isRetryableEntry(f.code, f.senderFault)) retry.push(entry);
      else out.failed.push(f);
    }
    pending = retry;
  }
  out.notTried.push(...pending);
  return out;
}
