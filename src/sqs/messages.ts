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

/** Entry and call failures that say the request itself cannot succeed: not retried. */
const PERMANENT = /^(ReceiptHandleIsInvalid|InvalidParameterValue|MessageNotInflight|QueueDoesNotExist|NonExistentQueue|AccessDenied|AccessDeniedException|InvalidClientTokenId|UnrecognizedClientException|SignatureDoesNotMatch|ExpiredToken|ExpiredTokenException|CredentialsProviderError)$/;

/** Pauses before the extra tries of entries that failed for a passing reason. */
const ENTRY_RETRY_DELAYS_MS = [50, 100, 200, 400, 800, 1600];

/**
 * Runs a 10-entry batch call over many handles, reading every `Failed` list. Entries
 * that failed for a passing reason (a server-side entry failure, or the whole call
 * failing after the SDK's own retries) are tried again a few times: a release that
 * fails once would otherwise leave a message hidden after sqsctl exits.
 */
async function inBatches(
  handles: string[],
  call: (entries: Array<{ Id: string; ReceiptHandle: string }>) => Promise<{ Successful?: Array<{ Id?: string }>; Failed?: Array<{ Id?: string; Code?: string; Message?: string; SenderFault?: boolean }> }>,
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { ok: [], failed: [] };
  for (let i = 0; i < handles.length; i += 10) {
    let chunk = handles.slice(i, i + 10);
    for (let attempt = 0; chunk.length > 0; attempt++) {
      const last = attempt >= ENTRY_RETRY_DELAYS_MS.length;
      const retry: string[] = [];
      const fail = (receiptHandle: string, code: string, message: string, retryable: boolean) => {
        if (retryable && !last && !PERMANENT.test(code)) retry.push(receiptHandle);
        else outcome.failed.push({ receiptHandle, code, message });
      };
      const entries = chunk.map((h, j) => ({ Id: String(j), ReceiptHandle: h }));
      try {
        const res = await call(entries);
        const failedIds = new Set<string>();
        for (const f of res.Failed ?? []) {
          failedIds.add(f.Id ?? "");
          const code = (f.Code ?? "Unknown").split(/[.#]/).at(-1) ?? "Unknown";
          fail(chunk[Number(f.Id)] ?? "", code, f.Message ?? "", f.SenderFault !== true);
        }
        const okIds = new Set((res.Successful ?? []).map((s) => s.Id ?? ""));
        entries.forEach((e, j) => {
          if (okIds.has(e.Id)) outcome.ok.push(chunk[j]!);
          else if (!failedIds.has(e.Id)) fail(chunk[j]!, "NoResult", "the server reported neither success nor failure", true);
        });
      } catch (err) {
        const e = err as { name?: string; message?: string };
        const code = (e.name ?? "Error").split(/[.#]/).at(-1) ?? "Error";
        for (const h of chunk) fail(h, code, e.message ?? String(err), true);
      }
      chunk = retry;
      if (chunk.length) await new Promise((r) => setTimeout(r, ENTRY_RETRY_DELAYS_MS[attempt]));
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
