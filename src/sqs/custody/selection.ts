/**
 * What an interactive browse session holds, as a view over THE holder (holder.ts) and
 * THE receive loop (receive-loop.ts): which received messages are kept for the user
 * (the rest of a scan is released when it ends), which were acted on, and the check
 * before an action that each hold is still ours (renew now; a lapsed one is received
 * again for a fresh handle, or reported missing). No holding logic of its own: custody,
 * heartbeat, lapse detection and release are the holder's.
 */
import type { Envelope } from "../../core/envelope.js";
import type { SqsContext } from "../client.js";
import { Holder, idOf } from "./holder.js";
import { receiveInto, type LoopEnd } from "./receive-loop.js";

export interface HeldMessage {
  id: string;
  envelope: Envelope;
  /** The newest receipt handle the holder has for it. */
  receiptHandle: string;
  /** held: ours; lost: the hold lapsed; done: deleted or moved; released: given back. */
  state: "held" | "lost" | "done" | "released";
}

export interface SelectionOptions {
  /** Visibility of each receive and each heartbeat, seconds. */
  holdSeconds: number;
  /** Long-poll seconds for snapshot and re-fetch receives. */
  waitSeconds: number;
  fifo?: boolean;
  maxReceiveCount?: number | undefined;
}

export interface SnapshotOptions {
  /** Most messages to keep (those matching the filter). */
  limit: number;
  /** Most messages to receive in all, matching or not. */
  scan: number;
  filter?: (env: Envelope) => boolean;
  signal?: AbortSignal;
  onProgress?: (p: { kept: number; scanned: number }) => void;
}

export interface SnapshotResult {
  kept: number;
  scanned: number;
  /** Messages received but not kept (filter, limit), released at the end of the scan. */
  released: number;
  /** Receives that returned a message already held (visibility lapsed mid-scan). */
  duplicates: number;
  /** True when the scan stopped at --limit or --scan rather than an empty queue. */
  truncated: boolean;
  releaseFailed: number;
}

export interface VerifyResult {
  /** Ids held now, with a fresh hold, in the order asked. */
  ready: string[];
  /** Ids whose hold lapsed and that could not be received again: reported, never skipped silently. */
  missing: string[];
  /** Ids that were lost and have been received again (new receipt handle). */
  refetched: string[];
}

/** Receives a re-fetch makes at most, looking for messages whose hold lapsed. */
const REFETCH_BATCHES = 5;

export class BrowseSelection {
  /** The one holder: every message received, kept or not, is in its custody. */
  readonly custody: Holder;
  private readonly kept = new Map<string, { envelope: Envelope; state: "held" | "done" | "released" }>();
  private readonly lostListeners = new Set<() => void>();
  private watch: NodeJS.Timeout | undefined;
  private lostSeen = 0;

  constructor(
    private readonly sqs: SqsContext,
    readonly url: string,
    readonly opts: SelectionOptions,
  ) {
    this.custody = new Holder(sqs, url, { holdSeconds: opts.holdSeconds, fifo: opts.fifo ?? url.endsWith(".fifo"), maxReceiveCount: opts.maxReceiveCount });
  }

  /** Messages still held or lost (not acted on), oldest sent first, ties in the order received. */
  list(): HeldMessage[] {
    return [...this.kept.keys()]
      .map((id) => this.get(id)!)
      .filter((m) => m.state === "held" || m.state === "lost")
      .sort((a, b) => (a.envelope.sentAt ?? "").localeCompare(b.envelope.sentAt ?? ""));
  }

  get(id: string): HeldMessage | undefined {
    const k = this.kept.get(id);
    if (!k) return undefined;
    const h = this.custody.get(id);
    const state = k.state === "held" && this.custody.isLapsed(id) ? "lost" : k.state;
    return { id, envelope: h?.envelope ?? k.envelope, receiptHandle: h?.receiptHandle ?? "", state };
  }

