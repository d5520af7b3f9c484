/**
 * Parsing and validation of messages to send: one NDJSON envelope (or, with --raw,
 * one body) a line. Pure: the caller reads the lines and reports file:line.
 */
import { createHash } from "node:crypto";
import { invalidBodyChar, messageSize, type AttributeValue } from "./envelope.js";
import { lossyNumber, lossyNumberReason } from "./json-numbers.js";
import { formatBytes } from "./size.js";

/** A message ready to send, with the input line it came from. */
export interface SendEntry {
  line: number;
  body: string;
  attributes?: Record<string, AttributeValue>;
  groupId?: string;
  dedupId?: string;
  delaySeconds?: number;
  /** Bytes SQS counts against MaximumMessageSize and the 1 MiB batch limit. */
  size: number;
}

export interface InputRules {
  /** One body a line instead of NDJSON envelopes. */
  raw: boolean;
  fifo: boolean;
  /** The queue's ContentBasedDeduplication setting. */
  contentBasedDedup: boolean;
  /** The queue's MaximumMessageSize in bytes. */
  maxMessageSize: number;
  /** --group-id: the group for lines that name none. */
  defaultGroupId?: string | undefined;
}

export type LineResult = { kind: "entry"; entry: SendEntry } | { kind: "invalid"; reason: string } | { kind: "blank" };

export const MAX_ATTRIBUTES = 10;
/** The characters SQS accepts (one regex test is far cheaper than a per-character loop on the bulk path). */
const VALID_BODY = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
/** Envelope fields that `receive`/`export` write and input ignores, so exports re-import as they are. */
const OUTPUT_ONLY = new Set(["receiptHandle", "messageId", "receiveCount", "sentAt", "firstReceivedAt", "sourceQueueArn", "sequenceNumber", "line", "errorCode", "errorMessage"]);
const INPUT_FIELDS = ["body", "messageAttributes", "groupId", "dedupId", "delaySeconds"];

/** Parses and validates one input line (without its line terminator). */
export function parseInputLine(text: string, line: number, rules: InputRules): LineResult {
  if (text.endsWith("\r")) text = text.slice(0, -1);
  // A byte-order mark (editors on Windows write one) is not part of the first message.
  if (line === 1 && text.startsWith("\uFEFF")) text = text.slice(1);
  if (rules.raw) {
    if (text === "") return { kind: "blank" };
    return finish({ body: text }, line, rules);
  }
  if (text.trim() === "") return { kind: "blank" };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // V8 quotes the start of the text in some messages ('Unexpected token x, "…" is not
    // valid JSON'): drop the quote, the line may hold personal data.
    const reason = (err as Error).message.replace(/^(Unexpected token '.+?'),\s*".*$/s, "$1");
    return invalid(`not valid JSON (${reason}); use --raw to send each line as a body`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return invalid(`expected a JSON object like {"body": "..."}, got ${Array.isArray(value) ? "an array" : value === null ? "null" : typeof value}`);
  }
  const lossy = lossyNumber(text, value);
  if (lossy) return invalid(lossyNumberReason(lossy));
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!INPUT_FIELDS.includes(key) && !OUTPUT_ONLY.has(key)) {
      return invalid(`unknown field "${key}" (expected ${INPUT_FIELDS.join(", ")})`);
    }
  }
  let body: string;
  if (typeof obj.body === "string") body = obj.body;
  else if (obj.body === undefined) return invalid(`"body" is missing`);
  else if (typeof obj.body === "object" && obj.body !== null) body = JSON.stringify(obj.body);
  else return invalid(`"body" must be a string (or a JSON object, sent as its JSON text)`);

  const draft: Draft = { body };
  if (obj.messageAttributes !== undefined) {
    const attrs = normalizeAttributes(obj.messageAttributes);
    if (typeof attrs === "string") return invalid(attrs);
    if (Object.keys(attrs).length) draft.attributes = attrs;
  }
  for (const field of ["groupId", "dedupId"] as const) {
    const v = obj[field];
    if (v === undefined || v === null) continue;
    if (typeof v !== "string") return invalid(`"${field}" must be a string`);
    const problem = checkFifoId(v);
    if (problem) return invalid(`"${field}" ${problem}`);
    // A standard queue has no use for them (an export of a FIFO queue imported into a standard one).
    if (rules.fifo) draft[field] = v;
  }
  if (obj.delaySeconds !== undefined && obj.delaySeconds !== null) {
    const d = obj.delaySeconds;
    if (typeof d !== "number" || !Number.isInteger(d) || d < 0 || d > 900) return invalid(`"delaySeconds" must be a whole number from 0 to 900`);
    if (rules.fifo && d > 0) return invalid(`"delaySeconds" is not allowed on a FIFO queue (SQS has no per-message delay there)`);
    if (d > 0) draft.delaySeconds = d;
  }
  return finish(draft, line, rules);
}

