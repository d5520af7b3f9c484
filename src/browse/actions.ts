/**
 * What browse does to the selected messages. Returns data (the command prints it);
 * never loses a message: delete uses this session's receipt handles after checking the
 * hold is still ours; redrive sends first and deletes from the source only what the
 * target confirmed.
 */
import { SendMessageBatchCommand, type SendMessageBatchRequestEntry } from "@aws-sdk/client-sqs";
import { messageSize, toSdkAttributes, type Envelope } from "../core/envelope.js";
import type { SqsContext } from "../sqs/client.js";
import { deleteHandles } from "../sqs/messages.js";
import type { Holder } from "./holder.js";

export interface Failure {
  id: string;
  code: string;
  message: string;
}

export interface DeleteOutcome {
  deleted: string[];
  failed: Failure[];
  /** Hold lapsed and not found again: not deleted, and said so. */
  missing: string[];
  refetched: string[];
  /** Not attempted: the user interrupted. Still held, released on the way out. */
  skipped: number;
}

/**
 * Deletes with this session's receipt handles, after `verify` made sure each hold is
 * still ours. An abort stops between batches of 10; the rest stay held (and are
 * released on the way out), counted in `skipped`.
 */
export async function deleteSelected(sqs: SqsContext, holder: Holder, ids: string[], signal?: AbortSignal): Promise<DeleteOutcome> {
  const v = await holder.verify(ids);
  const result: DeleteOutcome = { deleted: [], failed: [], missing: v.missing, refetched: v.refetched, skipped: 0 };
  for (let i = 0; i < v.ready.length; i += 10) {
    if (signal?.aborted) {
      result.skipped = v.ready.length - i;
      break;
    }
    const byHandle = new Map(v.ready.slice(i, i + 10).map((id) => [holder.get(id)!.receiptHandle, id]));
    const out = await deleteHandles(sqs, holder.url, [...byHandle.keys()]);
    const deleted = out.ok.map((h) => byHandle.get(h)!);
    holder.markDone(deleted);
    result.deleted.push(...deleted);
    result.failed.push(...out.failed.map((f) => ({ id: byHandle.get(f.receiptHandle) ?? "?", code: f.code, message: f.message })));
  }
  return result;
}

export interface RedriveTarget {
  name: string;
  url: string;
  fifo: boolean;
}

export interface RedriveOutcome {
  /** Sent to the target and deleted from the source. */
  moved: string[];
  /** Not sent: still in the source (and still held, so still in the list). */
  sendFailed: Failure[];
  /** Sent, but the delete from the source failed: now in both queues (a duplicate, reported, still in the list). */
  duplicates: Failure[];
  missing: string[];
  refetched: string[];
  /** Not attempted: the user interrupted. Still held, released on the way out. */
  skipped: number;
}

/** The largest batch SQS takes, in bytes (all entries together). */
const BATCH_BYTES = 1_048_576;

/** Groups envelopes into batches of at most 10 entries and 1 MiB in all. */
export function packBatches<T extends { envelope: Envelope }>(items: T[]): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = messageSize(item.envelope.body, item.envelope.messageAttributes);
    if (current.length > 0 && (current.length === 10 || bytes + size > BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length) batches.push(current);
  return batches;
}

/**
 * The send entry for a redriven message: body and attributes kept; for a FIFO target
 * the group id kept and a dedup id derived from the original MessageId, so a retried
 * send is deduplicated rather than duplicated.
 */
export function redriveEntry(env: Envelope, index: number, fifoTarget: boolean): SendMessageBatchRequestEntry | Failure {
  const entry: SendMessageBatchRequestEntry = { Id: String(index), MessageBody: env.body };
  const attrs = toSdkAttributes(env.messageAttributes);
  if (attrs) entry.MessageAttributes = attrs;
  if (fifoTarget) {
    if (!env.groupId) {
      return { id: env.messageId ?? "?", code: "NoGroupId", message: "the target is a FIFO queue and this message has no group id" };
    }
    entry.MessageGroupId = env.groupId;
    entry.MessageDeduplicationId = `redrive-${env.messageId ?? ""}`.slice(0, 128);
  }
  return entry;
}

