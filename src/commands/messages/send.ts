import { isUtf8 } from "node:buffer";
import { readFile } from "node:fs/promises";
import { SendMessageCommand, type SendMessageCommandOutput } from "@aws-sdk/client-sqs";
import { Limits, durationFlag } from "../../core/duration.js";
import { toSdkAttributes, type AttributeValue } from "../../core/envelope.js";
import { attrFlagValue, checkAttributeValue, MAX_ATTRIBUTES, parseAttrFlag, parseInputLine } from "../../core/message-input.js";
import { UsageError } from "../../errors.js";
import { trackAmbiguity } from "../../sqs/ambiguity.js";
import { resolveQueue } from "../../sqs/queues.js";
import type { CommandContext } from "../context.js";

export interface SendOptions {
  file?: string;
  attr: string[];
  delay?: string;
  groupId?: string;
  dedupId?: string;
}

export default async function send(ctx: CommandContext, [ref, bodyArg]: string[], opts: SendOptions): Promise<void> {
  const { ui } = ctx;
  if (bodyArg !== undefined && opts.file) throw new UsageError("Give the body as an argument or with --file, not both.");
  const attributes = await readAttrFlags(opts.attr ?? [], ctx.ui.debugEnabled);
  const delay = opts.delay === undefined ? undefined : durationFlag("--delay", opts.delay, Limits.delay);

  let body: string;
  if (bodyArg !== undefined) body = bodyArg;
  else if (opts.file === "-") body = (await readText(undefined, ctx)).replace(/\r?\n$/, "");
  else if (opts.file) body = await readText(opts.file, ctx);
  else if (!ctx.io.stdin.isTTY) body = (await readText(undefined, ctx)).replace(/\r?\n$/, "");
  else throw new UsageError("No message body.", `Give it as an argument (sqsctl send ${ref} 'hello'), with --file FILE, or on stdin.`);

  const sqs = await ctx.sqs();
  const queue = await resolveQueue(sqs, ref!, "queue", ["MaximumMessageSize", "FifoQueue", "ContentBasedDeduplication"]);
  const qa = queue.attributes;
  const fifo = qa.FifoQueue === "true" || queue.fifo;
  if (fifo && delay) throw new UsageError("--delay: a FIFO queue has no per-message delay (set the queue's DelaySeconds instead).");
  if (!fifo && (opts.groupId || opts.dedupId)) {
    // A group id means the user expects FIFO ordering: sending without it would quietly break that.
    throw new UsageError(`${queue.name} is not a FIFO queue: --group-id and --dedup-id apply only to FIFO queues (names ending in .fifo).`, "Drop the flag, or send to the FIFO queue you meant.");
  }
  if (fifo && !opts.groupId) throw new UsageError(`${queue.name} is a FIFO queue: --group-id is required.`);
  // Validate exactly as send-batch does (characters, size against the queue's limit, attributes).
  const check = parseInputLine(
    JSON.stringify({ body, ...(attributes ? { messageAttributes: attributes } : {}), ...(opts.dedupId ? { dedupId: opts.dedupId } : {}) }),
    1,
    { raw: false, fifo, contentBasedDedup: qa.ContentBasedDeduplication === "true", maxMessageSize: Number(qa.MaximumMessageSize ?? 1_048_576), defaultGroupId: opts.groupId },
  );
  if (check.kind === "invalid") throw new UsageError(`Cannot send: ${check.reason}.`);
  if (check.kind === "blank") throw new UsageError("Cannot send: the body is empty (SQS needs at least one character).");
  const e = check.entry;
  const sdkAttrs = toSdkAttributes(e.attributes);
  const command = new SendMessageCommand({
      QueueUrl: queue.url,
      MessageBody: e.body,
      ...(sdkAttrs ? { MessageAttributes: sdkAttrs } : {}),
      ...(delay ? { DelaySeconds: delay } : {}),
      ...(fifo ? { MessageGroupId: e.groupId, ...(opts.dedupId || e.dedupId ? { MessageDeduplicationId: opts.dedupId ?? e.dedupId } : {}) } : {}),
    });
  // The SDK retries a send whose outcome was unknown (timeout, dropped connection, 5xx):
  // each such attempt may have left a copy. Counted and said, never silent (issue 15 #6).
  const ambiguous = trackAmbiguity(command);
  let out: SendMessageCommandOutput;
  let possibleDuplicates = 0;
  try {
    out = await sqs.send<SendMessageCommandOutput>(command, ref);
  } finally {
    const n = (possibleDuplicates = ambiguous());
    if (n) {
      const dedup = fifo && (opts.dedupId || e.dedupId || qa.ContentBasedDeduplication === "true");
      ui.warn(`${n} attempt${n === 1 ? "" : "s"} of this send had an unknown outcome (timeout, dropped connection or 5xx) and ${n === 1 ? "was" : "were"} retried: the message may be in ${queue.name} ${n + 1} times${dedup ? " (its FIFO dedup id suppresses that within 5 minutes)" : ""}.`);
    }
  }
  if (ui.format === "json" || ui.format === "ndjson") {
    ui.json({
      messageId: out.MessageId,
      md5OfMessageBody: out.MD5OfMessageBody,
      ...(out.MD5OfMessageAttributes ? { md5OfMessageAttributes: out.MD5OfMessageAttributes } : {}),
      ...(out.SequenceNumber ? { sequenceNumber: out.SequenceNumber } : {}),
      queue: queue.name,
      ...(possibleDuplicates ? { possibleDuplicates } : {}),
    });
  } else ui.out(out.MessageId ?? "");
}

