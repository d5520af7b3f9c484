import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { isUtf8 } from "node:buffer";
import { once } from "node:events";
import type { Readable } from "node:stream";
import { LineSet } from "../../core/batch.js";
import { Limits } from "../../core/duration.js";
import { parseInputLine, type InputRules, type SendEntry } from "../../core/message-input.js";

/** A line of input; `text` is undefined when the line was too long to hold or is not UTF-8. */
export interface InputLine {
  line: number;
  text: string | undefined;
  /** The line's bytes are not valid UTF-8 (decoding would silently turn them into U+FFFD). */
  notUtf8?: true;
}

/** Decodes a line strictly: invalid UTF-8 is reported, never replaced with U+FFFD. */
function decoded(line: number, bytes: Buffer): InputLine {
  return isUtf8(bytes) ? { line, text: bytes.toString("utf8") } : { line, text: undefined, notUtf8: true };
}

/**
 * Splits a byte stream into lines (LF; a trailing CR is removed by the parser)
 * without holding more than one line. Lines longer than `maxLineBytes` are reported
 * with `text: undefined` and never accumulated, so memory stays bounded.
 */
export async function* readLines(stream: AsyncIterable<Buffer | string>, maxLineBytes: number, onChunk?: (b: Buffer) => Promise<void> | void): AsyncGenerator<InputLine> {
  for await (const lines of readLineChunks(stream, maxLineBytes, onChunk)) yield* lines;
}

/** As readLines, a chunk's worth of lines at a time (one await per chunk, not per line: cheaper on the bulk path). */
export async function* readLineChunks(stream: AsyncIterable<Buffer | string>, maxLineBytes: number, onChunk?: (b: Buffer) => Promise<void> | void): AsyncGenerator<InputLine[]> {
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let tooLong = false;
  let line = 0;
  for await (const raw of stream) {
    const chunk = typeof raw === "string" ? Buffer.from(raw) : raw;
    if (onChunk) await onChunk(chunk);
    const out: InputLine[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl === -1) break;
      line += 1;
      if (tooLong || carryBytes + (nl - start) > maxLineBytes) {
        out.push({ line, text: undefined });
      } else if (carryBytes) {
        carry.push(chunk.subarray(start, nl));
        out.push(decoded(line, Buffer.concat(carry)));
      } else {
        out.push(decoded(line, chunk.subarray(start, nl)));
      }
      carry = [];
      carryBytes = 0;
      tooLong = false;
      start = nl + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.length - start;
      if (tooLong || carryBytes + rest > maxLineBytes) {
        tooLong = true;
        carry = [];
      } else {
        // Copy: the stream may reuse its buffer.
        carry.push(Buffer.from(chunk.subarray(start)));
      }
      carryBytes += rest;
    }
    if (out.length) yield out;
  }
  if (carryBytes > 0) {
    line += 1;
    yield [tooLong ? { line, text: undefined } : decoded(line, Buffer.concat(carry))];
  }
}

/** The longest line we hold: JSON escaping can make a 1 MiB message take up to 6x as many bytes. */
export function maxLineBytes(maxMessageSize: number): number {
  return maxMessageSize * 6 + 64 * 1024;
}

export interface InvalidLine {
  line: number;
  reason: string;
}

export interface Validation {
  /** The file the send pass reads: the input file, or the spool of stdin. */
  path: string;
  lines: number;
  entries: number;
  blank: number;
  invalidCount: number;
  /** The first invalid lines (at most `keepInvalid`). */
  invalid: InvalidLine[];
  sha256: string;
  bytes: number;
  /** The largest message among the valid lines (bytes SQS counts). */
  maxSize: number;
  /** The longest line read whole, in UTF-16 units (at most 3 bytes each in UTF-8). */
  longestLine: number;
}

/**
 * The first pass: reads the whole input once, validating every line, hashing the
 * bytes (the journal's key), and, for stdin, spooling it to `spoolPath` so the send
 * pass can read it again.
 */
