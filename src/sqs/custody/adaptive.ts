/**
 * How many batch calls to keep in flight when the user gave no --concurrency.
 *
 * No one fixed number is right: on loopback (1 ms a call) 4-8 calls saturate the client's
 * CPU and more only cost sockets, while at a real region's 20-40 ms a call the throughput
 * grows with every call in flight up to 32-64. So the pool asks this controller before
 * each start, and every call reports what it saw (`record`):
 *
 * - It measures throughput (messages confirmed a second) over windows of at least
 *   WINDOW_MS and a few calls per slot, so one slow call or a GC pause decides nothing.
 * - Start: doubles while a window at the new level is clearly faster (GAIN_TO_GROW: a doubling that is latency-bound gives ~2x; a CPU-bound one ~1x, and a
 *   loaded machine easily shows +20% by chance) than
 *   the one before. The first level that is not is undone: the cheaper level is kept.
 * - Then, every PROBE_EVERY windows, it tries a level a quarter higher (kept only when
 *   clearly faster: it follows a queue that got faster, and never drifts up on noise) or,
 *   the next time, a quarter lower (kept when just as fast: fewer calls for the same work).
 * - A throttled call (ThrottlingException, RequestThrottled...) halves the level at once,
 *   and the level where it happened becomes a ceiling the probes stay under. The calls
 *   already in flight at the old level report their throttles too: those are absorbed
 *   by one cool-down window rather than halving again for each.
 * - Always within [min, max]. --rate paces through the RateLimiter; a rate-bound run
 *   simply stops gaining throughput, so the controller stops growing.
 *
 * Pure: no timers, no I/O; the clock is injectable, and tests feed it samples.
 */
import type { ConcurrencyControl } from "./pool.js";

export interface AdaptiveOptions {
  min: number;
  max: number;
  initial: number;
  /** Milliseconds clock (tests); default performance.now. */
  now?: () => number;
}

/** A window's throughput must beat the last one by this much for a grown level to be kept. */
const GAIN_TO_GROW = 1.4;
/** A probe (a quarter more) is kept only when at least this much faster. */
const GAIN_TO_KEEP_PROBE = 1.15;
/** A window lasts at least this long... */
const WINDOW_MS = 500;
/** ...and holds at least this many calls per slot (and MIN_CALLS in all). */
const CALLS_PER_SLOT = 3;
const MIN_CALLS = 12;
/** A probe a quarter lower is kept when it loses no more than this (as fast, and cheaper). */
const KEEP_LOWER = 0.98;
/** Steady windows between two probes. */
const PROBE_EVERY = 6;

type Phase = "start" | "steady" | "probe-up" | "probe-down";

export class AdaptiveConcurrency implements ConcurrencyControl {
  private level: number;
  private readonly min: number;
  private readonly max: number;
  private readonly now: () => number;
  private phase: Phase = "start";
  /** Throughput (msg/s) of the last window kept, and the level it ran at. */
  private best: { level: number; rate: number } | undefined;
  private ceiling: number;
  private windowStart: number | undefined;
  private windowOk = 0;
  private windowCalls = 0;
  private steadyWindows = 0;
  private nextProbeUp = true;
  /** Set after a throttle: the next window only lets the calls of the old level drain. */
  private coolingDown = false;

  constructor(opts: AdaptiveOptions) {
    if (!(opts.min >= 1 && opts.max >= opts.min)) throw new RangeError(`adaptive concurrency: need 1 <= min <= max, got ${opts.min}..${opts.max}`);
    this.min = Math.floor(opts.min);
    this.max = Math.floor(opts.max);
    this.ceiling = this.max;
    this.level = this.clamp(opts.initial);
    this.now = opts.now ?? (() => performance.now());
  }

  current(): number {
    return this.level;
  }

  record(sample: { ok: number; throttled: boolean; latencyMs: number }): void {
    const t = this.now();
    if (sample.throttled) {
      if (!this.coolingDown) this.backOff();
      this.startWindow(t);
      return;
    }
    if (this.windowStart === undefined) {
      // The first call's start is unknown: the window opens when it ends.
      this.startWindow(t);
      this.windowOk += sample.ok;
      this.windowCalls += 1;
      return;
    }
    this.windowOk += sample.ok;
    this.windowCalls += 1;
    const elapsed = t - this.windowStart;
    if (elapsed < WINDOW_MS || this.windowCalls < Math.max(MIN_CALLS, CALLS_PER_SLOT * this.level)) return;
    const rate = (this.windowOk * 1000) / elapsed;
    this.startWindow(t);
    if (this.coolingDown) {
      this.coolingDown = false;
      this.best = { level: this.level, rate };
      this.phase = "steady";
      return;
    }
    this.decide(rate);
  }

  private decide(rate: number): void {
    const best = this.best;
    switch (this.phase) {
      case "start":
        if (!best || rate >= best.rate * GAIN_TO_GROW) {
          this.best = { level: this.level, rate };
          const next = this.clamp(this.level * 2);
          if (next === this.level) this.phase = "steady";
          this.level = next;
        } else {
          // Doubling did not pay: back to the cheaper level, which is as fast.
          this.level = best.level;
          this.phase = "steady";
        }
        return;
      case "probe-up":
      case "probe-down": {
        const keep = this.phase === "probe-up" ? GAIN_TO_KEEP_PROBE : KEEP_LOWER;
        if (best && rate >= best.rate * keep) this.best = { level: this.level, rate };
        else if (best) this.level = best.level;
        this.phase = "steady";
        return;
      }
      case "steady":
        // Refresh what the kept level achieves now (the queue or the network may change).
        this.best = { level: this.level, rate };
        this.steadyWindows += 1;
        if (this.steadyWindows >= PROBE_EVERY) {
          // Probes alternate: a quarter more (kept when clearly faster), a quarter fewer
          // (kept when as fast: fewer calls in flight for the same throughput).
          this.steadyWindows = 0;
          const up = this.nextProbeUp;
          this.nextProbeUp = !up;
          const next = up ? this.clamp(Math.max(this.level + 1, Math.round(this.level * 1.25))) : this.clamp(Math.min(this.level - 1, Math.round(this.level * 0.75)));
          if (next !== this.level) {
            this.level = next;
            this.phase = up ? "probe-up" : "probe-down";
          }
        }
        return;
    }
  }

  private backOff(): void {
    this.ceiling = Math.max(this.min, this.level - 1);
    this.level = this.clamp(Math.floor(this.level / 2));
    this.phase = "steady";
    this.steadyWindows = 0;
    this.best = undefined;
    this.coolingDown = true;
  }

  private startWindow(t: number): void {
    this.windowStart = t;
    this.windowOk = 0;
    this.windowCalls = 0;
  }

  private clamp(n: number): number {
    return Math.min(this.ceiling, this.max, Math.max(this.min, Math.floor(n)));
  }
}