interface Draft {
  body: string;
  attributes?: Record<string, AttributeValue>;
  groupId?: string;
  dedupId?: string;
  delaySeconds?: number;
}

function invalid(reason: string): LineResult {
  return { kind: "invalid", reason };
}

function finish(d: Draft, line: number, rules: InputRules): LineResult {
  if (d.body === "") return invalid("the body is empty (SQS needs at least one character)");
  const bad = VALID_BODY.test(d.body) ? undefined : invalidBodyChar(d.body);
  if (bad) return invalid(`the body has a character SQS rejects: U+${bad.codePoint.toString(16).toUpperCase().padStart(4, "0")} at offset ${bad.index}`);
  const size = messageSize(d.body, d.attributes);
  if (size > rules.maxMessageSize) {
    return invalid(`the message is ${formatBytes(size)} (${size} bytes), over the queue's MaximumMessageSize of ${formatBytes(rules.maxMessageSize)}`);
  }
  const entry: SendEntry = { line, body: d.body, size };
  if (d.attributes) entry.attributes = d.attributes;
  if (d.delaySeconds) entry.delaySeconds = d.delaySeconds;
  if (rules.fifo) {
    const group = d.groupId ?? rules.defaultGroupId;
    if (!group) return invalid(`no groupId: a FIFO queue needs one (add "groupId" to the line or pass --group-id)`);
    entry.groupId = group;
    // Without content-based deduplication SQS needs a dedup id: derive one from the
    // line number and body, so a re-run of the same file within SQS's 5-minute
    // window is deduplicated rather than sent twice.
    if (d.dedupId) entry.dedupId = d.dedupId;
    else if (!rules.contentBasedDedup) entry.dedupId = createHash("sha256").update(`${line}\n${d.body}`).digest("hex");
  }
  return { kind: "entry", entry };
}

/** SQS rules for MessageGroupId / MessageDeduplicationId. */
function checkFifoId(v: string): string | undefined {
  if (v.length < 1 || v.length > 128) return "must be 1 to 128 characters";
  if (!/^[\x21-\x7e]+$/.test(v)) return "may contain only letters, digits and punctuation (no spaces)";
  return undefined;
}

/**
 * Message attributes in long form ({"k": {"DataType": "String", "StringValue": "v"}})
 * or short form ({"k": "v"} for String, {"k": 3} for Number). Returns the long form,
 * or a reason when invalid.
 */
export function normalizeAttributes(value: unknown): Record<string, AttributeValue> | string {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return `"messageAttributes" must be an object`;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_ATTRIBUTES) return `${entries.length} message attributes; SQS allows at most ${MAX_ATTRIBUTES}`;
  const out: Record<string, AttributeValue> = {};
  for (const [name, v] of entries) {
    const nameProblem = checkAttributeName(name);
    if (nameProblem) return `attribute "${name}": ${nameProblem}`;
    let attr: AttributeValue;
    if (typeof v === "string") attr = { DataType: "String", StringValue: v };
    else if (typeof v === "number") {
      if (!Number.isFinite(v)) return `attribute "${name}": not a finite number`;
      attr = { DataType: "Number", StringValue: String(v) };
    } else if (v && typeof v === "object" && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      if (typeof o.DataType !== "string") return `attribute "${name}": "DataType" (String, Number or Binary) is missing`;
      attr = { DataType: o.DataType };
      if (typeof o.StringValue === "string") attr.StringValue = o.StringValue;
      else if (typeof o.StringValue === "number") attr.StringValue = String(o.StringValue);
      if (typeof o.BinaryValue === "string") attr.BinaryValue = o.BinaryValue;
    } else {
      return `attribute "${name}": use a string, a number, or {"DataType": ..., "StringValue" | "BinaryValue": ...}`;
    }
    const problem = checkAttributeValue(attr);
    if (problem) return `attribute "${name}": ${problem}`;
    out[name] = attr;
  }
  return out;
}

