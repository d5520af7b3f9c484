/**
 * THE mover: the one place that sends messages with SendMessageBatch and deletes what
 * was moved. Used by dlq redrive and browse (`moveHeld`: send, journal + fsync, delete
 * only what was confirmed sent) and, for its sending side, by send-batch/import
 * (`sendEntries` through bulk-send.ts).
 *
 * Rules kept here once:
 * - every batch call's Failed list is read; an entry is "sent" only when Successful names it;
 * - entries are retried only by retry.ts; whole calls only by the SDK;
 * - FIFO group stop: once an entry of a group failed, no later entry of that group is sent
 *   by this mover (they fail with GroupOrderKept, in order). Entries the SERVER accepted
 *   behind a failed earlier entry of their group in the same call cannot be taken back:
 *   they are counted as `outOfOrder` and reported, never passed off as in order;
 * - every attempt whose outcome is unknown (dropped connection, timeout, 5xx) is counted as
 *   a possible duplicate of each entry it carried (`ambiguous`), FIFO or not;
 * - one deterministic FIFO dedup id for a moved message (`dedupIdFor`).
 */
import { createHash } from "node:crypto";
import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from "@aws-sdk/client-sqs";
import { messageSize, toSdkAttributes, type Envelope } from "../../core/envelope.js";
import { isAmbiguousFailure, trackAmbiguity } from "../ambiguity.js";
import type { SqsContext } from "../client.js";
import type { Held } from "../messages.js";
import type { Holder } from "./holder.js";
import { errorCode } from "../errors.js";
import type { MoveJournal } from "./journal.js";
import type { ConcurrencyControl, RateLimiter } from "./pool.js";
import { retryEntries, shortCode, type EntryFailure, type RetryEntriesOptions } from "./retry.js";

const THROTTLE = /^(ThrottlingException|Throttling|RequestThrottled|RequestThrottledException|TooManyRequestsException|SlowDown)$/;

export interface SendItem {
  /** The batch entry without its Id. */
  entry: Omit<SendMessageBatchRequestEntry, "Id">;
  /** FIFO group (for the group stop); undefined on standard queues. */
  group?: string | undefined;
  /** The batch entry Id (unique in the batch, [A-Za-z0-9_-]); default e<index>. */
  id?: string | undefined;
}

export interface SendEntriesOptions extends RetryEntriesOptions {
  fifo: boolean;
  rate?: RateLimiter | undefined;
  /** Fed with each call's outcome (the adaptive controller). */
  control?: ConcurrencyControl | undefined;
  /** Groups that already failed in this run: shared across calls so a group stays stopped. */
  failedGroups?: Set<string> | undefined;
  /** Just before each call (the journal's "in flight" record). */
  beforeCall?: ((items: number[]) => void) | undefined;
  /** At each attempt whose outcome is unknown, as it happens (journaled: a kill cannot hide it). */
  onAmbiguous?: ((items: number[]) => void) | undefined;
}

export interface SendEntriesResult {
  /** Index into the items given, and the MessageId SQS gave. */
  sent: Array<{ index: number; messageId: string }>;
  failed: Array<EntryFailure<number>>;
  /** Not tried again after an abort between attempts. */
  notTried: number[];
  /** Entries x attempts whose outcome was unknown: each may be one extra copy. */
  ambiguous: number;
  /** Accepted by the server behind an earlier failed entry of the same FIFO group in one call. */
  outOfOrder: number;
}

/**
 * Sends up to 10 items (one batch; the caller packs by count and size) with
 * SendMessageBatch, retrying failed entries per retry.ts, keeping FIFO groups stopped.
 */
