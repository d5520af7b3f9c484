/**
 * THE one receive loop, and THE one end rule.
 *
 * Every receive is a long poll (`waitSeconds`, default 20) whose messages go straight
 * into the holder, hidden for the holder's holdSeconds, so the loop never sees a
 * message twice while it runs and the holder's heartbeat keeps them hidden.
 *
 * END RULE (untilEmpty), the only place sqsctl decides a queue is "empty":
 *   1. EMPTY_POLLS (2) long polls in a row came back empty (one empty receive is never
 *      trusted: SQS returns false empties; empties of concurrent receivers count, each
 *      is its own receive call), AND
 *      the first empty one waited the caller's full `waitSeconds` (a wait longer than
 *      MAX_POLL_SECONDS is served as P polls, all of which must come back empty), while
 *      the ones after it are confirming polls of CONFIRM_SECONDS (1 s: still long polls,
 *      which ask every server, never a short poll). A message from any poll resets it.
 *      Once enough polls are out to complete the count, no more are launched, so the
 *      end does not wait for polls it does not need.
 *   2. the queue's ApproximateNumberOfMessages, read after them, is 0. The count is read
 *      only once no receive is in hand (the loop waits for those anyway before it ends,
 *      so one count read after all of them costs nothing and no call can take a message
 *      after it; a call in hand that brings messages resets the count of empty polls).
 *      Servers that count held messages as visible (local-aws-sqs: visible includes
 *      in-flight ones): on a STANDARD queue, when the count says visible >= what this
 *      holder holds AND in flight >= what it holds, after two empty long polls, the
 *      server is counting our own holds twice (AWS keeps a message in one of the two
 *      counts, and cannot have that many visible messages no long poll returns), so
 *      they are subtracted (`countsHoldsAsVisible`). An "empty" that rests on that
 *      subtraction must be seen by two count checks in a row, each after its own empty
 *      long polls. Never on FIFO, where messages behind a held one are counted as
 *      visible and no receive returns them.
 *   If the receives stay empty while the queue still counts visible messages, the loop
 *   re-checks; after STALL_CHECKS such checks in a row (2 on FIFO, where a held message
 *   blocks the rest of its group for as long as it is held) with nothing leaving the
 *   holder in between (a delete unblocks a FIFO group), it ends as "stalled".
 * Messages in flight elsewhere (ApproximateNumberOfMessagesNotVisible beyond what the
 * holder holds) are counted too, so a reader can say its result is partial (see
 * partialReason in read-info.ts).
 *
 * SQS's in-flight limit (about 120,000 on a standard queue, 20,000 on FIFO): AWS answers a
 * short poll at the limit with `OverLimit` and a long poll with nothing at all. So the loop
 * meets it two ways: a receive answered `OverLimit`, or the end rule's count finding
 * visible messages that the empty long polls did not return while the queue's in-flight
 * count (ours and others') is within 10% of the limit (`inFlightLimit`). Either way it
 * ends as "overlimit" when the caller asked for it
 * (`endAtInFlightLimit`: a read whose result can say "partial, covers the N received",
 * see partialReason in read-info.ts); otherwise the loop throws InFlightLimitError, a
 * clear partial failure. Either way the calls in hand are finished and the caller's
 * holder.close() releases everything held.
 *
 * Stopping (max reached, Ctrl-C, an error, or the consumer leaving the loop) never cuts
 * a receive in hand: a long poll abandoned by the client stays open on the server and
 * would swallow the messages released next (hidden for holdSeconds after sqsctl exits).
 * The calls in hand are finished and what they return is added to the holder, so the
 * caller's holder.close() releases it. For the same reason each poll waits at most
 * MAX_POLL_SECONDS: after an interrupt, main.ts cancels requests still in flight once its
 * 5 s grace period is over, and a shorter poll has always ended by then. A longer
 * `waitSeconds` is served as several polls of at most that.
 */
import { PartialFailure } from "../../errors.js";
import { count, plural } from "../../core/text.js";
import type { SqsContext } from "../client.js";
import { errorCode } from "../errors.js";
import { receiveOnce, type Held } from "../messages.js";
import { getQueueAttributes } from "../queues.js";
import type { Holder } from "./holder.js";

