import { Chalk } from "chalk";
import { durationFlag, Limits } from "../core/duration.js";
import { compileFilter } from "../core/filter.js";
import { parseRedrivePolicy } from "../core/redrive-policy.js";
import { DeclinedError, InterruptedError, OperationError, UsageError } from "../errors.js";
import { BrowseSelection } from "../sqs/custody/selection.js";
import type { Paint } from "../browse/list.js";
import { confirm, Leave, type Screen } from "../browse/prompts.js";
import { BrowseSession } from "../browse/session.js";
import { leaveNotes, snapshotNotes } from "../browse/summary.js";
import { colorWanted } from "../output/color.js";
import { resolveQueue } from "../sqs/queues.js";
import type { CommandContext } from "./context.js";
import { plural } from "../core/text.js";

export interface BrowseOptions {
  filter?: string;
  limit: string;
  scan?: string;
  hold: string;
}

function count(flag: string, text: string, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < 1 || n > max) throw new UsageError(`${flag}: "${text}" must be a whole number from 1 to ${max}.`);
  return n;
}

export default async function browse(ctx: CommandContext, [ref]: string[], opts: BrowseOptions): Promise<void> {
  const { ui, io } = ctx;
  if (!ui.interactive) {
    throw new UsageError(
      "browse is interactive and needs a terminal (stdin and stderr must be a TTY).",
      `In scripts use: sqsctl dlq inspect ${ref} (look), sqsctl receive ${ref} (take), sqsctl dlq redrive ${ref} (move back), sqsctl export ${ref} (save).`,
    );
  }
  const filter = opts.filter ? compileFilter(opts.filter) : undefined;
  const limit = count("--limit", opts.limit, 10_000);
  const scan = opts.scan ? count("--scan", opts.scan, 100_000) : Math.max(limit, 1000);
  const hold = durationFlag("--hold", opts.hold, { min: 3, max: Limits.visibilityTimeout.max });

  const sqs = await ctx.sqs();
  const queue = await resolveQueue(sqs, ref!, "queue", ["All"]);
  const attrs = queue.attributes;
  // The screen is drawn on stderr: its colour follows the same rules as everything else.
  const colour = colorWanted(io.env, ui.stderrIsTTY, ctx.globals.color);
  const chalk = new Chalk({ level: colour ? 2 : 0 });
  const paint: Paint = { bold: chalk.bold, dim: chalk.dim, cyan: chalk.cyan, yellow: chalk.yellow, green: chalk.green, red: chalk.red };
  const screen: Screen = { input: io.stdin, output: io.stderr, signal: ctx.signal, paint };

  const policy = parseRedrivePolicy(attrs.RedrivePolicy);
  try {
    if (policy && Number(attrs.ApproximateNumberOfMessages ?? 0) > 0) {
      // Browsing receives every message once: on a queue with a redrive policy that spends a delivery attempt.
      const ok = await confirm(
        screen,
        `${queue.name} has a redrive policy (maxReceiveCount ${policy.maxReceiveCount}). Browsing receives each message once, which counts as an attempt; one already received ${policy.maxReceiveCount} times moves to its DLQ. Continue?`,
      );
      // Declined: nothing was done, and a && chain must stop (exit 1).
      if (!ok) throw new DeclinedError("Nothing received: not confirmed.");
    }
  } catch (err) {
    if (err instanceof Leave) throw new InterruptedError("Interrupted: nothing was received.");
    throw err;
  }

  const holder = new BrowseSelection(sqs, queue.url, { holdSeconds: hold, waitSeconds: 1, fifo: queue.fifo, maxReceiveCount: policy?.maxReceiveCount });
  holder.startHeartbeat();
  let leave: Leave | undefined;
  let session: BrowseSession | undefined;
  try {
    const visibleBefore = Number(attrs.ApproximateNumberOfMessages ?? 0);
    const scanOnce = async () => {
      const spinner = ui.stderrIsTTY && !ui.quiet ? (await import("ora")).default({ text: `Reading messages from ${queue.name}…`, stream: io.stderr }).start() : undefined;
      try {
        return await holder.snapshot({
          limit,
          scan,
          ...(filter ? { filter } : {}),
          signal: ctx.signal,
          onProgress: (p) => {
            if (spinner) spinner.text = `Reading messages from ${queue.name}… ${p.kept} held${filter ? ` of ${p.scanned} read` : ""}`;
          },
        });
      } finally {
        spinner?.stop();
      }
    };
    const snap = await scanOnce();
    if (ctx.signal.aborted) throw new Leave();
    const notes = snapshotNotes(snap, { queue: queue.name, fifo: queue.fifo, filter: opts.filter, limit, scan, visibleBefore, holdSeconds: hold });
    notes.info.forEach((l) => ui.info(l));
    notes.warn.forEach((l) => ui.warn(l));
    if (notes.empty) return;
    const title = `${queue.name}${queue.fifo ? " (FIFO)" : ""}${filter ? ` · filter ${opts.filter}` : ""}`;
    const receiveMore = async () => {
      const before = holder.list().length;
      await scanOnce();
      if (ctx.signal.aborted) throw new Leave();
      return holder.list().length - before;
    };
    session = new BrowseSession(sqs, ui, screen, queue, holder, title, receiveMore);
    await session.run();
  } catch (err) {
    if (!(err instanceof Leave)) throw err;
    leave = err;
  } finally {
    // Counted before the release: the messages this session leaves that have now used every attempt.
    const exhausted = policy ? holder.list().filter((m) => (m.envelope.receiveCount ?? 0) >= policy.maxReceiveCount).length : 0;
    const r = await holder.releaseAll();
    const t = session?.totals;
    const notes = leaveNotes({
      queue: queue.name,
      released: r.released,
      lost: r.lost,
      deleted: t?.deleted ?? 0,
      moved: t?.moved ?? 0,
      exhausted,
      maxReceiveCount: policy?.maxReceiveCount,
    });
    notes.info.forEach((l) => ui.info(l));
    notes.warn.forEach((l) => ui.warn(l));
    if (r.failed) {
      // Thrown from finally on purpose: failing to give messages back outranks how the session ended.
      // eslint-disable-next-line no-unsafe-finally
      throw new OperationError(
        `${plural(r.failed, "message")} could not be released.`,
        `They become visible in ${queue.name} on their own within ${hold} s.`,
      );
    }
  }
  if (leave) throw new InterruptedError("Interrupted: left browse after releasing the messages it held.");
}
