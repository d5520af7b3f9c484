import fs from "node:fs";
import path from "node:path";
import type { Held } from "../messages.js";
import { bindingKey, decodeRecord, journalDir, type JournalBinding, type MoveJournal } from "../custody/journal.js";

/**
 * The journals of OTHER runs on the same endpoint + account + DLQ on this machine
 * (several `dlq redrive` processes at once, or one killed meanwhile). SQS coordinates
 * the processes: each message is held by one at a time. When a hold lapses or a process
 * dies, another may receive a message the first already sent: its journal says so, and
 * the message is then deleted without sending again (or, if the first never learned the
 * outcome, sent and counted as a possible duplicate). Read incrementally, at most once a
 * second, and only when a received message is not this run's own.
 * (Processes on other machines keep their journals there: FIFO dedup ids cover them for
 * 5 minutes; on standard queues such a resend is not detectable from here.)
 */
export class ForeignJournals {
  private readonly files = new Map<string, { offset: number; rest: string }>();
  private readonly sent = new Set<string>();
  private readonly sending = new Set<string>();
  private lastScan = 0;
  private readonly prefix: string;

  constructor(
    private readonly env: Record<string, string | undefined>,
    binding: JournalBinding,
    queueName: string,
    private readonly own: string | undefined,
  ) {
    this.prefix = `redrive-${queueName}-${bindingKey(binding)}-`;
  }

  /** Hooks into the run's journal: what another run sent counts as already sent. */
  attach(journal: MoveJournal): this {
    journal.alsoSent = (id) => this.sent.has(id);
    return this;
  }

  /** Another run handed it to a send whose outcome it never recorded. */
  maybeSent(id: string): boolean {
    return this.sending.has(id) && !this.sent.has(id);
  }

  /** Reads what other runs appended since the last look (at most once a second). */
  async refresh(_held: Held[]): Promise<void> {
    if (Date.now() - this.lastScan < 1000) return;
    this.lastScan = Date.now();
    const dir = journalDir(this.env);
    let names: string[];
    try {
      names = (await fs.promises.readdir(dir)).filter((n) => n.startsWith(this.prefix) && n.endsWith(".journal"));
    } catch {
      return;
    }
    for (const name of names) {
      const file = path.join(dir, name);
      if (this.own && path.resolve(file) === path.resolve(this.own)) continue;
      const state = this.files.get(file) ?? { offset: 0, rest: "" };
      this.files.set(file, state);
      let chunk: Buffer;
      try {
        const fh = await fs.promises.open(file, "r");
        try {
          const { size } = await fh.stat();
          if (size <= state.offset) continue;
          chunk = Buffer.alloc(size - state.offset);
          await fh.read(chunk, 0, chunk.length, state.offset);
          state.offset = size;
        } finally {
          await fh.close();
        }
      } catch {
        continue;
      }
      const lines = (state.rest + chunk.toString("utf8")).split("\n");
      state.rest = lines.pop() ?? "";
      for (const line of lines) {
        const r = decodeRecord(line);
        if (!r) continue;
        if (r.k === "sending") for (const id of r.ids as string[]) this.sending.add(id);
        else if (r.k === "sent") this.sent.add(r.id as string);
        else if (r.k === "deleted") for (const id of r.ids as string[]) this.sent.add(id);
      }
    }
  }
}