export async function validateInput(
  input: { path: string } | { stream: Readable; spoolPath: string },
  rules: InputRules,
  opts: { keepInvalid?: number; signal?: AbortSignal } = {},
): Promise<Validation> {
  const keep = opts.keepInvalid ?? 200;
  const hash = createHash("sha256");
  const v: Validation = { path: "", lines: 0, entries: 0, blank: 0, invalidCount: 0, invalid: [], sha256: "", bytes: 0, maxSize: 0, longestLine: 0 };
  let stream: AsyncIterable<Buffer>;
  let spool: ReturnType<typeof createWriteStream> | undefined;
  if ("path" in input) {
    v.path = input.path;
    stream = createReadStream(input.path, { highWaterMark: 256 * 1024 });
  } else {
    v.path = input.spoolPath;
    spool = createWriteStream(input.spoolPath, { mode: 0o600 });
    stream = input.stream as AsyncIterable<Buffer>;
  }
  const onChunk = async (b: Buffer) => {
    hash.update(b);
    v.bytes += b.length;
    if (spool && !spool.write(b)) await once(spool, "drain");
  };
  const limit = maxLineBytes(rules.maxMessageSize);
  for await (const lines of readLineChunks(stream, limit, onChunk)) {
    if (opts.signal?.aborted) break;
    for (const { line, text, notUtf8 } of lines) {
      v.lines = line;
      if (notUtf8) {
        record(v, keep, { line, reason: "not valid UTF-8 (convert the file to UTF-8, e.g. iconv -f latin1 -t utf-8)" });
        continue;
      }
      if (text === undefined) {
        record(v, keep, { line, reason: `the line is longer than ${limit} bytes, far over the queue's MaximumMessageSize` });
        continue;
      }
      if (text.length > v.longestLine) v.longestLine = text.length;
      const r = parseInputLine(text, line, rules);
      if (r.kind === "entry") {
        v.entries += 1;
        if (r.entry.size > v.maxSize) v.maxSize = r.entry.size;
      } else if (r.kind === "blank") v.blank += 1;
      else record(v, keep, { line, reason: r.reason });
    }
  }
  if (spool) {
    spool.end();
    await once(spool, "finish");
  }
  v.sha256 = hash.digest("hex");
  return v;
}

/**
 * Rules to validate with before the queue's attributes are known, so the pass can run
 * beside the calls that fetch them: the largest MaximumMessageSize SQS allows, FIFO as
 * the queue's name says (SQS requires FIFO names to end in .fifo), and no FIFO dedup
 * ids derived (they change no line's validity; the send pass derives them). Check the
 * result with `validatedAsFor` once the queue's rules are known.
 */
export function provisionalRules(rules: Pick<InputRules, "raw" | "defaultGroupId">, fifoByName: boolean): InputRules {
  return { raw: rules.raw, fifo: fifoByName, contentBasedDedup: true, maxMessageSize: Limits.maxMessageSize.max, defaultGroupId: rules.defaultGroupId };
}

/**
 * True when a validation made with `provisional` rules says exactly what one with
 * `rules` would: the same FIFO-ness, every message within the queue's size, no line too
 * long to read under its limit, and no invalid line (whose reason would name the
 * provisional limit). Otherwise validate again with `rules`.
 */
export function validatedAsFor(v: Validation, provisional: InputRules, rules: InputRules): boolean {
  return (
    v.invalidCount === 0 &&
    provisional.raw === rules.raw &&
    provisional.defaultGroupId === rules.defaultGroupId &&
    provisional.fifo === rules.fifo &&
    rules.maxMessageSize <= provisional.maxMessageSize &&
    v.maxSize <= rules.maxMessageSize &&
    v.longestLine * 3 <= maxLineBytes(rules.maxMessageSize)
  );
}

function record(v: Validation, keep: number, bad: InvalidLine): void {
  v.invalidCount += 1;
  if (v.invalid.length < keep) v.invalid.push(bad);
}

/**
 * The second pass: the validated file again, as entries, skipping the lines in
 * `skip` (already confirmed sent by an earlier run).
 */
export async function* readEntries(path: string, rules: InputRules, skip?: LineSet): AsyncGenerator<SendEntry[]> {
  const stream = createReadStream(path, { highWaterMark: 64 * 1024 });
  for await (const lines of readLineChunks(stream, maxLineBytes(rules.maxMessageSize))) {
    const entries: SendEntry[] = [];
    for (const { line, text } of lines) {
      if (skip?.has(line)) continue;
      if (text === undefined) throw new Error(`line ${line} changed since it was validated`);
      const r = parseInputLine(text, line, rules);
      if (r.kind === "entry") entries.push(r.entry);
      else if (r.kind === "invalid") throw new Error(`line ${line} changed since it was validated: ${r.reason}`);
    }
    if (entries.length) yield entries;
  }
}
