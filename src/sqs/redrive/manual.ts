import type { Envelope } from "../../core/envelope.js";
import type { SqsContext } from "../client.js";
import { HeldMessages } from "../hold.js";
import { ReceiveMessageCommand, type Message } from "@aws-sdk/client-sqs";
import { fromSqsMessage } from "../../core/envelope.js";
import type { Held } from "../messages.js";
import { getQueueAttributes } from "../queues.js";
import type { Journal } from "./journal.js";
import { sendHeld, type MoveFailure, type MoveOutcome, type RedriveTarget } from "./move.js";

export interface ManualRedriveOptions {
  source: { name: string; url: string };
  /** The target of one message; undefined leaves it in the DLQ (counted as skipped). */
  targetFor: (env: Envelope) => Promise<RedriveTarget | undefined>;
  /** Only matching messages move; the others are held until the end, then released (looked at once). */
  filter?: ((env: Envelope) => boolean) | undefined;
  /** Move at most this many. */
  max?: number | undefined;
  /** Messages a second, overall. */
  rate?: number | undefined;
  /** Receive-send-delete loops in parallel. @default 8 */
  concurrency?: number;
  /** Seconds a received message stays hidden while being moved; held ones get a heartbeat. @default 30 */
  holdSeconds?: number;
  /** Long-poll seconds of each receive. @default 1 */
  waitSeconds?: number;
  /** Empty long polls in a row (with the DLQ reporting nothing visible) that end the run. @default 3 */
  emptyPolls?: number;
  /**
   * Also wait (up to this many seconds) for messages in flight that someone else
   * holds, e.g. a killed earlier run's, before deciding the DLQ is empty. @default 0
   */
  waitForInFlightSeconds?: number;
  journal: Journal;
  /** Source MessageIds an earlier, killed run may have sent already: sending them again is counted as a possible duplicate. */
  maybeSent?: Set<string> | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((s: ManualRedriveStats) => void) | undefined;
}

export interface ManualRedriveStats {
  /** Distinct messages received. */
  received: number;
  moved: number;
  /** Did not match the filter, were beyond --max, or had no target: left in the DLQ. */
  skipped: number;
  /** Send failed: left in the DLQ. */
  failed: number;
  /** Journaled as sent by an earlier run (or earlier in this run): deleted from the DLQ without sending again. */
  alreadySent: number;
  /** Sent but not deleted: in the target and still in the DLQ. A re-run with the same journal deletes them. */
  deleteFailed: number;
  /** Moved now, but an earlier killed run may have sent them already (a copy may be in the target twice). */
  possibleDuplicates: number;
  /** Messages this run could not see because someone else held them when it ended. */
  inFlightElsewhere: number;
  ended: "empty" | "max" | "interrupted" | "stalled";
  failures: Array<{ messageId: string; code: string; message: string }>;
  byTarget: Record<string, number>;
}

/**
 * The manual redrive: receive from the DLQ, send to the target, delete from the DLQ
 * only what the target accepted (moveHeldMessages). Several loops run in parallel
 * with long polls; the run ends only after a few empty long polls in a row AND the
 * DLQ reporting nothing visible, never at the first empty receive. Messages it leaves
 * (filtered out, failed, over --max) stay held until the end so they are looked at
 * once, then released. On abort it finishes the batch in hand and releases the rest.
 */
