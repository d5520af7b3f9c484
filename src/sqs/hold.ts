import type { SqsContext } from "./client.js";
import { Holder } from "./custody/holder.js";
import type { Held } from "./messages.js";

export interface ReleaseOutcome {
  released: number;
  /** Handles the server would not release; those messages come back when their visibility timeout ends. */
  failed: number;
}

/**
 * The old name for messages the manual redrive looked at and left alone, kept only until
 * src/sqs/redrive/manual.ts moves onto custody/ (custody-move branch). No logic of its
 * own: THE holder (custody/holder.ts) holds, renews and releases.
 */
export class HeldMessages {
  private readonly holder: Holder;

  constructor(ctx: SqsContext, url: string, visibilitySeconds: number) {
    this.holder = new Holder(ctx, url, { holdSeconds: visibilitySeconds, fifo: url.endsWith(".fifo") });
  }

  start(): this {
    return this;
  }

  /** Adds a message; returns false when it was already held (a re-delivery: the newest handle is kept). */
  add(h: Held): boolean {
    return this.holder.add([h]).length === 1;
  }

  has(id: string): boolean {
    return this.holder.has(id);
  }

  get size(): number {
    return this.holder.size;
  }

  /** Stops the heartbeat and makes every held message visible again. */
  async releaseAll(): Promise<ReleaseOutcome> {
    const r = await this.holder.close();
    return { released: r.released, failed: r.failed };
  }
}
