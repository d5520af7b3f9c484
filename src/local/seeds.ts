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
export const SEEDS: Record<string, Seed> = {
  demo: {
    summary:
      "orders + orders-dlq: 400 orders over the last six hours, a consumer that fails some of them for four reasons that start and stop at different times, so the DLQ has real dead letters and a timeline",
    async run(ctx) {
      const { seedDemo } = await import("./demo-scene.js");
      await seedDemo(ctx);
      const port = new URL(ctx.endpoint).port;
      const env = port && port !== "9324" ? `SQSCTL_LOCAL_PORT=${port} ` : "";
      ctx.ui.info("Try, in another terminal:");
      ctx.ui.info(`  ${env}sqsctl --local dlq list`);
      ctx.ui.info(`  ${env}sqsctl --local dlq inspect orders-dlq --group-by json.errorType --timeline`);
      ctx.ui.info(`  ${env}sqsctl --local dlq inspect orders-dlq --group-by json.errorType --report incident.md --no-bodies`);
      ctx.ui.info(`  ${env}sqsctl --local dlq redrive orders-dlq --filter "json.errorType == 'Timeout'"`);
    },
  },
};
