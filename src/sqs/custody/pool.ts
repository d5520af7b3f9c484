/**
 * THE worker pool and rate limiter of the custody engine: every command that sends,
 * moves or deletes in parallel runs its calls through `runPool`, and paces them with
 * one `RateLimiter`. Hand-written (about 80 lines) rather than p-limit/p-queue: those
 * take a fixed (or setter-driven) concurrency and keep going after a task fails, while
 * here the limit is asked of a `ConcurrencyControl` before every start (the adaptive
 * controller in adaptive.ts) and the first failure must stop the pull, let the calls
 * in hand settle, and only then rethrow (no `Promise.all` half-states).
 */

/** How many tasks may run now; fed with what each call saw (see adaptive.ts). */
export interface ConcurrencyControl {
  current(): number;
  record(sample: { ok: number; throttled: boolean; latencyMs: number }): void;
}

export interface PoolOptions {
  concurrency: number | ConcurrencyControl;
  rate?: RateLimiter | undefined;
  /** Stops pulling new items; the tasks in hand finish (the first Ctrl-C rule). */
  signal?: AbortSignal | undefined;
}

/** Spaces work so that units (messages) go out at `perSecond` on average, across all callers. */
export class RateLimiter {
  private next = 0;
  constructor(readonly perSecond: number) {
    if (!(perSecond > 0)) throw new RangeError(`rate must be positive, not ${perSecond}`);
  }

  /** Waits until `n` more units may go; resolves early (without throwing) when `signal` aborts. */
  async take(n: number, signal?: AbortSignal): Promise<void> {
    const now = performance.now();
    if (this.next < now) this.next = now;
    const wait = this.next - now;
    this.next += (n * 1000) / this.perSecond;
    if (wait > 1) await sleep(wait, signal);
  }
}

/** A pause that ends early when the signal aborts (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** The limit a control (or a fixed number) allows now: at least 1, so a pool never stalls. */
function limitOf(c: number | ConcurrencyControl): number {
  const n = typeof c === "number" ? c : c.current();
  return Math.max(1, Math.floor(Number.isFinite(n) ? n : 1));
}

/**
 * Runs `worker` over `items` with at most `concurrency` at once, pulling the next item
 * only when a slot is free (memory stays flat on a million-line input). The worker's
 * signal aborts when the caller's does or when another worker failed. The first worker
 * error stops the pull; the pool waits for the tasks in hand, then rethrows it.
 * An abort of `opts.signal` is not an error: the pool returns once the tasks in hand end.
 */
export async function runPool<T>(
  items: AsyncIterable<T> | Iterable<T>,
  worker: (item: T, signal: AbortSignal) => Promise<void>,
  opts: PoolOptions,
): Promise<void> {
  const inner = new AbortController();
  const onAbort = () => inner.abort(opts.signal?.reason);
  if (opts.signal?.aborted) inner.abort(opts.signal.reason);
  else opts.signal?.addEventListener("abort", onAbort, { once: true });
  const iterator: AsyncIterator<T> | Iterator<T> =
    Symbol.asyncIterator in items ? (items as AsyncIterable<T>)[Symbol.asyncIterator]() : (items as Iterable<T>)[Symbol.iterator]();
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let exhausted = false;
  try {
    while (!inner.signal.aborted) {
      while (running.size >= limitOf(opts.concurrency) && !inner.signal.aborted) await Promise.race(running);
      if (inner.signal.aborted) break;
      const next = await iterator.next();
      if (next.done) {
        exhausted = true;
        break;
      }
      if (inner.signal.aborted) break;
      const task: Promise<void> = worker(next.value, inner.signal)
        .catch((error: unknown) => {
          failure ??= { error };
          inner.abort(error);
        })
        .finally(() => running.delete(task));
      running.add(task);
    }
  } catch (error) {
    // The source itself failed: same rule as a worker.
    failure ??= { error };
    inner.abort(error);
  } finally {
    await Promise.allSettled([...running]);
    opts.signal?.removeEventListener("abort", onAbort);
    if (!exhausted) await Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
  if (failure) throw failure.error;
}