  /**
   * Receives (THE receive loop, THE end rule) until `limit` messages match or `scan`
   * were received. Everything received stays in the holder during the scan (so nothing
   * is seen twice); what is not kept is released when the scan ends, also on error.
   */
  async snapshot(o: SnapshotOptions): Promise<SnapshotResult> {
    const extra: string[] = [];
    const redeliveredBefore = this.custody.redelivered;
    let scanned = 0;
    let truncated = false;
    const keptNow = () => this.list().length;
    const end: LoopEnd = {};
    try {
      for await (const batch of receiveInto(this.sqs, this.url, this.custody, { waitSeconds: this.opts.waitSeconds, untilEmpty: true, signal: o.signal, end })) {
        for (const h of batch) {
          scanned += 1;
          const id = idOf(h);
          if (keptNow() < o.limit && (!o.filter || o.filter(h.envelope))) this.kept.set(id, { envelope: h.envelope, state: "held" });
          else extra.push(id);
        }
        o.onProgress?.({ kept: keptNow(), scanned });
        if (keptNow() >= o.limit || scanned >= o.scan) {
          truncated = true;
          break;
        }
      }
    } catch (err) {
      await this.releaseUnkept().catch(() => undefined);
      throw err;
    }
    const out = await this.releaseUnkept();
    this.startWatch();
    return { kept: keptNow(), scanned, released: out.released, duplicates: this.custody.redelivered - redeliveredBefore, truncated, releaseFailed: out.failed };
  }

  /** The holder's heartbeat runs on its own; this only watches for lapses to redraw the list. */
  startHeartbeat(): void {
    this.startWatch();
  }

  stopHeartbeat(): void {
    if (this.watch) clearInterval(this.watch);
    this.watch = undefined;
  }

  /**
   * Makes sure the messages about to be deleted or moved are still ours: renews every
   * hold now (a stale handle fails and lapses), then receives lapsed ones again for a
   * fresh receipt handle. Whatever else that receives is released at once.
   */
  async verify(ids: string[]): Promise<VerifyResult> {
    const wanted = ids.filter((id) => this.get(id)?.state === "held" || this.get(id)?.state === "lost");
    await this.custody.beat();
    const lost = wanted.filter((id) => this.get(id)?.state === "lost");
    const refetched = lost.length ? await this.refetch(lost) : [];
    return {
      ready: wanted.filter((id) => this.get(id)?.state === "held"),
      missing: wanted.filter((id) => this.get(id)?.state === "lost"),
      refetched,
    };
  }

  /** Receives again looking for lost messages; a lost message found gets its new receipt handle back (the holder keeps the newest). */
  async refetch(ids: string[]): Promise<string[]> {
    const stillLost = () => ids.filter((id) => this.get(id)?.state === "lost");
    let batches = 0;
    // Lost ones come back through the holder's add() (newest handle); the strays this
    // receives stay held until the loop ends (so they are not received again), then released.
    for await (const _strays of receiveInto(this.sqs, this.url, this.custody, { waitSeconds: this.opts.waitSeconds, untilEmpty: true })) {
      if (stillLost().length === 0 || ++batches >= REFETCH_BATCHES) break;
    }
    await this.releaseUnkept();
    const lostNow = new Set(stillLost());
    return ids.filter((id) => !lostNow.has(id));
  }

  /** Calls `cb` whenever a heartbeat finds messages whose hold lapsed; returns the unsubscribe. */
  onLost(cb: () => void): () => void {
    this.lostListeners.add(cb);
    return () => this.lostListeners.delete(cb);
  }

  /** Marks messages as acted on (deleted or moved elsewhere): they leave the list and are never released. */
  markDone(ids: Iterable<string>): void {
    const done = [...ids];
    for (const id of done) {
      const k = this.kept.get(id);
      if (k) k.state = "done";
    }
    this.custody.forget(done);
  }

  /** Stops watching and makes every message not acted on visible again. Lapsed ones are not ours to release: counted as lost. */
  async releaseAll(): Promise<{ released: number; failed: number; lost: number }> {
    this.stopHeartbeat();
    const lost = this.list().filter((m) => m.state === "lost").length;
    const r = await this.custody.close();
    for (const k of this.kept.values()) if (k.state === "held") k.state = "released";
    return { released: r.released, failed: r.failed, lost };
  }

  /** Releases what the holder has that the session did not keep (the rest of a scan, strays of a re-fetch). */
  private releaseUnkept() {
    const unkept: string[] = [];
    for (const id of this.custody.ids()) if (!this.kept.has(id)) unkept.push(id);
    return this.custody.release(unkept);
  }

  private startWatch(): void {
    if (this.watch) return;
    this.watch = setInterval(() => {
      const lost = this.custody.lapsed().filter((id) => this.kept.get(id)?.state === "held").length;
      if (lost > this.lostSeen) for (const cb of this.lostListeners) cb();
      this.lostSeen = lost;
    }, Math.max(200, (this.opts.holdSeconds * 1000) / 3));
    this.watch.unref();
  }
}