export async function runManualRedrive(ctx: SqsContext, opts: ManualRedriveOptions): Promise<ManualRedriveStats> {
  const hold = opts.holdSeconds ?? 30;
  const left = new HeldMessages(ctx, opts.source.url, hold).start();
  const stats: ManualRedriveStats = {
    received: 0,
    moved: 0,
    skipped: 0,
    failed: 0,
    alreadySent: 0,
    deleteFailed: 0,
    possibleDuplicates: 0,
    inFlightElsewhere: 0,
    ended: "empty",
    failures: [],
    byTarget: {},
  };
  const seen = new Set<string>();
  const emptyPolls = opts.emptyPolls ?? 3;
  const waitSeconds = opts.waitSeconds ?? 1;
  const started = Date.now();
  let claimed = 0;
  let inHand = 0; // received by a loop and not yet sent/deleted/left
  let emptyStreak = 0;
  let checks = 0;
  let ended: ManualRedriveStats["ended"] | undefined;
  let checking: Promise<void> | undefined;
  const pace = opts.rate ? pacer(opts.rate) : undefined;
  // Once the DLQ is known to be empty and nothing is left to release, the long polls
  // still waiting are cut short instead of running out their second. The server may
  // keep such a poll open for the rest of its wait and hand a message that lands in
  // the DLQ in that instant to the closed connection: it is not lost, it stays hidden
  // for the hold. With messages to release the polls are left to finish, or they
  // could take the released messages.
  const tail = new AbortController();
  const receive = async (max: number): Promise<Held[]> => {
    try {
      const out = await ctx.client.send(
        new ReceiveMessageCommand({
          QueueUrl: opts.source.url,
          MaxNumberOfMessages: max,
          WaitTimeSeconds: waitSeconds,
          VisibilityTimeout: hold,
          MessageSystemAttributeNames: ["All"],
          AttributeNames: ["All"],
          MessageAttributeNames: ["All"],
        }),
        { abortSignal: tail.signal },
      );
      return (out.Messages ?? []).map((m: Message) => ({ envelope: fromSqsMessage(m), receiptHandle: m.ReceiptHandle ?? "", raw: m }));
    } catch (err) {
      if (tail.signal.aborted) return [];
      const { mapSdkError } = await import("../errors.js");
      throw mapSdkError(err, { region: ctx.region, endpoint: ctx.endpoint, queue: opts.source.name });
    }
  };

  const checkEmpty = async () => {
    const a = await getQueueAttributes(ctx, opts.source.url, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]);
    checks += 1;
    const visible = Number(a.ApproximateNumberOfMessages ?? 0);
    const elsewhere = Math.max(0, Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) - left.size - inHand);
    stats.inFlightElsewhere = elsewhere;
    const waitMore = elsewhere > 0 && (Date.now() - started) / 1000 < (opts.waitForInFlightSeconds ?? 0);
    if (waitMore) opts.onProgress?.(stats);
    if (visible === 0 && !waitMore) {
      ended ??= "empty";
      if (left.size === 0) tail.abort();
    }
    else if (visible > 0 && checks >= 5) ended ??= "stalled"; // the server counts held messages as visible, or they are delayed
    else emptyStreak = 0;
  };

  const leave = (h: Held, why: "skipped" | "failed") => {
    left.add(h);
    stats[why] += 1;
  };

  const handle = async (batch: Held[]): Promise<{ done: Promise<unknown> }> => {
    const byTarget = new Map<string, { target: RedriveTarget; held: Held[] }>();
    for (const h of batch) {
      const id = h.envelope.messageId ?? h.receiptHandle;
      if (left.has(id)) {
        left.add(h); // a re-delivery of one we already left: keep the newest handle, count it once
        continue;
      }
      const again = seen.has(id);
      seen.add(id);
      if (!again) stats.received += 1;
      const journaled = opts.journal.alreadySent(id);
      if (!journaled && !again) {
        if (opts.filter && !opts.filter(h.envelope)) {
          leave(h, "skipped");
          continue;
        }
        if (opts.max !== undefined && claimed >= opts.max) {
          leave(h, "skipped");
          continue;
        }
        claimed += 1;
      } else if (!journaled && again) {
        // Seen earlier in this run but neither left nor sent: its earlier batch is still in hand.
        left.add(h);
        continue;
      }
      const target = await opts.targetFor(h.envelope);
      if (!target) {
        leave(h, "skipped");
        continue;
      }
      const slot = byTarget.get(target.url) ?? { target, held: [] };
      slot.held.push(h);
      byTarget.set(target.url, slot);
    }
    // Sends now; the fsync and the deletes run while the loop receives its next batch.
    const finishes: Array<Promise<void>> = [];
    for (const { target, held } of byTarget.values()) {
      const sendCount = held.filter((h) => !opts.journal.alreadySent(h.envelope.messageId ?? "")).length;
      if (pace && sendCount) await pace(sendCount);
      const sent = await sendHeld(ctx, { sourceUrl: opts.source.url, target, held, journal: opts.journal });
      for (const f of sent.outcome.sendFailed) {
        leave(f.held, "failed");
        note(f);
      }
      finishes.push(sent.finish().then((out) => account(target, out)));
    }
    return { done: Promise.all(finishes).then(() => opts.onProgress?.(stats)) };
  };
  const account = (target: RedriveTarget, out: MoveOutcome) => {
    stats.moved += out.moved.length;
    if (opts.maybeSent?.size) stats.possibleDuplicates += out.moved.filter((m) => opts.maybeSent!.has(m.messageId)).length;
    stats.possibleDuplicates += out.possibleDuplicates;
    stats.byTarget[target.name] = (stats.byTarget[target.name] ?? 0) + out.moved.length;
    stats.alreadySent += out.alreadySent.length;
    stats.deleteFailed += out.deleteFailed.length;
    for (const f of out.deleteFailed) note(f);
  };
  const note = (f: MoveFailure) => {
    if (stats.failures.length < 100) stats.failures.push({ messageId: f.held.envelope.messageId ?? "", code: f.code, message: f.message });
  };

  const worker = async () => {
    // At most one batch a loop waits for its fsync and deletes while the loop receives the next.
    let previous: Promise<unknown> = Promise.resolve();
    try {
      await loop((p) => (previous = p), () => previous);
    } finally {
      await previous;
    }
  };
  const loop = async (setPrevious: (p: Promise<unknown>) => void, getPrevious: () => Promise<unknown>) => {
    while (!ended) {
      if (opts.signal?.aborted) {
        ended = "interrupted";
        break;
      }
      if (opts.max !== undefined && claimed >= opts.max) {
        ended = "max";
        break;
      }
      const want = opts.max !== undefined ? Math.min(10, Math.max(1, opts.max - claimed)) : 10;
      const batch = await receive(want);
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
      // Finish the batch in hand even when interrupted: it is sent and deleted, or left and released.
      inHand += batch.length;
      let finishing: Promise<unknown>;
      try {
        finishing = (await handle(batch)).done;
      } catch (err) {
        inHand -= batch.length;
        throw err;
      }
      await getPrevious();
      const next = finishing.finally(() => (inHand -= batch.length));
      next.catch(() => undefined); // awaited on the next turn or when the loop ends; not unhandled meanwhile
      setPrevious(next);
    }
  };

  const results = await Promise.allSettled(
    Array.from({ length: opts.concurrency ?? 8 }, () =>
      worker().catch((err: unknown) => {
        ended = "interrupted";
        throw err;
      }),
    ),
  );
  stats.ended = ended ?? "empty";
  await left.releaseAll().catch(() => undefined);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failure) throw Object.assign(failure.reason as Error, { redriveStats: stats });
  return stats;
}

/** Spaces sends so the whole run stays under `rate` messages a second. */
function pacer(rate: number): (n: number) => Promise<void> {
  let next = Date.now();
  return async (n) => {
    const now = Date.now();
    const at = Math.max(now, next);
    next = at + (n / rate) * 1000;
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  };
}
