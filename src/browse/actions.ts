/**
 * What browse does to the selected messages. Returns data (the command prints it);
 * never loses a message: delete uses this session's receipt handles after checking the
 * hold is still ours; redrive sends first and deletes from the source only what the
 * target confirmed.
 */
import type { Envelope } from "../core/envelope.js";
import type { SqsContext } from "../sqs/client.js";
import { Journal, MoveJournal, moveState, newMoveJournalPath, type JournalBinding } from "../sqs/custody/journal.js";
import { moveHeld, type MoveTarget } from "../sqs/custody/mover.js";
import { deleteHandles, type Held } from "../sqs/messages.js";
import type { BrowseSelection } from "../sqs/custody/selection.js";

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
export async function deleteSelected(sqs: SqsContext, holder: BrowseSelection, ids: string[], signal?: AbortSignal): Promise<DeleteOutcome> {
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
  /** Sends whose outcome was unknown (timeout, dropped connection, 5xx): possible extra copies in the target. */
  possibleDuplicates: number;
  /** The journal of this move (state folder), when one was written. */
  journal: string | undefined;
}

/**
 * Moves held messages to `target` with THE mover (custody/mover.ts), as `dlq redrive`
 * does: the same FIFO dedup id, FIFO group stop, ambiguous attempts counted, every send
 * journaled (in the one state folder) and fsynced before the delete from the source,
 * which removes only what the target accepted. A crash between the two leaves a message
 * in both queues (a duplicate, reported), never in neither.
 */
export async function redriveSelected(
  sqs: SqsContext,
  holder: BrowseSelection,
  ids: string[],
  target: RedriveTarget,
  signal?: AbortSignal,
  opts: { env?: Record<string, string | undefined>; journal?: MoveJournal } = {},
): Promise<RedriveOutcome> {
  const v = await holder.verify(ids);
  const result: RedriveOutcome = { moved: [], sendFailed: [], duplicates: [], missing: v.missing, refetched: v.refetched, skipped: 0, possibleDuplicates: 0, journal: undefined };
  if (v.ready.length === 0) return result;
  const journal = opts.journal ?? openBrowseJournal(sqs, holder, opts.env ?? process.env);
  result.journal = journal.journal?.path;
  const moveTarget: MoveTarget = { name: target.name, url: target.url, arn: "", fifo: target.fifo };
  const failedGroups = new Set<string>();
  try {
    for (let i = 0; i < v.ready.length; i += 10) {
      if (signal?.aborted) {
        result.skipped = v.ready.length - i;
        break;
      }
      // THE holder's messages, with their newest receipt handles; it deletes (lapsed ones reported).
      const held: Held[] = v.ready.slice(i, i + 10).map((id) => holder.custody.get(id)!);
      const out = await moveHeld(sqs, holder.custody, held, moveTarget, journal, { failedGroups, signal });
      const moved = [...out.moved.map((m) => m.messageId), ...out.alreadySent];
      holder.markDone(moved);
      result.moved.push(...moved);
      result.possibleDuplicates += out.ambiguous;
      for (const f of out.sendFailed) result.sendFailed.push({ id: f.held.envelope.messageId ?? "?", code: f.code, message: f.message });
      for (const f of out.deleteFailed) result.duplicates.push({ id: f.held.envelope.messageId ?? "?", code: f.code, message: f.message });
      for (const h of out.lapsed) result.duplicates.push({ id: h.envelope.messageId ?? "?", code: "HoldLapsed", message: "sent, but the hold lapsed before the delete" });
    }
  } finally {
    if (!result.sendFailed.length && !result.duplicates.length && !result.skipped) journal.finish({ moved: result.moved.length });
    journal.close();
  }
  // A duplicate stays in the list (still held) so the user can delete the source copy.
  return result;
}

/** A journal for one browse redrive, bound to this endpoint + account + queue like dlq redrive's. */
function openBrowseJournal(sqs: SqsContext, holder: BrowseSelection, env: Record<string, string | undefined>): MoveJournal {
  const binding: JournalBinding = { kind: "redrive", endpoint: sqs.endpoint, account: holder.url.split("/").at(-2) ?? "", queue: holder.url };
  const name = holder.url.split("/").at(-1) ?? "queue";
  const file = newMoveJournalPath(env, binding, name);
  return new MoveJournal(Journal.open(file, binding, { from: "browse" }, { fresh: true, fsyncMs: 60_000 }), moveState(undefined));
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
