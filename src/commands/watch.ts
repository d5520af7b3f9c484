import { durationFlag, formatDuration } from "../core/duration.js";
import { renderFrame, WatchModel } from "../core/watch.js";
import { ExitCode, InterruptedError, SqsctlError, UsageError } from "../errors.js";
import { Screen } from "../output/screen.js";
import { queueMetrics } from "../sqs/metrics.js";
import { QueuePoller } from "../sqs/watch.js";
import type { CommandContext } from "./context.js";

interface Opts {
  prefix?: string;
  interval: string;
  count?: string;
}

/** At most this many queues are read per refresh when none are named. */
const QUEUE_LIMIT = 100;

export default async function watch(ctx: CommandContext, queues: string[], opts: Opts): Promise<void> {
  const { ui } = ctx;
  const intervalS = durationFlag("--interval", opts.interval, { min: 1, max: 3600 });
  let count: number | undefined;
  if (opts.count !== undefined) {
    count = Number(opts.count);
    if (!Number.isInteger(count) || count < 1) throw new UsageError(`--count: "${opts.count}" is not a whole number of refreshes (1 or more).`);
  }
  if (queues.length > 0 && opts.prefix) throw new UsageError("Name queues or give --prefix, not both.");

  const sqs = await ctx.sqs();
  const poller = new QueuePoller(sqs, queues, opts.prefix, QUEUE_LIMIT);
  const model = new WatchModel();
  // Machine output when asked for, or when stdout is not a terminal (a pipe, a file).
  const machine = ui.format !== "table" || !ui.stdoutIsTTY;

  const screen = machine ? undefined : new Screen(ctx.io);
  let quit = false;
  let wake: (() => void) | undefined;
  const stop = () => {
    quit = true;
    wake?.();
  };
  const draw = () => {
    const { width, height } = screen!.size;
    screen!.draw(
      renderFrame(model, {
        width,
        height,
        paint: ui.color,
        interval: `every ${formatDuration(intervalS)}`,
        target: sqs.endpoint,
        clock: new Date().toTimeString().slice(0, 8),
        leftOut: poller.leftOut,
        metricsNote,
      }),
    );
  };

  let warnedLimit = false;
  let metricsNote: string | undefined;
  let refreshes = 0;
  const onAbort = () => wake?.();
  ctx.signal.addEventListener("abort", onAbort);
  try {
    screen?.enter((key) => {
      if (key === "q" || key === "Q" || key === "\u0003" || key === "\u001b") stop();
      else if (key === "r") wake?.();
    }, () => draw());
    while (!quit && !ctx.signal.aborted) {
      try {
        const readings = await poller.read();
        // One GetMetricData for every queue on screen, cached a minute (sqs/metrics.ts).
        const metrics = await queueMetrics(sqs, readings.map((r) => r.name));
        if (metrics.ok) for (const r of readings) r.metrics = metrics.byQueue.get(r.name);
        else if (metricsNote === undefined && machine) ui.info(`note: ${metrics.reason} CloudWatch fields are null.`);
        metricsNote = metrics.ok ? undefined : metrics.reason;
        const samples = model.add(readings, Date.now());
        if (machine) for (const s of samples) ui.ndjsonLine(s);
      } catch (err) {
        // The first read decides whether watching can work at all (a typo, no credentials);
        // later failures are shown and retried, except losing access.
        if (refreshes === 0 || (err instanceof SqsctlError && err.exitCode === ExitCode.Auth)) throw err;
        const message = err instanceof Error ? err.message.split("\n")[0]! : String(err);
        model.error = message;
        if (machine) ui.warn(`refresh failed: ${message} (retrying)`);
      }
      if (poller.leftOut > 0 && !warnedLimit && machine) {
        warnedLimit = true;
        ui.warn(`watching the first ${QUEUE_LIMIT} queues; ${poller.leftOut} more match. Narrow with --prefix or name them.`);
      }
      if (screen) draw();
      refreshes += 1;
      if (count !== undefined && refreshes >= count) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, intervalS * 1000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
        if (quit || ctx.signal.aborted) wake();
      });
      wake = undefined;
    }
  } finally {
    ctx.signal.removeEventListener("abort", onAbort);
    screen?.leave();
  }
  if (ctx.signal.aborted && !quit) throw new InterruptedError("Stopped watching.");
}
