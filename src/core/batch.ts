/**
 * Batching rules for SendMessageBatch and a small bit set for journals. Pure: no I/O.
 * (The retry policy lives in sqs/custody/retry.ts.)
 */

/** SQS: at most 10 entries a batch, and the batch's messages at most 1 MiB together. */
export const BATCH_MAX_ENTRIES = 10;
export const BATCH_MAX_BYTES = 1_048_576;

/**
 * The batch entry Id for an input line: `l<line>`. Unique within a batch (lines are
 * unique), well under 80 characters, and only [A-Za-z0-9_-] as SQS requires; it also
 * lets a Failed entry name its line.
 */
export function entryId(line: number): string {
  return `l${line}`;
}

export function lineOfEntryId(id: string | undefined): number | undefined {
  const m = /^l(\d+)$/.exec(id ?? "");
  return m ? Number(m[1]) : undefined;
}

/**
 * Packs items into batches of at most 10 entries and 1 MiB. `add` returns the batch
 * that was full before this item (or undefined); `flush` returns what is left.
 */
export class BatchPacker<T extends { size: number }> {
  private items: T[] = [];
  private bytes = 0;

  constructor(
    private readonly maxEntries = BATCH_MAX_ENTRIES,
    private readonly maxBytes = BATCH_MAX_BYTES,
  ) {}

  add(item: T): T[] | undefined {
    let full: T[] | undefined;
    if (this.items.length > 0 && (this.items.length >= this.maxEntries || this.bytes + item.size > this.maxBytes)) {
      full = this.take();
    }
    this.items.push(item);
    this.bytes += item.size;
    if (this.items.length >= this.maxEntries && !full) return this.take();
    return full;
  }

  flush(): T[] | undefined {
    return this.items.length ? this.take() : undefined;
  }

  private take(): T[] {
    const out = this.items;
    this.items = [];
    this.bytes = 0;
    return out;
  }
}

/** A growable bit set over line numbers (1 bit a line: a million lines cost 125 KB). */
export class LineSet {
  private bits = new Uint8Array(1024);
  private n = 0;

  add(line: number): void {
    const byte = line >> 3;
    if (byte >= this.bits.length) {
      const grown = new Uint8Array(Math.max(byte + 1, this.bits.length * 2));
      grown.set(this.bits);
      this.bits = grown;
    }
    const mask = 1 << (line & 7);
    if (!(this.bits[byte]! & mask)) {
      this.bits[byte]! |= mask;
      this.n += 1;
    }
  }

  has(line: number): boolean {
    const byte = line >> 3;
    return byte < this.bits.length && (this.bits[byte]! & (1 << (line & 7))) !== 0;
  }

  get size(): number {
    return this.n;
  }
}
