import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
} from "@aws-sdk/client-sqs";
import { fromSqsMessage, type Envelope } from "../core/envelope.js";
import type { SqsContext } from "./client.js";
import { retryEntries, shortCode } from "./custody/retry.js";
import { errorCode } from "./errors.js";

/** A received message: its envelope and the receipt handle this receive gave us. */
export interface Held {
  envelope: Envelope;
  receiptHandle: string;
  /** The SDK message, for fields the envelope does not carry. */
  raw: Message;
}

export interface ReceiveOptions {
  /** 1-10 */
  max: number;
  /** Long-poll seconds, 0-20. */
  waitSeconds: number;
  /** Visibility timeout for what this receive returns; undefined keeps the queue's. */
  visibilityTimeout?: number;
  signal?: AbortSignal;
}

/**
 * One ReceiveMessage call asking for every system and message attribute. Both
 * `MessageSystemAttributeNames` and the older `AttributeNames` are sent: some local
 * servers read only one of them.
 */
export async function receiveOnce(ctx: SqsContext, url: string, opts: ReceiveOptions, label?: string): Promise<Held[]> {
  const out = await ctx.send<{ Messages?: Message[] }>(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: Math.max(1, Math.min(10, opts.max)),
      WaitTimeSeconds: opts.waitSeconds,
      ...(opts.visibilityTimeout !== undefined ? { VisibilityTimeout: opts.visibilityTimeout } : {}),
      MessageSystemAttributeNames: ["All"],
      AttributeNames: ["All"],
      MessageAttributeNames: ["All"],
    }),
    label,
  );
  return (out.Messages ?? []).map((m) => ({ envelope: fromSqsMessage(m), receiptHandle: m.ReceiptHandle ?? "", raw: m }));
}

export interface BatchOutcome {
  /** Receipt handles the server confirmed. */
  ok: string[];
  /** Handles that failed, with the error code the server gave. */
  failed: Array<{ receiptHandle: string; code: string; message: string }>;
}

/**
 * Runs a 10-entry batch call over many handles, reading every `Failed` list. Entries
 * that failed for a passing reason are tried again by THE per-entry retry policy
 * (custody/retry.ts); a whole call is retried only by the SDK's standard retry. A
 * release that fails once would otherwise leave a message hidden after sqsctl exits.
 * Never throws: a call that cannot succeed fails its entries with the error's code.
 */
async function inBatches(
  handles: string[],
  call: (entries: Array<{ Id: string; ReceiptHandle: string }>) => Promise<{ Successful?: Array<{ Id?: string }>; Failed?: Array<{ Id?: string; Code?: string; Message?: string; SenderFault?: boolean }> }>,
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { ok: [], failed: [] };
  for (let i = 0; i < handles.length; i += 10) {
    const chunk = handles.slice(i, i + 10);
    try {
      const res = await retryEntries(chunk, async (pending) => {
        const entries = pending.map((h, j) => ({ Id: String(j), ReceiptHandle: h }));
        const r = await call(entries);
        return {
          ok: (r.Successful ?? []).map((e) => pending[Number(e.Id)]!).filter((h) => h !== undefined),
          failed: (r.Failed ?? [])
            .filter((f) => pending[Number(f.Id)] !== undefined)
            .map((f) => ({ entry: pending[Number(f.Id)]!, code: f.Code ?? "Unknown", message: f.Message ?? "", senderFault: f.SenderFault })),
        };
      });
      outcome.ok.push(...res.ok);
      for (const f of res.failed) outcome.failed.push({ receiptHandle: f.entry, code: f.code, message: f.message });
      for (const h of res.notTried) outcome.failed.push({ receiptHandle: h, code: "NotTried", message: "stopped before it was tried again" });
    } catch (err) {
      // A fatal code (the queue is gone, access denied): no later call can succeed either.
      const code = shortCode(errorCode(err) || (err as { name?: string }).name);
      for (const h of chunk) outcome.failed.push({ receiptHandle: h, code, message: (err as Error)?.message ?? String(err) });
      for (const h of handles.slice(i + 10)) outcome.failed.push({ receiptHandle: h, code, message: (err as Error)?.message ?? String(err) });
      break;
    }
  }
  return outcome;
}

/** Deletes by receipt handle, reporting per-entry failures instead of throwing. */
export function deleteHandles(ctx: SqsContext, url: string, handles: string[]): Promise<BatchOutcome> {
  return inBatches(handles, (Entries) => ctx.client.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries })));
}

/**
 * Sets the visibility timeout of held messages: 0 releases them to consumers at
 * once; a larger value keeps them hidden while a user reads (heartbeat).
 */
export function changeVisibility(ctx: SqsContext, url: string, handles: string[], seconds: number): Promise<BatchOutcome> {
  return inBatches(handles, (entries) =>
    ctx.client.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: url,
        Entries: entries.map((e) => ({ ...e, VisibilityTimeout: seconds })),
      }),
    ),
  );
}

/** Releases held messages (visibility 0) so they are visible again at once. */
export function releaseHandles(ctx: SqsContext, url: string, handles: string[]): Promise<BatchOutcome> {
  return changeVisibility(ctx, url, handles, 0);
}
