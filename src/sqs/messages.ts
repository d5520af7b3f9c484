import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
} from "@aws-sdk/client-sqs";
import { fromSqsMessage, type Envelope } from "../core/envelope.js";
import type { SqsContext } from "./client.js";

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

/** Runs a 10-entry batch call over many handles, reading every `Failed` list. */
async function inBatches(
  handles: string[],
  call: (entries: Array<{ Id: string; ReceiptHandle: string }>) => Promise<{ Successful?: Array<{ Id?: string }>; Failed?: Array<{ Id?: string; Code?: string; Message?: string }> }>,
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { ok: [], failed: [] };
  for (let i = 0; i < handles.length; i += 10) {
    const chunk = handles.slice(i, i + 10);
    const entries = chunk.map((h, j) => ({ Id: String(j), ReceiptHandle: h }));
    try {
      const res = await call(entries);
      const failedIds = new Set<string>();
      for (const f of res.Failed ?? []) {
        failedIds.add(f.Id ?? "");
        outcome.failed.push({ receiptHandle: chunk[Number(f.Id)] ?? "", code: f.Code ?? "Unknown", message: f.Message ?? "" });
      }
      const okIds = new Set((res.Successful ?? []).map((s) => s.Id ?? ""));
      entries.forEach((e, j) => {
        if (okIds.has(e.Id)) outcome.ok.push(chunk[j]!);
        else if (!failedIds.has(e.Id)) outcome.failed.push({ receiptHandle: chunk[j]!, code: "NoResult", message: "the server reported neither success nor failure" });
      });
    } catch (err) {
      const e = err as { name?: string; message?: string };
      for (const h of chunk) outcome.failed.push({ receiptHandle: h, code: e.name ?? "Error", message: e.message ?? String(err) });
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