export function checkAttributeName(name: string): string | undefined {
  if (name.length < 1 || name.length > 256) return "names must be 1 to 256 characters";
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) return "names may contain only letters, digits, _ - and .";
  if (/^(aws\.|amazon\.)/i.test(name)) return 'names must not start with "AWS." or "Amazon."';
  if (name.startsWith(".") || name.endsWith(".") || name.includes("..")) return "names must not start or end with a period or have two in a row";
  return undefined;
}

export function checkAttributeValue(a: AttributeValue): string | undefined {
  const base = a.DataType.split(".")[0];
  if (base !== "String" && base !== "Number" && base !== "Binary") return `DataType "${a.DataType}" must be String, Number or Binary (optionally with a .label)`;
  if (a.DataType.length > 256) return "DataType is longer than 256 characters";
  if (base === "Binary") {
    if (a.BinaryValue === undefined) return "a Binary attribute needs a BinaryValue (base64)";
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(a.BinaryValue) || a.BinaryValue.length % 4 !== 0) return "BinaryValue is not valid base64";
    if (a.BinaryValue === "") return "BinaryValue is empty";
    return undefined;
  }
  if (a.StringValue === undefined || a.StringValue === "") return `a ${base} attribute needs a non-empty StringValue`;
  if (base === "Number" && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(a.StringValue.trim())) return `the value (${a.StringValue.length} characters, not shown) is not a number`;
  const bad = invalidBodyChar(a.StringValue);
  if (bad) return `StringValue has a character SQS rejects (U+${bad.codePoint.toString(16).toUpperCase().padStart(4, "0")})`;
  return undefined;
}

/** One `--attr` flag: `k=v`, `k:Number=3`, `k:Binary=@file` (the caller reads the file) or `k:Binary=base64`. */
export interface AttrFlag {
  name: string;
  dataType: string;
  value?: string;
  /** For `@file`: the path to read the value from. */
  file?: string;
}

/** Parses `--attr`; returns a reason string when the text is not an attribute. */
export function parseAttrFlag(text: string): AttrFlag | string {
  const eq = text.indexOf("=");
  // Not shown: without an "=" the text may be the value itself (a card number, a token).
  if (eq <= 0) return `${eq === 0 ? "an attribute with no name" : `a value of ${text.length} characters with no "="`} is not NAME=VALUE (e.g. --attr source=web, --attr count:Number=3, --attr blob:Binary=@file.bin)`;
  const left = text.slice(0, eq);
  const value = text.slice(eq + 1);
  const colon = left.indexOf(":");
  const name = colon === -1 ? left : left.slice(0, colon);
  const dataType = colon === -1 ? "String" : left.slice(colon + 1);
  const nameProblem = checkAttributeName(name);
  if (nameProblem) return `"${name}": ${nameProblem}`;
  const base = dataType.split(".")[0];
  if (base !== "String" && base !== "Number" && base !== "Binary") return `"${dataType}" is not a type: use NAME=VALUE, NAME:Number=VALUE or NAME:Binary=@FILE`;
  if (value.startsWith("@") && value.length > 1) return { name, dataType, file: value.slice(1) };
  return { name, dataType, value };
}

/** Builds the attribute value of an --attr flag once any file has been read. */
export function attrFlagValue(flag: AttrFlag, fileContent?: Uint8Array): AttributeValue {
  const base = flag.dataType.split(".")[0];
  if (base === "Binary") {
    const b64 = fileContent ? Buffer.from(fileContent).toString("base64") : (flag.value ?? "");
    return { DataType: flag.dataType, BinaryValue: b64 };
  }
  const text = fileContent ? Buffer.from(fileContent).toString("utf8") : (flag.value ?? "");
  return { DataType: flag.dataType, StringValue: text };
}
