import type { Ui } from "../output/ui.js";

export interface SeedContext {
  /** Endpoint of the running embedded server. */
  endpoint: string;
  ui: Ui;
  signal: AbortSignal;
}

export interface Seed {
  summary: string;
  run(ctx: SeedContext): Promise<void>;
}

/** Ready-made scenes for `sqsctl local --seed NAME`. */
export const SEEDS: Record<string, Seed> = {};