/** The longest single poll: shorter than the grace period after an interrupt (main.ts, 5 s). */
export const MAX_POLL_SECONDS = 4;
/** Empty long polls in a row before the queue's counts are asked. */
export const EMPTY_POLLS = 2;
/** The wait of a confirming poll (launched after an empty one): still a long poll, just shorter. */
export const CONFIRM_SECONDS = 1;
/**
 * Concurrent receives a command runs by default (export, dlq inspect, the manual redrive).
 * A raw SDK loop is fastest at 32 receivers at 25-40 ms a call and level at 16-32 on
 * loopback. On a quiet machine 32 against 16 took export from 0.84 to 0.95 and dlq inspect
 * from 0.82 to 0.91 of the raw loop at 40 ms (0.94 -> 0.99 and 0.90 -> 0.93 at 25 ms), and
 * left loopback unchanged (bench/RESULTS.md 2g). 32 hold at most 320 messages in flight.
 */
export const DEFAULT_RECEIVERS = 32;
/** SQS's documented in-flight limits (an account may have raised them: see SQSCTL_IN_FLIGHT_LIMIT in read-info.ts). */
export const IN_FLIGHT_LIMIT = { standard: 120_000, fifo: 20_000 } as const;
/** The limits in words, for messages. */
export const IN_FLIGHT_LIMIT_NOTE = `about ${count(IN_FLIGHT_LIMIT.standard)} on a standard queue, ${count(IN_FLIGHT_LIMIT.fifo)} on FIFO`;
/** Count checks that still see visible messages (with empty receives) before the loop gives up as stalled. */
export const STALL_CHECKS = 3;

export interface LoopEnd {
  /** max: the caller's max; empty: the end rule; stalled: the queue counts messages no receive returns; aborted: the signal; stopped: the caller left the loop; error: a receive failed; overlimit: SQS's in-flight limit (OverLimit) with endAtInFlightLimit. */
  reason?: "max" | "empty" | "stalled" | "aborted" | "stopped" | "error" | "overlimit";
  /** ApproximateNumberOfMessages at the last end check (less this holder's own holds on a server that counts them as visible). */
  visible?: number;
  /** ApproximateNumberOfMessagesNotVisible beyond what the holder held, at the last end check. */
  inFlightElsewhere?: number;
  /** The last end check found the server counting this holder's holds as visible, and subtracted them. */
  countsHoldsAsVisible?: boolean;
  /** Messages new to the holder that the loop yielded. */
  received?: number;
  /**
   * The queue's counts as read by the end check that ended the loop (empty, stalled, or the
   * in-flight limit seen in them), with everything the loop received still held, and when
   * it was asked: a caller that wants the queue's total after its scan (dlq inspect's
   * growth) uses these instead of one more call.
   */
  finalCounts?: { at: number; attributes: Record<string, string> };
}

/** A receive met SQS's in-flight limit (OverLimit) and the caller did not ask to end there. Exit 1. */
export class InFlightLimitError extends PartialFailure {
  constructor(received: number, cause?: unknown) {
    super(
      `stopped at SQS's in-flight limit (OverLimit) after ${plural(received, "message")} received: the queue has too many messages in flight (${IN_FLIGHT_LIMIT_NOTE}); everything this run held was released.`,
      "Wait for consumers to finish (or their holds to expire) and run it again, or work in smaller parts (--max, --limit, a --filter).",
      { cause },
    );
  }
}

/** SQS's in-flight limit (AWS: `OverLimit` on ReceiveMessage). */
export function isOverLimit(err: unknown): boolean {
  // The client wraps SDK errors (sqs/errors.ts mapSdkError) and keeps the SDK's as the cause.
  return errorCode(err) === "OverLimit" || errorCode((err as { cause?: unknown } | undefined)?.cause) === "OverLimit";
}

