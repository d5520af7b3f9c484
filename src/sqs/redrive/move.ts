import { createHash } from "node:crypto";
import { SendMessageBatchCommand, type SendMessageBatchRequestEntry } from "@aws-sdk/client-sqs";
import { isAmbiguousFailure, trackAmbiguity } from "../ambiguity.js";
import { messageSize, toSdkAttributes, type Envelope } from "../../core/envelope.js";
import type { SqsContext } from "../client.js";
import { deleteHandles, type Held } from "../messages.js";
import type { Journal } from "./journal.js";

/** Where moved messages go. */
export interface RedriveTarget {
  name: string;
  url: string;
  arn: string;
  fifo: boolean;
}

export interface MoveInput {
  /** The queue the held messages were received from (their receipt handles belong to it). */
  sourceUrl: string;
  target: RedriveTarget;
  /** Messages received from sourceUrl and still held (visibility not expired). */
  held: Held[];
  /** Records sends before the deletes that depend on them; also answers "already sent?". */
  journal?: Journal | undefined;
}

export interface MoveFailure {
  held: Held;
  code: string;
  message: string;
}

export interface MoveOutcome {
  /** Sent to the target, then deleted from the source. */
  moved: Array<{ messageId: string; targetMessageId: string }>;
  /** Send failed: the message is still in the source, still held by the caller (release it). */
  sendFailed: MoveFailure[];
  /** Sent, but the delete failed: in both queues until a re-run with the journal deletes it. */
  deleteFailed: MoveFailure[];
  /** The journal says an earlier run sent these: deleted from the source without sending again. */
  alreadySent: string[];
  /**
   * Copies that may be in a standard target twice: entries times send attempts whose
   * outcome was unknown (connection lost, timeout, 5xx). FIFO targets dedupe them.
   */
  possibleDuplicates: number;
}

const MAX_BATCH_BYTES = 1_048_576;

/** A FIFO deduplication id derived from the original MessageId: a retried or resumed send is not a second copy. */
export function dedupIdFor(messageId: string): string {
  return createHash("sha256").update(`sqsctl-redrive:${messageId}`).digest("hex");
}

/** The SendMessageBatch entry that re-creates a message on the target: body, attributes, FIFO group. */
export function redriveEntry(env: Envelope, id: string, target: RedriveTarget): SendMessageBatchRequestEntry {
  const attrs = toSdkAttributes(env.messageAttributes);
  return {
    Id: id,
    MessageBody: env.body,
    ...(attrs ? { MessageAttributes: attrs } : {}),
    ...(target.fifo
      ? { MessageGroupId: env.groupId ?? env.messageId ?? "sqsctl-redrive", MessageDeduplicationId: dedupIdFor(env.messageId ?? env.body) }
      : {}),
  };
}

/**
 * Moves messages this process holds: sends them to the target in batches (10 entries,
 * at most 1 MiB), reads every Failed list, journals the successful sends (fsynced),
 * and only then deletes exactly those from the source. A message whose send failed is
 * never deleted. Messages are sent in the order given, and on a FIFO target a failed
 * message stops the rest of its group in this call, so order within a group is kept.
 * Never throws for per-message failures; they are in the outcome.
 */
export async function moveHeldMessages(ctx: SqsContext, input: MoveInput): Promise<MoveOutcome> {
  const sent = await sendHeld(ctx, input);
  return sent.finish();
}

/** The first half of a move: sent and journaled, with the deletes still to do. */
export interface SentHeld {
  /** Send failures so far (final: finish() adds only delete failures). */
  outcome: MoveOutcome;
  /** Waits for the journal to be on disk, deletes what was sent, and completes the outcome. */
  finish(): Promise<MoveOutcome>;
}

/**
 * Sends (and journals) without deleting yet, so a caller can start its next receive
 * while finish() makes the journal durable and deletes. moveHeldMessages is both
 * halves in a row.
 */