export async function sendEntries(ctx: { client: Pick<SQSClient, "send"> }, url: string, items: SendItem[], opts: SendEntriesOptions): Promise<SendEntriesResult> {
  const out: SendEntriesResult = { sent: [], failed: [], notTried: [], ambiguous: 0, outOfOrder: 0 };
  const idOf = (i: number) => items[i]!.id ?? `e${i}`;
  const failedGroups = opts.failedGroups ?? new Set<string>();
  const stopped = (i: number): EntryFailure<number> => ({
    entry: i,
    code: "GroupOrderKept",
    message: `not sent: an earlier message of group ${items[i]!.group} failed, and sending this one first would reorder the group`,
  });
  const groupFailed = (i: number) => opts.fifo && items[i]!.group !== undefined && failedGroups.has(items[i]!.group!);
  const first = items.map((_, i) => i).filter((i) => {
    if (!groupFailed(i)) return true;
    out.failed.push(stopped(i));
    return false;
  });
  const res = await retryEntries(
    first,
    async (pending) => {
      // A group that failed for good in an earlier attempt stays stopped.
      const live = pending.filter((i) => !groupFailed(i));
      const held = pending.filter((i) => groupFailed(i)).map(stopped);
      if (live.length === 0) return { ok: [], failed: held };
      if (opts.rate) await opts.rate.take(live.length, opts.signal);
      opts.beforeCall?.(live);
      const command = new SendMessageBatchCommand({ QueueUrl: url, Entries: live.map((i) => ({ ...items[i]!.entry, Id: idOf(i) })) });
      const ambiguous = trackAmbiguity(command, () => opts.onAmbiguous?.(live));
      const began = performance.now();
      let answer: { Successful?: Array<{ Id?: string; MessageId?: string }>; Failed?: Array<{ Id?: string; Code?: string; Message?: string; SenderFault?: boolean }> };
      try {
        answer = await ctx.client.send(command);
      } catch (err) {
        out.ambiguous += live.length * (ambiguous() || (isAmbiguousFailure(err) ? 1 : 0));
        opts.control?.record({ ok: 0, throttled: THROTTLE.test(errorCode(err)), latencyMs: performance.now() - began });
        if (opts.fifo) for (const i of live) if (items[i]!.group !== undefined) failedGroups.add(items[i]!.group!);
        throw err;
      }
      // An earlier attempt inside the SDK may have been carried out by the server.
      out.ambiguous += live.length * ambiguous();
      const okIds = new Map((answer.Successful ?? []).map((s) => [s.Id ?? "", s.MessageId ?? ""]));
      const failIds = new Map((answer.Failed ?? []).map((f) => [f.Id ?? "", f]));
      opts.control?.record({
        ok: okIds.size,
        throttled: (answer.Failed ?? []).some((f) => THROTTLE.test(shortCode(f.Code))),
        latencyMs: performance.now() - began,
      });
      const ok: number[] = [];
      const failed: Array<EntryFailure<number>> = [...held];
      const failedInCall = new Set<string>();
      for (const i of live) {
        const id = idOf(i);
        const group = opts.fifo ? items[i]!.group : undefined;
        const f = failIds.get(id);
        if (okIds.has(id) && !f) {
          if (group !== undefined && failedInCall.has(group)) out.outOfOrder += 1;
          ok.push(i);
          out.sent.push({ index: i, messageId: okIds.get(id)! });
          continue;
        }
        if (group !== undefined) failedInCall.add(group);
        failed.push(f ? { entry: i, code: f.Code ?? "Unknown", message: f.Message ?? "", senderFault: f.SenderFault } : { entry: i, code: "NoResult", message: "the server reported neither success nor failure" });
      }
      return { ok, failed };
    },
    opts,
  );
  // A group whose entry failed for good is stopped for the rest of the run.
  for (const f of res.failed) if (opts.fifo && items[f.entry]!.group !== undefined) failedGroups.add(items[f.entry]!.group!);
  out.failed.push(...res.failed);
  out.notTried.push(...res.notTried);
  out.failed.sort((a, b) => a.entry - b.entry);
  return out;
}

// ---- moving held messages (dlq redrive, browse)

/** Where moved messages go. */
export interface MoveTarget {
  name: string;
  url: string;
  arn: string;
  fifo: boolean;
}

