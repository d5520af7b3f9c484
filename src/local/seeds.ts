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
    summary: "orders + orders-dlq: 400 orders, a consumer that fails ~40% of them for four reasons, so the DLQ has real dead letters",
    async run(ctx) {
      const { seedDemo } = await import("./demo-scene.js");
      await seedDemo(ctx);
      const port = new URL(ctx.endpoint).port;
      const env = port && port !== "9324" ? `SQSCTL_LOCAL_PORT=${port} ` : "";
      ctx.ui.info("Try, in another terminal:");
      ctx.ui.info(`  ${env}sqsctl --local dlq list`);
      ctx.ui.info(`  ${env}sqsctl --local dlq inspect orders-dlq --group-by json.errorType`);
      ctx.ui.info(`  ${env}sqsctl --local dlq redrive orders-dlq --filter "json.errorType == 'Timeout'"`);
    },
  },
};
