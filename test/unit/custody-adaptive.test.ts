import { describe, expect, test } from "vitest";
import { AdaptiveConcurrency } from "../../src/sqs/custody/adaptive.js";

/**
 * A small model of a queue seen from the client: each call carries 10 messages and takes
 * `latencyMs`; the client can process at most `cpuCap` messages a second in all (beyond
 * that, calls just queue up inside the client), and more sockets than `wasteAbove` cost
 * a little throughput. `throttleAbove`: calls made while more than that many are in
 * flight are throttled. The controller is asked before every start, as runPool does.
 * Returns the levels it chose over time and the throughput of the last `tailMs`.
 */
function simulate(
  ctl: AdaptiveConcurrency,
  model: { latencyMs: number; cpuCap: number; wasteAbove?: number; throttleAbove?: number },
  durationMs: number,
  tailMs = 2000,
) {
  let now = 0;
  const clock = () => now;
  (ctl as unknown as { now: () => number }).now = clock;
  // Calls in flight: their finish times.
  const inflight: Array<{ end: number; throttled: boolean }> = [];
  const levels: number[] = [];
  let tailOk = 0;
  let cpuFreeAt = 0;
  while (now < durationMs) {
    while (inflight.length < ctl.current()) {
      const c = inflight.length + 1;
      const throttled = model.throttleAbove !== undefined && c > model.throttleAbove;
      // CPU: each call costs 10 / cpuCap seconds of client time, served one after another.
      const waste = model.wasteAbove !== undefined && c > model.wasteAbove ? 1 + (c - model.wasteAbove) * 0.01 : 1;
      cpuFreeAt = Math.max(cpuFreeAt, now) + (10 / model.cpuCap) * 1000 * waste;
      inflight.push({ end: Math.max(now + model.latencyMs, cpuFreeAt), throttled });
    }
    inflight.sort((a, b) => a.end - b.end);
    const call = inflight.shift()!;
    now = call.end;
    ctl.record({ ok: call.throttled ? 0 : 10, throttled: call.throttled, latencyMs: model.latencyMs });
    if (now > durationMs - tailMs && !call.throttled) tailOk += 10;
    levels.push(ctl.current());
  }
  return { levels, tailRate: (tailOk * 1000) / tailMs, final: ctl.current(), peak: Math.max(...levels) };
}

/** The best a fixed concurrency could do in the same model (what a raw loop at its best gets). */
function bestFixed(model: Parameters<typeof simulate>[1]) {
  let best = 0;
  for (const c of [1, 2, 4, 8, 16, 24, 32, 48, 64, 96, 128]) {
    const r = simulate(new AdaptiveConcurrency({ min: c, max: c, initial: c }), model, 6000);
    best = Math.max(best, r.tailRate);
  }
  return best;
}

describe("AdaptiveConcurrency", () => {
  test("starts at the initial level and stays there until a window is measured", () => {
    const ctl = new AdaptiveConcurrency({ min: 1, max: 64, initial: 16, now: () => 0 });
    expect(ctl.current()).toBe(16);
    ctl.record({ ok: 10, throttled: false, latencyMs: 1 });
    expect(ctl.current()).toBe(16);
  });

  test("the initial level is clamped to [min, max]; bad bounds are refused", () => {
    expect(new AdaptiveConcurrency({ min: 2, max: 8, initial: 100 }).current()).toBe(8);
    expect(new AdaptiveConcurrency({ min: 2, max: 8, initial: 0 }).current()).toBe(2);
    expect(() => new AdaptiveConcurrency({ min: 0, max: 8, initial: 4 })).toThrow(RangeError);
    expect(() => new AdaptiveConcurrency({ min: 9, max: 8, initial: 4 })).toThrow(RangeError);
  });

  test("at 25 ms a call it grows until the client is saturated: >= 0.9 of the best fixed level", () => {
    const model = { latencyMs: 25, cpuCap: 10_000, wasteAbove: 64 };
    const r = simulate(new AdaptiveConcurrency({ min: 1, max: 256, initial: 8 }), model, 8000);
    expect(r.final).toBeGreaterThanOrEqual(24);
    expect(r.final).toBeLessThanOrEqual(128);
    expect(r.tailRate / bestFixed(model)).toBeGreaterThanOrEqual(0.9);
  });

  test("on loopback (1 ms a call) it does not pile up calls that add nothing", () => {
    const model = { latencyMs: 1, cpuCap: 12_000, wasteAbove: 8 };
    // Started as send-batch starts it (8), it tries 16, sees no gain, and goes back.
    const r = simulate(new AdaptiveConcurrency({ min: 1, max: 256, initial: 8 }), model, 8000);
    expect(r.final).toBeLessThanOrEqual(32);
    expect(r.tailRate / bestFixed(model)).toBeGreaterThanOrEqual(0.95);
  });

  test("a throttled call halves the level at once, and later probes stay under where it happened", () => {
    const model = { latencyMs: 25, cpuCap: 50_000, throttleAbove: 20 };
    const ctl = new AdaptiveConcurrency({ min: 1, max: 256, initial: 16 });
    const r = simulate(ctl, model, 10_000);
    expect(r.final).toBeLessThanOrEqual(20);
    expect(r.final).toBeGreaterThanOrEqual(8);
    // After the first throttle, no level above the one that was throttled.
    const firstHalving = r.levels.findIndex((l, i) => i > 0 && l < r.levels[i - 1]! / 1.5);
    expect(firstHalving).toBeGreaterThan(0);
    const after = r.levels.slice(firstHalving);
    expect(Math.max(...after)).toBeLessThanOrEqual(r.levels[firstHalving - 1]!);
  });

  test("many throttles from the calls of the old level halve once, not once each", () => {
    let now = 0;
    const ctl = new AdaptiveConcurrency({ min: 1, max: 64, initial: 32, now: () => now });
    for (let i = 0; i < 20; i++) {
      now += 1;
      ctl.record({ ok: 0, throttled: true, latencyMs: 25 });
    }
    expect(ctl.current()).toBe(16);
  });

  test("never outside [min, max]", () => {
    const ctl = new AdaptiveConcurrency({ min: 4, max: 12, initial: 8 });
    const a = simulate(ctl, { latencyMs: 25, cpuCap: 100_000 }, 5000);
    expect(Math.max(...a.levels)).toBeLessThanOrEqual(12);
    const ctl2 = new AdaptiveConcurrency({ min: 4, max: 12, initial: 8 });
    const b = simulate(ctl2, { latencyMs: 25, cpuCap: 100_000, throttleAbove: 1 }, 5000);
    expect(Math.min(...b.levels)).toBeGreaterThanOrEqual(4);
  });

  test("a rate-bound run (--rate) stops growing: throughput no longer rises with the level", () => {
    // A rate of 2,000 msg/s at 25 ms a call needs 5 calls in flight; more only wait.
    const r = simulate(new AdaptiveConcurrency({ min: 1, max: 256, initial: 4 }), { latencyMs: 25, cpuCap: 2000 }, 8000);
    expect(r.final).toBeLessThanOrEqual(16);
  });
});