/** THE FIFO deduplication id of a moved message, from its source MessageId: a retried or resumed send is not a second copy. */
export function dedupIdFor(messageId: string): string {
  return createHash("sha256").update(`sqsctl-redrive:${messageId}`).digest("hex");
}

/** The entry that re-creates a message on the target: body, attributes, FIFO group and dedup id. */
export function moveEntry(env: Envelope, target: MoveTarget): SendItem {
  const attrs = toSdkAttributes(env.messageAttributes);
  const group = target.fifo ? (env.groupId ?? env.messageId ?? "sqsctl-redrive") : undefined;
  return {
    entry: {
      MessageBody: env.body,
      ...(attrs ? { MessageAttributes: attrs } : {}),
      ...(group !== undefined ? { MessageGroupId: group, MessageDeduplicationId: dedupIdFor(env.messageId ?? env.body) } : {}),
    },
    group,
  };
}

/** Batches of at most 10 and at most 1 MiB of message size, in order. */
export function* packBatches<T>(items: T[], sizeOf: (t: T) => number, maxBytes = 1_048_576): Generator<T[]> {
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length === 10 || (current.length > 0 && bytes + size > maxBytes)) {
      yield current;
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length) yield current;
}

export const envelopeSize = (env: Envelope) => messageSize(env.body, env.messageAttributes);

export interface MoveFailure {
  held: Held;
  code: string;
  message: string;
}

export interface MoveOutcome {
  /** Sent to the target (journaled, fsynced), then deleted from the source with the newest handle. */
  moved: Array<{ messageId: string; targetMessageId: string | undefined }>;
  /** Send failed (or its group was stopped): still in the source, still held by the caller's holder. */
  sendFailed: MoveFailure[];
  /** Sent, but the delete failed: in both queues until a re-run with the journal deletes it. */
  deleteFailed: MoveFailure[];
  /** Sent, but the hold lapsed before the delete: NOT deleted, NOT counted as moved (issue 10 #7). */
  lapsed: Held[];
  /** The journal says an earlier run sent these: deleted from the source without sending again. */
  alreadySent: string[];
  /** Confirmed sent by this call (whatever became of the delete): each is one new copy in the target. */
  sent: string[];
  /** Entries x attempts whose outcome was unknown: possible extra copies in the target. */
  ambiguous: number;
  /** FIFO: accepted behind a failed earlier message of the same group in one call. */
  outOfOrder: number;
}

export interface MoveOptions {
  /** Groups stopped in this run (per target); FIFO group stop across batches. */
  failedGroups?: Set<string> | undefined;
  rate?: RateLimiter | undefined;
  control?: ConcurrencyControl | undefined;
  signal?: AbortSignal | undefined;
}

const idOfHeld = (h: Held) => h.envelope.messageId ?? h.receiptHandle;

/**
 * Moves messages the holder holds to one target: sends them in order (batches of 10 /
 * 1 MiB, FIFO group stop), journals each confirmed send, makes the journal durable
 * (fsync), and only then deletes exactly those from the source through the holder
 * (newest receipt handle; a lapsed hold is reported, never deleted-as-done). Messages
 * the journal shows as sent by an earlier run are deleted without sending again.
 * Never throws for per-message failures. A fatal error (queue gone, access denied) stops
 * the sending; what was confirmed sent before it is still made durable and deleted from
 * the source (else it would sit in both queues, an unreported copy), the stopped batch and
 * the rest are `sendFailed`, and the error is rethrown carrying that outcome
 * (`stoppedMoveOutcome(err)`), so the caller's counts still add up.
 */
