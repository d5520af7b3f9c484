import type { SqsContext } from "./client.js";
import { changeVisibility, type BatchOutcome, type Held } from "./messages.js";

/** changeVisibility over many handles, a few 10-entry batches at a time. */
async function changeVisibilityParallel(ctx: SqsContext, url: string, handles: string[], seconds: number, lanes = 8): Promise<BatchOutcome> {
  const size = Math.max(10, Math.ceil(handles.length / lanes / 10) * 10);
  const slices: string[][] = [];
  for (let i = 0; i < handles.length; i += size) slices.push(handles.slice(i, i + size));
  const outs = await Promise.all(slices.map((slice) => changeVisibility(ctx, url, slice, seconds)));
  return { ok: outs.flatMap((o) => o.ok), failed: outs.flatMap((o) => o.failed) };
}

export interface ReleaseOutcome {
  released: number;
  /** Handles the server would not release; those messages come back when their visibility timeout ends. */
  failed: number;
}

/**
 * Messages this process holds invisible, keyed by MessageId (a re-delivery of a held
 * message replaces the older receipt handle). A heartbeat keeps them hidden with
 * ChangeMessageVisibility for as long as the work takes, and `releaseAll` makes them
 * visible again. Used by the inspect snapshot and by the manual redrive for messages
 * it looked at and left alone.
 */
export class HeldMessages {
  private readonly byId = new Map<string, Held>();
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;

  constructor(
    private readonly ctx: SqsContext,
    private readonly url: string,
    /** Seconds each heartbeat hides the messages for; it beats every third of this. */
    readonly visibilitySeconds: number,
  ) {}

  /** Starts the heartbeat (unref'd: it never keeps the process alive). */
  start(): this {
    if (!this.timer) {
      this.timer = setInterval(() => void this.beat(), Math.max(500, (this.visibilitySeconds * 1000) / 3));
      this.timer.unref();
    }
    return this;
  }

  /** Adds a message; returns false when it was already held (a re-delivery). */
  add(h: Held): boolean {
    const id = h.envelope.messageId ?? h.receiptHandle;
    const had = this.byId.has(id);
    this.byId.set(id, h);
    return !had;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Stops holding a message (it was deleted, or handed to someone else). */
  take(id: string): Held | undefined {
    const h = this.byId.get(id);
    this.byId.delete(id);
    return h;
  }

  get size(): number {
    return this.byId.size;
  }

  values(): Held[] {
    return [...this.byId.values()];
  }

  /** Extends the visibility of everything held. Never throws; one beat at a time. */
  beat(): Promise<void> {
    if (this.beating || this.byId.size === 0) return this.beating ?? Promise.resolve();
    const handles = this.values().map((h) => h.receiptHandle);
    this.beating = changeVisibilityParallel(this.ctx, this.url, handles, this.visibilitySeconds)
      .then(() => undefined, () => undefined)
      .finally(() => {
        this.beating = undefined;
      });
    return this.beating;
  }

  /** Stops the heartbeat and makes every held message visible again. */
  async releaseAll(): Promise<ReleaseOutcome> {
    this.stop();
    await this.beating;
    const handles = this.values().map((h) => h.receiptHandle);
    this.byId.clear();
    if (handles.length === 0) return { released: 0, failed: 0 };
    const first = await changeVisibilityParallel(this.ctx, this.url, handles, 0);
    let failed = first.failed.map((f) => f.receiptHandle);
    if (failed.length) {
      // Some servers refuse a timeout of 0 (fauxqs with --data-dir); one second is as good.
      const second = await changeVisibilityParallel(this.ctx, this.url, failed, 1);
      failed = second.failed.map((f) => f.receiptHandle);
    }
    return { released: handles.length - failed.length, failed: failed.length };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
