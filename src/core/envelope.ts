/**
 * The message envelope: one JSON object per message, the same shape in and out, so
 * that export -> edit -> import round-trips. Pure: no I/O.
 */

export interface AttributeValue {
  DataType: string;
  StringValue?: string;
  /** base64 in the envelope */
  BinaryValue?: string;
}

export interface Envelope {
  messageId?: string;
  body: string;
  messageAttributes?: Record<string, AttributeValue>;
  groupId?: string;
  dedupId?: string;
  receiveCount?: number;
  /** ISO 8601 */
  sentAt?: string;
  /** ISO 8601 */
  firstReceivedAt?: string;
  sourceQueueArn?: string;
  sequenceNumber?: string;
  /** input only */
  delaySeconds?: number;
  /** output only (receive): this receive's handle, for 'sqsctl delete/visibility --receipt-handle' */
  receiptHandle?: string;
}

/** The subset of the SDK's Message type the envelope is built from. */
export interface SqsMessageLike {
  MessageId?: string;
  ReceiptHandle?: string;
  Body?: string;
  Attributes?: Partial<Record<string, string>>;
  MessageAttributes?: Record<string, { DataType?: string; StringValue?: string; BinaryValue?: Uint8Array }>;
}

const iso = (ms: string | undefined) => (ms ? new Date(Number(ms)).toISOString() : undefined);

/** Builds the envelope of a received message (system attributes become named fields). */
export function fromSqsMessage(m: SqsMessageLike): Envelope {
  const a = m.Attributes ?? {};
  const env: Envelope = { messageId: m.MessageId ?? "", body: m.Body ?? "" };
  if (m.MessageAttributes && Object.keys(m.MessageAttributes).length) {
    env.messageAttributes = {};
    for (const [name, v] of Object.entries(m.MessageAttributes)) {
      const out: AttributeValue = { DataType: v.DataType ?? "String" };
      if (v.StringValue !== undefined) out.StringValue = v.StringValue;
      if (v.BinaryValue !== undefined) out.BinaryValue = Buffer.from(v.BinaryValue).toString("base64");
      env.messageAttributes[name] = out;
    }
  }
  if (a.MessageGroupId) env.groupId = a.MessageGroupId;
  if (a.MessageDeduplicationId) env.dedupId = a.MessageDeduplicationId;
  if (a.ApproximateReceiveCount) env.receiveCount = Number(a.ApproximateReceiveCount);
  const sent = iso(a.SentTimestamp);
  if (sent) env.sentAt = sent;
  const first = iso(a.ApproximateFirstReceiveTimestamp);
  if (first) env.firstReceivedAt = first;
  if (a.DeadLetterQueueSourceArn) env.sourceQueueArn = a.DeadLetterQueueSourceArn;
  if (a.SequenceNumber) env.sequenceNumber = a.SequenceNumber;
  return env;
}

/** SDK-shaped message attributes for a send, from an envelope's (base64 decoded). */
export function toSdkAttributes(
  attrs: Record<string, AttributeValue> | undefined,
): Record<string, { DataType: string; StringValue?: string; BinaryValue?: Uint8Array }> | undefined {
  if (!attrs || Object.keys(attrs).length === 0) return undefined;
  const out: Record<string, { DataType: string; StringValue?: string; BinaryValue?: Uint8Array }> = {};
  for (const [name, v] of Object.entries(attrs)) {
    out[name] = {
      DataType: v.DataType,
      ...(v.StringValue !== undefined ? { StringValue: v.StringValue } : {}),
      ...(v.BinaryValue !== undefined ? { BinaryValue: Buffer.from(v.BinaryValue, "base64") } : {}),
    };
  }
  return out;
}

/**
 * The size SQS counts against MaximumMessageSize: body bytes plus, for each
 * attribute, its name, data type and value bytes.
 */
export function messageSize(body: string, attrs?: Record<string, AttributeValue>): number {
  let size = Buffer.byteLength(body, "utf8");
  for (const [name, v] of Object.entries(attrs ?? {})) {
    size += Buffer.byteLength(name, "utf8") + Buffer.byteLength(v.DataType, "utf8");
    if (v.StringValue !== undefined) size += Buffer.byteLength(v.StringValue, "utf8");
    if (v.BinaryValue !== undefined) size += Buffer.from(v.BinaryValue, "base64").length;
  }
  return size;
}

/**
 * The first character SQS would reject in a body, with its position, or undefined.
 * Allowed: #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF.
 */
export function invalidBodyChar(body: string): { index: number; codePoint: number } | undefined {
  let index = 0;
  for (const ch of body) {
    const cp = ch.codePointAt(0)!;
    const ok =
      cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
    if (!ok) return { index, codePoint: cp };
    index += ch.length;
  }
  return undefined;
}

/** The view a --filter / --group-by expression sees: the envelope plus the body parsed as `json` when it is JSON. */
export function filterView(env: Envelope): Envelope & { json: unknown } {
  let json: unknown = null;
  const t = env.body.trimStart();
  if (t.startsWith("{") || t.startsWith("[")) {
    try {
      json = JSON.parse(env.body);
    } catch {
      json = null;
    }
  }
  return { ...env, json };
}