export async function moveHeld(
  ctx: Pick<SqsContext, "client">,
  /** The holder of the source messages (delete with the newest handles; lapsed ones reported). */
  holder: Pick<Holder, "delete">,
  held: Held[],
  target: MoveTarget,
  journal: MoveJournal,
  opts: MoveOptions = {},
): Promise<MoveOutcome> {
  const out: MoveOutcome = { moved: [], sendFailed: [], deleteFailed: [], lapsed: [], alreadySent: [], sent: [], ambiguous: 0, outOfOrder: 0 };
  const toSend: Held[] = [];
  const toDelete = new Map<string, { held: Held; tid: string | undefined }>();
  for (const h of held) {
    if (journal.alreadySent(idOfHeld(h))) toDelete.set(idOfHeld(h), { held: h, tid: undefined });
    else toSend.push(h);
  }
  const failedGroups = opts.failedGroups ?? new Set<string>();
  let fatal: { error: unknown } | undefined;
  let tried = 0;
  for (const batch of packBatches(toSend, (h) => envelopeSize(h.envelope))) {
    const ids = batch.map(idOfHeld);
    let r: SendEntriesResult;
    try {
      r = await sendEntries(ctx, target.url, batch.map((h) => moveEntry(h.envelope, target)), {
      fifo: target.fifo,
      failedGroups,
      rate: opts.rate,
      control: opts.control,
      signal: opts.signal,
      // Before every attempt: if the process dies now, the next run knows these may be in the target.
      beforeCall: (idx) => journal.sending(target.url, idx.map((i) => ids[i]!)),
      onAmbiguous: (idx) => journal.ambiguous(idx.map((i) => ids[i]!)),
      });
    } catch (error) {
      // This batch (journaled as "sending": a resume treats it as maybe sent) and every later one stay in the source.
      fatal = { error };
      const code = errorCode(error) || "Error";
      for (const h of toSend.slice(tried)) out.sendFailed.push({ held: h, code, message: "not sent: the move stopped on this error" });
      break;
    }
    tried += batch.length;
    out.ambiguous += r.ambiguous;
    out.outOfOrder += r.outOfOrder;
    journal.sent(r.sent.map((s) => ({ id: ids[s.index]!, to: target.url, tid: s.messageId })));
    for (const s of r.sent) {
      toDelete.set(ids[s.index]!, { held: batch[s.index]!, tid: s.messageId });
      out.sent.push(ids[s.index]!);
    }
    for (const f of r.failed) out.sendFailed.push({ held: batch[f.entry]!, code: f.code, message: f.message });
    for (const i of r.notTried) out.sendFailed.push({ held: batch[i]!, code: "NotTried", message: "interrupted before it was tried again" });
  }
  if (toDelete.size === 0) return stopOn(fatal, out);
  // The sends must be on disk before the deletes that depend on them.
  try {
    await journal.durable();
  } catch (err) {
    // Not durable: delete nothing (a message in both queues is a duplicate, never a loss).
    throw fatal ? fatal.error : err;
  }
  const del = await holder.delete([...toDelete.keys()]);
  journal.deleted(del.deleted);
  for (const id of del.deleted) {
    const d = toDelete.get(id)!;
    if (d.tid === undefined) out.alreadySent.push(id);
    else out.moved.push({ messageId: id, targetMessageId: d.tid });
  }
  for (const id of del.lapsed) out.lapsed.push(toDelete.get(id)!.held);
  for (const f of del.failed) out.deleteFailed.push({ held: toDelete.get(f.id)!.held, code: f.code, message: "the delete from the source failed" });
  return stopOn(fatal, out);
}

const STOPPED_OUTCOME = Symbol("sqsctl.moveOutcome");

/** Returns the outcome, or, when a fatal error stopped the move, rethrows that error carrying it. */
function stopOn(fatal: { error: unknown } | undefined, out: MoveOutcome): MoveOutcome {
  if (!fatal) return out;
  if (fatal.error !== null && typeof fatal.error === "object") Object.defineProperty(fatal.error, STOPPED_OUTCOME, { value: out, configurable: true });
  throw fatal.error;
}

/** What a move that `moveHeld` rethrew a fatal error from had done before it (moved, sendFailed, ...), if anything. */
export function stoppedMoveOutcome(err: unknown): MoveOutcome | undefined {
  return err !== null && typeof err === "object" ? (err as { [STOPPED_OUTCOME]?: MoveOutcome })[STOPPED_OUTCOME] : undefined;
}