export interface ReceiveLoopOptions {
  /** Stop after this many new messages. */
  max?: number | undefined;
  /** Long poll, default 20 (never short-poll to decide "empty"). */
  waitSeconds?: number | undefined;
  /** Apply the end rule above; without it the loop runs until max, the signal, or the caller stops. */
  untilEmpty?: boolean | undefined;
  /** Concurrent ReceiveMessage calls. @default 1 */
  receivers?: number | undefined;
  signal?: AbortSignal | undefined;
  /** Filled in as the loop ends: why, and what the queue's counts said. */
  end?: LoopEnd | undefined;
  /** Queue name for error messages. */
  label?: string | undefined;
  /** At SQS's in-flight limit, end as "overlimit" (the caller reports a partial result) instead of throwing InFlightLimitError. */
  endAtInFlightLimit?: boolean | undefined;
  /** The queue's in-flight limit. @default IN_FLIGHT_LIMIT for the holder's queue type */
  inFlightLimit?: number | undefined;
}

interface Result {
  key: number;
  asked: number;
  /** When the receive was sent: its messages are hidden from then on at the earliest (the holder's deadline counts from it). */
  sentAt: number;
  batch?: Held[];
  err?: unknown;
}

/** Yields batches of messages NEW to the holder (already added to it). */
export async function* receiveInto(ctx: SqsContext, url: string, holder: Holder, opts: ReceiveLoopOptions): AsyncGenerator<Held[]> {
  const end = opts.end ?? {};
  // A caller's longer wait is served as several polls: that many empty ones make one "empty long poll".
  const pollsPerWait = Math.max(1, Math.ceil((opts.waitSeconds ?? 20) / MAX_POLL_SECONDS));
  const wait = Math.ceil((opts.waitSeconds ?? 20) / pollsPerWait);
  const receivers = Math.max(1, opts.receivers ?? 1);
  const stallChecks = holder.opts.fifo ? 2 : STALL_CHECKS;
  const emptiesToCheck = pollsPerWait + EMPTY_POLLS - 1;
  const inFlight = new Map<number, Promise<Result>>();
  let seq = 0;
  let yielded = 0;
  let claimed = 0;
  let empties = 0;
  let checks = 0;
  let done: LoopEnd["reason"];
  let failure: unknown;

  const launch = (): boolean => {
    const room = opts.max === undefined ? 10 : Math.min(10, opts.max - yielded - claimed);
    if (room <= 0) return false;
    claimed += room;
    const key = seq++;
    // After an empty poll, the next ones only confirm it (see the END RULE above).
    const waitSeconds = opts.untilEmpty && empties >= pollsPerWait ? Math.min(wait, CONFIRM_SECONDS) : wait;
    const sentAt = Date.now();
    const call = receiveOnce(ctx, url, { max: room, waitSeconds, visibilityTimeout: holder.holdSeconds }, opts.label).then(
      (batch): Result => ({ key, asked: room, sentAt, batch }),
      (err: unknown): Result => ({ key, asked: room, sentAt, err }),
    );
    inFlight.set(key, call);
    return true;
  };

  let lastCounts: LoopEnd["finalCounts"];
  const readCounts = async () => {
    const at = Date.now();
    const a = await getQueueAttributes(ctx, url, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"], opts.label);
    lastCounts = { at, attributes: a };
    const counts = ownHoldsInCounts(Number(a.ApproximateNumberOfMessages ?? 0), Number(a.ApproximateNumberOfMessagesNotVisible ?? 0), holder.size, holder.opts.fifo);
    end.visible = counts.visible;
    end.inFlightElsewhere = counts.inFlightElsewhere;
    end.countsHoldsAsVisible = counts.subtracted;
  };

  let sizeAtCheck = Infinity;
  // An "empty" that rests on subtracting our own holds is trusted on its second check in a row.
  let emptyBySubtraction = 0;
  const inFlightLimit = opts.inFlightLimit ?? (holder.opts.fifo ? IN_FLIGHT_LIMIT.fifo : IN_FLIGHT_LIMIT.standard);
  const atInFlightLimit = (cause?: unknown) => {
    done = "overlimit";
    if (!opts.endAtInFlightLimit) failure ??= new InFlightLimitError(yielded, cause);
  };
  const checkEnd = async () => {
    await readCounts();
    // Long polls at the in-flight limit come back empty on AWS (no error): visible messages
    // no receive returns, and the queue about full of messages in flight.
    if (end.visible! > 0 && holder.size + end.inFlightElsewhere! >= 0.9 * inFlightLimit) {
      atInFlightLimit();
      end.finalCounts = lastCounts;
      return;
    }
    // Something left the holder since the last check (deleted, released): that is progress.
    checks = holder.size < sizeAtCheck ? 1 : checks + 1;
    sizeAtCheck = holder.size;
    emptyBySubtraction = end.visible === 0 && end.countsHoldsAsVisible ? emptyBySubtraction + 1 : 0;
    if (end.visible === 0 && (!end.countsHoldsAsVisible || emptyBySubtraction >= 2)) done ??= "empty";
    else if (end.visible !== 0 && checks >= stallChecks) done ??= "stalled";
    else empties = 0;
    if (done) end.finalCounts = lastCounts;
  };

  try {
    for (;;) {
      if (opts.signal?.aborted) done ??= "aborted";
      // Once polls came back empty, launch only the confirming polls the rule still needs
      // (polls already out count when they come back): no extra second in hand at the end.
      const enough = () => opts.untilEmpty && empties > 0 && empties + inFlight.size >= emptiesToCheck;
      while (!done && inFlight.size < receivers && !enough() && launch());
      if (inFlight.size === 0) break;
      const r = await Promise.race(inFlight.values());
      inFlight.delete(r.key);
      claimed -= r.asked;
      if (r.err !== undefined) {
        if (isOverLimit(r.err) && failure === undefined) {
          // After max, an interrupt or the caller leaving, the limit costs nothing: that end stands.
          if (done === undefined || done === "overlimit") atInFlightLimit(r.err);
          continue;
        }
        failure ??= r.err;
        if (done !== "overlimit") done ??= "error";
        continue;
      }
      // Custody first, whatever happens next: what a receive returned is held (and released on close).
      const fresh = holder.add(r.batch ?? [], r.sentAt);
      // A call still in hand when the end was decided came back with messages: "empty" and
      // "stalled" are decided only once no call is in hand (checkEnd), so this is an end
      // by max, abort, error or the in-flight limit. At the in-flight limit they are
      // yielded (the partial result covers them too); otherwise they are held (close
      // releases them), not yielded.
      if (done === "overlimit" && fresh.length) {
        const out = opts.max === undefined ? fresh : fresh.slice(0, opts.max - yielded);
        yielded += out.length;
        if (out.length) yield out;
        continue;
      }
      if (done) continue;
      if (!r.batch?.length) {
        empties += 1;
        // Counted once every call in hand is back (see the END RULE): enough() launched no more.
        if (opts.untilEmpty && empties >= emptiesToCheck && inFlight.size === 0) await checkEnd();
        continue;
      }
      empties = 0;
      checks = 0;
      sizeAtCheck = Infinity;
      const out = opts.max === undefined ? fresh : fresh.slice(0, opts.max - yielded);
      yielded += out.length;
      if (opts.max !== undefined && yielded >= opts.max) done = "max";
      if (out.length) yield out;
    }
  } finally {
    if (inFlight.size) {
      done ??= "stopped";
      for (const r of await Promise.all(inFlight.values())) if (r.batch?.length) holder.add(r.batch, r.sentAt);
      inFlight.clear();
    }
    end.reason = done ?? "stopped";
    end.received = yielded;
  }
  if (failure !== undefined) throw failure;
}

/**
 * The queue's counts as the end rule reads them: ApproximateNumberOfMessages, less this
 * holder's own holds when the server counts them as visible too (see the END RULE), and
 * the messages in flight beyond the holder's.
 */
export function ownHoldsInCounts(visible: number, notVisible: number, held: number, fifo: boolean): { visible: number; inFlightElsewhere: number; subtracted: boolean } {
  const subtracted = !fifo && held > 0 && visible >= held && notVisible >= held;
  return { visible: subtracted ? visible - held : visible, inFlightElsewhere: Math.max(0, notVisible - held), subtracted };
}