/**
 * Moves held messages to `target`: send in batches, read every Failed list, then
 * delete from the source only the entries the target accepted. A crash between the
 * two leaves a message in both queues (a duplicate), never in neither.
 */
export async function redriveSelected(sqs: SqsContext, holder: Holder, ids: string[], target: RedriveTarget, signal?: AbortSignal): Promise<RedriveOutcome> {
  const v = await holder.verify(ids);
  const items = v.ready.map((id) => holder.get(id)!);
  const result: RedriveOutcome = { moved: [], sendFailed: [], duplicates: [], missing: v.missing, refetched: v.refetched, skipped: 0 };
  const batches = packBatches(items);
  for (const [n, batch] of batches.entries()) {
    if (signal?.aborted) {
      result.skipped = batches.slice(n).reduce((sum, b) => sum + b.length, 0);
      break;
    }
    const entries: SendMessageBatchRequestEntry[] = [];
    const byEntry = new Map<string, (typeof items)[number]>();
    batch.forEach((m, i) => {
      const e = redriveEntry(m.envelope, i, target.fifo);
      if ("code" in e) result.sendFailed.push({ ...e, id: m.id });
      else {
        entries.push(e);
        byEntry.set(e.Id!, m);
      }
    });
    if (entries.length === 0) continue;
    let sent: Array<(typeof items)[number]> = [];
    try {
      const res = await sqs.client.send(new SendMessageBatchCommand({ QueueUrl: target.url, Entries: entries }));
      const failedIds = new Set<string>();
      for (const f of res.Failed ?? []) {
        failedIds.add(f.Id ?? "");
        const m = byEntry.get(f.Id ?? "");
        result.sendFailed.push({ id: m?.id ?? "?", code: f.Code ?? "Unknown", message: f.Message ?? "" });
      }
      const okIds = new Set((res.Successful ?? []).map((s) => s.Id ?? ""));
      sent = entries.filter((e) => okIds.has(e.Id!)).map((e) => byEntry.get(e.Id!)!);
      for (const e of entries) {
        if (!okIds.has(e.Id!) && !failedIds.has(e.Id!)) {
          result.sendFailed.push({ id: byEntry.get(e.Id!)!.id, code: "NoResult", message: "the server reported neither success nor failure" });
        }
      }
    } catch (err) {
      const e = err as { name?: string; message?: string };
      for (const m of byEntry.values()) result.sendFailed.push({ id: m.id, code: e.name ?? "Error", message: e.message ?? String(err) });
      continue;
    }
    if (sent.length === 0) continue;
    const byHandle = new Map(sent.map((m) => [m.receiptHandle, m.id]));
    const del = await deleteHandles(sqs, holder.url, [...byHandle.keys()]);
    const movedNow = del.ok.map((h) => byHandle.get(h)!);
    result.moved.push(...movedNow);
    holder.markDone(movedNow);
    for (const f of del.failed) {
      const id = byHandle.get(f.receiptHandle) ?? "?";
      result.duplicates.push({ id, code: f.code, message: f.message });
    }
    // A duplicate stays in the list (still held) so the user can delete the source copy.
  }
  return result;
}

/** The export file's content: one envelope a line. */
export function toNdjson(envs: Envelope[]): string {
  return envs.map((e) => `${JSON.stringify(e)}\n`).join("");
}

/** A default export file name: queue name and a UTC time stamp, safe on every filesystem. */
export function defaultExportPath(queueName: string, now: Date): string {
  const stamp = now.toISOString().replace(/\.\d+Z$/, "Z").replace(/[-:]/g, "");
  return `${queueName.replace(/[^A-Za-z0-9_.-]/g, "_")}-${stamp}.ndjson`;
}