export async function sendHeld(ctx: SqsContext, input: MoveInput): Promise<SentHeld> {
  const { journal, target } = input;
  const outcome: MoveOutcome = { moved: [], sendFailed: [], deleteFailed: [], alreadySent: [], possibleDuplicates: 0 };
  const toSend: Held[] = [];
  const deleteOnly: Held[] = [];
  for (const h of input.held) {
    if (journal?.alreadySent(h.envelope.messageId ?? "")) deleteOnly.push(h);
    else toSend.push(h);
  }

  const toDelete: Array<{ held: Held; targetMessageId: string | undefined }> = deleteOnly.map((held) => ({ held, targetMessageId: undefined }));
  const failedGroups = new Set<string>();
  for (const chunk of chunks(toSend)) {
    const sendable: Held[] = [];
    for (const h of chunk) {
      const group = h.envelope.groupId;
      if (target.fifo && group !== undefined && failedGroups.has(group)) {
        outcome.sendFailed.push({ held: h, code: "GroupOrderKept", message: `not sent: an earlier message of group ${group} failed, and sending this one first would reorder the group` });
      } else sendable.push(h);
    }
    if (sendable.length === 0) continue;
    const entries = sendable.map((h, i) => redriveEntry(h.envelope, String(i), target));
    journal?.sending(target.url, sendable.map((h) => h.envelope.messageId ?? ""));
    let successful: Array<{ Id?: string; MessageId?: string }> = [];
    let failed: Array<{ Id?: string; Code?: string; Message?: string }> = [];
    const command = new SendMessageBatchCommand({ QueueUrl: target.url, Entries: entries });
    const ambiguous = trackAmbiguity(command);
    try {
      const res = await ctx.client.send(command);
      successful = res.Successful ?? [];
      failed = res.Failed ?? [];
      if (!target.fifo) outcome.possibleDuplicates += entries.length * ambiguous();
    } catch (err) {
      // The server may have enqueued them while they stay in the source: a copy in each
      // queue until a later send (deduplicated on FIFO) and delete, if any, settles it.
      outcome.possibleDuplicates += entries.length * (ambiguous() || (isAmbiguousFailure(err) ? 1 : 0));
      const e = err as { name?: string; message?: string };
      failed = entries.map((en) => ({ Id: en.Id, Code: e.name ?? "Error", Message: e.message ?? String(err) }));
    }
    const okById = new Map(successful.map((s) => [s.Id ?? "", s.MessageId ?? ""]));
    const failById = new Map(failed.map((f) => [f.Id ?? "", f]));
    const sentNow: Array<{ held: Held; targetMessageId: string }> = [];
    sendable.forEach((h, i) => {
      const id = String(i);
      if (okById.has(id) && !failById.has(id)) sentNow.push({ held: h, targetMessageId: okById.get(id)! });
      else {
        const f = failById.get(id);
        outcome.sendFailed.push({ held: h, code: f?.Code ?? "NoResult", message: f?.Message ?? "the server reported neither success nor failure" });
        if (h.envelope.groupId !== undefined) failedGroups.add(h.envelope.groupId);
      }
    });
    journal?.sent(sentNow.map((s) => ({ id: s.held.envelope.messageId ?? "", to: target.url, targetMessageId: s.targetMessageId })));
    toDelete.push(...sentNow);
  }

  return { outcome, finish: () => deleteSent(ctx, input.sourceUrl, toDelete, outcome, journal) };
}

async function deleteSent(
  ctx: SqsContext,
  sourceUrl: string,
  toDelete: Array<{ held: Held; targetMessageId: string | undefined }>,
  outcome: MoveOutcome,
  journal: Journal | undefined,
): Promise<MoveOutcome> {
  if (toDelete.length === 0) return outcome;
  // The sends must be on disk before the deletes that depend on them.
  await journal?.durable();
  const del = await deleteHandles(ctx, sourceUrl, toDelete.map((d) => d.held.receiptHandle));
  const failedHandles = new Map(del.failed.map((f) => [f.receiptHandle, f]));
  const deletedIds: string[] = [];
  for (const d of toDelete) {
    const id = d.held.envelope.messageId ?? "";
    const f = failedHandles.get(d.held.receiptHandle);
    if (f) {
      outcome.deleteFailed.push({ held: d.held, code: f.code, message: f.message });
      continue;
    }
    deletedIds.push(id);
    if (d.targetMessageId === undefined) outcome.alreadySent.push(id);
    else outcome.moved.push({ messageId: id, targetMessageId: d.targetMessageId });
  }
  journal?.deleted(deletedIds);
  return outcome;
}

/** Batches of at most 10 entries and at most 1 MiB of message size. */
function* chunks(held: Held[]): Generator<Held[]> {
  let current: Held[] = [];
  let bytes = 0;
  for (const h of held) {
    const size = messageSize(h.envelope.body, h.envelope.messageAttributes);
    if (current.length === 10 || (current.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
      yield current;
      current = [];
      bytes = 0;
    }
    current.push(h);
    bytes += size;
  }
  if (current.length) yield current;
}