/** Attribute values may be personal data: echoed in an error only with --debug. */
const shownWithDebug = (debug: boolean, value: string | undefined) => (debug && value !== undefined ? ` (value: ${JSON.stringify(value)})` : "");

async function readAttrFlags(flags: string[], debug = false): Promise<Record<string, AttributeValue> | undefined> {
  if (flags.length === 0) return undefined;
  if (flags.length > MAX_ATTRIBUTES) throw new UsageError(`--attr: ${flags.length} attributes; SQS allows at most ${MAX_ATTRIBUTES}.`);
  const out: Record<string, AttributeValue> = {};
  for (const text of flags) {
    const f = parseAttrFlag(text);
    if (typeof f === "string") throw new UsageError(`--attr: ${f}${shownWithDebug(debug, text)}`);
    let content: Uint8Array | undefined;
    if (f.file !== undefined) {
      try {
        content = await readFile(f.file);
      } catch (err) {
        throw new UsageError(`--attr ${f.name}: cannot read ${f.file}: ${(err as Error).message}`);
      }
    }
    const value = attrFlagValue(f, content);
    const problem = checkAttributeValue(value);
    if (problem) throw new UsageError(`--attr ${f.name}: ${problem}${shownWithDebug(debug, value.StringValue)}`);
    out[f.name] = value;
  }
  return out;
}

async function readText(path: string | undefined, ctx: CommandContext): Promise<string> {
  let bytes: Buffer;
  if (path !== undefined) {
    try {
      bytes = await readFile(path);
    } catch (err) {
      throw new UsageError(`--file: cannot read ${path}: ${(err as Error).message}`);
    }
  } else {
    const chunks: Buffer[] = [];
    for await (const c of ctx.io.stdin as AsyncIterable<Buffer | string>) chunks.push(typeof c === "string" ? Buffer.from(c) : c);
    bytes = Buffer.concat(chunks);
  }
  // Decoding invalid UTF-8 would silently replace bytes with U+FFFD and send a corrupted body.
  if (!isUtf8(bytes)) throw new UsageError(`${path ?? "stdin"}: the body is not valid UTF-8: nothing was sent.`, "Convert it to UTF-8 (e.g. iconv -f latin1 -t utf-8), or send binary data base64-encoded.");
  return bytes.toString("utf8");
}
